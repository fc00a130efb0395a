#include "core/indicators/stats.hpp"

#include <gtest/gtest.h>

namespace spyglass::indicators {
namespace {

Indicator make(IocType type, std::string value, std::uint32_t file,
               std::vector<std::uint32_t> collections) {
  Indicator i;
  i.type = type;
  i.value = std::move(value);
  i.file = file;
  i.collections = std::move(collections);
  return i;
}

TEST(IocStats, CountsUniqueTypedValues) {
  std::vector<SourceFile> files(2);
  files[0].display_name = "a.stix2";
  files[0].sha256 = "aa";
  files[1].display_name = "b.stix2";
  files[1].sha256 = "bb";
  std::vector<Collection> collections = {
      {"malware--1", "malware", "Pegasus", "", 0},
      {"malware--2", "malware", "Predator", "", 0},
      {"malware--3", "malware", "Pegasus", "", 1},  // same name in another file: merged
  };
  std::vector<Indicator> indicators = {
      make(IocType::kDomain, "x.com", 0, {0}),
      make(IocType::kDomain, "x.com", 0, {1}),      // duplicate across collections
      make(IocType::kIp, "1.2.3.4", 0, {0}),        // e.g. an IP a feed typed as domain
      make(IocType::kHashSha256, "x.com", 0, {0}),  // same text, other type: distinct
      make(IocType::kDomain, "x.com", 1, {2}),      // duplicate across files
      make(IocType::kDomain, "y.com", 1, {2}),
  };
  const IocStats stats = compute_stats(IndicatorSet(files, collections, indicators, {}));
  EXPECT_EQ(stats.total, 4U);
  EXPECT_EQ(stats.by_type, (TypeCounts{{"domain", 2}, {"ip", 1}, {"hash-sha256", 1}}));

  ASSERT_EQ(stats.by_collection.size(), 2U);
  EXPECT_EQ(stats.by_collection[0].name, "Pegasus");
  EXPECT_EQ(stats.by_collection[0].count, 4U);  // x.com, 1.2.3.4, hash, y.com
  EXPECT_EQ(stats.by_collection[0].files, (std::vector<std::string>{"a.stix2", "b.stix2"}));
  EXPECT_EQ(stats.by_collection[1].name, "Predator");
  EXPECT_EQ(stats.by_collection[1].count, 1U);

  ASSERT_EQ(stats.by_file.size(), 2U);
  EXPECT_EQ(stats.by_file[0].display_name, "a.stix2");
  EXPECT_EQ(stats.by_file[0].sha256, "aa");
  EXPECT_EQ(stats.by_file[0].count, 3U);
  EXPECT_EQ(stats.by_file[0].by_type, (TypeCounts{{"domain", 1}, {"ip", 1}, {"hash-sha256", 1}}));
  EXPECT_EQ(stats.by_file[1].count, 2U);
  EXPECT_EQ(stats.by_file[1].by_type, (TypeCounts{{"domain", 2}}));
}

TEST(IocStats, EmptySet) {
  const IocStats stats = compute_stats(IndicatorSet());
  EXPECT_EQ(stats.total, 0U);
  EXPECT_TRUE(stats.by_type.empty());
  EXPECT_TRUE(stats.by_collection.empty());
  EXPECT_TRUE(stats.by_file.empty());
}

}  // namespace
}  // namespace spyglass::indicators
