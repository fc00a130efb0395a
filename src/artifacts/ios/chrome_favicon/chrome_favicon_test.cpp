#include "artifacts/ios/chrome_favicon/chrome_favicon.hpp"

#include <gtest/gtest.h>

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
using st::ChromeFaviconsSchema;
using st::CollectingSink;
using st::IosBackupBuilder;
using st::kChromeT0;
using st::read_file;
using st::TempDir;

constexpr const char* kDomain = "AppDomain-com.google.chrome.ios";
constexpr const char* kPath = "Library/Application Support/Google/Chrome/Default/Favicons";
constexpr const char* kFileId = "55680ab883d0fdcffd94f959b1632e5fbbb18c5b";
constexpr const char* kDumpPath =
    "private/var/mobile/Containers/Data/Application/0A1B2C3D-4E5F-4A6B-8C7D-9E0F1A2B3C4D/"
    "Library/Application Support/Google/Chrome/Default/Favicons";

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
  f.evidence_path = std::string("55/") + kFileId;
  auto db = formats::sqlite::Database::open_bytes(bytes, scratch.path());
  if (!db) {
    out.result = tl::unexpected(db.error());
    return out;
  }
  out.result = read_chrome_favicons(*db, f, out.sink);
  return out;
}

// Two pages share one icon; a third page's icon is on-demand (last_updated 0), so its time
// is the request time.
std::string sample_db(ChromeFaviconsSchema schema = ChromeFaviconsSchema::kV8) {
  return st::chrome_favicons_db(
      {{1, "https://news.example.com/favicon.ico", 1}, {2, "https://cdn.example.net/touch.png", 2}},
      {{1, "https://news.example.com/", 1},
       {2, "https://news.example.com/story", 1},
       {3, "https://shop.example.org/", 2}},
      {{1, 1, kChromeT0 + 30'000'000, 0}, {2, 2, 0, kChromeT0}}, schema);
}

std::vector<std::unique_ptr<scan::Module>> module() {
  std::vector<std::unique_ptr<scan::Module>> m;
  m.push_back(make_chrome_favicon_module());
  return m;
}

TEST(ChromeFavicon, MappingsJoinedWithIconsAndBitmapsInTimeOrder) {
  auto p = parse(sample_db());
  ASSERT_TRUE(p.result) << p.result.error().message;
  ASSERT_EQ(p.sink.records.size(), 3U);
  const scan::Record& first = p.sink.records[0];
  EXPECT_EQ(json::to_json_line(first.data),
            "{\"url\": \"https://shop.example.org/\", \"icon_url\": "
            "\"https://cdn.example.net/touch.png\", \"timestamp\": 13270723200000000, "
            "\"isodate\": \"2021-07-14 08:00:00.000000\"}");
  ASSERT_EQ(first.timeline.size(), 1U);
  EXPECT_EQ(first.timeline[0].event, "new_favicon");
  EXPECT_EQ(first.timeline[0].description,
            "https://cdn.example.net/touch.png from https://shop.example.org/");
  ASSERT_EQ(first.observables.size(), 2U);
  EXPECT_EQ(first.observables[0].observable.kind, ObservableKind::kUrl);
  EXPECT_EQ(first.observables[0].observable.value, "https://shop.example.org/");
  EXPECT_EQ(first.observables[0].level, report::AlertLevel::kCritical);
  EXPECT_EQ(first.observables[1].observable.value, "https://cdn.example.net/touch.png");
  EXPECT_EQ(first.observables[1].level, report::AlertLevel::kCritical);
  EXPECT_TRUE(first.links.empty());
  EXPECT_NE(first.provenance.locator.find("icon_mapping id 3, favicon_bitmaps id 2"),
            std::string::npos)
      << first.provenance.locator;

  EXPECT_EQ(st::data_text(p.sink.records[1], "url"), "https://news.example.com/");
  EXPECT_EQ(st::data_text(p.sink.records[1], "isodate"), "2021-07-14 08:00:30.000000");
  EXPECT_EQ(st::data_text(p.sink.records[2], "url"), "https://news.example.com/story");
}

TEST(ChromeFavicon, Version7WithoutLastRequested) {
  auto p = parse(sample_db(ChromeFaviconsSchema::kV7));
  ASSERT_TRUE(p.result) << p.result.error().message;
  ASSERT_EQ(p.sink.records.size(), 3U);
  // The on-demand bitmap has no time at all in v7: kept, without a made-up date.
  const scan::Record& first = p.sink.records[0];
  EXPECT_EQ(st::data_text(first, "url"), "https://shop.example.org/");
  EXPECT_FALSE(first.time);
  EXPECT_TRUE(first.timeline.empty());
  EXPECT_TRUE(first.data.find("isodate")->is_null());
  EXPECT_EQ(st::data_text(p.sink.records[1], "isodate"), "2021-07-14 08:00:30.000000");
}

TEST(ChromeFavicon, UnknownSchemaAndCorruptFilesFail) {
  st::SqlFixture old;
  // Favicons v3 (2008): no favicon_bitmaps, bitmaps inside favicons.
  old.exec(
      "CREATE TABLE favicons(id INTEGER PRIMARY KEY, url LONGVARCHAR NOT NULL, last_updated "
      "INTEGER DEFAULT 0, image_data BLOB, size INTEGER DEFAULT 0);"
      "CREATE TABLE icon_mapping(id INTEGER PRIMARY KEY, page_url LONGVARCHAR NOT NULL, icon_id "
      "INTEGER);");
  auto p = parse(old.bytes());
  ASSERT_FALSE(p.result);
  EXPECT_EQ(p.result.error().code, ErrorCode::kMalformed);
  EXPECT_NE(p.result.error().message.find("no table favicon_bitmaps"), std::string::npos)
      << p.result.error().message;

  st::SqlFixture odd;
  odd.exec(
      "CREATE TABLE icon_mapping(id INTEGER PRIMARY KEY, page TEXT, icon INTEGER);"
      "CREATE TABLE favicons(id INTEGER PRIMARY KEY, url TEXT);"
      "CREATE TABLE favicon_bitmaps(id INTEGER PRIMARY KEY, icon_id INTEGER, last_updated "
      "INTEGER);");
  p = parse(odd.bytes());
  ASSERT_FALSE(p.result);
  EXPECT_NE(p.result.error().message.find("icon_mapping(id, page, icon) lacks column(s) "
                                          "page_url, icon_id"),
            std::string::npos)
      << p.result.error().message;

  const std::string good = sample_db();
  p = parse(good.substr(0, good.size() / 2));
  EXPECT_FALSE(p.result);
}

TEST(ChromeFavicon, ScanAlertsOnPageOrIconButNotOnLookalikes) {
  TempDir tmp;
  IosBackupBuilder b;
  b.add_file(
      kDomain, kPath,
      st::chrome_favicons_db({{1, "https://evil-icons.example/favicon.ico", 1},
                              {2, "https://static.example.com/favicon.ico", 1},
                              {3, "https://evil-icons.example.attacker.net/favicon.ico", 1}},
                             {{1, "https://benign.example.com/", 1},         // icon hit
                              {2, "https://x.evil-pages.example/login", 2},  // page hit
                              {3, "https://myevil-pages.example/", 3},  // lookalike page and icon
                              {4, "https://evil-pages.example.org/", 2}},  // lookalike page
                             {{1, 1, kChromeT0, 0},
                              {2, 2, kChromeT0 + 5'000'000, 0},
                              {3, 3, kChromeT0 + 9'000'000, 0}}));
  const fs::path stix = testing::write_stix(
      tmp / "i.stix2",
      {{"domain-name:value", "evil-icons.example"}, {"domain-name:value", "evil-pages.example"}});
  auto run = testing::run_ios_scan(module(), b.write(tmp / "backup"), tmp / "out", stix);
  ASSERT_TRUE(run.summary) << run.summary.error().message;
  const auto& s = *run.summary;
  EXPECT_EQ(s.modules[0].status, scan::ModuleStatus::kOk) << s.modules[0].error;
  EXPECT_EQ(s.modules[0].records, 4U);
  EXPECT_EQ(s.alerts_critical, 2U);
  EXPECT_EQ(s.alerts_high + s.alerts_medium + s.alerts_low, 0U);
  const std::string detected = read_file(tmp / "out" / "chrome_favicon_detected.json");
  EXPECT_NE(detected.find("https://benign.example.com/"), std::string::npos);
  EXPECT_NE(detected.find("https://x.evil-pages.example/login"), std::string::npos);
  EXPECT_EQ(detected.find("myevil-pages"), std::string::npos);
  EXPECT_EQ(detected.find("evil-pages.example.org"), std::string::npos);
  const std::string timeline = read_file(tmp / "out" / "timeline.csv");
  EXPECT_NE(timeline.find("\"2021-07-14 08:00:00.000000\",\"ChromeFavicon\",\"new_favicon\","
                          "\"https://evil-icons.example/favicon.ico from "
                          "https://benign.example.com/\""),
            std::string::npos)
      << timeline;
  EXPECT_NE(read_file(tmp / "out" / "chrome_favicon.json").find("\"icon_url\""), std::string::npos);
}

TEST(ChromeFavicon, AbsentTruncatedAndUnknownSchemaThroughTheRunner) {
  TempDir tmp;
  {
    IosBackupBuilder b;
    b.add_file(kDomain, "Library/Application Support/Google/Chrome/Default/History", "x");
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
    EXPECT_NE(run.summary->modules[0].error.find("Default/Favicons"), std::string::npos)
        << run.summary->modules[0].error;
  }
  {
    IosBackupBuilder b;
    st::SqlFixture other;
    other.exec("CREATE TABLE icons(id INTEGER PRIMARY KEY, url TEXT);");
    b.add_file(kDomain, kPath, other.bytes());
    auto run = testing::run_ios_scan(module(), b.write(tmp / "schema"), {});
    ASSERT_TRUE(run.summary);
    EXPECT_EQ(run.summary->modules[0].status, scan::ModuleStatus::kFailed);
    EXPECT_NE(run.summary->modules[0].error.find("unknown schema: no table icon_mapping"),
              std::string::npos)
        << run.summary->modules[0].error;
  }
}

TEST(ChromeFavicon, FilesystemDumpLocatorFindsTheFile) {
  TempDir tmp;
  const std::string db = sample_db();
  IosBackupBuilder b;
  b.add_file(kDomain, kPath, db);
  auto m = make_chrome_favicon_module();
  auto from_backup = st::run_module_on(*m, b.write(tmp / "backup"));
  ASSERT_EQ(from_backup.status.code, scan::ModuleStatus::kOk) << from_backup.status.message;
  st::write_file(tmp / "dump" / kDumpPath, db);
  auto from_dump = st::run_module_on_dump(*m, tmp / "dump");
  ASSERT_EQ(from_dump.status.code, scan::ModuleStatus::kOk) << from_dump.status.message;
  ASSERT_EQ(from_dump.sink.records.size(), from_backup.sink.records.size());
  for (std::size_t i = 0; i < from_dump.sink.records.size(); ++i) {
    EXPECT_EQ(json::to_json_line(from_dump.sink.records[i].data),
              json::to_json_line(from_backup.sink.records[i].data));
  }
}

}  // namespace
}  // namespace spyglass::artifacts::ios
