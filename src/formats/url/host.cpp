// Host names and IP literals: the two kinds of "where" an indicator names.
#include <idn2.h>

#include <array>
#include <cstdlib>
#include <cstring>
#include <memory>

#include "formats/url/url.hpp"
#include "formats/url/url_chars.hpp"

namespace spyglass::formats::url {
namespace {

// A host in evidence is at most 253 octets; percent-escapes and UTF-8 can triple that.
// Anything longer cannot normalise to a DNS name, so refuse before any work.
constexpr std::size_t kMaxHostInput = 2048;
constexpr std::size_t kMaxName = 253;
constexpr std::size_t kMaxLabel = 63;

// libidn2 allocates with malloc; own the result for exception-free cleanup.
struct IdnFree {
  void operator()(char* p) const { idn2_free(p); }
};

std::optional<std::string> to_ascii(const std::string& utf8) {
  // UTS #46 non-transitional processing (as browsers do) maps case and full-width dots;
  // transitional processing is the fallback for names IDNA2008 refuses but older
  // resolvers and evidence still contain.
  for (int flags : {IDN2_NONTRANSITIONAL | IDN2_NFC_INPUT, IDN2_TRANSITIONAL | IDN2_NFC_INPUT}) {
    char* raw = nullptr;
    if (idn2_lookup_u8(reinterpret_cast<const std::uint8_t*>(utf8.c_str()),
                       reinterpret_cast<std::uint8_t**>(&raw), flags) == IDN2_OK) {
      std::unique_ptr<char, IdnFree> out(raw);
      return std::string(out.get());
    }
    idn2_free(raw);
  }
  return std::nullopt;
}

// Checks the ASCII, lower-cased name label by label. Underscores are allowed because
// real host names (and SRV-style names in feeds) carry them.
bool valid_ascii_name(std::string_view name) {
  if (name.empty() || name.size() > kMaxName) return false;
  std::size_t label = 0;
  for (char c : name) {
    if (c == '.') {
      if (label == 0) return false;
      label = 0;
      continue;
    }
    if (!is_host_char(c)) return false;
    if (++label > kMaxLabel) return false;
  }
  return label != 0;
}

std::optional<std::uint32_t> parse_ipv4(std::string_view s) {
  // Strict dotted quad: exactly four decimal parts, no leading zeros. Forms such as
  // "1.2.3", "0x7f.1" or "010.1.1.1" are refused because their meaning differs between
  // inet_aton (octal) and other parsers; an indicator must mean one thing.
  std::uint32_t value = 0;
  int parts = 0;
  std::size_t i = 0;
  while (true) {
    if (i >= s.size() || !is_digit(s[i])) return std::nullopt;
    std::uint32_t part = 0;
    std::size_t start = i;
    while (i < s.size() && is_digit(s[i])) {
      part = part * 10 + static_cast<std::uint32_t>(s[i] - '0');
      if (part > 255 || i - start >= 3) return std::nullopt;
      ++i;
    }
    if (i - start > 1 && s[start] == '0') return std::nullopt;
    value = (value << 8) | part;
    ++parts;
    if (parts == 4) break;
    if (i >= s.size() || s[i] != '.') return std::nullopt;
    ++i;
  }
  if (i != s.size()) return std::nullopt;
  return value;
}

void append_ipv4(std::uint32_t v, std::string& out) {
  for (int shift = 24; shift >= 0; shift -= 8) {
    out += std::to_string((v >> shift) & 0xffU);
    if (shift) out += '.';
  }
}

std::optional<std::array<std::uint16_t, 8>> parse_ipv6(std::string_view s) {
  std::array<std::uint16_t, 8> words{};
  int n = 0;
  int gap = -1;  // index where "::" was seen
  std::size_t i = 0;
  if (s.size() < 2) return std::nullopt;
  if (s[0] == ':') {
    if (s[1] != ':') return std::nullopt;
    gap = 0;
    i = 2;
    if (i == s.size()) return words;  // "::"
  }
  while (i < s.size()) {
    if (n == 8) return std::nullopt;
    // An embedded IPv4 tail takes the last two words.
    std::size_t end = s.find(':', i);
    std::string_view piece = s.substr(i, end == std::string_view::npos ? s.size() - i : end - i);
    if (piece.find('.') != std::string_view::npos) {
      if (end != std::string_view::npos || n > 6) return std::nullopt;
      auto v4 = parse_ipv4(piece);
      if (!v4) return std::nullopt;
      words[static_cast<std::size_t>(n++)] = static_cast<std::uint16_t>(*v4 >> 16);
      words[static_cast<std::size_t>(n++)] = static_cast<std::uint16_t>(*v4 & 0xffffU);
      i = s.size();
      break;
    }
    if (piece.empty() || piece.size() > 4) return std::nullopt;
    std::uint16_t w = 0;
    for (char c : piece) {
      int h = hex_value(c);
      if (h < 0) return std::nullopt;
      w = static_cast<std::uint16_t>((w << 4) | h);
    }
    words[static_cast<std::size_t>(n++)] = w;
    i += piece.size();
    if (i == s.size()) break;
    ++i;  // the ':'
    if (i < s.size() && s[i] == ':') {
      if (gap >= 0) return std::nullopt;
      gap = n;
      ++i;
    } else if (i == s.size()) {
      return std::nullopt;  // trailing single ':'
    }
  }
  if (gap < 0) {
    if (n != 8) return std::nullopt;
    return words;
  }
  if (n == 8) return std::nullopt;  // "::" must stand for at least one zero word
  std::array<std::uint16_t, 8> out{};
  int tail = n - gap;
  for (int k = 0; k < gap; ++k)
    out[static_cast<std::size_t>(k)] = words[static_cast<std::size_t>(k)];
  for (int k = 0; k < tail; ++k) {
    out[static_cast<std::size_t>(8 - tail + k)] = words[static_cast<std::size_t>(gap + k)];
  }
  return out;
}

// RFC 5952 text: lower-case, no leading zeros, the longest run (first on a tie) of two or
// more zero words written "::". Written by hand so that output does not depend on libc.
std::string format_ipv6(const std::array<std::uint16_t, 8>& w) {
  int best = -1, best_len = 0;
  for (int i = 0; i < 8;) {
    if (w[static_cast<std::size_t>(i)] != 0) {
      ++i;
      continue;
    }
    int j = i;
    while (j < 8 && w[static_cast<std::size_t>(j)] == 0) ++j;
    if (j - i > best_len) {
      best = i;
      best_len = j - i;
    }
    i = j;
  }
  if (best_len < 2) best = -1;
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (int i = 0; i < 8; ++i) {
    if (i == best) {
      out += "::";
      i += best_len - 1;
      continue;
    }
    if (!out.empty() && out.back() != ':') out += ':';
    std::uint16_t v = w[static_cast<std::size_t>(i)];
    bool started = false;
    for (int shift = 12; shift >= 0; shift -= 4) {
      int d = (v >> shift) & 0xf;
      if (d || started || shift == 0) {
        out += kHex[d];
        started = true;
      }
    }
  }
  return out;
}

}  // namespace

std::optional<std::string> canonical_ip(std::string_view text) {
  if (text.size() > 64) return std::nullopt;
  if (!text.empty() && text.front() == '[') {
    if (text.size() < 2 || text.back() != ']') return std::nullopt;
    text = text.substr(1, text.size() - 2);
    if (text.find(':') == std::string_view::npos) return std::nullopt;  // "[1.2.3.4]"
  }
  if (text.find(':') == std::string_view::npos) {
    auto v4 = parse_ipv4(text);
    if (!v4) return std::nullopt;
    std::string out;
    append_ipv4(*v4, out);
    return out;
  }
  auto v6 = parse_ipv6(text);
  if (!v6) return std::nullopt;
  const auto& w = *v6;
  if (w[0] == 0 && w[1] == 0 && w[2] == 0 && w[3] == 0 && w[4] == 0 && w[5] == 0xffff) {
    std::string out;
    append_ipv4((std::uint32_t{w[6]} << 16) | w[7], out);
    return out;
  }
  return format_ipv6(w);
}

std::optional<std::string> normalize_host(std::string_view host) {
  if (host.empty() || host.size() > kMaxHostInput) return std::nullopt;
  std::string name;
  name.reserve(host.size());
  bool ascii = true;
  for (std::size_t i = 0; i < host.size(); ++i) {
    char c = host[i];
    if (c == '%') {
      if (i + 2 >= host.size()) return std::nullopt;
      int hi = hex_value(host[i + 1]);
      int lo = hex_value(host[i + 2]);
      if (hi < 0 || lo < 0) return std::nullopt;
      c = static_cast<char>((hi << 4) | lo);
      i += 2;
    }
    if (c == '\0') return std::nullopt;
    if (static_cast<unsigned char>(c) >= 0x80) ascii = false;
    name += c;
  }
  if (!ascii) {
    // Lower-case what is ASCII first so that mixed "XN--" labels survive the lookup.
    for (char& c : name) c = ascii_lower(c);
    auto converted = to_ascii(name);
    if (!converted) return std::nullopt;
    name = std::move(*converted);
  }
  for (char& c : name) c = ascii_lower(c);
  if (!name.empty() && name.back() == '.') name.pop_back();
  if (!valid_ascii_name(name)) return std::nullopt;
  return name;
}

}  // namespace spyglass::formats::url
