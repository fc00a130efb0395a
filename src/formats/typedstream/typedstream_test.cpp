#include "formats/typedstream/typedstream.hpp"

#include <gtest/gtest.h>

#include "support/typedstream_builder.hpp"

namespace spyglass::formats::typedstream {
namespace {

using spyglass::testing::AttributedBodyOptions;
using spyglass::testing::make_attributed_body;
using spyglass::testing::TypedStreamWriter;

using namespace std::string_view_literals;

// The opening bytes of an iOS 16+ Messages attributedBody, up to the string length.
constexpr std::string_view kMessagesPrefix =
    "\x04\x0bstreamtyped\x81\xe8\x03\x84\x01@\x84\x84\x84\x12NSAttributedString\x00\x84\x84"
    "\x08NSObject\x00\x85\x92\x84\x84\x84\x08NSString\x01\x94\x84\x01+"sv;

TEST(TypedStream, EncoderWritesTheMessagesLayout) {
  const std::string body = make_attributed_body("hi");
  ASSERT_GE(body.size(), kMessagesPrefix.size() + 3);
  EXPECT_EQ(std::string_view(body).substr(0, kMessagesPrefix.size()), kMessagesPrefix);
  EXPECT_EQ(body.substr(kMessagesPrefix.size(), 3), "\x02hi");
}

TEST(TypedStream, DecodesHandWrittenMessagesBytes) {
  // Written byte by byte, independent of the fixture encoder: prefix, length 5, text, end.
  std::string bytes(kMessagesPrefix);
  bytes += "\x05hello\x86\x86";
  auto text = attributed_string_text(bytes);
  ASSERT_TRUE(text) << text.error().message;
  EXPECT_EQ(*text, "hello");
}

TEST(TypedStream, DecodesEveryShape) {
  const std::string utf8 = "Caf\xc3\xa9 \xf0\x9f\x93\xa6 https://parcel.example/x";
  for (bool ma : {false, true}) {
    for (bool ms : {false, true}) {
      for (bool be : {false, true}) {
        for (bool attrs : {false, true}) {
          AttributedBodyOptions o;
          o.mutable_attributed = ma;
          o.mutable_string = ms;
          o.big_endian = be;
          o.attributes = attrs;
          auto text = attributed_string_text(make_attributed_body(utf8, o));
          ASSERT_TRUE(text) << text.error().message << " ma=" << ma << " ms=" << ms
                            << " be=" << be << " attrs=" << attrs;
          EXPECT_EQ(*text, utf8);
        }
      }
    }
  }
  auto empty = attributed_string_text(make_attributed_body(""));
  ASSERT_TRUE(empty);
  EXPECT_EQ(*empty, "");
}

TEST(TypedStream, MultiByteLengths) {
  // 127 fits one byte; 128..32767 use 0x81 + 2 bytes; larger use 0x82 + 4 bytes.
  for (std::size_t n : {127U, 128U, 200U, 32767U, 32768U, 70000U}) {
    const std::string s(n, 'a');
    const std::string body = make_attributed_body(s);
    const auto marker = static_cast<std::uint8_t>(body[kMessagesPrefix.size()]);
    const std::size_t expected = n < 128 ? n : (n <= 32767 ? 0x81 : 0x82);
    EXPECT_EQ(marker, expected) << n;
    auto text = attributed_string_text(body);
    ASSERT_TRUE(text) << n << ": " << text.error().message;
    EXPECT_EQ(text->size(), n);
  }
  // A 2-byte length above 32767 (as unsigned) is read as a length, not a negative number.
  std::string bytes(kMessagesPrefix);
  bytes += "\x81\x40\x9c";  // 40000
  bytes += std::string(40000, 'b');
  auto text = attributed_string_text(bytes);
  ASSERT_TRUE(text) << text.error().message;
  EXPECT_EQ(text->size(), 40000U);
  // A single head byte 0x92..0xff is a literal unsigned length too.
  std::string wide(kMessagesPrefix);
  wide += "\xc8";
  wide += std::string(200, 'c');
  auto w = attributed_string_text(wide);
  ASSERT_TRUE(w) << w.error().message;
  EXPECT_EQ(w->size(), 200U);
}

TEST(TypedStream, EveryTruncationFailsCleanly) {
  const std::string body = make_attributed_body("https://evil.example/abc", {});
  const std::size_t text_end = kMessagesPrefix.size() + 1 + 24;
  for (std::size_t n = 0; n < text_end; ++n) {
    auto text = attributed_string_text(std::string_view(body).substr(0, n));
    ASSERT_FALSE(text) << "prefix of " << n << " bytes decoded";
    EXPECT_EQ(text.error().code, ErrorCode::kMalformed) << n;
  }
  // Once the text is complete the rest (attributes) is not needed.
  EXPECT_TRUE(attributed_string_text(std::string_view(body).substr(0, text_end)));
}

TEST(TypedStream, OversizedLengthsAreRefusedWithoutAllocating) {
  for (std::string_view length : {std::string_view("\x82\xff\xff\xff\x7f", 5),
                                  std::string_view("\x82\xff\xff\xff\xff", 5),
                                  std::string_view("\x81\xff\xff", 3), std::string_view("\x7f")}) {
    std::string bytes(kMessagesPrefix);
    bytes += length;
    bytes += "short";
    auto text = attributed_string_text(bytes);
    ASSERT_FALSE(text);
    EXPECT_EQ(text.error().code, ErrorCode::kMalformed);
    EXPECT_NE(text.error().message.find("truncated"), std::string::npos) << text.error().message;
  }
  // The whole archive is bounded too.
  std::string huge(kMaxInputBytes + 1, '\0');
  auto text = attributed_string_text(huge);
  ASSERT_FALSE(text);
  EXPECT_EQ(text.error().code, ErrorCode::kLimitExceeded);
}

TEST(TypedStream, MalformedInputs) {
  auto fails = [](std::string_view bytes, ErrorCode code, std::string_view needle) {
    auto text = attributed_string_text(bytes);
    ASSERT_FALSE(text) << "decoded: " << *text;
    EXPECT_EQ(text.error().code, code) << text.error().message;
    EXPECT_NE(text.error().message.find(needle), std::string::npos) << text.error().message;
  };
  fails("", ErrorCode::kMalformed, "truncated");
  fails("bplist00", ErrorCode::kMalformed, "streamer version");
  fails(std::string_view("\x04\x0bstreamtypex\x81\xe8\x03", 16), ErrorCode::kMalformed,
        "signature");
  fails(std::string_view("\x04\x0astreamtype", 13), ErrorCode::kMalformed, "signature length");
  {
    // A root object of another class.
    TypedStreamWriter w;
    w.header().new_string("@").byte(0x84).byte(0x84).new_string("NSArray").integer(0);
    w.byte(0x85);
    fails(w.bytes(), ErrorCode::kUnsupported, "NSArray");
  }
  {
    // Type encoding not "@" at the root.
    TypedStreamWriter w;
    w.header().new_string("i").integer(5);
    fails(w.bytes(), ErrorCode::kMalformed, "not an object");
  }
  {
    // Back-reference beyond the shared-string table.
    TypedStreamWriter w;
    w.header().reference(3);
    fails(w.bytes(), ErrorCode::kMalformed, "reference to shared string #3");
  }
  {
    // A nil string object inside the attributed string.
    TypedStreamWriter w;
    w.header().new_string("@").byte(0x84).byte(0x84).new_string("NSAttributedString").integer(0);
    w.byte(0x85).reference(0).byte(0x85);
    fails(w.bytes(), ErrorCode::kMalformed, "is nil");
  }
  {
    // The text object is not a string.
    TypedStreamWriter w;
    w.header().new_string("@").byte(0x84).byte(0x84).new_string("NSAttributedString").integer(0);
    w.byte(0x85).reference(0).byte(0x84).byte(0x84).new_string("NSData").integer(0).byte(0x85);
    fails(w.bytes(), ErrorCode::kMalformed, "not an NSString");
  }
  {
    // A superclass chain that refers to itself must not loop.
    TypedStreamWriter w;
    w.header().new_string("@").byte(0x84).byte(0x84).new_string("NSThing").integer(0);
    w.reference(1);  // object #1 is NSThing itself
    fails(w.bytes(), ErrorCode::kMalformed, "class chain too long");
  }
  {
    // A class reference pointing at an object, not a class.
    TypedStreamWriter w;
    w.header().new_string("@").byte(0x84).reference(0);
    fails(w.bytes(), ErrorCode::kMalformed, "class reference to an object");
  }
  {
    // A tag where an integer belongs.
    std::string bytes(kMessagesPrefix);
    bytes += "\x86";
    fails(bytes, ErrorCode::kMalformed, "tag 0x86");
  }
}

TEST(TypedStream, SharedStringsAndClassesByReference) {
  // A class chain that ends in a reference to an earlier class still names NSString: the
  // NSString class is first archived as the root's own (bogus but valid) superclass.
  TypedStreamWriter w;
  w.header().new_string("@");
  w.byte(0x84);                                                // root object (#0)
  w.byte(0x84).new_string("NSMutableAttributedString").integer(0);  // #1
  w.byte(0x84).new_string("NSAttributedString").integer(0);         // #2
  w.byte(0x84).new_string("NSString").integer(1);                   // #3
  w.byte(0x85);
  w.reference(0).byte(0x84);          // the text object (#4)
  w.byte(0x84).new_string("NSTaggedString").integer(0);  // #5, super = #3 by reference
  w.reference(3);
  w.new_string("+").integer(3).raw("abc").byte(0x86);
  auto text = attributed_string_text(w.bytes());
  ASSERT_TRUE(text) << text.error().message;
  EXPECT_EQ(*text, "abc");
}

}  // namespace
}  // namespace spyglass::formats::typedstream
