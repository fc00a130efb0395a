#pragma once
// Character classes shared by the URL parser and the free-text extractor (internal).
#include <cstdint>

namespace spyglass::formats::url {

constexpr bool is_digit(char c) { return c >= '0' && c <= '9'; }
constexpr bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
constexpr bool is_alnum(char c) { return is_digit(c) || is_alpha(c); }
constexpr char ascii_lower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}
constexpr int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}
// Bytes allowed in one label of a normalised (ASCII, lower-case) host name.
constexpr bool is_host_char(char c) {
  return (c >= 'a' && c <= 'z') || is_digit(c) || c == '-' || c == '_';
}
// RFC 3986 unreserved characters: their percent-escapes mean the character itself.
constexpr bool is_unreserved(char c) {
  return is_alnum(c) || c == '-' || c == '.' || c == '_' || c == '~';
}
constexpr bool is_scheme_char(char c) { return is_alnum(c) || c == '+' || c == '-' || c == '.'; }

}  // namespace spyglass::formats::url
