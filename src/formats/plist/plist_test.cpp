#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "formats/plist/reader.hpp"
#include "formats/plist/writer.hpp"

namespace spyglass::formats::plist {
namespace {

// Assembles a bplist00 from raw object encodings with 2-byte refs and offsets, so tests can
// express structures libplist's writer would never produce (cycles, bad offsets).
std::string raw_bplist(const std::vector<std::string>& objects, std::uint64_t top = 0,
                       int ref_size = 2) {
  std::string out = "bplist00";
  std::vector<std::size_t> offsets;
  for (const auto& o : objects) {
    offsets.push_back(out.size());
    out += o;
  }
  const std::size_t table = out.size();
  for (std::size_t off : offsets) {
    out.push_back(static_cast<char>(off >> 8));
    out.push_back(static_cast<char>(off & 0xFF));
  }
  std::string trailer(32, '\0');
  trailer[6] = 2;
  trailer[7] = static_cast<char>(ref_size);
  auto put64 = [&trailer](std::size_t at, std::uint64_t v) {
    for (int i = 0; i < 8; ++i) trailer[at + i] = static_cast<char>(v >> (56 - 8 * i));
  };
  put64(8, objects.size());
  put64(16, top);
  put64(24, table);
  return out + trailer;
}

std::string ref(std::uint16_t r) {
  return {static_cast<char>(r >> 8), static_cast<char>(r & 0xFF)};
}

Value sample() {
  Dict d;
  d.set("name", "Library/SMS/sms.db");
  d.set("count", 42);
  d.set("negative", static_cast<std::int64_t>(-7));
  d.set("ratio", 0.25);
  d.set("flag", true);
  d.set("when", Date{631152000.0});
  d.set("blob", Bytes{0, 1, 2, 0xFF});
  d.set("ref", Uid{7});
  d.set("unicode", "caf\xC3\xA9 \xF0\x9F\x98\x80");
  d.set("list", Array{1, "two", Array{}});
  return Value(std::move(d));
}

TEST(PlistTest, BinaryRoundTripKeepsTypesAndKeyOrder) {
  auto bytes = write_binary(sample());
  ASSERT_TRUE(bytes) << bytes.error().message;
  EXPECT_TRUE(looks_binary(*bytes));
  auto back = parse(*bytes);
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(*back, sample());
  EXPECT_EQ(back->as_dict()->entries().front().first, "name");
  EXPECT_EQ(*back->get("negative")->as_int(), -7);
}

TEST(PlistTest, XmlRoundTrip) {
  Value v = sample();
  v.as_dict()->set("ref", 1);  // nor UIDs in XML
  auto xml = write_xml(v);
  ASSERT_TRUE(xml) << xml.error().message;
  EXPECT_NE(xml->find("<plist"), std::string::npos);
  auto back = parse(*xml);
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(*back, v);
}

TEST(PlistTest, SixteenByteIntegersAreUnsigned) {
  // libplist 2.2 writes every integer in 8 bytes, so build the 16-byte form by hand.
  auto v = parse_binary(raw_bplist({std::string("\x14", 1) + std::string(8, '\0') +
                                    std::string(8, '\xFF')}));
  ASSERT_TRUE(v) << v.error().message;
  EXPECT_EQ(v->type(), Type::kUint);
  EXPECT_EQ(v->as_uint(), 0xFFFFFFFFFFFFFFFFull);
  EXPECT_FALSE(v->as_int().has_value());
  auto neg = parse_binary(raw_bplist({std::string("\x13", 1) + std::string(8, '\xFF')}));
  ASSERT_TRUE(neg);
  EXPECT_EQ(neg->as_int(), -1);
}

TEST(PlistTest, Utf16StringsBecomeUtf8) {
  // "é😀" as UTF-16BE: 00E9 D83D DE00, plus a lone surrogate replaced by U+FFFD.
  const std::string s = std::string("\x64\x00\xE9\xD8\x3D\xDE\x00\xD8\x00", 9);
  auto v = parse_binary(raw_bplist({s}));
  ASSERT_TRUE(v) << v.error().message;
  EXPECT_EQ(*v->as_string(), "\xC3\xA9\xF0\x9F\x98\x80\xEF\xBF\xBD");
}

TEST(PlistTest, RejectsGarbageAndTruncation) {
  EXPECT_EQ(parse("").error().code, ErrorCode::kMalformed);
  EXPECT_EQ(parse("hello world").error().code, ErrorCode::kMalformed);
  EXPECT_EQ(parse("bplist15xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx").error().code,
            ErrorCode::kUnsupported);
  auto bytes = write_binary(sample());
  ASSERT_TRUE(bytes);
  for (std::size_t cut : {bytes->size() - 1, bytes->size() / 2, std::size_t{40}}) {
    auto r = parse(bytes->substr(0, cut));
    EXPECT_FALSE(r) << "cut at " << cut;
  }
  EXPECT_FALSE(parse("<?xml version=\"1.0\"?><plist><dict><key>a</key>"));
}

TEST(PlistTest, RejectsOutOfRangeReferencesAndOffsets) {
  // Array whose element points at object 9 of 1.
  EXPECT_EQ(parse_binary(raw_bplist({"\xA1" + ref(9)})).error().code, ErrorCode::kMalformed);
  // String claiming more bytes than exist.
  EXPECT_EQ(parse_binary(raw_bplist({"\x5F\x10\xFF" "abc"})).error().code, ErrorCode::kMalformed);
  // Top object index beyond the object count.
  EXPECT_FALSE(parse_binary(raw_bplist({"\x08"}, 3)));
}

TEST(PlistTest, RejectsCycles) {
  // Object 0: array [1]; object 1: array [0].
  auto r = parse_binary(raw_bplist({"\xA1" + ref(1), "\xA1" + ref(0)}));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kMalformed);
  EXPECT_NE(r.error().message.find("cycle"), std::string::npos);
}

TEST(PlistTest, RejectsDeepNestingThatCrashesLibplist) {
  std::vector<std::string> objects;
  constexpr int kDepth = 5000;
  for (int i = 0; i < kDepth - 1; ++i) objects.push_back("\xA1" + ref(static_cast<std::uint16_t>(i + 1)));
  objects.push_back(std::string("\xA0", 1));
  auto r = parse_binary(raw_bplist(objects));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kLimitExceeded);

  std::string xml = "<plist>";
  for (int i = 0; i < 200000; ++i) xml += "<array>";
  EXPECT_EQ(parse(xml).error().code, ErrorCode::kLimitExceeded);
}

TEST(PlistTest, SharedReferencesCannotExplode) {
  // 30 levels of [x, x] where x is the next level: 2^30 values from a tiny file.
  std::vector<std::string> objects;
  for (int i = 0; i < 30; ++i) {
    const auto next = static_cast<std::uint16_t>(i + 1);
    objects.push_back("\xA2" + ref(next) + ref(next));
  }
  objects.push_back("\x08");
  const Limits limits{.max_input_bytes = 1u << 20, .max_depth = 64, .max_values = 100000};
  auto r = parse_binary(raw_bplist(objects), limits);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kLimitExceeded);
}

TEST(PlistTest, DictKeysMustBeStrings) {
  // dict {1: true}
  auto r = parse_binary(raw_bplist({"\xD1" + ref(1) + ref(2), "\x10\x01", "\x09"}));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kMalformed);
  auto ok = parse_binary(raw_bplist({"\xD1" + ref(1) + ref(2), "\x51k", "\x09"}));
  ASSERT_TRUE(ok) << ok.error().message;
  EXPECT_EQ(ok->get("k")->as_bool(), true);
}

}  // namespace
}  // namespace spyglass::formats::plist
