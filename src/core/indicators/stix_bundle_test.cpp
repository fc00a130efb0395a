#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/indicators/indicator_set.hpp"

namespace spyglass::indicators {
namespace {

// Builds bundles in code: each helper returns one JSON object.
std::string indicator(const std::string& uuid, const std::string& pattern,
                      const std::string& extra = "") {
  std::string escaped;
  for (char c : pattern) {
    if (c == '\\' || c == '"') escaped.push_back('\\');
    escaped.push_back(c);
  }
  return R"({"type":"indicator","spec_version":"2.1","id":"indicator--)" + uuid +
         R"(","pattern":")" + escaped + R"(","pattern_type":"stix")" + extra + "}";
}
std::string malware(const std::string& uuid, const std::string& name) {
  return R"({"type":"malware","id":"malware--)" + uuid + R"(","name":")" + name +
         R"(","description":"about )" + name + R"(","is_family":false})";
}
std::string relationship(const std::string& uuid, const std::string& source,
                         const std::string& target, const std::string& type = "indicates") {
  return R"({"type":"relationship","id":"relationship--)" + uuid + R"(","relationship_type":")" +
         type + R"(","source_ref":")" + source + R"(","target_ref":")" + target + R"("})";
}
std::string bundle(const std::vector<std::string>& objects) {
  std::string out = R"({"type":"bundle","id":"bundle--1","objects":[)";
  for (std::size_t i = 0; i < objects.size(); ++i) {
    if (i != 0) out += ",";
    out += objects[i];
  }
  return out + "]}";
}

struct Parsed {
  std::vector<Collection> collections;
  std::vector<Indicator> indicators;
  std::vector<LoadWarning> warnings;

  bool warned(const std::string& needle, const std::string& indicator_id = "*") const {
    for (const LoadWarning& w : warnings) {
      if (w.message.find(needle) != std::string::npos &&
          (indicator_id == "*" || w.indicator_id == indicator_id)) {
        return true;
      }
    }
    return false;
  }
};

Parsed parse(const std::string& json, const std::string& name = "feed.stix2") {
  Parsed p;
  parse_stix_bundle(json, 3, name, p.collections, p.indicators, p.warnings);
  for (const LoadWarning& w : p.warnings) EXPECT_EQ(w.file, name);
  return p;
}

TEST(StixBundle, RelationshipPutsIndicatorInItsMalware) {
  const Parsed p = parse(bundle({
      indicator("1", "[domain-name:value='evil.com']"),
      malware("m", "Pegasus"),
      relationship("r", "indicator--1", "malware--m"),
  }));
  ASSERT_EQ(p.collections.size(), 1U);
  EXPECT_EQ(p.collections[0].kind, "malware");
  EXPECT_EQ(p.collections[0].name, "Pegasus");
  EXPECT_EQ(p.collections[0].description, "about Pegasus");
  EXPECT_EQ(p.collections[0].stix_id, "malware--m");
  EXPECT_EQ(p.collections[0].file, 3U);
  ASSERT_EQ(p.indicators.size(), 1U);
  const Indicator& i = p.indicators[0];
  EXPECT_EQ(i.stix_id, "indicator--1");
  EXPECT_EQ(i.type, IocType::kDomain);
  EXPECT_EQ(i.value, "evil.com");
  EXPECT_EQ(i.pattern, "[domain-name:value='evil.com']");
  EXPECT_EQ(i.file, 3U);
  EXPECT_EQ(i.collections, std::vector<std::uint32_t>{0});
  EXPECT_TRUE(p.warnings.empty());
}

TEST(StixBundle, ReportObjectRefsAndRelationshipsBothCount) {
  const Parsed p = parse(bundle({
      R"({"type":"report","id":"report--r","name":"Forensic Methodology","object_refs":["indicator--1","malware--m"]})",
      malware("m", "Pegasus"), indicator("1", "[process:name='bh']"),
      indicator("2", "[process:name='roleaboutd']"),
      relationship("a", "indicator--1", "malware--m"),
      relationship("b", "indicator--2", "malware--m"),
      relationship("c", "indicator--2", "malware--m"),  // repeated: no double membership
      relationship("d", "indicator--2", "report--r", "related-to"),  // not "indicates"
  }));
  ASSERT_EQ(p.collections.size(), 2U);
  EXPECT_EQ(p.collections[0].kind, "report");
  EXPECT_EQ(p.collections[1].kind, "malware");
  ASSERT_EQ(p.indicators.size(), 2U);
  EXPECT_EQ(p.indicators[0].collections, (std::vector<std::uint32_t>{0, 1}));
  EXPECT_EQ(p.indicators[1].collections, (std::vector<std::uint32_t>{1}));
}

TEST(StixBundle, UnlinkedIndicatorsGoToOneDefaultCollectionCreatedOnlyWhenNeeded) {
  const Parsed linked = parse(bundle({malware("m", "M"), indicator("1", "[app:id='a']"),
                                      relationship("r", "indicator--1", "malware--m")}));
  EXPECT_EQ(linked.collections.size(), 1U);

  const Parsed p = parse(
      bundle({indicator("1", "[app:id='a']"), malware("m", "M"), indicator("2", "[app:id='b']")}),
      "dir/x.json");
  ASSERT_EQ(p.collections.size(), 2U);
  EXPECT_EQ(p.collections[1].kind, "default");
  EXPECT_EQ(p.collections[1].name, "dir/x.json");
  EXPECT_EQ(p.collections[1].stix_id, "");
  ASSERT_EQ(p.indicators.size(), 2U);
  EXPECT_EQ(p.indicators[0].collections, std::vector<std::uint32_t>{1});
  EXPECT_EQ(p.indicators[1].collections, std::vector<std::uint32_t>{1});
}

TEST(StixBundle, CollectionIndexesContinueAfterExistingOnes) {
  Parsed p;
  p.collections.resize(5);
  parse_stix_bundle(bundle({malware("m", "M"), indicator("1", "[app:id='a']"),
                            relationship("r", "indicator--1", "malware--m")}),
                    0, "f", p.collections, p.indicators, p.warnings);
  ASSERT_EQ(p.collections.size(), 6U);
  ASSERT_EQ(p.indicators.size(), 1U);
  EXPECT_EQ(p.indicators[0].collections, std::vector<std::uint32_t>{5});
}

TEST(StixBundle, DanglingReferencesAreIgnoredWithAWarning) {
  const Parsed p = parse(bundle({
      malware("m", "M"),
      indicator("1", "[domain-name:value='a.com']"),
      relationship("r1", "indicator--1", "malware--gone"),
      relationship("r2", "indicator--gone", "malware--m"),
      relationship("r3", "", "malware--m"),
  }));
  ASSERT_EQ(p.indicators.size(), 1U);
  EXPECT_EQ(p.collections.size(), 2U);  // malware + default
  EXPECT_EQ(p.collections[p.indicators[0].collections[0]].kind, "default");
  EXPECT_TRUE(p.warned("malware--gone", "indicator--1"));
  EXPECT_TRUE(p.warned("indicator--gone", "indicator--gone"));
  EXPECT_TRUE(p.warned("relationship--r3 lacks"));
}

TEST(StixBundle, InvalidJsonOrNonBundleIsAWarningNotACrash) {
  const std::string good = bundle({indicator("1", "[domain-name:value='a.com']")});
  for (const std::string& bad : std::vector<std::string>{
           "", "{", "not json", good.substr(0, good.size() / 2), "[]", "{}", R"({"type":"bundle"})",
           R"({"type":"bundle","objects":{}})", R"({"type":"indicator","objects":[]})",
           std::string("{\"a\":\"\xff\"}"), std::string("\0\0\0", 3), good + "x", good + good,
           good + "]", R"({"type":"bundle","objects":[{]})",
           R"({"type":"bundle","objects":[1,]})"}) {
    const Parsed p = parse(bad);
    EXPECT_TRUE(p.indicators.empty()) << bad;
    EXPECT_TRUE(p.collections.empty()) << bad;
    ASSERT_EQ(p.warnings.size(), 1U) << bad;
    EXPECT_EQ(p.warnings[0].indicator_id, "");
  }
  EXPECT_TRUE(parse("{").warned("invalid JSON"));
  EXPECT_TRUE(parse("{}").warned("not a STIX 2.1 bundle"));
}

TEST(StixBundle, MalformedObjectsAreSkippedOthersLoad) {
  const Parsed p = parse(bundle({
      "42",
      "null",
      R"({"type":"indicator","id":"indicator--nopattern"})",
      R"({"type":"indicator","id":"indicator--numpattern","pattern":5})",
      R"({"type":"indicator","id":"indicator--yara","pattern":"rule x {}","pattern_type":"yara"})",
      indicator("and", "[a:b='1' AND c:d='2']"),
      indicator("path", "[x509-certificate:hashes.sha1='ab']"),
      indicator("empty", "[domain-name:value='  ']"),
      indicator("revoked", "[domain-name:value='r.com']", R"(,"revoked":true)"),
      indicator("ok", "[domain-name:value='ok.com']"),
  }));
  ASSERT_EQ(p.indicators.size(), 1U);
  EXPECT_EQ(p.indicators[0].value, "ok.com");
  EXPECT_TRUE(p.warned("2 bundle entries are not JSON objects"));
  EXPECT_TRUE(p.warned("without a pattern", "indicator--nopattern"));
  EXPECT_TRUE(p.warned("without a pattern", "indicator--numpattern"));
  EXPECT_TRUE(p.warned("yara", "indicator--yara"));
  EXPECT_TRUE(p.warned("AND", "indicator--and"));
  EXPECT_TRUE(p.warned("x509-certificate:hashes.sha1", "indicator--path"));
  EXPECT_TRUE(p.warned("empty value", "indicator--empty"));
  EXPECT_TRUE(p.warned("revoked", "indicator--revoked"));
}

TEST(StixBundle, OrPatternGivesOneIndicatorPerComparison) {
  const Parsed p = parse(
      bundle({indicator("1",
                        "[domain-name:value = 'a.com' OR x509-certificate:serial_number = '1'] OR "
                        "[email-addr:value = 'Bad@Example.COM']")}));
  ASSERT_EQ(p.indicators.size(), 2U);
  EXPECT_EQ(p.indicators[0].type, IocType::kDomain);
  EXPECT_EQ(p.indicators[1].type, IocType::kEmail);
  EXPECT_EQ(p.indicators[1].value, "bad@example.com");
  EXPECT_EQ(p.indicators[1].original, "Bad@Example.COM");
  EXPECT_EQ(p.indicators[0].stix_id, p.indicators[1].stix_id);
  EXPECT_TRUE(p.warned("x509-certificate:serial_number", "indicator--1"));
}

TEST(StixBundle, FeedQuirks) {
  const Parsed p = parse(bundle({
      indicator("ip", "[domain-name:value='176.223.111.131']"),
      indicator("path", "[domain-name:value='fgr1w2gnsdvsb.xyz/x']"),
      indicator("label", "[domain-name:value='despachosnegocios']"),
      indicator("dup1", "[domain-name:value='same.com']"),
      indicator("dup2", "[domain-name:value='SAME.com.']"),
      indicator("cert", "[app:cert.sha1='AB12CD34EF56AB12CD34EF56AB12CD34EF56AB12']"),
      indicator("idn", "[domain-name:value='Bücher.Example']"),
      indicator("dir", "[file:path='/private/var/tmp/l/']"),
      indicator("proc", "[process:name='BackupAgent']"),
      indicator("v6", "[ipv6-addr:value='2001:DB8:0:0:0:0:0:1']"),
      indicator("sha", "[file:hashes.'SHA-256'='" + std::string(64, 'F') + "']"),
      indicator("md5as256", "[file:hashes.sha256='" + std::string(32, 'a') + "']"),
      indicator("url", "[url:value='HTTPS://Evil.COM:443/Path?Q=1']"),
  }));
  ASSERT_EQ(p.indicators.size(), 13U);
  auto at = [&](std::size_t i) { return p.indicators[i]; };
  EXPECT_EQ(at(0).type, IocType::kIp);
  EXPECT_EQ(at(0).value, "176.223.111.131");
  EXPECT_TRUE(p.warned("IP address typed as domain-name", "indicator--ip"));
  EXPECT_EQ(at(1).type, IocType::kDomain);
  EXPECT_EQ(at(1).value, "fgr1w2gnsdvsb.xyz");
  EXPECT_EQ(at(1).original, "fgr1w2gnsdvsb.xyz/x");
  EXPECT_TRUE(p.warned("not a bare host", "indicator--path"));
  EXPECT_EQ(at(2).type, IocType::kDomain);
  EXPECT_EQ(at(2).value, "despachosnegocios");
  EXPECT_EQ(at(3).value, "same.com");
  EXPECT_EQ(at(4).value, "same.com");  // kept as a separate entry
  EXPECT_EQ(at(5).type, IocType::kAppCert);
  EXPECT_EQ(at(5).value, "ab12cd34ef56ab12cd34ef56ab12cd34ef56ab12");
  EXPECT_EQ(at(6).value, "xn--bcher-kva.example");
  EXPECT_EQ(at(7).type, IocType::kFilePath);
  EXPECT_EQ(at(7).value, "/private/var/tmp/l/");
  EXPECT_EQ(at(8).value, "BackupAgent");  // case kept
  EXPECT_EQ(at(9).type, IocType::kIp);
  EXPECT_EQ(at(9).value, "2001:db8::1");
  EXPECT_EQ(at(10).type, IocType::kHashSha256);
  EXPECT_EQ(at(10).value, std::string(64, 'f'));
  EXPECT_EQ(at(11).type, IocType::kHashMd5);
  EXPECT_TRUE(p.warned("length of hash-md5", "indicator--md5as256"));
  EXPECT_EQ(at(12).type, IocType::kUrl);
  EXPECT_EQ(at(12).value, "https://evil.com/Path?Q=1");
}

TEST(StixBundle, IpIndicatorsThatAreNotAddressesAreSkipped) {
  const Parsed p = parse(bundle({
      indicator("cidr", "[ipv4-addr:value='10.0.0.0/8']"),
      indicator("host", "[ipv4-addr:value='10.0.0.1/32']"),
      indicator("name", "[ipv4-addr:value='example.com']"),
  }));
  ASSERT_EQ(p.indicators.size(), 1U);
  EXPECT_EQ(p.indicators[0].value, "10.0.0.1");
  EXPECT_TRUE(p.warned("CIDR", "indicator--cidr"));
  EXPECT_TRUE(p.warned("not an IP address", "indicator--name"));
}

TEST(StixBundle, ValidityTimes) {
  const Parsed p = parse(bundle({
      indicator("1", "[domain-name:value='a.com']",
                R"(,"valid_from":"2019-04-01T00:00:00Z","valid_until":"2019-05-31T23:59:59.5Z")"),
      indicator("2", "[domain-name:value='b.com']", R"(,"valid_from":"yesterday")"),
  }));
  ASSERT_EQ(p.indicators.size(), 2U);
  ASSERT_TRUE(p.indicators[0].valid_from);
  EXPECT_EQ(*p.indicators[0].valid_from, std::int64_t{1554076800} * 1000000);
  ASSERT_TRUE(p.indicators[0].valid_until);
  EXPECT_EQ(*p.indicators[0].valid_until, std::int64_t{1559347199} * 1000000 + 500000);
  EXPECT_FALSE(p.indicators[1].valid_from);
  EXPECT_FALSE(p.indicators[1].valid_until);
  EXPECT_TRUE(p.warned("valid_from 'yesterday'", "indicator--2"));
}

TEST(StixBundle, WarningsPerFileAreCapped) {
  std::vector<std::string> objects;
  for (int i = 0; i < 1000; ++i) objects.push_back(indicator(std::to_string(i), "[x:y='1']"));
  const Parsed p = parse(bundle(objects));
  EXPECT_LE(p.warnings.size(), 201U);
  EXPECT_TRUE(p.warned("800 further warnings omitted"));
}

TEST(StixBundle, DeeplyNestedJsonIsRefused) {
  const std::string deep = std::string(100000, '[') + std::string(100000, ']');
  const Parsed p = parse(deep);
  EXPECT_TRUE(p.indicators.empty());
  EXPECT_EQ(p.warnings.size(), 1U);
}

}  // namespace
}  // namespace spyglass::indicators
