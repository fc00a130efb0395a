#include <gtest/gtest.h>

#include <string>

#include "formats/url/url.hpp"

namespace spyglass::formats::url {
namespace {

TEST(NormalizeHost, LowerCasesAsciiAndDropsOneTrailingDot) {
  EXPECT_EQ(normalize_host("EVIL.Example.COM"), "evil.example.com");
  EXPECT_EQ(normalize_host("evil.com."), "evil.com");
  EXPECT_EQ(normalize_host("evil.com.."), std::nullopt);
  EXPECT_EQ(normalize_host("_dmarc.example.org"), "_dmarc.example.org");
}

TEST(NormalizeHost, RejectsEmptyLabelsAndForbiddenBytes) {
  EXPECT_EQ(normalize_host(""), std::nullopt);
  EXPECT_EQ(normalize_host("."), std::nullopt);
  EXPECT_EQ(normalize_host(".evil.com"), std::nullopt);
  EXPECT_EQ(normalize_host("a..b"), std::nullopt);
  EXPECT_EQ(normalize_host("evil com"), std::nullopt);
  EXPECT_EQ(normalize_host("evil.com/x"), std::nullopt);
  EXPECT_EQ(normalize_host("user@evil.com"), std::nullopt);
  EXPECT_EQ(normalize_host("evil.com:80"), std::nullopt);
  EXPECT_EQ(normalize_host(std::string("evil\0.com", 9)), std::nullopt);
  EXPECT_EQ(normalize_host("evil%00.com"), std::nullopt);
}

TEST(NormalizeHost, EnforcesLabelAndNameLengths) {
  std::string label63(63, 'a');
  EXPECT_EQ(normalize_host(label63 + ".com"), label63 + ".com");
  EXPECT_EQ(normalize_host(std::string(64, 'a') + ".com"), std::nullopt);
  std::string name;
  while (name.size() < 250) name += "abcd.";
  EXPECT_EQ(normalize_host(name + "com"), name + "com");  // exactly 253
  name += "coms";                                         // 254
  EXPECT_EQ(normalize_host(name), std::nullopt);
  EXPECT_EQ(normalize_host(std::string(100000, 'a')), std::nullopt);
}

TEST(NormalizeHost, DecodesPercentEscapes) {
  EXPECT_EQ(normalize_host("%65vil.com"), "evil.com");
  EXPECT_EQ(normalize_host("EVIL%2Ecom"), "evil.com");
  EXPECT_EQ(normalize_host("evil.com%"), std::nullopt);
  EXPECT_EQ(normalize_host("evil.com%4"), std::nullopt);
  EXPECT_EQ(normalize_host("evil%zz.com"), std::nullopt);
  // UTF-8 written as escapes is an IDN like any other.
  EXPECT_EQ(normalize_host("b%C3%BCcher.de"), "xn--bcher-kva.de");
}

TEST(NormalizeHost, ConvertsIdnToLowerCasePunycode) {
  EXPECT_EQ(normalize_host("bücher.de"), "xn--bcher-kva.de");
  EXPECT_EQ(normalize_host("BÜCHER.DE"), "xn--bcher-kva.de");
  EXPECT_EQ(normalize_host("XN--BCHER-KVA.de"), "xn--bcher-kva.de");
  EXPECT_EQ(normalize_host("пример.рф"), "xn--e1afmkfd.xn--p1ai");
  // Non-transitional: the sharp s is kept (browsers), not mapped to "ss".
  EXPECT_EQ(normalize_host("faß.de"), "xn--fa-hia.de");
  EXPECT_EQ(normalize_host("\xff\xfe.com"), std::nullopt);  // not UTF-8
}

TEST(CanonicalIp, Ipv4StrictDottedQuad) {
  EXPECT_EQ(canonical_ip("10.1.1.1"), "10.1.1.1");
  EXPECT_EQ(canonical_ip("255.255.255.255"), "255.255.255.255");
  EXPECT_EQ(canonical_ip("0.0.0.0"), "0.0.0.0");
  EXPECT_EQ(canonical_ip("256.1.1.1"), std::nullopt);
  EXPECT_EQ(canonical_ip("1.2.3"), std::nullopt);
  EXPECT_EQ(canonical_ip("1.2.3.4.5"), std::nullopt);
  EXPECT_EQ(canonical_ip("010.1.1.1"), std::nullopt);
  EXPECT_EQ(canonical_ip("1.2.3.4 "), std::nullopt);
  EXPECT_EQ(canonical_ip("1..3.4"), std::nullopt);
  EXPECT_EQ(canonical_ip("0x7f.0.0.1"), std::nullopt);
  EXPECT_EQ(canonical_ip("[1.2.3.4]"), std::nullopt);
  EXPECT_EQ(canonical_ip(""), std::nullopt);
  EXPECT_EQ(canonical_ip("evil.com"), std::nullopt);
}

TEST(CanonicalIp, Ipv6Rfc5952) {
  EXPECT_EQ(canonical_ip("2001:DB8:0:0:0:0:0:1"), "2001:db8::1");
  EXPECT_EQ(canonical_ip("2001:0db8::0001"), "2001:db8::1");
  EXPECT_EQ(canonical_ip("[2001:db8::1]"), "2001:db8::1");
  EXPECT_EQ(canonical_ip("::"), "::");
  EXPECT_EQ(canonical_ip("::1"), "::1");
  EXPECT_EQ(canonical_ip("1::"), "1::");
  // A single zero word is not compressed; the first of equal runs is.
  EXPECT_EQ(canonical_ip("2001:db8:0:1:1:1:1:1"), "2001:db8:0:1:1:1:1:1");
  EXPECT_EQ(canonical_ip("1:0:0:2:0:0:3:4"), "1::2:0:0:3:4");
  EXPECT_EQ(canonical_ip("1:0:0:2:0:0:0:4"), "1:0:0:2::4");
  EXPECT_EQ(canonical_ip("::ffff:1.2.3.4"), "1.2.3.4");
  EXPECT_EQ(canonical_ip("::FFFF:0102:0304"), "1.2.3.4");
  EXPECT_EQ(canonical_ip("64:ff9b::1.2.3.4"), "64:ff9b::102:304");
}

TEST(CanonicalIp, Ipv6Malformed) {
  for (const char* bad : {":", ":::", "1:2", "1:::2", "1::2::3", "12345::", "1:2:3:4:5:6:7:8:9",
                          "1:2:3:4:5:6:7::8", "::1:", ":1::", "g::1", "1.2.3.4::", "::1.2.3",
                          "::1.2.3.4:5", "[::1", "::1]", "fe80::1%eth0", "1:2:3:4:5:6:7"}) {
    EXPECT_EQ(canonical_ip(bad), std::nullopt) << bad;
  }
}

}  // namespace
}  // namespace spyglass::formats::url
