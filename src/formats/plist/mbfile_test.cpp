#include "formats/plist/mbfile.hpp"

#include <random>

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

// The fast path must read the real shape itself (or it is dead weight) and agree with the
// generic path on every blob it accepts, however damaged.
TEST(MbFileTest, FastPathReadsRealBlobsAndAgreesWithTheGenericPath) {
  std::vector<std::string> blobs;
  testing::MbFileSpec file;
  file.relative_path = "Library/SMS/sms.db";
  file.size = 987654321;
  file.encryption_key = std::string("\x03\x00\x00\x00", 4) + std::string(40, '\x11');
  blobs.push_back(testing::build_mbfile_blob(file));
  testing::MbFileSpec dir;
  dir.relative_path = "Library";
  dir.mode = 040755;
  blobs.push_back(testing::build_mbfile_blob(dir));
  testing::MbFileSpec link;
  link.relative_path = "Library/link";
  link.mode = 0120755;
  link.target = "/private/var/mobile";
  link.birth = -5;
  link.last_modified = INT64_MAX;
  blobs.push_back(testing::build_mbfile_blob(link));
  testing::MbFileSpec long_path;
  long_path.relative_path = std::string(300, 'p');
  blobs.push_back(testing::build_mbfile_blob(long_path));
  for (const std::string& blob : blobs) {
    auto fast = detail::decode_mbfile_fast(blob);
    ASSERT_TRUE(fast.has_value());
    auto generic = detail::decode_mbfile_generic(blob);
    ASSERT_TRUE(generic) << generic.error().message;
    EXPECT_EQ(*fast, *generic);
  }
  // A non-ASCII path is archived as UTF-16: the fast path declines, the result is the same.
  testing::MbFileSpec accented;
  accented.relative_path = "Media/DCIM/caf\xC3\xA9.jpg";
  const std::string utf16 = testing::build_mbfile_blob(accented);
  auto decoded = decode_mbfile(utf16);
  ASSERT_TRUE(decoded) << decoded.error().message;
  EXPECT_EQ(decoded->relative_path, accented.relative_path);

  std::mt19937 rng(99);
  int accepted = 0;
  int rejected = 0;
  for (int i = 0; i < 40000; ++i) {
    std::string b = blobs[rng() % blobs.size()];
    const int edits = 1 + static_cast<int>(rng() % 3);
    for (int e = 0; e < edits; ++e) {
      const std::size_t at = rng() % b.size();
      switch (rng() % 4) {
        case 0: b[at] = static_cast<char>(rng()); break;
        case 1: b[at] = static_cast<char>(b[at] ^ (1 << (rng() % 8))); break;
        case 2: b.resize(at); break;
        default: b.insert(at, 1, static_cast<char>(rng())); break;
      }
      if (b.empty()) b = "x";
    }
    auto fast = detail::decode_mbfile_fast(b);
    auto generic = detail::decode_mbfile_generic(b);
    if (!fast) {
      ++rejected;
      continue;
    }
    ++accepted;
    ASSERT_TRUE(generic) << "fast path accepted a blob the generic path rejects: "
                         << generic.error().message;
    ASSERT_EQ(*fast, *generic) << "mutation " << i;
    auto full = decode_mbfile(b);
    ASSERT_TRUE(full);
    EXPECT_EQ(*full, *generic);
  }
  EXPECT_GT(accepted, 1000);  // mutated blobs that still parse went through the comparison
  EXPECT_GT(rejected, 1000);
}

}  // namespace
}  // namespace spyglass::formats::plist
