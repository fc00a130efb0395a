#include "artifacts/ios/chrome_history/chrome_history.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>

#include "artifacts/ios/ios_module.hpp"
#include "artifacts/ios/ios_test_support.hpp"
#include "formats/json/json_writer.hpp"
#include "support/ios_backup_builder.hpp"
#include "support/ios_fixtures_chrome.hpp"
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
using st::ChromeHistorySchema;
using st::CollectingSink;
using st::IosBackupBuilder;
using st::kChromeT0;
using st::read_file;
using st::TempDir;

constexpr const char* kDomain = "AppDomain-com.google.chrome.ios";
constexpr const char* kPath = "Library/Application Support/Google/Chrome/Default/History";
constexpr const char* kFileId = "faf971ce92c3ac508c018dce1bef2a8b8e9838f1";
constexpr const char* kDumpPath =
    "private/var/mobile/Containers/Data/Application/0A1B2C3D-4E5F-4A6B-8C7D-9E0F1A2B3C4D/"
    "Library/Application Support/Google/Chrome/Default/History";

IosFile history_file() {
  IosFile f;
  f.domain = kDomain;
  f.relative_path = kPath;
  f.file_id = kFileId;
  f.evidence_path = std::string("fa/") + kFileId;
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
  out.result = read_chrome_history(*db, history_file(), out.sink);
  return out;
}

// Three visits to two URLs; the second visit came from the first (a redirect).
std::string sample_db(ChromeHistorySchema schema = ChromeHistorySchema::kCurrent) {
  return st::chrome_history_db(
      {{1, "https://news.example.com/", "News"}, {2, "https://www.example.org/a?b=c", "A"}},
      {{10, 2, kChromeT0 + 60'250'000, 0},
       {11, 1, kChromeT0, 0},
       {12, 2, kChromeT0 + 120'000'000, 10}},
      schema);
}

std::vector<std::unique_ptr<scan::Module>> module() {
  std::vector<std::unique_ptr<scan::Module>> m;
  m.push_back(make_chrome_history_module());
  return m;
}

TEST(ChromeHistory, ChromeTimeConversion) {
  EXPECT_EQ(from_chrome_time(kChromeT0), 1626249600LL * 1000000LL);
  EXPECT_EQ(format_mvt_time(*from_chrome_time(13267000000123456LL)), "2021-06-01 05:46:40.123456");
  EXPECT_FALSE(from_chrome_time(0));
  EXPECT_FALSE(from_chrome_time(-5));
  EXPECT_FALSE(from_chrome_time(INT64_MAX));
  EXPECT_TRUE(from_chrome_time(1));  // 1601-01-01 00:00:00.000001 is odd but a date
}

TEST(ChromeHistory, VisitsJoinedWithUrlsInTimeOrder) {
  for (ChromeHistorySchema schema : {ChromeHistorySchema::kCurrent, ChromeHistorySchema::kLegacy}) {
    auto p = parse(sample_db(schema));
    ASSERT_TRUE(p.result) << p.result.error().message;
    ASSERT_EQ(p.sink.records.size(), 3U);
    const scan::Record& first = p.sink.records[0];
    EXPECT_EQ(json::to_json_line(first.data),
              "{\"id\": 1, \"url\": \"https://news.example.com/\", \"visit_id\": 11, "
              "\"timestamp\": 13270723200000000, \"isodate\": \"2021-07-14 08:00:00.000000\", "
              "\"redirect_source\": 0}");
    ASSERT_EQ(first.timeline.size(), 1U);
    EXPECT_EQ(first.timeline[0].event, "visit");
    EXPECT_EQ(first.timeline[0].description,
              "1 - https://news.example.com/ (visit ID: 11, redirect source: 0)");
    EXPECT_EQ(st::observed(first, ObservableKind::kUrl),
              (std::vector<std::string>{"https://news.example.com/"}));
    EXPECT_EQ(first.observables[0].level, report::AlertLevel::kCritical);
    EXPECT_EQ(first.links, (std::vector<std::string>{"https://news.example.com/"}));
    EXPECT_EQ(first.provenance.file, std::string("fa/") + kFileId);
    EXPECT_NE(first.provenance.locator.find("visits id 11"), std::string::npos);

    EXPECT_EQ(st::data_text(p.sink.records[1], "isodate"), "2021-07-14 08:01:00.250000");
    const scan::Record& third = p.sink.records[2];
    EXPECT_EQ(third.timeline[0].description,
              "2 - https://www.example.org/a?b=c (visit ID: 12, redirect source: 10)");
    ASSERT_TRUE(third.time);
    EXPECT_EQ(format_mvt_time(*third.time), "2021-07-14 08:02:00.000000");
  }
}

TEST(ChromeHistory, OddValuesAreKeptAsDataWithoutInventedTimes) {
  st::SqlFixture db;
  db.exec(
      "CREATE TABLE urls(id INTEGER PRIMARY KEY,url LONGVARCHAR,title LONGVARCHAR);"
      "CREATE TABLE visits(id INTEGER PRIMARY KEY,url INTEGER NOT NULL,visit_time INTEGER NOT "
      "NULL,from_visit INTEGER);"
      "INSERT INTO urls VALUES (1, NULL, NULL), (2, 'javascript:alert(1)', ''),"
      " (3, 'http://\"x\n.example/', 't');"
      "INSERT INTO visits VALUES (1, 1, 0, NULL), (2, 2, 9223372036854775807, 1),"
      " (3, 3, -1, 2), (4, 99, 13270723200000000, 0);");
  auto p = parse(db.bytes());
  ASSERT_TRUE(p.result) << p.result.error().message;
  // Visit 4 points to no urls row: inner join, as MVT.
  ASSERT_EQ(p.sink.records.size(), 3U);
  for (const auto& r : p.sink.records) {
    EXPECT_FALSE(r.time);
    EXPECT_TRUE(r.timeline.empty());
    EXPECT_TRUE(r.data.find("isodate")->is_null());
  }
  // A NULL URL is no observable and no link; a null redirect source prints as MVT's None.
  const scan::Record* null_url = nullptr;
  for (const auto& r : p.sink.records) {
    if (r.data.find("url")->is_null()) null_url = &r;
  }
  ASSERT_NE(null_url, nullptr);
  EXPECT_TRUE(null_url->observables.empty());
  EXPECT_TRUE(null_url->links.empty());
  EXPECT_TRUE(null_url->data.find("redirect_source")->is_null());
}

TEST(ChromeHistory, UnknownSchemaAndCorruptFilesFail) {
  st::SqlFixture no_visits;
  no_visits.exec("CREATE TABLE urls(id INTEGER PRIMARY KEY, url LONGVARCHAR);");
  auto p = parse(no_visits.bytes());
  ASSERT_FALSE(p.result);
  EXPECT_EQ(p.result.error().code, ErrorCode::kMalformed);
  EXPECT_NE(p.result.error().message.find("no table visits"), std::string::npos)
      << p.result.error().message;

  st::SqlFixture renamed;
  renamed.exec(
      "CREATE TABLE urls(id INTEGER PRIMARY KEY, url LONGVARCHAR);"
      "CREATE TABLE visits(id INTEGER PRIMARY KEY, url_id INTEGER, time INTEGER);");
  p = parse(renamed.bytes());
  ASSERT_FALSE(p.result);
  EXPECT_NE(p.result.error().message.find("visits(id, url_id, time)"), std::string::npos)
      << p.result.error().message;
  EXPECT_NE(p.result.error().message.find("visit_time, from_visit"), std::string::npos)
      << p.result.error().message;

  const std::string good = sample_db();
  p = parse(good.substr(0, good.size() / 2));
  EXPECT_FALSE(p.result);
  p = parse(std::string("SQLite format 3\0 garbage", 24));
  EXPECT_FALSE(p.result);
}

TEST(ChromeHistory, ScanAlertsOnPlantedIndicatorOnly) {
  TempDir tmp;
  IosBackupBuilder b;
  b.add_file(
      kDomain, kPath,
      st::chrome_history_db({{1, "https://Cdn.Evil-Browser.example/exploit?id=7", "x"},
                             {2, "https://evil-browser.example.attacker.net/", "lookalike 1"},
                             {3, "https://notevil-browser.example/", "lookalike 2"},
                             {4, "https://evil-browser.exampl/", "lookalike 3"}},
                            {{1, 1, kChromeT0, 0},
                             {2, 2, kChromeT0 + 1'000'000, 0},
                             {3, 3, kChromeT0 + 2'000'000, 0},
                             {4, 4, kChromeT0 + 3'000'000, 0}}));
  const fs::path stix =
      testing::write_stix(tmp / "i.stix2", {{"domain-name:value", "evil-browser.example"}});
  auto run = testing::run_ios_scan(module(), b.write(tmp / "backup"), tmp / "out", stix);
  ASSERT_TRUE(run.summary) << run.summary.error().message;
  const auto& s = *run.summary;
  ASSERT_EQ(s.modules.size(), 1U);
  EXPECT_EQ(s.modules[0].status, scan::ModuleStatus::kOk) << s.modules[0].error;
  EXPECT_EQ(s.modules[0].records, 4U);
  EXPECT_EQ(s.alerts_critical, 1U);
  EXPECT_EQ(s.alerts_high + s.alerts_medium + s.alerts_low, 0U);

  const std::string detected = read_file(tmp / "out" / "chrome_history_detected.json");
  EXPECT_NE(detected.find("\"level\": \"CRITICAL\""), std::string::npos);
  EXPECT_NE(detected.find("Cdn.Evil-Browser.example/exploit"), std::string::npos);
  EXPECT_EQ(detected.find("attacker.net"), std::string::npos);
  EXPECT_EQ(detected.find("notevil"), std::string::npos);
  const std::string json = read_file(tmp / "out" / "chrome_history.json");
  EXPECT_NE(json.find("\"visit_id\": 4"), std::string::npos);
  const std::string timeline = read_file(tmp / "out" / "timeline.csv");
  EXPECT_NE(timeline.find("\"2021-07-14 08:00:00.000000\",\"ChromeHistory\",\"visit\",\"1 - "
                          "https://Cdn.Evil-Browser.example/exploit?id=7 (visit ID: 1, redirect "
                          "source: 0)\""),
            timeline.npos)
      << timeline;
  const std::string urls = read_file(tmp / "out" / "urls.json");
  EXPECT_NE(urls.find("https://notevil-browser.example/"), std::string::npos);
  EXPECT_NE(urls.find("\"source\": \"chrome_history\""), std::string::npos) << urls;
  EXPECT_NE(std::find(run.files_read.begin(), run.files_read.end(), std::string("fa/") + kFileId),
            run.files_read.end());
}

TEST(ChromeHistory, AbsentTruncatedAndUnknownSchemaThroughTheRunner) {
  TempDir tmp;
  {
    IosBackupBuilder b;
    // Safari's history is not Chrome's.
    b.add_file("AppDomain-com.apple.mobilesafari", "Library/Safari/History.db", "x");
    auto run = testing::run_ios_scan(module(), b.write(tmp / "absent"), {});
    ASSERT_TRUE(run.summary);
    EXPECT_EQ(run.summary->modules[0].status, scan::ModuleStatus::kNotPresent);
  }
  {
    IosBackupBuilder b;
    std::string db = sample_db();
    db.resize(db.size() / 3);
    b.add_file(kDomain, kPath, db);
    auto run = testing::run_ios_scan(module(), b.write(tmp / "truncated"), {});
    ASSERT_TRUE(run.summary);
    EXPECT_EQ(run.summary->modules[0].status, scan::ModuleStatus::kFailed);
    EXPECT_NE(run.summary->modules[0].error.find("Chrome/Default/History"), std::string::npos)
        << run.summary->modules[0].error;
  }
  {
    IosBackupBuilder b;
    st::SqlFixture other;
    other.exec("CREATE TABLE history_items(id INTEGER PRIMARY KEY, url TEXT);");
    b.add_file(kDomain, kPath, other.bytes());
    auto run = testing::run_ios_scan(module(), b.write(tmp / "schema"), {});
    ASSERT_TRUE(run.summary);
    EXPECT_EQ(run.summary->modules[0].status, scan::ModuleStatus::kFailed);
    EXPECT_NE(run.summary->modules[0].error.find("unknown schema: no table urls"),
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

TEST(ChromeHistory, BackupAndFilesystemDumpGiveTheSameRecords) {
  TempDir tmp;
  const std::string db = sample_db();
  IosBackupBuilder b;
  b.add_file(kDomain, kPath, db);
  auto chrome = make_chrome_history_module();
  auto from_backup = st::run_module_on(*chrome, b.write(tmp / "backup"));
  ASSERT_EQ(from_backup.status.code, scan::ModuleStatus::kOk) << from_backup.status.message;

  const fs::path dump = tmp / "dump";
  st::write_file(dump / kDumpPath, db);
  // Another app's container and Safari's history must not be picked up.
  st::write_file(
      dump / "private/var/mobile/Containers/Data/Application/X/Library/Safari/History.db", db);
  const auto& globs = dynamic_cast<const IosModule&>(*chrome).ios_spec().locator.fs_globs;
  ASSERT_EQ(globs.size(), 1U);
  EXPECT_EQ(st::glob_dump(dump, globs[0]), (std::vector<std::string>{kDumpPath}));
  auto from_dump = st::run_module_on_dump(*chrome, dump);
  ASSERT_EQ(from_dump.status.code, scan::ModuleStatus::kOk) << from_dump.status.message;
  EXPECT_EQ(describe(from_dump.sink), describe(from_backup.sink));
  ASSERT_EQ(from_dump.sink.records.size(), 3U);
  EXPECT_EQ(from_dump.sink.records[0].provenance.file, kDumpPath);

  const fs::path empty = tmp / "empty";
  st::write_file(empty / "private/var/mobile/Library/SMS/sms.db", "x");
  EXPECT_EQ(st::run_module_on_dump(*chrome, empty).status.code, scan::ModuleStatus::kNotPresent);
}

}  // namespace
}  // namespace spyglass::artifacts::ios
