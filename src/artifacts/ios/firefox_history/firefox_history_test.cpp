#include "artifacts/ios/firefox_history/firefox_history.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "artifacts/ios/ios_test_support.hpp"
#include "formats/json/json_writer.hpp"
#include "support/ios_backup_builder.hpp"
#include "support/ios_fixtures_firefox.hpp"
#include "support/ios_fixtures_fs_dump.hpp"
#include "support/ios_fixtures_module_run.hpp"
#include "support/ios_fixtures_sql.hpp"
#include "support/temp_dir.hpp"
#include "support/time.hpp"

namespace spyglass::artifacts::ios {
namespace {

namespace fs = std::filesystem;
namespace st = spyglass::testing;
using matching::ObservableKind;
using st::CollectingSink;
using st::FirefoxBrowserDb;
using st::FirefoxSchema;
using st::IosBackupBuilder;
using st::kFirefoxT0Seconds;
using st::read_file;
using st::TempDir;

constexpr const char* kDomain = "AppDomainGroup-group.org.mozilla.ios.Firefox";
constexpr const char* kPath = "profile.profile/browser.db";
constexpr const char* kFileId = "2e57c396a35b0d1bcbc624725002d98bd61d142b";
constexpr const char* kAppGroupDumpPath =
    "private/var/mobile/Containers/Shared/AppGroup/5F0E1D2C-3B4A-4958-8776-A5B4C3D2E1F0/"
    "profile.profile/browser.db";
constexpr double kT0Micros = static_cast<double>(kFirefoxT0Seconds) * 1e6;

struct Parsed {
  Result<void> result;
  CollectingSink sink;
};

Parsed parse(const std::string& bytes) {
  TempDir scratch;
  Parsed out;
  IosFile f;
  f.domain = kDomain;
  f.relative_path = kPath;
  f.file_id = kFileId;
  f.evidence_path = std::string("2e/") + kFileId;
  auto db = formats::sqlite::Database::open_bytes(bytes, scratch.path());
  if (!db) {
    out.result = tl::unexpected(db.error());
    return out;
  }
  out.result = read_firefox_history(*db, f, out.sink);
  return out;
}

FirefoxBrowserDb sample() {
  FirefoxBrowserDb c;
  c.history = {{1, "https://news.example.com/", "News"}, {2, "https://www.example.org/", "Org"}};
  c.visits = {{1, 2, kT0Micros + 1'500'000, 2, 1},  // typed
              {2, 1, kT0Micros, 1, 0},              // synced from another device
              {3, 2, kT0Micros + 3'000'123, 1, 1}};
  return c;
}

std::vector<std::unique_ptr<scan::Module>> module() {
  std::vector<std::unique_ptr<scan::Module>> m;
  m.push_back(make_firefox_history_module());
  return m;
}

TEST(FirefoxHistory, UnitConversion) {
  EXPECT_EQ(from_unix_units(1626249600123456.0, 1e6), 1626249600123456);
  EXPECT_EQ(from_unix_units(1626249600.5, 1), 1626249600500000);
  EXPECT_FALSE(from_unix_units(0, 1e6));
  EXPECT_FALSE(from_unix_units(std::nan(""), 1e6));
  EXPECT_FALSE(from_unix_units(std::numeric_limits<double>::infinity(), 1));
  EXPECT_FALSE(from_unix_units(1e300, 1e6));
  EXPECT_FALSE(from_unix_units(-1e300, 1));
}

TEST(FirefoxHistory, VisitsJoinedWithHistory) {
  auto p = parse(st::firefox_browser_db(sample()));
  ASSERT_TRUE(p.result) << p.result.error().message;
  ASSERT_EQ(p.sink.records.size(), 3U);
  const scan::Record& first = p.sink.records[0];
  EXPECT_EQ(json::to_json_line(first.data),
            "{\"id\": 1, \"isodate\": \"2021-07-14 08:00:01.500000\", \"url\": "
            "\"https://www.example.org/\", \"title\": \"Org\", \"i1000000s_local\": 1, "
            "\"is_local\": 1, \"type\": 2}");
  ASSERT_EQ(first.timeline.size(), 1U);
  EXPECT_EQ(first.timeline[0].event, "firefox_history");
  EXPECT_EQ(first.timeline[0].description,
            "Firefox visit with ID 1 to URL: https://www.example.org/");
  EXPECT_EQ(st::observed(first, ObservableKind::kUrl),
            (std::vector<std::string>{"https://www.example.org/"}));
  EXPECT_EQ(first.observables[0].level, report::AlertLevel::kCritical);
  EXPECT_EQ(first.links, (std::vector<std::string>{"https://www.example.org/"}));
  EXPECT_NE(first.provenance.locator.find("visits id 1"), std::string::npos);
  EXPECT_EQ(st::data_text(p.sink.records[1], "isodate"), "2021-07-14 08:00:00.000000");
  EXPECT_EQ(st::data_text(p.sink.records[2], "isodate"), "2021-07-14 08:00:03.000123");
}

TEST(FirefoxHistory, OldSchemaWithoutIsLocal) {
  auto p = parse(st::firefox_browser_db(sample(), FirefoxSchema::kV5));
  ASSERT_TRUE(p.result) << p.result.error().message;
  ASSERT_EQ(p.sink.records.size(), 3U);
  EXPECT_TRUE(p.sink.records[0].data.find("is_local")->is_null());
  EXPECT_EQ(st::data_text(p.sink.records[0], "isodate"), "2021-07-14 08:00:01.500000");
}

TEST(FirefoxHistory, OddValuesAreKeptWithoutInventedTimes) {
  FirefoxBrowserDb c;
  c.history = {{1, "javascript:alert(1)", ""}, {2, "https://a.example/\"\n<x>", "t"}};
  c.visits = {{1, 1, 0, 1, 1}, {2, 2, 1e300, 1, 1}, {3, 99, kT0Micros, 1, 1}};
  auto p = parse(st::firefox_browser_db(c));
  ASSERT_TRUE(p.result) << p.result.error().message;
  ASSERT_EQ(p.sink.records.size(), 2U);  // visit 3 has no history row
  for (const auto& r : p.sink.records) {
    EXPECT_FALSE(r.time);
    EXPECT_TRUE(r.timeline.empty());
    EXPECT_TRUE(r.data.find("isodate")->is_null());
  }
  EXPECT_EQ(st::data_text(p.sink.records[1], "url"), "https://a.example/\"\n<x>");
}

TEST(FirefoxHistory, UnknownSchemaAndCorruptFilesFail) {
  // Firefox's application-services places.db is another file, not a browser.db variant.
  st::SqlFixture places;
  places.exec(
      "CREATE TABLE moz_places(id INTEGER PRIMARY KEY, url LONGVARCHAR);"
      "CREATE TABLE moz_historyvisits(id INTEGER PRIMARY KEY, place_id INTEGER, visit_date "
      "INTEGER);");
  auto p = parse(places.bytes());
  ASSERT_FALSE(p.result);
  EXPECT_EQ(p.result.error().code, ErrorCode::kMalformed);
  EXPECT_NE(p.result.error().message.find("no table history"), std::string::npos)
      << p.result.error().message;

  st::SqlFixture odd;
  odd.exec(
      "CREATE TABLE history(id INTEGER PRIMARY KEY, url TEXT, title TEXT);"
      "CREATE TABLE visits(id INTEGER PRIMARY KEY, site INTEGER, date REAL, type INTEGER);");
  p = parse(odd.bytes());
  ASSERT_FALSE(p.result);
  EXPECT_NE(p.result.error().message.find("visits(id, site, date, type) lacks column(s) siteID"),
            std::string::npos)
      << p.result.error().message;

  const std::string good = st::firefox_browser_db(sample());
  p = parse(good.substr(0, good.size() / 2));
  EXPECT_FALSE(p.result);
}

TEST(FirefoxHistory, ScanAlertsOnPlantedIndicatorOnly) {
  TempDir tmp;
  FirefoxBrowserDb c;
  c.history = {{1, "http://Infect.Evil-Fox.example:8080/p?x=1", "x"},
               {2, "https://evil-fox.example.attacker.net/", "lookalike"},
               {3, "https://notevil-fox.example/", "lookalike"}};
  c.visits = {
      {1, 1, kT0Micros, 1, 1}, {2, 2, kT0Micros + 1e6, 1, 1}, {3, 3, kT0Micros + 2e6, 1, 1}};
  IosBackupBuilder b;
  b.add_file(kDomain, kPath, st::firefox_browser_db(c));
  const fs::path stix =
      testing::write_stix(tmp / "i.stix2", {{"domain-name:value", "evil-fox.example"}});
  auto run = testing::run_ios_scan(module(), b.write(tmp / "backup"), tmp / "out", stix);
  ASSERT_TRUE(run.summary) << run.summary.error().message;
  const auto& s = *run.summary;
  EXPECT_EQ(s.modules[0].status, scan::ModuleStatus::kOk) << s.modules[0].error;
  EXPECT_EQ(s.modules[0].records, 3U);
  EXPECT_EQ(s.alerts_critical, 1U);
  EXPECT_EQ(s.alerts_high + s.alerts_medium + s.alerts_low, 0U);
  const std::string detected = read_file(tmp / "out" / "firefox_history_detected.json");
  EXPECT_NE(detected.find("Infect.Evil-Fox.example"), std::string::npos);
  EXPECT_EQ(detected.find("attacker.net"), std::string::npos);
  EXPECT_EQ(detected.find("notevil"), std::string::npos);
  const std::string timeline = read_file(tmp / "out" / "timeline.csv");
  EXPECT_NE(timeline.find("\"2021-07-14 08:00:00.000000\",\"FirefoxHistory\",\"firefox_history\","
                          "\"Firefox visit with ID 1 to URL: "
                          "http://Infect.Evil-Fox.example:8080/p?x=1\""),
            std::string::npos)
      << timeline;
  EXPECT_NE(read_file(tmp / "out" / "urls.json").find("\"source\": \"firefox_history\""),
            std::string::npos);
}

TEST(FirefoxHistory, AbsentTruncatedAndUnknownSchemaThroughTheRunner) {
  TempDir tmp;
  {
    IosBackupBuilder b;
    // Same relative path in another app's group: not Firefox.
    b.add_file("AppDomainGroup-group.com.example.other", kPath, "x");
    auto run = testing::run_ios_scan(module(), b.write(tmp / "absent"), {});
    ASSERT_TRUE(run.summary);
    EXPECT_EQ(run.summary->modules[0].status, scan::ModuleStatus::kNotPresent);
  }
  {
    IosBackupBuilder b;
    std::string db = st::firefox_browser_db(sample());
    db.resize(db.size() / 3);
    b.add_file(kDomain, kPath, db);
    auto run = testing::run_ios_scan(module(), b.write(tmp / "truncated"), {});
    ASSERT_TRUE(run.summary);
    EXPECT_EQ(run.summary->modules[0].status, scan::ModuleStatus::kFailed);
    EXPECT_NE(run.summary->modules[0].error.find("profile.profile/browser.db"), std::string::npos)
        << run.summary->modules[0].error;
  }
  {
    IosBackupBuilder b;
    st::SqlFixture other;
    other.exec("CREATE TABLE history(id INTEGER PRIMARY KEY, url TEXT, title TEXT);");
    b.add_file(kDomain, kPath, other.bytes());
    auto run = testing::run_ios_scan(module(), b.write(tmp / "schema"), {});
    ASSERT_TRUE(run.summary);
    EXPECT_EQ(run.summary->modules[0].status, scan::ModuleStatus::kFailed);
    EXPECT_NE(run.summary->modules[0].error.find("unknown schema: no table visits"),
              std::string::npos)
        << run.summary->modules[0].error;
  }
}

std::vector<std::string> describe(const CollectingSink& sink) {
  std::vector<std::string> out;
  for (const auto& r : sink.records) {
    std::string line = json::to_json_line(r.data);
    for (const auto& e : r.timeline) line += " | " + e.event + ": " + e.description;
    for (const auto& o : r.observables)
      line += " | " + o.observable.field + "=" + o.observable.value;
    out.push_back(std::move(line));
  }
  return out;
}

TEST(FirefoxHistory, BackupAndBothDumpLayoutsGiveTheSameRecords) {
  TempDir tmp;
  const std::string db = st::firefox_browser_db(sample());
  IosBackupBuilder b;
  b.add_file(kDomain, kPath, db);
  auto m = make_firefox_history_module();
  auto from_backup = st::run_module_on(*m, b.write(tmp / "backup"));
  ASSERT_EQ(from_backup.status.code, scan::ModuleStatus::kOk) << from_backup.status.message;
  ASSERT_EQ(from_backup.sink.records.size(), 3U);

  for (const char* path : {kAppGroupDumpPath, "private/var/mobile/profile.profile/browser.db"}) {
    const fs::path dump = tmp / "dump" / std::to_string(std::hash<std::string>{}(path));
    st::write_file(dump / path, db);
    auto from_dump = st::run_module_on_dump(*m, dump);
    ASSERT_EQ(from_dump.status.code, scan::ModuleStatus::kOk) << from_dump.status.message;
    EXPECT_EQ(describe(from_dump.sink), describe(from_backup.sink)) << path;
    ASSERT_FALSE(from_dump.sink.records.empty());
    EXPECT_EQ(from_dump.sink.records[0].provenance.file, path);
  }
}

}  // namespace
}  // namespace spyglass::artifacts::ios
