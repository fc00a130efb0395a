#include "formats/plist/mbfile.hpp"

#include <gtest/gtest.h>

#include "formats/plist/keyed_archive.hpp"
#include "formats/plist/writer.hpp"
#include "support/ios_mbfile_builder.hpp"

namespace spyglass::formats::plist {
namespace {

TEST(MbFileTest, DecodesFileWithEncryptionKey) {
  testing::MbFileSpec spec;
  spec.relative_path = "Media/PhotoData/momentanalysis";
  spec.size = 1234;
  spec.encryption_key = std::string("\x03\x00\x00\x00", 4) + std::string(40, '\x5A');
  const std::string blob = testing::build_mbfile_blob(spec);

  // The object graph is the one real backups carry.
  auto archive = KeyedArchive::parse(blob);
  ASSERT_TRUE(archive) << archive.error().message;
  EXPECT_EQ(*archive->objects()[0].as_string(), "$null");
  EXPECT_EQ(*archive->objects()[2].as_string(), spec.relative_path);
  EXPECT_EQ(*archive->objects()[5].get("$classname")->as_string(), "MBFile");

  auto f = decode_mbfile(blob);
  ASSERT_TRUE(f) << f.error().message;
  EXPECT_EQ(f->relative_path, spec.relative_path);
  EXPECT_EQ(f->size, 1234);
  EXPECT_EQ(f->mode, 0100644);
  EXPECT_EQ(f->birth, 1610659523);
  EXPECT_EQ(f->user_id, 501);
  EXPECT_EQ(f->inode_number, 55569);
  EXPECT_EQ(f->protection_class, 3);
  ASSERT_TRUE(f->encryption_key.has_value());
  EXPECT_EQ(f->encryption_key->size(), 44u);
  EXPECT_EQ((*f->encryption_key)[0], 3);
  EXPECT_FALSE(f->target.has_value());
}

TEST(MbFileTest, DirectoryAndSymlink) {
  testing::MbFileSpec dir;
  dir.relative_path = "Library";
  dir.mode = 040755;
  dir.protection_class = 0;
  auto d = decode_mbfile(testing::build_mbfile_blob(dir));
  ASSERT_TRUE(d) << d.error().message;
  EXPECT_EQ(d->mode, 040755);
  EXPECT_FALSE(d->encryption_key.has_value());

  testing::MbFileSpec link;
  link.relative_path = "Library/link";
  link.mode = 0120755;
  link.target = "/private/var/mobile";
  auto l = decode_mbfile(testing::build_mbfile_blob(link));
  ASSERT_TRUE(l) << l.error().message;
  EXPECT_EQ(l->target, "/private/var/mobile");
}

TEST(MbFileTest, RejectsWrongShapes) {
  EXPECT_FALSE(decode_mbfile(""));
  EXPECT_FALSE(decode_mbfile("not a plist"));
  // A plain plist that is not an archive.
  Dict d;
  d.set("Size", 3);
  EXPECT_FALSE(decode_mbfile(*write_binary(Value(d))));
  // Size with the wrong type.
  Dict mb;
  mb.set("Size", "big");
  Dict top;
  top.set("root", Uid{1});
  Dict a;
  a.set("$archiver", "NSKeyedArchiver");
  a.set("$top", std::move(top));
  a.set("$objects", Array{"$null", Value(std::move(mb))});
  auto r = decode_mbfile(*write_binary(Value(a)));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kMalformed);
}

}  // namespace
}  // namespace spyglass::formats::plist
