#include "artifacts/ios/id_status_cache/id_status_cache.hpp"

#include <gtest/gtest.h>

#include "artifacts/ios/ios_test_support.hpp"
#include "formats/json/json_writer.hpp"
#include "formats/plist/value.hpp"
#include "support/ios_backup_builder.hpp"
#include "support/ios_fixtures_id_status_cache.hpp"
#include "support/ios_fixtures_module_run.hpp"
#include "support/ios_fixtures_preferences.hpp"
#include "support/temp_dir.hpp"

namespace spyglass::artifacts::ios {
namespace {

namespace fs = std::filesystem;
namespace st = spyglass::testing;
namespace plist = formats::plist;
using matching::ObservableKind;
using spyglass::testing::CollectingSink;
using spyglass::testing::IdStatusLookup;
using spyglass::testing::TempDir;

constexpr double kMacT0 = 1626249600.0 - 978307200.0;  // 2021-07-14 08:00:00 UTC
constexpr const char* kRelPath =
    "Library/Preferences/com.apple.identityservices.idstatuscache.plist";
const std::string kNulUser("tel:+41790000000\0\0", 18);

struct Parsed {
  Result<void> result;
  CollectingSink sink;
};

Parsed parse(const std::string& bytes) {
  Parsed out;
  IosFile f;
  f.domain = "HomeDomain";
  f.relative_path = kRelPath;
  f.file_id = "6b97989189901ceaa4e5be9b7f05fb584120e27b";
  f.evidence_path = "6b/" + f.file_id;
  out.result = read_id_status_cache(bytes, f, out.sink);
  return out;
}

std::vector<IdStatusLookup> lookups() {
  return {{"com.apple.madrid", "mailto:friend@example.org", kMacT0, 1},
          {"com.apple.madrid", "tel:+41791234567", kMacT0 + 60, 2},
          {"com.apple.ess", "mailto:friend@example.org", kMacT0 + 120, 1}};
}

TEST(IdStatusCache, EntriesFieldsTimelineAndOccurrences) {
  EXPECT_EQ(st::IosBackupBuilder::file_id("HomeDomain", kRelPath),
            "6b97989189901ceaa4e5be9b7f05fb584120e27b");
  auto p = parse(st::id_status_cache_plist(lookups()));
  ASSERT_TRUE(p.result) << p.result.error().message;
  ASSERT_EQ(p.sink.records.size(), 3U);
  const scan::Record& mail = p.sink.records[0];
  EXPECT_EQ(json::to_json_line(mail.data),
            "{\"package\": \"com.apple.madrid\", \"user\": \"mailto:friend@example.org\", "
            "\"isodate\": \"2021-07-14 08:00:00.000000\", \"idstatus\": 1, \"occurrences\": 2, "
            "\"handle_type\": \"email\", \"handle\": \"friend@example.org\"}");
  ASSERT_EQ(mail.timeline.size(), 1U);
  EXPECT_EQ(mail.timeline[0].event, "lookup");
  EXPECT_EQ(mail.timeline[0].description,
            "Lookup of mailto:friend@example.org within com.apple.madrid (Status 1)");
  EXPECT_EQ(st::observed(mail, ObservableKind::kEmail),
            (std::vector<std::string>{"friend@example.org"}));
  EXPECT_EQ(mail.observables[0].level, report::AlertLevel::kCritical);
  EXPECT_TRUE(st::findings(p.sink).empty());

  const scan::Record& phone = p.sink.records[1];
  EXPECT_EQ(st::data_text(phone, "handle_type"), "phone");
  EXPECT_EQ(st::data_text(phone, "handle"), "+41791234567");
  EXPECT_EQ(phone.data.find("occurrences")->as_int(), 1);
  EXPECT_TRUE(phone.observables.empty());
  EXPECT_EQ(phone.timeline[0].description,
            "Lookup of tel:+41791234567 within com.apple.madrid (Status 2)");
  EXPECT_EQ(st::data_text(p.sink.records[2], "package"), "com.apple.ess");
  EXPECT_EQ(p.sink.records[2].data.find("occurrences")->as_int(), 2);
}

TEST(IdStatusCache, TwoNulBytesInAUserAreHighWithoutIndicators) {
  auto all = lookups();
  all.push_back({"com.apple.madrid", kNulUser, kMacT0 + 5, 1});
  all.push_back({"com.apple.madrid", std::string("tel:+1\0x", 8), kMacT0 + 6, 1});  // one NUL
  auto p = parse(st::id_status_cache_plist(all));
  ASSERT_TRUE(p.result) << p.result.error().message;
  ASSERT_EQ(p.sink.records.size(), 5U);
  EXPECT_EQ(st::data_text(p.sink.records[2], "user"), "tel:+41790000000\\x00\\x00");
  EXPECT_EQ(st::data_text(p.sink.records[3], "user"), "tel:+1\\x00x");
  EXPECT_EQ(st::findings(p.sink),
            (std::vector<std::string>{"HIGH: Found an ID Status Cache entry with suspicious "
                                      "patterns: tel:+41790000000\\x00\\x00"}));

  // Through the real runner, with no indicator loaded at all.
  TempDir tmp;
  st::IosBackupBuilder b;
  b.add_file("HomeDomain", kRelPath, st::id_status_cache_plist(all));
  std::vector<std::unique_ptr<scan::Module>> m;
  m.push_back(make_id_status_cache_module());
  auto run = testing::run_ios_scan(std::move(m), b.write(tmp / "backup"), tmp / "out");
  ASSERT_TRUE(run.summary) << run.summary.error().message;
  EXPECT_EQ(run.summary->modules[0].status, scan::ModuleStatus::kOk);
  EXPECT_EQ(run.summary->alerts_high, 1U);
  EXPECT_EQ(run.summary->alerts_critical, 0U);
  const std::string json = st::read_file(tmp / "out" / "id_status_cache.json");
  EXPECT_NE(json.find("\"user\": \"tel:+41790000000\\\\x00\\\\x00\""), std::string::npos) << json;
  const std::string timeline = st::read_file(tmp / "out" / "timeline.csv");
  EXPECT_NE(timeline.find("\"2021-07-14 08:01:00.000000\",\"IDStatusCache\",\"lookup\","
                          "\"Lookup of tel:+41791234567 within com.apple.madrid (Status 2)\""),
            std::string::npos)
      << timeline;
}

TEST(IdStatusCache, EmailIndicatorIsCriticalAndLookalikesAreNot) {
  TempDir tmp;
  st::IosBackupBuilder b;
  auto all = lookups();
  all.push_back({"com.apple.madrid", "mailto:'bergers.o79@example.com'", kMacT0 + 9, 1});
  all.push_back({"com.apple.madrid", "mailto:xbergers.o79@example.com", kMacT0 + 10, 1});
  all.push_back({"com.apple.madrid", "mailto:bergers.o79@example.com.evil", kMacT0 + 11, 1});
  all.push_back({"com.apple.madrid", "tel:bergers.o79@example.com", kMacT0 + 12, 1});
  b.add_file("HomeDomain", kRelPath, st::id_status_cache_plist(all));
  const fs::path stix =
      testing::write_stix(tmp / "i.stix2", {{"email-addr:value", "bergers.o79@example.com"}});
  std::vector<std::unique_ptr<scan::Module>> m;
  m.push_back(make_id_status_cache_module());
  auto run = testing::run_ios_scan(std::move(m), b.write(tmp / "backup"), tmp / "out", stix);
  ASSERT_TRUE(run.summary) << run.summary.error().message;
  EXPECT_EQ(run.summary->modules[0].records, 7U);
  EXPECT_EQ(run.summary->alerts_critical, 1U);
  EXPECT_EQ(run.summary->alerts_high, 0U);
  const std::string detected = st::read_file(tmp / "out" / "id_status_cache_detected.json");
  EXPECT_NE(detected.find("\"user\": \"mailto:'bergers.o79@example.com'\""), std::string::npos)
      << detected;
  EXPECT_NE(detected.find("\"isodate\": \"2021-07-14 08:00:09.000000\""), std::string::npos);
}

TEST(IdStatusCache, OddValuesAndUnknownSchemas) {
  plist::Dict entry;
  entry.set("LookupDate", plist::Date{kMacT0});  // a date rather than a real
  entry.set("IDStatus", "weird");
  plist::Dict partial;
  partial.set("LookupDate", kMacT0);  // no IDStatus: skipped, as MVT
  plist::Dict users;
  users.set("mailto:a@b.example", entry);
  users.set("mailto:c@d.example", partial);
  users.set("not-a-dict", 3);
  plist::Dict root;
  root.set("IDStatusCacheVersion", 2);
  root.set("com.apple.madrid", users);
  auto p = parse(st::binary_plist(plist::Value(root)));
  ASSERT_TRUE(p.result) << p.result.error().message;
  ASSERT_EQ(p.sink.records.size(), 1U);
  EXPECT_EQ(st::data_text(p.sink.records[0], "isodate"), "2021-07-14 08:00:00.000000");
  EXPECT_EQ(st::data_text(p.sink.records[0], "idstatus"), "weird");
  EXPECT_EQ(p.sink.records[0].timeline[0].description,
            "Lookup of mailto:a@b.example within com.apple.madrid (Status weird)");

  // Time 0 and absurd times: no time, no timeline, still a record.
  p = parse(st::id_status_cache_plist(
      {{"s", "mailto:z@z.example", 0, 1}, {"s", "mailto:y@z.example", 1e300, 1}}));
  ASSERT_TRUE(p.result);
  ASSERT_EQ(p.sink.records.size(), 2U);
  for (const auto& r : p.sink.records) {
    EXPECT_FALSE(r.time);
    EXPECT_TRUE(r.timeline.empty());
    EXPECT_TRUE(r.data.find("isodate")->is_null());
  }

  // An empty cache is fine; a layout without any lookup is not.
  EXPECT_TRUE(parse(st::binary_plist(plist::Value(plist::Dict{}))).result);
  p = parse(st::binary_plist(plist::Value(plist::Array{})));
  ASSERT_FALSE(p.result);
  EXPECT_NE(p.result.error().message.find("unknown schema"), std::string::npos);
  plist::Dict renamed_entry;
  renamed_entry.set("Date", kMacT0);
  renamed_entry.set("Status", 1);
  plist::Dict renamed_users;
  renamed_users.set("mailto:a@b.example", renamed_entry);
  plist::Dict renamed;
  renamed.set("com.apple.madrid", renamed_users);
  p = parse(st::binary_plist(plist::Value(renamed)));
  ASSERT_FALSE(p.result);
  EXPECT_NE(p.result.error().message.find("LookupDate and IDStatus"), std::string::npos)
      << p.result.error().message;
  EXPECT_NE(p.result.error().message.find("com.apple.madrid / mailto:a@b.example"),
            std::string::npos)
      << p.result.error().message;

  EXPECT_FALSE(parse("").result);
  const std::string good = st::id_status_cache_plist(lookups());
  for (std::size_t cut = 8; cut < good.size(); cut += 29) {
    EXPECT_FALSE(parse(good.substr(0, cut)).result) << cut;
  }
}

TEST(IdStatusCache, AbsentAndBrokenFiles) {
  TempDir tmp;
  auto m = make_id_status_cache_module();
  EXPECT_EQ(m->spec().slug, "id_status_cache");
  st::IosBackupBuilder none;
  none.add_file("HomeDomain", "Library/SMS/sms.db", "x");
  auto absent = st::run_module_on(*m, none.write(tmp / "none"));
  EXPECT_EQ(absent.status.code, scan::ModuleStatus::kNotPresent) << absent.status.message;

  st::IosBackupBuilder bad;
  const std::string good = st::id_status_cache_plist(lookups());
  bad.add_file("HomeDomain", kRelPath, good.substr(0, good.size() / 2));
  auto failed = st::run_module_on(*m, bad.write(tmp / "bad"));
  EXPECT_EQ(failed.status.code, scan::ModuleStatus::kFailed);
  EXPECT_NE(failed.status.message.find("idstatuscache.plist"), std::string::npos)
      << failed.status.message;
}

}  // namespace
}  // namespace spyglass::artifacts::ios
