#pragma once
// Test helper: writes NSAttributedString archives in Apple's typedstream format, as Messages
// stores them in sms.db `message.attributedBody` (iOS 16+), from the format's facts (see
// src/formats/typedstream/typedstream.hpp). Used by the decoder's tests, its seed corpus
// generator and the sms module's fixtures.
#include <cstdint>
#include <string>
#include <string_view>

namespace spyglass::testing {

struct AttributedBodyOptions {
  bool mutable_attributed = false;  // NSMutableAttributedString at the root
  bool mutable_string = false;      // NSMutableString as the text object
  bool big_endian = false;          // "typedstream" signature (NeXT/PowerPC byte order)
  bool attributes = true;           // the attribute run and dictionary Messages writes after
};

// The archive for `text` (any bytes; lengths of 128+ use the 2- or 4-byte integer forms).
std::string make_attributed_body(std::string_view text, const AttributedBodyOptions& options = {});

// Low-level writer, for malformed variants in tests.
class TypedStreamWriter {
 public:
  explicit TypedStreamWriter(bool big_endian = false);
  TypedStreamWriter& header();
  TypedStreamWriter& integer(std::int64_t v);
  TypedStreamWriter& raw(std::string_view bytes);
  TypedStreamWriter& byte(std::uint8_t b);
  // A new shared string (0x84, length, bytes).
  TypedStreamWriter& new_string(std::string_view s);
  // A back-reference to entry `index` of a table (0x92 + index, or the integer forms).
  TypedStreamWriter& reference(std::int64_t index);
  const std::string& bytes() const { return out_; }

 private:
  std::string out_;
  bool big_endian_ = false;
};

}  // namespace spyglass::testing
