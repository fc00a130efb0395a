#pragma once
// Strict UTF-8 decoding for writers. Evidence strings are arbitrary bytes; outputs must be
// valid text, so every writer applies the same policy: each byte that is not part of a
// well-formed sequence (Unicode Table 3-7: no overlongs, no surrogates, <= U+10FFFF) stands
// for the four characters "\xNN" (lower-case hex), exactly what Python's
// bytes.decode("utf-8", "backslashreplace") yields, which is what MVT writes for bytes.
#include <cstddef>
#include <string>
#include <string_view>

namespace spyglass {

struct Utf8Step {
  char32_t code_point = 0;  // valid only when `valid`
  std::size_t length = 1;   // bytes consumed (1 for an invalid byte)
  bool valid = false;
};

// Decodes the sequence starting at `pos` (pos < text.size()).
Utf8Step decode_utf8_at(std::string_view text, std::size_t pos);

// Appends the UTF-8 encoding of a scalar value.
void append_utf8(std::string& out, char32_t code_point);

// The text with every invalid byte replaced by "\xNN"; valid input is returned unchanged.
std::string utf8_backslashreplace(std::string_view text);

// Whether the whole text is well-formed UTF-8.
bool is_valid_utf8(std::string_view text);

}  // namespace spyglass
