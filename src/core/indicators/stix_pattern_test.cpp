#include "core/indicators/stix_pattern.hpp"

#include <gtest/gtest.h>

namespace spyglass::indicators {
namespace {

PatternComparison single(std::string_view pattern) {
  auto parsed = parse_stix_pattern(pattern);
  EXPECT_TRUE(parsed) << pattern << ": " << (parsed ? "" : parsed.error().message);
  if (!parsed || parsed->size() != 1) {
    ADD_FAILURE() << "expected one comparison in " << pattern;
    return {};
  }
  return (*parsed)[0];
}

ErrorCode error_of(std::string_view pattern) {
  auto parsed = parse_stix_pattern(pattern);
  EXPECT_FALSE(parsed) << pattern << " was accepted";
  return parsed ? ErrorCode::kInternal : parsed.error().code;
}

TEST(StixPattern, EveryObjectPathMapsToItsType) {
  struct Case {
    std::string_view path;
    IocType type;
  };
  const Case cases[] = {
      {"domain-name:value", IocType::kDomain},
      {"url:value", IocType::kUrl},
      {"ipv4-addr:value", IocType::kIp},
      {"ipv6-addr:value", IocType::kIp},
      {"process:name", IocType::kProcess},
      {"email-addr:value", IocType::kEmail},
      {"file:name", IocType::kFileName},
      {"file:path", IocType::kFilePath},
      {"file:hashes.md5", IocType::kHashMd5},
      {"file:hashes.MD5", IocType::kHashMd5},
      {"file:hashes.'MD5'", IocType::kHashMd5},
      {"file:hashes.sha1", IocType::kHashSha1},
      {"file:hashes.SHA1", IocType::kHashSha1},
      {"file:hashes.'SHA-1'", IocType::kHashSha1},
      {"file:hashes.sha256", IocType::kHashSha256},
      {"file:hashes.SHA256", IocType::kHashSha256},
      {"file:hashes.'SHA-256'", IocType::kHashSha256},
      {"file:hashes.sha-256", IocType::kHashSha256},
      {"file:hashes.'sha256'", IocType::kHashSha256},
      {"file:hashes.sha512", IocType::kHashSha512},
      {"file:hashes.'SHA-512'", IocType::kHashSha512},
      {"app:id", IocType::kAppId},
      {"app:cert.md5", IocType::kAppCert},
      {"app:cert.sha1", IocType::kAppCert},
      {"app:cert.sha256", IocType::kAppCert},
      {"configuration-profile:id", IocType::kProfileId},
      {"android-property:name", IocType::kAndroidProperty},
  };
  for (const Case& c : cases) {
    const std::string pattern = "[" + std::string(c.path) + "='v']";
    const PatternComparison cmp = single(pattern);
    ASSERT_TRUE(cmp.type.has_value()) << pattern;
    EXPECT_EQ(*cmp.type, c.type) << pattern;
    EXPECT_EQ(cmp.value, "v");
  }
}

TEST(StixPattern, CanonicalPathIsLowerCaseAndUnquoted) {
  EXPECT_EQ(single("[file:hashes.'SHA-256'='ab']").object_path, "file:hashes.sha-256");
  EXPECT_EQ(single("[Domain-Name:Value='x']").object_path, "domain-name:value");
}

TEST(StixPattern, UnknownObjectPathsParseWithoutAType) {
  for (std::string_view pattern :
       {"[x509-certificate:hashes.sha1='ab']", "[mac-addr:value='00:11']",
        "[file:hashes.ssdeep='3:ab']", "[app:cert.sha512='ab']", "[file:size='1']",
        "[network-traffic:dst_ref.value='1.2.3.4']"}) {
    const PatternComparison cmp = single(pattern);
    EXPECT_FALSE(cmp.type.has_value()) << pattern;
  }
}

TEST(StixPattern, OrInsideOneObservation) {
  auto parsed = parse_stix_pattern("[domain-name:value = 'a.com' OR url:value = 'http://b.com/']");
  ASSERT_TRUE(parsed);
  ASSERT_EQ(parsed->size(), 2U);
  EXPECT_EQ((*parsed)[0].type, IocType::kDomain);
  EXPECT_EQ((*parsed)[0].value, "a.com");
  EXPECT_EQ((*parsed)[1].type, IocType::kUrl);
  EXPECT_EQ((*parsed)[1].value, "http://b.com/");
}

TEST(StixPattern, OrBetweenObservationsAndParentheses) {
  auto parsed = parse_stix_pattern(
      "([process:name='a'] OR [process:name='b']) OR [(file:name='c' OR file:name='d')]");
  ASSERT_TRUE(parsed);
  ASSERT_EQ(parsed->size(), 4U);
  EXPECT_EQ((*parsed)[0].value, "a");
  EXPECT_EQ((*parsed)[1].value, "b");
  EXPECT_EQ((*parsed)[2].value, "c");
  EXPECT_EQ((*parsed)[3].value, "d");
}

TEST(StixPattern, WhitespaceAnywhereBetweenTokens) {
  const PatternComparison cmp = single(" \t[ \n domain-name:value\t=\r\n'x.org'  ]\n ");
  EXPECT_EQ(cmp.value, "x.org");
  EXPECT_EQ(cmp.type, IocType::kDomain);
}

TEST(StixPattern, EscapedQuotesAndBackslashes) {
  EXPECT_EQ(single(R"([file:name='it\'s'])").value, "it's");
  EXPECT_EQ(single(R"([file:path='C:\\Windows\\x.exe'])").value, R"(C:\Windows\x.exe)");
  EXPECT_EQ(single(R"([file:name='\\\''])").value, R"(\')");
  EXPECT_EQ(error_of(R"([file:name='a\nb'])"), ErrorCode::kMalformed);
}

TEST(StixPattern, ValuesMayHoldBracketsEqualsAndOr) {
  EXPECT_EQ(single("[url:value='https://e.com/p?a=1&b=[2]']").value, "https://e.com/p?a=1&b=[2]");
  EXPECT_EQ(single("[file:name=' OR [x=\\'y\\'] ']").value, " OR [x='y'] ");
  EXPECT_EQ(single("[process:name='']").value, "");
}

TEST(StixPattern, UnsupportedConstructsAreErrors) {
  for (std::string_view pattern : {
           "[a:b='1' AND c:d='2']",
           "[a:b='1'] AND [c:d='2']",
           "[a:b='1'] FOLLOWEDBY [c:d='2']",
           "[a:b='1'] WITHIN 5 SECONDS",
           "[a:b='1'] START t'2020-01-01T00:00:00Z' STOP t'2021-01-01T00:00:00Z'",
           "[a:b='1'] REPEATS 2 TIMES",
           "[a:b!='1']",
           "[a:b<'1']",
           "[a:b>='1']",
           "[a:b NOT = '1']",
           "[a:b LIKE '%x']",
           "[a:b MATCHES '^x']",
           "[a:b IN ('1','2')]",
           "[a:b ISSUBSET '10.0.0.0/8']",
           "[a:b = 5]",
           "[a:b = true]",
           "[a:b = h'00ff']",
           "[EXISTS a:b]",
           "[a:b[*].c = 'x']",
       }) {
    EXPECT_EQ(error_of(pattern), ErrorCode::kUnsupported) << pattern;
  }
}

TEST(StixPattern, MalformedPatternsAreErrors) {
  for (std::string_view pattern : {
           "",
           "   ",
           "[",
           "]",
           "[]",
           "[a:b='1'",
           "a:b='1'",
           "[a:b='1']]",
           "[a:b='1' OR]",
           "[a:b='1'] OR",
           "[a:b='1'] [c:d='2']",
           "[ab='1']",
           "[a:='1']",
           "[a:b.='1']",
           "[a:b=='1']",
           "[a:b='unterminated]",
           "[a:b=]",
           "[:b='1']",
           "[a:b='1' OR OR c:d='2']",
           "([a:b='1']",
           "[a:b.''='1']",
           "[a:b='1'] or [c:d='2']",
           "[a:b=\"1\"]",
       }) {
    auto parsed = parse_stix_pattern(pattern);
    EXPECT_FALSE(parsed) << "accepted: " << pattern;
  }
}

TEST(StixPattern, DeepNestingIsRefusedWithoutRecursingForever) {
  std::string deep(10000, '(');
  deep += "[a:b='1']";
  deep += std::string(10000, ')');
  auto parsed = parse_stix_pattern(deep);
  ASSERT_FALSE(parsed);
  EXPECT_EQ(parsed.error().code, ErrorCode::kLimitExceeded);
  // Modest nesting is fine.
  EXPECT_TRUE(parse_stix_pattern("(((([a:b='1']))))"));
}

TEST(StixPattern, ErrorMessagesSayWhere) {
  auto parsed = parse_stix_pattern("[a:b='1' AND c:d='2']");
  ASSERT_FALSE(parsed);
  EXPECT_NE(parsed.error().message.find("AND"), std::string::npos);
  EXPECT_NE(parsed.error().message.find("offset 9"), std::string::npos);
}

}  // namespace
}  // namespace spyglass::indicators
