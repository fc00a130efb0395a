#include "core/matching/matcher.hpp"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

namespace spyglass::matching {
namespace {

using indicators::Indicator;
using indicators::IndicatorSet;
using indicators::IocType;

struct Ioc {
  IocType type;
  std::string value;
  std::string original = "";
};

std::shared_ptr<const IndicatorSet> make_set(const std::vector<Ioc>& iocs) {
  std::vector<Indicator> out;
  std::uint32_t n = 0;
  for (const Ioc& i : iocs) {
    Indicator ind;
    ind.stix_id = "indicator--" + std::to_string(n++);
    ind.type = i.type;
    ind.value = i.value;
    ind.original = i.original.empty() ? i.value : i.original;
    out.push_back(std::move(ind));
  }
  return std::make_shared<const IndicatorSet>(std::vector<indicators::SourceFile>{},
                                              std::vector<indicators::Collection>{}, std::move(out),
                                              std::vector<indicators::LoadWarning>{});
}

std::vector<std::string> matched(const std::vector<Match>& ms) {
  std::vector<std::string> out;
  for (const Match& m : ms) out.push_back(m.matched);
  return out;
}

using Strings = std::vector<std::string>;

TEST(MatcherDomain, ExactAndSubdomainOnLabelBoundary) {
  Matcher m(make_set({{IocType::kDomain, "evil.com"}}));
  auto exact = m.match_domain("EVIL.COM.");
  ASSERT_EQ(exact.size(), 1U);
  EXPECT_EQ(exact[0].kind, MatchKind::kExact);
  EXPECT_EQ(exact[0].type, IocType::kDomain);
  EXPECT_EQ(exact[0].observed, "EVIL.COM.");
  auto sub = m.match_domain("a.b.evil.com");
  ASSERT_EQ(sub.size(), 1U);
  EXPECT_EQ(sub[0].kind, MatchKind::kSubdomain);
  EXPECT_EQ(sub[0].matched, "evil.com");
  EXPECT_TRUE(m.match_domain("notevil.com").empty());
  EXPECT_TRUE(m.match_domain("evil.com.example.net").empty());
  EXPECT_TRUE(m.match_domain("evil.co").empty());
  EXPECT_TRUE(m.match_domain("com").empty());
  EXPECT_TRUE(m.match_domain("").empty());
}

TEST(MatcherDomain, NoCharacterStrippingOfWww) {
  Matcher m(make_set({{IocType::kDomain, "sub.example.net"}}));
  EXPECT_TRUE(m.match_domain("wsub.example.net").empty());
  EXPECT_TRUE(m.match_url("https://wsub.example.net/").empty());
  EXPECT_EQ(matched(m.match_domain("www.sub.example.net")), Strings{"sub.example.net"});
  EXPECT_EQ(matched(m.match_domain("a.b.sub.example.net")), Strings{"sub.example.net"});
}

TEST(MatcherDomain, IdnAndEscapedHosts) {
  Matcher m(make_set({{IocType::kDomain, "xn--bcher-kva.de"}}));
  EXPECT_EQ(matched(m.match_domain("BÜCHER.de")), Strings{"xn--bcher-kva.de"});
  EXPECT_EQ(matched(m.match_domain("www.b%C3%BCcher.de")), Strings{"xn--bcher-kva.de"});
  EXPECT_EQ(matched(m.match_url("https://user@bücher.de:8443/x")), Strings{"xn--bcher-kva.de"});
  EXPECT_TRUE(m.match_domain("bucher.de").empty());
}

TEST(MatcherDomain, SeveralIndicatorsAndSuffixes) {
  Matcher m(make_set({{IocType::kDomain, "evil.com"},
                      {IocType::kDomain, "a.evil.com"},
                      {IocType::kDomain, "evil.com"}}));
  auto ms = m.match_domain("x.a.evil.com");
  ASSERT_EQ(ms.size(), 2U);
  EXPECT_EQ(ms[0].matched, "a.evil.com");
  EXPECT_EQ(ms[1].matched, "evil.com");
  ASSERT_EQ(ms[1].indicators.size(), 2U);  // both copies, in load order
  EXPECT_EQ(ms[1].indicators[0]->stix_id, "indicator--0");
  EXPECT_EQ(ms[1].indicators[1]->stix_id, "indicator--2");
}

TEST(MatcherDomain, IpLiteralsAreMatchedAsIps) {
  Matcher m(make_set({{IocType::kIp, "10.1.1.1"}, {IocType::kDomain, "178.63.71.15"}}));
  EXPECT_EQ(matched(m.match_domain("10.1.1.1")), Strings{"10.1.1.1"});
  EXPECT_TRUE(m.match_domain("10.1.1.10").empty());
  EXPECT_TRUE(m.match_domain("110.1.1.1").empty());
  auto typed_as_domain = m.match_domain("178.63.71.15");
  ASSERT_EQ(typed_as_domain.size(), 1U);
  EXPECT_EQ(typed_as_domain[0].type, IocType::kIp);
  EXPECT_TRUE(m.match_domain("1.178.63.71.15").empty());
}

TEST(MatcherDomain, NoIndicatorsAtAll) {
  Matcher empty(make_set({}));
  EXPECT_TRUE(empty.match_domain("evil.com").empty());
  EXPECT_TRUE(empty.match_url("https://evil.com/").empty());
  EXPECT_TRUE(empty.match_text("see https://evil.com/ and 1.2.3.4").empty());
  Matcher process_only(make_set({{IocType::kProcess, "bh"}}));
  EXPECT_TRUE(process_only.match_url("https://evil.com/").empty());
  Matcher null_set(nullptr);
  EXPECT_TRUE(null_set.match_domain("evil.com").empty());
}

TEST(MatcherUrl, ExactAfterNormalisationAndHost) {
  Matcher m(make_set({{IocType::kUrl, "https://evil.com/Path?a=1"},
                      {IocType::kUrl, "http://good.org/x", "good.org/x"},
                      {IocType::kDomain, "bad.net"}}));
  auto exact = m.match_url("HTTPS://EVIL.com:443/Path?a=1");
  ASSERT_EQ(exact.size(), 1U);
  EXPECT_EQ(exact[0].type, IocType::kUrl);
  EXPECT_TRUE(m.match_url("https://evil.com/path?a=1").empty());  // path case kept
  EXPECT_TRUE(m.match_url("https://evil.com/Path?a=2").empty());
  // A scheme-less indicator matches any scheme.
  EXPECT_EQ(matched(m.match_url("https://good.org/x")), Strings{"http://good.org/x"});
  EXPECT_TRUE(m.match_url("https://good.org/y").empty());
  // A URL is also matched on its host.
  auto host = m.match_url("ftp://u:p@x.bad.net:2121/a");
  ASSERT_EQ(host.size(), 1U);
  EXPECT_EQ(host[0].type, IocType::kDomain);
  EXPECT_EQ(host[0].kind, MatchKind::kSubdomain);
  EXPECT_TRUE(m.match_url("https://bad.net.evil.org/").empty());
  // Userinfo that looks like the host does not match.
  EXPECT_TRUE(m.match_url("https://bad.net@good.example/").empty());
}

TEST(MatcherIp, AnyTextualFormNeverSubstring) {
  Matcher m(make_set({{IocType::kIp, "10.1.1.1"}, {IocType::kIp, "2001:db8::1"}}));
  EXPECT_EQ(matched(m.match_ip("10.1.1.1")), Strings{"10.1.1.1"});
  EXPECT_EQ(matched(m.match_ip("::ffff:10.1.1.1")), Strings{"10.1.1.1"});
  EXPECT_EQ(matched(m.match_ip("2001:0DB8:0:0::0:1")), Strings{"2001:db8::1"});
  EXPECT_EQ(matched(m.match_url("http://[2001:db8::1]:80/")), Strings{"2001:db8::1"});
  EXPECT_TRUE(m.match_ip("10.1.1.10").empty());
  EXPECT_TRUE(m.match_url("http://10.1.1.10/").empty());
  EXPECT_TRUE(m.match_ip("2001:db8::11").empty());
  EXPECT_TRUE(m.match_ip("not an ip").empty());
}

TEST(MatcherProcess, BasenameAndKernelTruncation) {
  Matcher m(make_set({{IocType::kProcess, "bh"},
                      {IocType::kProcess, "com.apple.abcdefghijk"},     // 21 chars
                      {IocType::kProcess, "com.apple.abcdefghijz"}}));  // same 16-prefix
  EXPECT_EQ(matched(m.match_process("/usr/libexec/bh")), Strings{"bh"});
  EXPECT_TRUE(m.match_process("bhx").empty());
  EXPECT_TRUE(m.match_process("b").empty());
  EXPECT_TRUE(m.match_process("BH").empty());
  auto ios = m.match_process("com.apple.abcdef", CommTruncation::kIos);  // 16 chars
  ASSERT_EQ(ios.size(), 2U);
  EXPECT_EQ(ios[0].kind, MatchKind::kTruncatedName);
  EXPECT_EQ(ios[0].matched, "com.apple.abcdefghijk");
  EXPECT_EQ(ios[1].matched, "com.apple.abcdefghijz");
  EXPECT_TRUE(m.match_process("com.apple.abcdef", CommTruncation::kLinux).empty());
  EXPECT_TRUE(m.match_process("com.apple.abcdef", CommTruncation::kNone).empty());
  EXPECT_EQ(m.match_process("com.apple.abcde", CommTruncation::kLinux).size(), 2U);  // 15
  EXPECT_TRUE(m.match_process("com.apple.abcde", CommTruncation::kIos).empty());
  EXPECT_EQ(m.match_process("com.apple.abcde", CommTruncation::kAny).size(), 2U);
  EXPECT_TRUE(m.match_process("com.apple.abcdx", CommTruncation::kAny).empty());
  EXPECT_TRUE(m.match_process("com.apple.abcd", CommTruncation::kAny).empty());  // 14
}

TEST(MatcherFiles, PathPrefixOnComponentBoundary) {
  Matcher m(make_set({{IocType::kFilePath, "/private/var/tmp/l/"},
                      {IocType::kFilePath, "/private/var/db/x"},
                      {IocType::kFileName, "roleaccountd"}}));
  auto exact = m.match_file_path("/private/var/db/x");
  ASSERT_EQ(exact.size(), 1U);
  EXPECT_EQ(exact[0].kind, MatchKind::kExact);
  auto under = m.match_file_path("/private/var/db/x/y");
  ASSERT_EQ(under.size(), 1U);
  EXPECT_EQ(under[0].kind, MatchKind::kPathPrefix);
  EXPECT_EQ(matched(m.match_file_path("/private/var/tmp/l")), Strings{"/private/var/tmp/l"});
  EXPECT_EQ(matched(m.match_file_path("/private/var/tmp/l/a/b")), Strings{"/private/var/tmp/l"});
  EXPECT_TRUE(m.match_file_path("/private/var/db/xy").empty());
  EXPECT_TRUE(m.match_file_path("/private/var/db").empty());
  EXPECT_TRUE(m.match_file_path("/private/var/tmp/lx").empty());
  auto base = m.match_file_path("/usr/sbin/roleaccountd");
  ASSERT_EQ(base.size(), 1U);
  EXPECT_EQ(base[0].type, IocType::kFileName);
  EXPECT_EQ(base[0].kind, MatchKind::kBasename);
  EXPECT_TRUE(m.match_file_path("/usr/sbin/roleaccountd2").empty());
  EXPECT_EQ(m.match({ObservableKind::kFileName, "roleaccountd", "name"}).size(), 1U);
  EXPECT_TRUE(m.match({ObservableKind::kFileName, "Roleaccountd", "name"}).empty());
}

TEST(MatcherExact, HashesByLengthCaseInsensitive) {
  std::string md5(32, 'a'), sha1(40, 'b'), sha256(64, 'c'), sha512(128, 'd');
  Matcher m(make_set({{IocType::kHashMd5, md5},
                      {IocType::kHashSha1, sha1},
                      {IocType::kHashSha256, sha256},
                      {IocType::kHashSha512, sha512}}));
  for (const std::string& h : {md5, sha1, sha256, sha512}) {
    std::string upper = h;
    for (char& c : upper) c = static_cast<char>(c - 'a' + 'A');
    auto ms = m.match({ObservableKind::kHash, upper, "sha"});
    ASSERT_EQ(ms.size(), 1U) << h.size();
    EXPECT_EQ(ms[0].matched, h);
  }
  EXPECT_TRUE(m.match({ObservableKind::kHash, std::string(32, 'b'), "md5"}).empty());
  EXPECT_TRUE(m.match({ObservableKind::kHash, std::string(33, 'a'), "x"}).empty());
  EXPECT_TRUE(m.match({ObservableKind::kHash, md5.substr(1), "x"}).empty());
}

TEST(MatcherExact, CaseInsensitiveIdentifiersAndNoProfileSubstring) {
  Matcher m(make_set({{IocType::kAppId, "com.stalker.app"},
                      {IocType::kAppCert, "abcdef0123"},
                      {IocType::kEmail, "bad@evil.org"},
                      {IocType::kAndroidProperty, "sys.brand.note"},
                      {IocType::kProfileId, "76dab334-7e17-475d-a5d6-0794eb5818a5"}}));
  EXPECT_EQ(m.match({ObservableKind::kAppId, "COM.Stalker.App", "id"}).size(), 1U);
  EXPECT_TRUE(m.match({ObservableKind::kAppId, "com.stalker.app2", "id"}).empty());
  EXPECT_EQ(m.match({ObservableKind::kAppCert, "ABCDEF0123", "cert"}).size(), 1U);
  EXPECT_EQ(m.match({ObservableKind::kEmail, "Bad@Evil.org", "from"}).size(), 1U);
  EXPECT_TRUE(m.match({ObservableKind::kEmail, "bad@evil.org.uk", "from"}).empty());
  EXPECT_EQ(m.match({ObservableKind::kAndroidProperty, "SYS.brand.note", "p"}).size(), 1U);
  EXPECT_TRUE(m.match({ObservableKind::kAndroidProperty, "sys.brand.notes", "p"}).empty());
  EXPECT_EQ(
      m.match({ObservableKind::kProfileId, "76DAB334-7E17-475D-A5D6-0794EB5818A5", "p"}).size(),
      1U);
  EXPECT_TRUE(m.match({ObservableKind::kProfileId, "76DAB334", "p"}).empty());
  EXPECT_TRUE(m.match({ObservableKind::kProfileId, "", "p"}).empty());
}

TEST(MatcherText, ExtractsDedupesAndKeepsOffsetOrder) {
  Matcher m(make_set({{IocType::kDomain, "evil.com"},
                      {IocType::kIp, "10.1.1.1"},
                      {IocType::kEmail, "op@spy.org"},
                      {IocType::kDomain, "spy.org"}}));
  auto ms = m.match_text(
      "Hi! 10.1.1.10 no, 10.1.1.1 yes; see https://a.evil.com/x. and EVIL.com, mail op@spy.org");
  ASSERT_EQ(ms.size(), 4U);
  EXPECT_EQ(ms[0].type, IocType::kIp);
  EXPECT_EQ(ms[0].matched, "10.1.1.1");
  EXPECT_EQ(ms[1].type, IocType::kDomain);
  EXPECT_EQ(ms[1].matched, "evil.com");
  EXPECT_EQ(ms[1].observed, "https://a.evil.com/x");
  EXPECT_EQ(ms[2].type, IocType::kDomain);
  EXPECT_EQ(ms[2].matched, "spy.org");
  EXPECT_EQ(ms[3].type, IocType::kEmail);
  EXPECT_TRUE(m.match_text("notevil.com and evil.com.example.net and 110.1.1.1").empty());
  EXPECT_EQ(m.match({ObservableKind::kText, "x www.evil.com y", "text"}).size(), 1U);
}

}  // namespace
}  // namespace spyglass::matching
