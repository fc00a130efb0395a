#include "support/typedstream_builder.hpp"

namespace spyglass::testing {
namespace {
constexpr std::uint8_t kInteger2 = 0x81;
constexpr std::uint8_t kInteger4 = 0x82;
constexpr std::uint8_t kNew = 0x84;
constexpr std::uint8_t kNil = 0x85;
constexpr std::uint8_t kEnd = 0x86;
constexpr std::int64_t kFirstReference = -110;  // head byte 0x92
}  // namespace

TypedStreamWriter::TypedStreamWriter(bool big_endian) : big_endian_(big_endian) {}

TypedStreamWriter& TypedStreamWriter::header() {
  byte(4);
  byte(11);
  raw(big_endian_ ? "typedstream" : "streamtyped");
  return integer(1000);  // the system version every Mac OS X / iOS writer uses
}

TypedStreamWriter& TypedStreamWriter::integer(std::int64_t v) {
  // One byte unless the value would read as a tag (-128..-111) or does not fit.
  if (v >= -110 && v <= 127) return byte(static_cast<std::uint8_t>(static_cast<std::int8_t>(v)));
  const int width = (v >= -32768 && v <= 32767) ? 2 : 4;
  byte(width == 2 ? kInteger2 : kInteger4);
  const auto u = static_cast<std::uint64_t>(v);
  for (int i = 0; i < width; ++i) {
    const int shift = big_endian_ ? 8 * (width - 1 - i) : 8 * i;
    byte(static_cast<std::uint8_t>((u >> shift) & 0xff));
  }
  return *this;
}

TypedStreamWriter& TypedStreamWriter::raw(std::string_view bytes) {
  out_.append(bytes);
  return *this;
}

TypedStreamWriter& TypedStreamWriter::byte(std::uint8_t b) {
  out_.push_back(static_cast<char>(b));
  return *this;
}

TypedStreamWriter& TypedStreamWriter::new_string(std::string_view s) {
  byte(kNew);
  integer(static_cast<std::int64_t>(s.size()));
  return raw(s);
}

TypedStreamWriter& TypedStreamWriter::reference(std::int64_t index) {
  return integer(index + kFirstReference);
}

std::string make_attributed_body(std::string_view text, const AttributedBodyOptions& o) {
  TypedStreamWriter w(o.big_endian);
  w.header();
  // Back-references index two tables in order of first appearance: shared strings (type
  // encodings, class names) and objects (objects and classes together).
  int objects = 0;
  constexpr int kAtType = 0;  // "@" is the first shared string
  w.new_string("@");
  w.byte(kNew);  // the root object
  ++objects;
  if (o.mutable_attributed) {
    w.byte(kNew).new_string("NSMutableAttributedString").integer(0);
    ++objects;
  }
  w.byte(kNew).new_string("NSAttributedString").integer(0);
  ++objects;
  w.byte(kNew).new_string("NSObject").integer(0);
  const int nsobject_class = objects++;
  w.byte(kNil);
  // The text: an "@" group holding an NSString whose content is one "+" group.
  w.reference(kAtType);
  w.byte(kNew);
  ++objects;
  if (o.mutable_string) {
    w.byte(kNew).new_string("NSMutableString").integer(1);
    ++objects;
  }
  w.byte(kNew).new_string("NSString").integer(1);
  const int nsstring_class = objects++;
  w.reference(nsobject_class);
  w.new_string("+");
  w.integer(static_cast<std::int64_t>(text.size())).raw(text);
  w.byte(kEnd);
  if (o.attributes) {
    // One attribute run over the whole text (type "iI": attribute index, run length), then
    // its dictionary {"__kIMMessagePartAttributeName": NSNumber 0} as Messages writes it.
    w.new_string("iI");
    w.integer(1).integer(static_cast<std::int64_t>(text.size()));
    w.reference(kAtType);
    w.byte(kNew);
    w.byte(kNew).new_string("NSDictionary").integer(0);
    w.reference(nsobject_class);
    w.new_string("i");
    w.integer(1);  // entry count
    w.reference(kAtType);
    w.byte(kNew);  // the key, an NSString
    w.reference(nsstring_class);
    w.reference(4 + (o.mutable_attributed ? 1 : 0) + (o.mutable_string ? 1 : 0));  // "+"
    w.integer(29).raw("__kIMMessagePartAttributeName");
    w.byte(kEnd);
    w.reference(kAtType);
    w.byte(kNew);  // the value, an NSNumber: its objCType as a C string, then the int
    w.byte(kNew).new_string("NSNumber").integer(0);
    w.byte(kNew).new_string("NSValue").integer(0);
    w.reference(nsobject_class);
    w.new_string("*");
    const int i_type = 7 + (o.mutable_attributed ? 1 : 0) + (o.mutable_string ? 1 : 0);
    w.byte(kNew).reference(i_type);
    w.reference(i_type);
    w.integer(0);
    w.byte(kEnd);  // NSNumber
    w.byte(kEnd);  // NSDictionary
  }
  w.byte(kEnd);  // root
  return w.bytes();
}

}  // namespace spyglass::testing
