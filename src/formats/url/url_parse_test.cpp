#include <gtest/gtest.h>

#include <string>

#include "formats/url/url.hpp"

namespace spyglass::formats::url {
namespace {

TEST(ParseUrl, AbsoluteWithEveryPart) {
  auto u = parse_url("HTTPS://user:pw@Evil.COM.:8443/A/b?Q=1#Frag");
  ASSERT_TRUE(u);
  EXPECT_EQ(u->scheme, "https");
  EXPECT_EQ(u->userinfo, "user:pw");
  EXPECT_EQ(u->host, "evil.com");
  EXPECT_FALSE(u->host_is_ip);
  EXPECT_EQ(u->port, 8443);
  EXPECT_EQ(u->path, "/A/b");
  EXPECT_TRUE(u->has_query);
  EXPECT_EQ(u->query, "Q=1");
  EXPECT_EQ(u->fragment, "Frag");
}

TEST(ParseUrl, SchemeLessAndSchemeRelative) {
  auto bare = parse_url("evil.com/x");
  ASSERT_TRUE(bare);
  EXPECT_EQ(bare->scheme, "");
  EXPECT_EQ(bare->host, "evil.com");
  EXPECT_EQ(bare->path, "/x");
  auto rel = parse_url("//evil.com");
  ASSERT_TRUE(rel);
  EXPECT_EQ(rel->host, "evil.com");
  EXPECT_EQ(rel->path, "");
  auto with_port = parse_url("evil.com:8080");
  ASSERT_TRUE(with_port);
  EXPECT_EQ(with_port->port, 8080);
  auto other = parse_url("git+ssh://git@host.example.org/repo");
  ASSERT_TRUE(other);
  EXPECT_EQ(other->scheme, "git+ssh");
  EXPECT_EQ(other->userinfo, "git");
  EXPECT_EQ(other->host, "host.example.org");
}

TEST(ParseUrl, IpHosts) {
  auto v6 = parse_url("http://[2001:DB8::0:1]:8080/p");
  ASSERT_TRUE(v6);
  EXPECT_TRUE(v6->host_is_ip);
  EXPECT_EQ(v6->host, "2001:db8::1");
  EXPECT_EQ(v6->port, 8080);
  auto v4 = parse_url("http://10.1.1.10/");
  ASSERT_TRUE(v4);
  EXPECT_TRUE(v4->host_is_ip);
  EXPECT_EQ(v4->host, "10.1.1.10");
  auto escaped = parse_url("http://%31%30.1.1.1/");
  ASSERT_TRUE(escaped);
  EXPECT_TRUE(escaped->host_is_ip);
  EXPECT_EQ(escaped->host, "10.1.1.1");
  EXPECT_FALSE(parse_url("http://[::1/"));
  EXPECT_FALSE(parse_url("http://[::1]x/"));
  EXPECT_FALSE(parse_url("http://[evil.com]/"));
}

TEST(ParseUrl, UserinfoCannotHideTheHost) {
  auto u = parse_url("https://evil.com@good.example.net/");
  ASSERT_TRUE(u);
  EXPECT_EQ(u->host, "good.example.net");
  EXPECT_EQ(u->userinfo, "evil.com");
  auto two = parse_url("http://a@b@evil.com/");
  ASSERT_TRUE(two);
  EXPECT_EQ(two->host, "evil.com");
}

TEST(ParseUrl, BackslashIsNotASeparator) {
  // RFC 3986 reading (not WHATWG's): '\\' is an ordinary userinfo byte.
  auto u = parse_url("http://evil.com\\@good.example/");
  ASSERT_TRUE(u);
  EXPECT_EQ(u->host, "good.example");
}

TEST(ParseUrl, IdnHost) {
  auto u = parse_url("https://bücher.de/straße");
  ASSERT_TRUE(u);
  EXPECT_EQ(u->host, "xn--bcher-kva.de");
  EXPECT_EQ(u->path, "/straße");
}

TEST(ParseUrl, RejectsInvalid) {
  for (const char* bad : {"", "http://", "http:///path", "http://:80/", "http://evil.com:99999/",
                          "http://evil.com:8x/", "http://evil com/", "http://evil.com\\/x",
                          "https://user@/", "//", "?q", "#f"}) {
    EXPECT_FALSE(parse_url(bad)) << bad;
  }
  EXPECT_FALSE(parse_url(std::string(70000, 'a')));
}

TEST(NormalizeUrl, ComparisonForm) {
  EXPECT_EQ(normalize_url("HTTP://Evil.COM"), "http://evil.com/");
  EXPECT_EQ(normalize_url("evil.com/Path"), "http://evil.com/Path");
  EXPECT_EQ(normalize_url("http://evil.com:80/a"), "http://evil.com/a");
  EXPECT_EQ(normalize_url("https://evil.com:443/a"), "https://evil.com/a");
  EXPECT_EQ(normalize_url("https://evil.com:80/a"), "https://evil.com:80/a");
  EXPECT_EQ(normalize_url("ftp://evil.com:21"), "ftp://evil.com/");
  EXPECT_EQ(normalize_url("http://evil.com./"), "http://evil.com/");
  EXPECT_EQ(normalize_url("http://evil.com/%7Euser/%41%2f%2F?x=%61%3d#%62"),
            "http://evil.com/~user/A%2F%2F?x=a%3D#b");
  EXPECT_EQ(normalize_url("http://evil.com?q=A"), "http://evil.com/?q=A");
  EXPECT_EQ(normalize_url("http://evil.com/?"), "http://evil.com/?");
  EXPECT_EQ(normalize_url("http://[2001:db8:0::1]:80/"), "http://[2001:db8::1]/");
  EXPECT_EQ(normalize_url("https://bücher.de"), "https://xn--bcher-kva.de/");
  EXPECT_EQ(normalize_url("http://u:P@evil.com/"), "http://u:P@evil.com/");
  EXPECT_EQ(normalize_url("  http://evil.com/x \n"), "http://evil.com/x");
  EXPECT_EQ(normalize_url("http://evil.com/%"), "http://evil.com/%");
  EXPECT_EQ(normalize_url("not a url"), std::nullopt);
}

}  // namespace
}  // namespace spyglass::formats::url
