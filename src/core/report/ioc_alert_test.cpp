#include "core/report/ioc_alert.hpp"

#include <gtest/gtest.h>

#include "formats/json/json_writer.hpp"

namespace spyglass::report {
namespace {

using indicators::Collection;
using indicators::Indicator;
using indicators::IndicatorSet;
using indicators::IocType;
using indicators::SourceFile;

constexpr UnixMicros k2021 = 1609459200LL * 1000000;  // 2021-01-01T00:00:00Z
constexpr UnixMicros k2022 = 1640995200LL * 1000000;  // 2022-01-01T00:00:00Z
constexpr UnixMicros k2023 = 1672531200LL * 1000000;  // 2023-01-01T00:00:00Z

IndicatorSet make_set() {
  std::vector<SourceFile> files(2);
  files[0].path = "/iocs/pegasus.stix2";
  files[0].display_name = "pegasus.stix2";
  files[1].path = "/iocs/other.stix2";
  files[1].display_name = "other.stix2";
  std::vector<Collection> cols(2);
  cols[0] = {"malware--1", "malware", "Pegasus", "", 0};
  cols[1] = {"report--2", "report", "Forbidden Stories", "", 1};
  std::vector<Indicator> inds(2);
  inds[0].stix_id = "indicator--a";
  inds[0].type = IocType::kDomain;
  inds[0].value = "evil.com";
  inds[0].pattern = "[domain-name:value = 'evil.com']";
  inds[0].file = 0;
  inds[0].collections = {0};
  inds[0].valid_from = k2022;
  inds[0].valid_until = k2023;
  inds[1].stix_id = "indicator--b";
  inds[1].type = IocType::kDomain;
  inds[1].value = "evil.com";
  inds[1].pattern = "[domain-name:value = 'evil.com']";
  inds[1].file = 1;
  inds[1].collections = {1};
  inds[1].valid_from = k2021;
  inds[1].valid_until = k2022;
  return IndicatorSet(std::move(files), std::move(cols), std::move(inds), {});
}

matching::Match make_match(const IndicatorSet& set) {
  matching::Match m;
  m.type = IocType::kDomain;
  m.kind = matching::MatchKind::kSubdomain;
  m.observed = "x.evil.com";
  m.matched = "evil.com";
  for (const Indicator& i : set.indicators()) m.indicators.push_back(&i);
  return m;
}

TEST(IocAlert, MvtKeysFirstThenAttribution) {
  const IndicatorSet set = make_set();
  const IocAlertParts parts = describe_ioc_match(
      make_match(set), set, {"SMS", "https://x.evil.com/a", "text", std::nullopt});
  const json::Object& mi = parts.matched_indicator.as_object();
  std::vector<std::string> keys;
  for (const json::Member& m : mi) keys.push_back(m.key);
  EXPECT_EQ(keys, (std::vector<std::string>{"value", "type", "name", "stix2_file_name", "id",
                                            "pattern", "match", "observed", "field",
                                            "collections", "valid_from", "valid_until",
                                            "outside_validity"}));
  EXPECT_EQ(parts.matched_indicator.find("type")->as_string(), "domains");
  EXPECT_EQ(parts.matched_indicator.find("name")->as_string(), "Pegasus, Forbidden Stories");
  EXPECT_EQ(parts.matched_indicator.find("collections")->size(), 2u);
  EXPECT_EQ(parts.matched_indicator.find("match")->as_string(), "subdomain");
  EXPECT_FALSE(parts.outside_validity);
  EXPECT_EQ(parts.message,
            "Found a known indicator (domain \"evil.com\" via subdomain \"x.evil.com\", "
            "collections \"Pegasus\", \"Forbidden Stories\") in SMS: https://x.evil.com/a");
}

TEST(IocAlert, PrimaryIsFirstIndicatorValidAtEventTime) {
  const IndicatorSet set = make_set();
  // Mid-2021: only indicator--b (file other.stix2) is valid.
  const UnixMicros t = k2021 + (k2022 - k2021) / 2;
  const IocAlertParts parts =
      describe_ioc_match(make_match(set), set, {"SMS", "x.evil.com", "text", t});
  EXPECT_EQ(parts.matched_indicator.find("id")->as_string(), "indicator--b");
  EXPECT_EQ(parts.matched_indicator.find("stix2_file_name")->as_string(), "other.stix2");
  EXPECT_EQ(parts.matched_indicator.find("valid_from")->as_string(), "2021-01-01T00:00:00Z");
  EXPECT_FALSE(parts.outside_validity);
}

TEST(IocAlert, OutsideEveryWindowIsStillReportedAndSaysSo) {
  const IndicatorSet set = make_set();
  const UnixMicros t = k2021 - 1000000;  // before both windows
  const IocAlertParts parts =
      describe_ioc_match(make_match(set), set, {"SMS", "x.evil.com", "text", t});
  EXPECT_TRUE(parts.outside_validity);
  EXPECT_EQ(parts.matched_indicator.find("id")->as_string(), "indicator--a");
  EXPECT_TRUE(parts.matched_indicator.find("outside_validity")->as_bool());
  EXPECT_EQ(parts.matched_indicator.find("valid_until")->as_string(), "2023-01-01T00:00:00Z");
  EXPECT_NE(parts.message.find(
                "outside the indicator's validity: 2022-01-01T00:00:00Z to 2023-01-01T00:00:00Z"),
            std::string::npos);
}

TEST(IocAlert, OpenWindowIsAPublicationDateNotAValidity) {
  // Public feeds set valid_from alone (the day the file was generated): evidence older than
  // that is not "outside" anything.
  std::vector<SourceFile> files(1);
  files[0].display_name = "feed.stix2";
  std::vector<Collection> cols(1);
  cols[0] = {"malware--1", "malware", "Pegasus", "", 0};
  std::vector<Indicator> inds(1);
  inds[0].stix_id = "indicator--open";
  inds[0].type = IocType::kDomain;
  inds[0].value = "evil.com";
  inds[0].collections = {0};
  inds[0].valid_from = k2022;
  const IndicatorSet set(std::move(files), std::move(cols), std::move(inds), {});
  const IocAlertParts parts =
      describe_ioc_match(make_match(set), set, {"SMS", "x.evil.com", "text", k2021});
  EXPECT_FALSE(parts.outside_validity);
  EXPECT_FALSE(parts.matched_indicator.find("outside_validity")->as_bool());
  EXPECT_EQ(parts.message.find("validity"), std::string::npos);
}

TEST(IocAlert, EvidenceInMessageIsOneLineAndBounded) {
  const IndicatorSet set = make_set();
  matching::Match m = make_match(set);
  m.kind = matching::MatchKind::kExact;
  const std::string evil = "evil.com\n" + std::string(1000, 'a');
  const IocAlertParts parts = describe_ioc_match(m, set, {"SMS", evil, "text", std::nullopt});
  EXPECT_EQ(parts.message.find('\n'), std::string::npos);
  EXPECT_LT(parts.message.size(), 500u);
  EXPECT_EQ(parts.message.find("via"), std::string::npos);
}

}  // namespace
}  // namespace spyglass::report
