#include "support/time.hpp"

#include <gtest/gtest.h>

#include <cmath>

namespace spyglass {
namespace {

TEST(Time, FormatsMvtAndIso) {
  // 2019-04-29 10:15:30.000250 UTC
  const UnixMicros t = 1556532930000250;
  EXPECT_EQ(format_mvt_time(t), "2019-04-29 10:15:30.000250");
  EXPECT_EQ(format_iso_time(t), "2019-04-29T10:15:30.000250Z");
  EXPECT_EQ(format_iso_time(1556532930000000), "2019-04-29T10:15:30Z");
  EXPECT_EQ(format_mvt_time(0), "1970-01-01 00:00:00.000000");
  EXPECT_EQ(format_mvt_time(-1), "1969-12-31 23:59:59.999999");
}

TEST(Time, ParsesStixTimestamps) {
  EXPECT_EQ(parse_iso_time("2019-04-29T10:15:30Z"), 1556532930000000);
  EXPECT_EQ(parse_iso_time("2019-04-29T10:15:30.25Z"), 1556532930250000);
  EXPECT_EQ(parse_iso_time("2019-04-29T12:15:30+02:00"), 1556532930000000);
  EXPECT_EQ(parse_iso_time("2019-04-29"), 1556496000000000);
  EXPECT_FALSE(parse_iso_time("2019-13-29T10:15:30Z"));
  EXPECT_FALSE(parse_iso_time("yesterday"));
  EXPECT_FALSE(parse_iso_time("2019-04-29T10:15:30Zjunk"));
  EXPECT_FALSE(parse_iso_time(""));
}

TEST(Time, ConvertsMacAbsoluteTime) {
  EXPECT_EQ(from_mac_absolute(0.0), 978307200000000);
  EXPECT_EQ(format_mvt_time(from_mac_absolute(578000000.5)), "2019-04-26 19:33:20.500000");
}

TEST(Time, HostileSecondsAreClampedNotUndefined) {
  // Plist dates from evidence can be any double; the conversion must stay defined.
  EXPECT_EQ(from_unix_seconds(1e300), from_unix_seconds(253402300799.0));
  EXPECT_EQ(from_unix_seconds(-1e300), from_unix_seconds(-253402300799.0));
  EXPECT_EQ(from_unix_seconds(std::nan("")), 0);
  EXPECT_EQ(from_unix_seconds(1.5), 1'500'000);
}

}  // namespace
}  // namespace spyglass
