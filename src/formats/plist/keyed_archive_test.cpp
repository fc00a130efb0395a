#include <gtest/gtest.h>

#include "formats/plist/keyed_archive.hpp"
#include "formats/plist/writer.hpp"

namespace spyglass::formats::plist {
namespace {

Value archive_of(Array objects, std::uint64_t root = 1) {
  Dict top;
  top.set("root", Uid{root});
  Dict a;
  a.set("$version", 100000);
  a.set("$archiver", "NSKeyedArchiver");
  a.set("$top", std::move(top));
  a.set("$objects", std::move(objects));
  return Value(std::move(a));
}

Value class_dict(const char* name) {
  Dict d;
  d.set("$classname", name);
  d.set("$classes", Array{name, "NSObject"});
  return Value(std::move(d));
}

TEST(KeyedArchiveTest, DecodesFoundationCollections) {
  Dict arr;
  arr.set("NS.objects", Array{Uid{3}, Uid{4}});
  arr.set("$class", Uid{5});
  Dict dict;
  dict.set("NS.keys", Array{Uid{6}});
  dict.set("NS.objects", Array{Uid{0}});
  dict.set("$class", Uid{7});
  auto a = KeyedArchive::from_value(archive_of(
      {"$null", Value(std::move(dict)), Value(std::move(arr)), "first", "second",
       class_dict("NSArray"), "list", class_dict("NSDictionary")}));
  ASSERT_TRUE(a) << a.error().message;
  // Root dict maps "list" -> $null; swap in the array to check nested decoding.
  auto decoded = a->decode(Value(Uid{2}));
  ASSERT_TRUE(decoded) << decoded.error().message;
  EXPECT_EQ(*decoded, Value(Array{"first", "second"}));
  auto root = a->decode_root();
  ASSERT_TRUE(root) << root.error().message;
  ASSERT_NE(root->get("list"), nullptr);
  EXPECT_TRUE(root->get("list")->is_null());
}

TEST(KeyedArchiveTest, RejectsWrongArchiverAndBadRoot) {
  Value v = archive_of({"$null", "x"});
  v.as_dict()->set("$archiver", "NSArchiver");
  EXPECT_FALSE(KeyedArchive::from_value(v));
  EXPECT_FALSE(KeyedArchive::from_value(archive_of({"$null"}, 5)));
  EXPECT_FALSE(KeyedArchive::from_value(archive_of({})));
  EXPECT_FALSE(KeyedArchive::from_value(Value(Array{})));
}

TEST(KeyedArchiveTest, RejectsCyclesAndOutOfRangeUids) {
  Dict self;
  self.set("me", Uid{1});
  auto a = KeyedArchive::from_value(archive_of({"$null", Value(std::move(self))}));
  ASSERT_TRUE(a);
  auto r = a->decode(Value(Uid{1}));
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("cycle"), std::string::npos);

  Dict dangling;
  dangling.set("x", Uid{99});
  auto b = KeyedArchive::from_value(archive_of({"$null", Value(std::move(dangling))}));
  ASSERT_TRUE(b);
  EXPECT_FALSE(b->decode_root());
  EXPECT_FALSE(b->member(b->root(), "x"));
}

TEST(KeyedArchiveTest, RejectsDeepChains) {
  Array objects{"$null"};
  for (std::uint64_t i = 1; i < 400; ++i) {
    Dict d;
    d.set("next", Uid{i + 1});
    objects.emplace_back(std::move(d));
  }
  objects.emplace_back("end");
  auto a = KeyedArchive::from_value(archive_of(std::move(objects)));
  ASSERT_TRUE(a);
  auto r = a->decode_root();
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kLimitExceeded);
}

}  // namespace
}  // namespace spyglass::formats::plist
