#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "formats/url/url.hpp"

namespace spyglass::formats::url {
namespace {

using Pair = std::pair<FoundKind, std::string>;

std::vector<Pair> found(std::string_view text) {
  std::vector<Found> out;
  extract(text, out);
  std::vector<Pair> result;
  std::size_t last = 0;
  for (const Found& f : out) {
    EXPECT_GE(f.offset, last) << "offsets must not go backwards";
    EXPECT_EQ(text.substr(f.offset, f.text.size()), f.text);
    last = f.offset;
    result.emplace_back(f.kind, std::string(f.text));
  }
  return result;
}

constexpr FoundKind kUrl = FoundKind::kUrl;
constexpr FoundKind kDomain = FoundKind::kDomain;
constexpr FoundKind kIp = FoundKind::kIp;
constexpr FoundKind kEmail = FoundKind::kEmail;

TEST(Extract, UrlsWithSchemeAndTrailingPunctuation) {
  EXPECT_EQ(found("see https://x.com/a."), (std::vector<Pair>{{kUrl, "https://x.com/a"}}));
  EXPECT_EQ(found("go:https://x.com/a?b=1&c=2, then"),
            (std::vector<Pair>{{kUrl, "https://x.com/a?b=1&c=2"}}));
  EXPECT_EQ(found("(https://x.com/a)"), (std::vector<Pair>{{kUrl, "https://x.com/a"}}));
  EXPECT_EQ(found("https://en.wikipedia.org/wiki/Foo_(bar)!"),
            (std::vector<Pair>{{kUrl, "https://en.wikipedia.org/wiki/Foo_(bar)"}}));
  EXPECT_EQ(found("\"http://x.com/q\"<http://y.net>"),
            (std::vector<Pair>{{kUrl, "http://x.com/q"}, {kUrl, "http://y.net"}}));
  EXPECT_EQ(found("HTTP://EVIL.COM:8080/Path?"),
            (std::vector<Pair>{{kUrl, "HTTP://EVIL.COM:8080/Path"}}));
  EXPECT_EQ(found("custom+app://open.example.net/x"),
            (std::vector<Pair>{{kUrl, "custom+app://open.example.net/x"}}));
}

TEST(Extract, UrlsWithUserinfoPortsAndIpv6) {
  EXPECT_EQ(found("u https://user:pw@evil.com:8443/x z"),
            (std::vector<Pair>{{kUrl, "https://user:pw@evil.com:8443/x"}}));
  EXPECT_EQ(found("http://[2001:db8::1]:8080/p ok"),
            (std::vector<Pair>{{kUrl, "http://[2001:db8::1]:8080/p"}}));
  EXPECT_EQ(found("http://%65vil.com/"), (std::vector<Pair>{{kUrl, "http://%65vil.com/"}}));
}

TEST(Extract, SchemeWithoutValidHostIsNotAUrl) {
  EXPECT_EQ(found("http:// and file:///etc/passwd"), std::vector<Pair>{});
  EXPECT_EQ(found("http://evil.com"), (std::vector<Pair>{{kUrl, "http://evil.com"}}));
}

TEST(Extract, WwwAndHostWithPathAreUrls) {
  EXPECT_EQ(found("visit www.evil.com/login."), (std::vector<Pair>{{kUrl, "www.evil.com/login"}}));
  EXPECT_EQ(found("visit WWW.Evil.com"), (std::vector<Pair>{{kUrl, "WWW.Evil.com"}}));
  EXPECT_EQ(found("evil.com/x?y and 1.2.3.4:8080/p"),
            (std::vector<Pair>{{kUrl, "evil.com/x?y"}, {kUrl, "1.2.3.4:8080/p"}}));
}

TEST(Extract, BareDomainsRespectBoundaries) {
  EXPECT_EQ(found("at notevil.com now"), (std::vector<Pair>{{kDomain, "notevil.com"}}));
  EXPECT_EQ(found("a x_evil.com b"), (std::vector<Pair>{{kDomain, "x_evil.com"}}));
  EXPECT_EQ(found("Sub.Evil.COM."), (std::vector<Pair>{{kDomain, "Sub.Evil.COM"}}));
  EXPECT_EQ(found("wait..evil.com"), (std::vector<Pair>{{kDomain, "evil.com"}}));
  EXPECT_EQ(found("--evil.com--"), std::vector<Pair>{});  // "com--" is no TLD
}

TEST(Extract, WordsThatOnlyLookLikeDomains) {
  EXPECT_EQ(found("e.g. 1.2 or 3.14, image.jpeg, v1.2.3, a.m. U.S.A."), std::vector<Pair>{});
  EXPECT_EQ(found("end.Then"), std::vector<Pair>{});
  EXPECT_EQ(found("readme.md"), (std::vector<Pair>{{kDomain, "readme.md"}}));
  EXPECT_EQ(found("1.2.3.4.5"), std::vector<Pair>{});
  EXPECT_EQ(found("12:30 and 10:20:30 and aa:bb:cc:dd:ee:ff, std::vector"), std::vector<Pair>{});
}

TEST(Extract, IpLiterals) {
  EXPECT_EQ(found("from 10.1.1.10."), (std::vector<Pair>{{kIp, "10.1.1.10"}}));
  EXPECT_EQ(found("from 010.1.1.1"), std::vector<Pair>{});
  EXPECT_EQ(found("v6 2001:db8::1, fe80::1%x and ::ffff:1.2.3.4"),
            (std::vector<Pair>{{kIp, "2001:db8::1"}, {kIp, "fe80::1"}, {kIp, "::ffff:1.2.3.4"}}));
  EXPECT_EQ(found("x2001:db8::1"), std::vector<Pair>{});
}

TEST(Extract, EmailAddresses) {
  EXPECT_EQ(found("mail john.doe+x@Evil.com."),
            (std::vector<Pair>{{kEmail, "john.doe+x@Evil.com"}}));
  EXPECT_EQ(found("a@b, x@evil.jpeg, @evil.com"), (std::vector<Pair>{{kDomain, "evil.com"}}));
  EXPECT_EQ(found("first a@evil.com then b@good.org"),
            (std::vector<Pair>{{kEmail, "a@evil.com"}, {kEmail, "b@good.org"}}));
}

TEST(Extract, UnicodeAroundAndInsideHosts) {
  EXPECT_EQ(found("Besuch bücher.de heute"), (std::vector<Pair>{{kDomain, "bücher.de"}}));
  EXPECT_EQ(found("сайт пример.рф!"), (std::vector<Pair>{{kDomain, "пример.рф"}}));
  EXPECT_EQ(found("«evil.com»"), (std::vector<Pair>{{kDomain, "evil.com"}}));
  EXPECT_EQ(found("evil.com…"), (std::vector<Pair>{{kDomain, "evil.com"}}));
  EXPECT_EQ(found("evil.com\xF0\x9F\x99\x82"), (std::vector<Pair>{{kDomain, "evil.com"}}));
  // Bidi controls (U+202E, U+2066) and zero-width space (U+200B) are boundaries.
  EXPECT_EQ(found("\xE2\x80\xAE"
                  "evil.com\xE2\x80\x8B"
                  "x"),
            (std::vector<Pair>{{kDomain, "evil.com"}}));
  EXPECT_EQ(found("https://x.com/a\xE2\x81\xA6"
                  "b"),
            (std::vector<Pair>{{kUrl, "https://x.com/a"}}));
  EXPECT_EQ(found("https://ja.wikipedia.org/wiki/東京。"),
            (std::vector<Pair>{{kUrl, "https://ja.wikipedia.org/wiki/東京"}}));
}

TEST(Extract, NulAndInvalidBytesAreBoundaries) {
  std::string text("a\0evil.com\0b", 12);
  EXPECT_EQ(found(text), (std::vector<Pair>{{kDomain, "evil.com"}}));
  EXPECT_EQ(found("\xff"
                  "evil.com\xc3"),
            (std::vector<Pair>{{kDomain, "evil.com"}}));
  EXPECT_EQ(found("http://evil.com/\xff\xfe"), (std::vector<Pair>{{kUrl, "http://evil.com/"}}));
}

TEST(Extract, AppendsWithoutClearing) {
  std::vector<Found> out;
  extract("evil.com", out);
  extract("1.2.3.4", out);
  ASSERT_EQ(out.size(), 2U);
  EXPECT_EQ(out[1].kind, kIp);
  EXPECT_EQ(out[1].offset, 0U);
}

TEST(Extract, LongHostileInputsStayCorrect) {
  std::string dots(200000, '.');
  EXPECT_EQ(found(dots), std::vector<Pair>{});
  std::string colons;
  for (int i = 0; i < 50000; ++i) colons += "a:";
  EXPECT_EQ(found(colons), std::vector<Pair>{});
  std::string labels;
  for (int i = 0; i < 50000; ++i) labels += "a.";
  EXPECT_EQ(found(labels + "com"), std::vector<Pair>{});  // far longer than a DNS name
  std::string ats(100000, '@');
  EXPECT_EQ(found(ats + "evil.com"), (std::vector<Pair>{{kDomain, "evil.com"}}));
  std::string many;
  for (int i = 0; i < 1000; ++i) {
    // Piecewise: GCC 12 at -O3 warns falsely (-Wrestrict) on "x" + std::string.
    many += 'x';
    many += std::to_string(i);
    many += ".com ";
  }
  EXPECT_EQ(found(many).size(), 1000U);
  std::string long_url = "https://evil.com/" + std::string(100000, 'a') + ")))";
  auto got = found(long_url);
  ASSERT_EQ(got.size(), 1U);
  EXPECT_EQ(got[0].second.size(), long_url.size() - 3);
}

}  // namespace
}  // namespace spyglass::formats::url
