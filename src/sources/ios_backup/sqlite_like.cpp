#include "sources/ios_backup/sqlite_like.hpp"

#include <cstdint>
#include <cstring>

namespace spyglass::sources::ios_backup {
namespace {

// A NUL-terminated view: reading at the end yields 0, as SQLite's readers see the terminator.
struct Cursor {
  const unsigned char* p;
  const unsigned char* end;
  std::uint32_t peek() const { return p < end ? *p : 0; }
};

Cursor make_cursor(std::string_view s) {
  const auto* begin = reinterpret_cast<const unsigned char*>(s.data());
  const void* nul = std::memchr(s.data(), 0, s.size());
  const auto* end = nul != nullptr ? static_cast<const unsigned char*>(nul) : begin + s.size();
  return Cursor{begin, end};
}

// sqlite3Utf8Read: the lead byte's payload bits, then every following continuation byte.
std::uint32_t read_char(Cursor& c) {
  if (c.p >= c.end) return 0;
  std::uint32_t ch = *c.p++;
  if (ch < 0xC0) return ch;
  static constexpr unsigned char kTrans1[64] = {
      0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a, 0x0b, 0x0c,
      0x0d, 0x0e, 0x0f, 0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18, 0x19,
      0x1a, 0x1b, 0x1c, 0x1d, 0x1e, 0x1f, 0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06,
      0x07, 0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f, 0x00, 0x01, 0x02, 0x03,
      0x04, 0x05, 0x06, 0x07, 0x00, 0x01, 0x02, 0x03, 0x00, 0x01, 0x00, 0x00};
  ch = kTrans1[ch - 0xC0];
  while (c.p < c.end && (*c.p & 0xC0) == 0x80) ch = (ch << 6) + (0x3F & *c.p++);
  if (ch < 0x80 || (ch & 0xFFFFF800U) == 0xD800 || (ch & 0xFFFFFFFEU) == 0xFFFE) ch = 0xFFFD;
  return ch;
}

std::uint32_t lower(std::uint32_t c) { return (c >= 'A' && c <= 'Z') ? c + 32 : c; }

enum class Match { kMatch, kNoMatch, kNoWildcardMatch };

// patternCompare() for LIKE: matchAll '%', matchOne '_', no escape, case-insensitive.
Match compare(Cursor pattern, Cursor text) {
  std::uint32_t c;
  while ((c = read_char(pattern)) != 0) {
    if (c == '%') {
      while ((c = read_char(pattern)) == '%' || c == '_') {
        if (c == '_' && read_char(text) == 0) return Match::kNoWildcardMatch;
      }
      if (c == 0) return Match::kMatch;
      if (c < 0x80) {
        // Byte search for either case of an ASCII character, then the rest of the pattern.
        const auto lo = static_cast<unsigned char>(lower(c));
        const auto up = static_cast<unsigned char>((lo >= 'a' && lo <= 'z') ? lo - 32 : lo);
        while (true) {
          while (text.p < text.end && *text.p != lo && *text.p != up) ++text.p;
          if (text.p >= text.end) break;
          ++text.p;
          const Match m = compare(pattern, text);
          if (m != Match::kNoMatch) return m;
        }
      } else {
        std::uint32_t c2;
        while ((c2 = read_char(text)) != 0) {
          if (c2 != c) continue;
          const Match m = compare(pattern, text);
          if (m != Match::kNoMatch) return m;
        }
      }
      return Match::kNoWildcardMatch;
    }
    const std::uint32_t c2 = read_char(text);
    if (c == c2) continue;
    if (c < 0x80 && c2 < 0x80 && lower(c) == lower(c2)) continue;
    if (c == '_' && c2 != 0) continue;
    return Match::kNoMatch;
  }
  return text.peek() == 0 ? Match::kMatch : Match::kNoMatch;
}

}  // namespace

bool sqlite_like(std::string_view pattern, std::string_view text) {
  return compare(make_cursor(pattern), make_cursor(text)) == Match::kMatch;
}

}  // namespace spyglass::sources::ios_backup
