// URL grammar: the subset of RFC 3986 that evidence and feeds actually contain, read
// leniently (no scheme, "//host", userinfo) but refusing anything without a valid host.
#include "formats/url/url.hpp"
#include "formats/url/url_chars.hpp"

namespace spyglass::formats::url {
namespace {

constexpr std::size_t kMaxUrl = 64 * 1024;

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

// Length of a "scheme://" prefix, or 0.
std::size_t scheme_length(std::string_view s) {
  if (s.empty() || !is_alpha(s[0])) return 0;
  std::size_t i = 1;
  while (i < s.size() && i < 64 && is_scheme_char(s[i])) ++i;
  if (s.substr(i, 3) != "://") return 0;
  return i;
}

std::optional<std::uint16_t> parse_port(std::string_view s, bool& ok) {
  ok = true;
  if (s.empty()) return std::nullopt;  // "host:" means the default port (RFC 3986 3.2.3)
  if (s.size() > 5) {
    ok = false;
    return std::nullopt;
  }
  std::uint32_t v = 0;
  for (char c : s) {
    if (!is_digit(c)) {
      ok = false;
      return std::nullopt;
    }
    v = v * 10 + static_cast<std::uint32_t>(c - '0');
  }
  if (v > 65535) {
    ok = false;
    return std::nullopt;
  }
  return static_cast<std::uint16_t>(v);
}

std::optional<std::uint16_t> default_port(std::string_view scheme) {
  if (scheme == "http" || scheme == "ws") return 80;
  if (scheme == "https" || scheme == "wss") return 443;
  if (scheme == "ftp") return 21;
  return std::nullopt;
}

// RFC 3986 6.2.2: escapes of unreserved characters decoded, other escapes upper-cased.
void append_normalized_escapes(std::string_view s, std::string& out) {
  for (std::size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == '%' && i + 2 < s.size()) {
      int hi = hex_value(s[i + 1]);
      int lo = hex_value(s[i + 2]);
      if (hi >= 0 && lo >= 0) {
        char decoded = static_cast<char>((hi << 4) | lo);
        if (is_unreserved(decoded)) {
          out += decoded;
        } else {
          static constexpr char kHex[] = "0123456789ABCDEF";
          out += '%';
          out += kHex[hi];
          out += kHex[lo];
        }
        i += 2;
        continue;
      }
    }
    out += c;
  }
}

}  // namespace

std::optional<ParsedUrl> parse_url(std::string_view text) {
  if (text.size() > kMaxUrl) return std::nullopt;
  text = trim(text);
  ParsedUrl url;
  std::string_view rest = text;
  if (std::size_t n = scheme_length(rest); n > 0) {
    url.scheme.reserve(n);
    for (char c : rest.substr(0, n)) url.scheme += ascii_lower(c);
    rest.remove_prefix(n + 3);
  } else if (rest.substr(0, 2) == "//") {
    rest.remove_prefix(2);
  }

  std::size_t auth_end = rest.find_first_of("/?#");
  std::string_view authority = rest.substr(0, auth_end);
  std::string_view tail =
      auth_end == std::string_view::npos ? std::string_view{} : rest.substr(auth_end);

  if (std::size_t at = authority.rfind('@'); at != std::string_view::npos) {
    url.userinfo = std::string(authority.substr(0, at));
    authority.remove_prefix(at + 1);
  }

  std::string_view host;
  std::string_view port_text;
  bool has_port = false;
  if (!authority.empty() && authority.front() == '[') {
    std::size_t close = authority.find(']');
    if (close == std::string_view::npos) return std::nullopt;
    host = authority.substr(0, close + 1);
    std::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') return std::nullopt;
      port_text = after.substr(1);
      has_port = true;
    }
    auto ip = canonical_ip(host);
    if (!ip) return std::nullopt;
    url.host = std::move(*ip);
    url.host_is_ip = true;
  } else {
    std::size_t colon = authority.rfind(':');
    host = authority.substr(0, colon);
    if (colon != std::string_view::npos) {
      port_text = authority.substr(colon + 1);
      has_port = true;
    }
    auto name = normalize_host(host);
    if (!name) return std::nullopt;
    if (auto ip = canonical_ip(*name)) {
      url.host = std::move(*ip);
      url.host_is_ip = true;
    } else {
      url.host = std::move(*name);
    }
  }
  if (has_port) {
    bool ok = true;
    url.port = parse_port(port_text, ok);
    if (!ok) return std::nullopt;
  }

  std::size_t hash = tail.find('#');
  if (hash != std::string_view::npos) {
    url.fragment = std::string(tail.substr(hash + 1));
    tail = tail.substr(0, hash);
  }
  std::size_t question = tail.find('?');
  if (question != std::string_view::npos) {
    url.query = std::string(tail.substr(question + 1));
    url.has_query = true;
    tail = tail.substr(0, question);
  }
  url.path = std::string(tail);
  return url;
}

std::optional<std::string> normalize_url(std::string_view text) {
  auto url = parse_url(text);
  if (!url) return std::nullopt;
  std::string scheme = url->scheme.empty() ? std::string("http") : url->scheme;
  std::string out;
  out.reserve(text.size() + 8);
  out += scheme;
  out += "://";
  if (!url->userinfo.empty()) {
    out += url->userinfo;
    out += '@';
  }
  if (url->host_is_ip && url->host.find(':') != std::string::npos) {
    out += '[';
    out += url->host;
    out += ']';
  } else {
    out += url->host;
  }
  if (url->port && url->port != default_port(scheme)) {
    out += ':';
    out += std::to_string(*url->port);
  }
  if (url->path.empty()) {
    out += '/';
  } else {
    append_normalized_escapes(url->path, out);
  }
  if (url->has_query) {
    out += '?';
    append_normalized_escapes(url->query, out);
  }
  if (!url->fragment.empty()) {
    out += '#';
    append_normalized_escapes(url->fragment, out);
  }
  return out;
}

}  // namespace spyglass::formats::url
