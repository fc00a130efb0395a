#include "support/utf8_decode.hpp"

#include <cstdint>

namespace spyglass {
namespace {

bool is_continuation(unsigned char c) { return (c & 0xC0U) == 0x80U; }

constexpr char kHex[] = "0123456789abcdef";

}  // namespace

Utf8Step decode_utf8_at(std::string_view text, std::size_t pos) {
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[pos + i]); };
  const std::size_t left = text.size() - pos;
  const unsigned char b0 = byte(0);
  if (b0 < 0x80U) return {b0, 1, true};
  // Second-byte ranges per Table 3-7 exclude overlongs and surrogates up front.
  unsigned char lo = 0x80U;
  unsigned char hi = 0xBFU;
  std::size_t length = 0;
  char32_t cp = 0;
  if (b0 >= 0xC2U && b0 <= 0xDFU) {
    length = 2;
    cp = b0 & 0x1FU;
  } else if (b0 >= 0xE0U && b0 <= 0xEFU) {
    length = 3;
    cp = b0 & 0x0FU;
    if (b0 == 0xE0U) lo = 0xA0U;
    if (b0 == 0xEDU) hi = 0x9FU;
  } else if (b0 >= 0xF0U && b0 <= 0xF4U) {
    length = 4;
    cp = b0 & 0x07U;
    if (b0 == 0xF0U) lo = 0x90U;
    if (b0 == 0xF4U) hi = 0x8FU;
  } else {
    return {};
  }
  if (left < length) return {};
  const unsigned char b1 = byte(1);
  if (b1 < lo || b1 > hi) return {};
  cp = (cp << 6) | (b1 & 0x3FU);
  for (std::size_t i = 2; i < length; ++i) {
    const unsigned char b = byte(i);
    if (!is_continuation(b)) return {};
    cp = (cp << 6) | (b & 0x3FU);
  }
  return {cp, length, true};
}

void append_utf8(std::string& out, char32_t cp) {
  const auto put = [&](std::uint32_t v) { out.push_back(static_cast<char>(v)); };
  const auto c = static_cast<std::uint32_t>(cp);
  if (c < 0x80U) {
    put(c);
  } else if (c < 0x800U) {
    put(0xC0U | (c >> 6));
    put(0x80U | (c & 0x3FU));
  } else if (c < 0x10000U) {
    put(0xE0U | (c >> 12));
    put(0x80U | ((c >> 6) & 0x3FU));
    put(0x80U | (c & 0x3FU));
  } else {
    put(0xF0U | (c >> 18));
    put(0x80U | ((c >> 12) & 0x3FU));
    put(0x80U | ((c >> 6) & 0x3FU));
    put(0x80U | (c & 0x3FU));
  }
}

std::string utf8_backslashreplace(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  std::size_t pos = 0;
  while (pos < text.size()) {
    const Utf8Step step = decode_utf8_at(text, pos);
    if (step.valid) {
      out.append(text.substr(pos, step.length));
    } else {
      const auto b = static_cast<unsigned char>(text[pos]);
      out += "\\x";
      out.push_back(kHex[b >> 4]);
      out.push_back(kHex[b & 0x0FU]);
    }
    pos += step.length;
  }
  return out;
}

bool is_valid_utf8(std::string_view text) {
  std::size_t pos = 0;
  while (pos < text.size()) {
    const Utf8Step step = decode_utf8_at(text, pos);
    if (!step.valid) return false;
    pos += step.length;
  }
  return true;
}

}  // namespace spyglass
