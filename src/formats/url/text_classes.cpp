#include "formats/url/text_classes.hpp"

#include <libpsl.h>

#include <array>
#include <cstring>

namespace spyglass::formats::url::detail {

CodePoint decode_at(std::string_view text, std::size_t i) {
  auto byte = [&](std::size_t k) { return static_cast<std::uint8_t>(text[k]); };
  std::uint8_t b0 = byte(i);
  if (b0 < 0x80) return {b0, 1};
  std::size_t len = 0;
  std::int32_t cp = 0;
  std::int32_t min = 0;
  if ((b0 & 0xE0) == 0xC0) {
    len = 2, cp = b0 & 0x1F, min = 0x80;
  } else if ((b0 & 0xF0) == 0xE0) {
    len = 3, cp = b0 & 0x0F, min = 0x800;
  } else if ((b0 & 0xF8) == 0xF0) {
    len = 4, cp = b0 & 0x07, min = 0x10000;
  } else {
    return {-1, 1};
  }
  if (i + len > text.size()) return {-1, 1};
  for (std::size_t k = 1; k < len; ++k) {
    std::uint8_t b = byte(i + k);
    if ((b & 0xC0) != 0x80) return {-1, 1};
    cp = (cp << 6) | (b & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return {-1, 1};
  return {cp, len};
}

CodePoint decode_before(std::string_view text, std::size_t end) {
  std::size_t start = end - 1;
  while (start > 0 && end - start < 4 && (static_cast<std::uint8_t>(text[start]) & 0xC0) == 0x80) {
    --start;
  }
  CodePoint cp = decode_at(text, start);
  if (cp.value < 0 || start + cp.length != end) return {-1, 1};
  return cp;
}

bool is_word_code_point(std::int32_t cp) {
  if (cp < 0) return false;
  if (cp < 0x80) {
    return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9');
  }
  if (cp < 0xC0 || cp == 0xD7 || cp == 0xF7) return false;  // C1, NBSP, Latin-1 punctuation
  if (cp == 0x061C || cp == 0x180E) return false;           // bidi and format marks
  if (cp >= 0x2000 && cp <= 0x2BFF) return false;  // punctuation, spaces, bidi, symbols, arrows
  if (cp >= 0x2E00 && cp <= 0x2E7F) return false;  // supplemental punctuation
  if (cp >= 0x3000 && cp <= 0x303F) return false;  // CJK punctuation and ideographic space
  if (cp >= 0xFE00 && cp <= 0xFE0F) return false;  // variation selectors
  if (cp >= 0xFE30 && cp <= 0xFE6F) return false;  // CJK compatibility and small forms
  if (cp == 0xFEFF) return false;                  // BOM, zero-width no-break space
  if ((cp >= 0xFF00 && cp <= 0xFF0F) || (cp >= 0xFF1A && cp <= 0xFF20) ||
      (cp >= 0xFF3B && cp <= 0xFF40) || (cp >= 0xFF5B && cp <= 0xFF65)) {
    return false;  // full-width punctuation
  }
  if (cp >= 0xFFF0 && cp <= 0xFFFF) return false;    // specials, replacement character
  if (cp >= 0x1F000 && cp <= 0x1FAFF) return false;  // emoji and pictographs
  if (cp >= 0xE0000 && cp <= 0xE007F) return false;  // tag characters
  return true;
}

bool is_known_tld(std::string_view label) {
  constexpr std::size_t kMaxKey = 63;
  if (label.empty() || label.size() > kMaxKey) return false;
  struct Slot {
    std::uint8_t length = 0;  // 0: empty
    bool known = false;
    std::array<char, kMaxKey> key{};
  };
  thread_local std::array<Slot, 256> cache{};
  std::uint32_t h = 2166136261U;
  for (char c : label) h = (h ^ static_cast<std::uint8_t>(c)) * 16777619U;
  Slot& slot = cache[(h ^ (h >> 8) ^ (h >> 16)) & 0xFFU];
  if (slot.length == label.size() &&
      std::memcmp(slot.key.data(), label.data(), label.size()) == 0) {
    return slot.known;
  }
  std::array<char, kMaxKey + 1> z{};
  std::memcpy(z.data(), label.data(), label.size());
  // The implicit "*" rule would make every unknown word a suffix ("image.jpeg").
  const psl_ctx_t* psl = psl_builtin();
  bool known = psl != nullptr &&
               psl_is_public_suffix2(psl, z.data(), PSL_TYPE_ANY | PSL_TYPE_NO_STAR_RULE) != 0;
  slot.length = static_cast<std::uint8_t>(label.size());
  slot.known = known;
  std::memcpy(slot.key.data(), label.data(), label.size());
  return known;
}

}  // namespace spyglass::formats::url::detail
