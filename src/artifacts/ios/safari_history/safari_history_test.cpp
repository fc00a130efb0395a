#include "artifacts/ios/safari_history/safari_history.hpp"

#include <gtest/gtest.h>

#include "formats/json/json_writer.hpp"
#include "support/ios_backup_builder.hpp"
#include "support/ios_fixtures_module_run.hpp"
#include "support/ios_fixtures_safari.hpp"
#include "support/ios_fixtures_sql.hpp"
#include "support/temp_dir.hpp"
#include "support/time.hpp"

namespace spyglass::artifacts::ios {
namespace {

using matching::ObservableKind;
using testing::CollectingSink;
using testing::SafariHistoryItem;
using testing::SafariHistoryVisit;
using testing::TempDir;

// 2021-07-14 08:00:00 UTC as Mac absolute time.
constexpr double kT0 = 1626249600.0 - 978307200.0;

IosFile history_file() {
  IosFile f;
  f.domain = "AppDomain-com.apple.mobilesafari";
  f.relative_path = "Library/Safari/History.db";
  f.file_id = "e74113c185fd8297e140cfcf9c99436c5cc06b57";
  f.evidence_path = "e7/" + f.file_id;
  return f;
}

struct Parsed {
  Result<void> result;
  CollectingSink sink;
};

Parsed parse(const std::string& bytes) {
  TempDir scratch;
  Parsed out;
  auto db = formats::sqlite::Database::open_bytes(bytes, scratch.path());
  if (!db) {
    out.result = tl::unexpected(db.error());
    return out;
  }
  out.result = read_safari_history(*db, history_file(), out.sink);
  return out;
}

Parsed parse_history(const std::vector<SafariHistoryItem>& items,
                     const std::vector<SafariHistoryVisit>& visits) {
  return parse(testing::safari_history_db(items, visits));
}

TEST(SafariHistory, VisitsJoinedWithItemsInVisitTimeOrder) {
  auto p = parse_history({{1, "https://example.org/a", 2}, {2, "https://news.example.com/", 1}},
                         {{11, 1, kT0 + 60.25, "A", std::nullopt, std::nullopt},
                          {10, 2, kT0, std::nullopt, std::nullopt, std::nullopt},
                          {12, 1, kT0 + 120, "A", std::nullopt, std::nullopt}});
  ASSERT_TRUE(p.result) << p.result.error().message;
  ASSERT_EQ(p.sink.records.size(), 3U);
  EXPECT_TRUE(testing::findings(p.sink).empty());
  const scan::Record& first = p.sink.records[0];
  EXPECT_EQ(json::to_json_line(first.data),
            "{\"id\": 2, \"url\": \"https://news.example.com/\", \"visit_id\": 10, "
            "\"timestamp\": 647942400.0, \"isodate\": \"2021-07-14 08:00:00.000000\", "
            "\"redirect_source\": null, \"redirect_destination\": null, "
            "\"safari_history_db\": \"e7/e74113c185fd8297e140cfcf9c99436c5cc06b57\"}");
  EXPECT_EQ(testing::observed(first, ObservableKind::kUrl),
            (std::vector<std::string>{"https://news.example.com/"}));
  EXPECT_EQ(first.observables[0].level, report::AlertLevel::kCritical);
  EXPECT_EQ(first.links, (std::vector<std::string>{"https://news.example.com/"}));
  ASSERT_EQ(first.timeline.size(), 1U);
  EXPECT_EQ(first.timeline[0].event, "safari_history");
  EXPECT_EQ(first.timeline[0].description,
            "Safari visit to https://news.example.com/ (ID: 2, Visit ID: 10)");
  EXPECT_EQ(first.provenance.file, "e7/e74113c185fd8297e140cfcf9c99436c5cc06b57");
  EXPECT_NE(first.provenance.locator.find("history_visits id 10"), std::string::npos);
  ASSERT_TRUE(p.sink.records[1].time);
  EXPECT_EQ(format_mvt_time(*p.sink.records[1].time), "2021-07-14 08:01:00.250000");
  EXPECT_EQ(testing::data_text(p.sink.records[2], "isodate"), "2021-07-14 08:02:00.000000");
}

TEST(SafariHistory, FastHttpRedirectToAnotherHostIsFlaggedOnTheOrigin) {
  auto p = parse_history(
      {{1, "http://news.example.com/story", 1}, {2, "https://free247downloads.example/xyz", 1}},
      {{1, 1, kT0, std::nullopt, std::nullopt, 2},
       {2, 2, kT0 + 0.4, std::nullopt, 1, std::nullopt}});
  ASSERT_TRUE(p.result) << p.result.error().message;
  ASSERT_EQ(p.sink.records.size(), 2U);
  EXPECT_EQ(testing::findings(p.sink),
            (std::vector<std::string>{
                "MEDIUM: Redirect took less than a second (400 milliseconds) from HTTP "
                "news.example.com to free247downloads.example (visit 1 -> 2)"}));
  const scan::Record& origin = p.sink.records[0];
  ASSERT_EQ(origin.heuristics.size(), 1U);
  ASSERT_TRUE(origin.heuristics[0].time);
  EXPECT_EQ(format_mvt_time(*origin.heuristics[0].time), "2021-07-14 08:00:00.000000");
  EXPECT_TRUE(p.sink.records[1].heuristics.empty());
  EXPECT_EQ(testing::data_text(origin, "url"), "http://news.example.com/story");
}

TEST(SafariHistory, RedirectsThatAreNotInjectionsAreNotFlagged) {
  // Each origin is an http:// visit redirected to visit id+100 (or a dangling id).
  std::vector<SafariHistoryItem> items = {
      {1, "http://www.example.org/", 1}, {2, "https://example.org/", 1},
      {3, "https://a.example/", 1},      {4, "https://b.example/", 1},
      {5, "http://c.example/", 1},       {6, "https://d.example/", 1},
      {7, "http://e.example/", 1},       {8, "https://f.example/", 1},
      {9, "http://g.example/", 1},       {10, "https://h.example/", 1},
      {11, "http://i.example/", 1},
  };
  std::vector<SafariHistoryVisit> visits = {
      // www upgrade to https on the same site.
      {1, 1, kT0, std::nullopt, std::nullopt, 101},
      {101, 2, kT0 + 0.1, std::nullopt, 1, std::nullopt},
      // https origin: cannot be injected.
      {2, 3, kT0 + 10, std::nullopt, std::nullopt, 102},
      {102, 4, kT0 + 10.1, std::nullopt, 2, std::nullopt},
      // exactly one second.
      {3, 5, kT0 + 20, std::nullopt, std::nullopt, 103},
      {103, 6, kT0 + 21, std::nullopt, 3, std::nullopt},
      // one day and half a second: MVT's timedelta.seconds would say 0.
      {4, 7, kT0 + 30, std::nullopt, std::nullopt, 104},
      {104, 8, kT0 + 30 + 86400.5, std::nullopt, 4, std::nullopt},
      // destination before the origin (clock change).
      {5, 9, kT0 + 40, std::nullopt, std::nullopt, 105},
      {105, 10, kT0 + 39.5, std::nullopt, 5, std::nullopt},
      // destination visit no longer in the database.
      {6, 11, kT0 + 50, std::nullopt, std::nullopt, 999},
  };
  auto p = parse_history(items, visits);
  ASSERT_TRUE(p.result) << p.result.error().message;
  EXPECT_EQ(p.sink.records.size(), visits.size());
  EXPECT_TRUE(testing::findings(p.sink).empty());
}

TEST(SafariHistory, ManyVisitsFlagOnlyTheInjectedOne) {
  std::vector<SafariHistoryItem> items;
  std::vector<SafariHistoryVisit> visits;
  for (std::int64_t i = 1; i <= 5000; ++i) {
    items.push_back({i, "http://site" + std::to_string(i) + ".example/", 1});
    // A chain: each visit redirects to the next, 2 s later (too slow to flag).
    visits.push_back({i, i, kT0 + 2.0 * static_cast<double>(i), std::nullopt,
                      i > 1 ? std::optional<std::int64_t>(i - 1) : std::nullopt,
                      i < 5000 ? std::optional<std::int64_t>(i + 1) : std::nullopt});
  }
  // Visit 2500 now redirects to the injected page instead of to visit 2501.
  visits[2499].redirect_destination = 5001;
  visits[2500].redirect_source = std::nullopt;
  items.push_back({5001, "https://injected.example/", 1});
  visits.push_back({5001, 5001, visits[2499].visit_time + 0.05, std::nullopt, 2500, std::nullopt});
  auto p = parse_history(items, visits);
  ASSERT_TRUE(p.result) << p.result.error().message;
  EXPECT_EQ(p.sink.records.size(), 5001U);
  EXPECT_EQ(testing::findings(p.sink),
            (std::vector<std::string>{
                "MEDIUM: Redirect took less than a second (50 milliseconds) from HTTP "
                "site2500.example to injected.example (visit 2500 -> 5001)"}));
}

TEST(SafariHistory, HostileUrlsAreKeptAsData) {
  const std::string hostile = "http://\"evil\n.example/<script>\x01\xff";
  auto p = parse_history({{1, hostile, 1}, {2, "", 1}, {3, "javascript:alert(1)", 1}},
                         {{1, 1, kT0, std::nullopt, std::nullopt, 2},
                          {2, 2, kT0 + 0.1, std::nullopt, 1, 3},
                          {3, 3, 0, std::nullopt, 2, std::nullopt}});
  ASSERT_TRUE(p.result) << p.result.error().message;
  ASSERT_EQ(p.sink.records.size(), 3U);
  // Visit time 0 (never set) sorts first and has no time.
  EXPECT_FALSE(p.sink.records[0].time);
  EXPECT_TRUE(p.sink.records[0].data.find("isodate")->is_null());
  EXPECT_TRUE(p.sink.records[0].timeline.empty());
  EXPECT_EQ(testing::data_text(p.sink.records[1], "url"), hostile);
  // An empty URL is no observable.
  EXPECT_TRUE(p.sink.records[2].observables.empty());
}

TEST(SafariHistory, UnknownSchemaAndCorruptFilesFailWithADiagnostic) {
  testing::SqlFixture no_visits;
  no_visits.exec("CREATE TABLE history_items (id INTEGER PRIMARY KEY, url TEXT);");
  auto p = parse(no_visits.bytes());
  ASSERT_FALSE(p.result);
  EXPECT_EQ(p.result.error().code, ErrorCode::kMalformed);
  EXPECT_NE(p.result.error().message.find("history_visits"), std::string::npos)
      << p.result.error().message;

  testing::SqlFixture old;
  old.exec(
      "CREATE TABLE history_items (id INTEGER PRIMARY KEY, url TEXT);"
      "CREATE TABLE history_visits (id INTEGER PRIMARY KEY, history_item INTEGER, "
      "visit_time REAL);");
  p = parse(old.bytes());
  ASSERT_FALSE(p.result);
  EXPECT_NE(p.result.error().message.find("redirect_destination"), std::string::npos)
      << p.result.error().message;
  EXPECT_NE(p.result.error().message.find("visit_time"), std::string::npos)
      << p.result.error().message;

  std::string db = testing::safari_history_db({{1, "https://a.example/", 1}}, {});
  p = parse(db.substr(0, 1000));
  EXPECT_FALSE(p.result);
  p = parse(std::string("SQLite format 3\0 garbage", 24));
  EXPECT_FALSE(p.result);
}

TEST(SafariHistory, ModuleReadsDefaultAndProfileHistoriesAndReportsAbsence) {
  TempDir tmp;
  testing::IosBackupBuilder b;
  b.add_file("AppDomain-com.apple.mobilesafari", "Library/Safari/History.db",
             testing::safari_history_db({{1, "https://a.example/", 1}},
                                        {{1, 1, kT0, std::nullopt, std::nullopt, std::nullopt}}));
  b.add_file("AppDomain-com.apple.mobilesafari",
             "Library/Safari/Profiles/5A1B2C3D-0000-4000-8000-000000000001/History.db",
             testing::safari_history_db({{1, "http://b.example/", 1}, {2, "https://c.example/", 1}},
                                        {{1, 1, kT0, std::nullopt, std::nullopt, 2},
                                         {2, 2, kT0 + 0.2, std::nullopt, 1, std::nullopt}}));
  const auto backup = b.write(tmp.path() / "backup");
  auto module = make_safari_history_module();
  EXPECT_EQ(module->spec().slug, "safari_history");
  auto run = testing::run_module_on(*module, backup);
  ASSERT_EQ(run.status.code, scan::ModuleStatus::kOk) << run.status.message;
  EXPECT_EQ(run.sink.records.size(), 3U);
  EXPECT_EQ(testing::findings(run.sink).size(), 1U);

  testing::IosBackupBuilder empty;
  empty.add_file("HomeDomain", "Library/SMS/sms.db", "x");
  auto absent = testing::run_module_on(*module, empty.write(tmp.path() / "none"));
  EXPECT_EQ(absent.status.code, scan::ModuleStatus::kNotPresent) << absent.status.message;

  testing::IosBackupBuilder bad;
  bad.add_file("AppDomain-com.apple.mobilesafari", "Library/Safari/History.db", "not sqlite");
  auto failed = testing::run_module_on(*module, bad.write(tmp.path() / "bad"));
  EXPECT_EQ(failed.status.code, scan::ModuleStatus::kFailed);
  EXPECT_NE(failed.status.message.find("History.db"), std::string::npos) << failed.status.message;
}

}  // namespace
}  // namespace spyglass::artifacts::ios
