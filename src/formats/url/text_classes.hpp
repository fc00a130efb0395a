#pragma once
// How the extractor reads the text around an anchor (internal): UTF-8 code points and
// which of them can belong to a host name or URL.
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace spyglass::formats::url::detail {

// The code point starting at text[i] and its length in bytes; -1 (length 1) for bytes that
// are not well-formed UTF-8, so that hostile bytes act as boundaries.
struct CodePoint {
  std::int32_t value;
  std::size_t length;
};
CodePoint decode_at(std::string_view text, std::size_t i);
// The code point ending just before text[end] (end > 0).
CodePoint decode_before(std::string_view text, std::size_t end);

// Whether a non-ASCII code point can be part of a word (an IDN label, a path segment).
// Punctuation, spaces, bidi and zero-width marks, symbols and emoji end a token: in
// "see evil.com…" or "evil.com🙂" the host stops before them.
bool is_word_code_point(std::int32_t cp);

// Whether the label (lower-case ASCII or UTF-8) is a top-level domain in the Public Suffix
// List. Cached per thread, because text repeats the same few TLDs.
bool is_known_tld(std::string_view label);

}  // namespace spyglass::formats::url::detail
