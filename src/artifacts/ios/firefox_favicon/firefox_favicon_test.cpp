#include "artifacts/ios/firefox_favicon/firefox_favicon.hpp"

#include <gtest/gtest.h>

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
constexpr double kT0 = static_cast<double>(kFirefoxT0Seconds);

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
  out.result = read_firefox_favicons(*db, f, out.sink);
  return out;
}

FirefoxBrowserDb sample() {
  FirefoxBrowserDb c;
  c.history = {{1, "https://news.example.com/", "News"}, {2, "https://shop.example.org/", "Shop"}};
  c.favicons = {{1, "https://news.example.com/favicon.ico", 32, 32, 1, kT0 + 0.25},
                {2, "https://cdn.example.net/apple-touch-icon.png", 180, 180, 2, kT0 + 60}};
  c.favicon_sites = {{2, 2}, {1, 1}, {2, 1}};
  return c;
}

std::vector<std::unique_ptr<scan::Module>> module() {
  std::vector<std::unique_ptr<scan::Module>> m;
  m.push_back(make_firefox_favicon_module());
  return m;
}

TEST(FirefoxFavicon, IconsJoinedWithTheirPages) {
  auto p = parse(st::firefox_browser_db(sample()));
  ASSERT_TRUE(p.result) << p.result.error().message;
  ASSERT_EQ(p.sink.records.size(), 3U);
  const scan::Record& first = p.sink.records[0];
  EXPECT_EQ(json::to_json_line(first.data),
            "{\"id\": 1, \"url\": \"https://news.example.com/favicon.ico\", \"width\": 32, "
            "\"height\": 32, \"type\": 1, \"isodate\": \"2021-07-14 08:00:00.250000\", "
            "\"history_id\": 1, \"history_url\": \"https://news.example.com/\"}");
  ASSERT_EQ(first.timeline.size(), 1U);
  EXPECT_EQ(first.timeline[0].event, "firefox_history");
  EXPECT_EQ(first.timeline[0].description,
            "Firefox favicon https://news.example.com/favicon.ico when visiting "
            "https://news.example.com/");
  ASSERT_EQ(first.observables.size(), 2U);
  EXPECT_EQ(first.observables[0].observable.field, "url");
  EXPECT_EQ(first.observables[0].observable.value, "https://news.example.com/favicon.ico");
  EXPECT_EQ(first.observables[1].observable.field, "history_url");
  EXPECT_EQ(first.observables[1].observable.value, "https://news.example.com/");
  EXPECT_EQ(first.observables[0].level, report::AlertLevel::kCritical);
  EXPECT_EQ(first.observables[1].level, report::AlertLevel::kCritical);
  EXPECT_TRUE(first.links.empty());
  EXPECT_EQ(st::data_text(p.sink.records[1], "history_url"), "https://shop.example.org/");
  EXPECT_EQ(st::data_text(p.sink.records[2], "url"),
            "https://cdn.example.net/apple-touch-icon.png");
  EXPECT_EQ(st::data_text(p.sink.records[2], "isodate"), "2021-07-14 08:01:00.000000");
  EXPECT_NE(p.sink.records[2].provenance.locator.find("favicons id 2, favicon_sites id 1"),
            std::string::npos)
      << p.sink.records[2].provenance.locator;
}

TEST(FirefoxFavicon, SchemaV41AlsoReadsFaviconSiteUrls) {
  FirefoxBrowserDb c = sample();
  c.favicon_site_urls = {{"https://direct.example.com/page", 2}};
  auto p = parse(st::firefox_browser_db(c, FirefoxSchema::kV41));
  ASSERT_TRUE(p.result) << p.result.error().message;
  ASSERT_EQ(p.sink.records.size(), 4U);
  const scan::Record& direct = p.sink.records[3];
  EXPECT_EQ(json::to_json_line(direct.data),
            "{\"id\": 2, \"url\": \"https://cdn.example.net/apple-touch-icon.png\", \"width\": "
            "180, \"height\": 180, \"type\": 2, \"isodate\": \"2021-07-14 08:01:00.000000\", "
            "\"history_id\": null, \"history_url\": \"https://direct.example.com/page\"}");
  EXPECT_EQ(st::observed(direct, ObservableKind::kUrl),
            (std::vector<std::string>{"https://cdn.example.net/apple-touch-icon.png",
                                      "https://direct.example.com/page"}));

  // A database with only the new mapping table is read too.
  st::SqlFixture only_new;
  only_new.exec(
      "CREATE TABLE favicons (id INTEGER PRIMARY KEY AUTOINCREMENT, url TEXT NOT NULL UNIQUE, "
      "width INTEGER, height INTEGER, type INTEGER NOT NULL, date REAL NOT NULL);"
      "CREATE TABLE favicon_site_urls (id INTEGER PRIMARY KEY AUTOINCREMENT, site_url TEXT NOT "
      "NULL, faviconID INTEGER NOT NULL);"
      "INSERT INTO favicons VALUES (7, 'https://i.example/f.ico', 16, 16, 1, 0);"
      "INSERT INTO favicon_site_urls VALUES (1, 'https://i.example/', 7);");
  p = parse(only_new.bytes());
  ASSERT_TRUE(p.result) << p.result.error().message;
  ASSERT_EQ(p.sink.records.size(), 1U);
  EXPECT_FALSE(p.sink.records[0].time);  // date 0: never set
  EXPECT_TRUE(p.sink.records[0].timeline.empty());
}

TEST(FirefoxFavicon, UnknownSchemaAndCorruptFilesFail) {
  st::SqlFixture no_mapping;
  no_mapping.exec(
      "CREATE TABLE favicons (id INTEGER PRIMARY KEY, url TEXT, width INTEGER, height INTEGER, "
      "type INTEGER, date REAL);");
  auto p = parse(no_mapping.bytes());
  ASSERT_FALSE(p.result);
  EXPECT_EQ(p.result.error().code, ErrorCode::kMalformed);
  EXPECT_NE(p.result.error().message.find("neither table favicon_sites"), std::string::npos)
      << p.result.error().message;

  st::SqlFixture odd_icons;
  odd_icons.exec("CREATE TABLE favicons (id INTEGER PRIMARY KEY, url TEXT);");
  p = parse(odd_icons.bytes());
  ASSERT_FALSE(p.result);
  EXPECT_NE(p.result.error().message.find("favicons(id, url) lacks column(s) width, height, "
                                          "type, date"),
            std::string::npos)
      << p.result.error().message;

  st::SqlFixture no_history;
  no_history.exec(
      "CREATE TABLE favicons (id INTEGER PRIMARY KEY, url TEXT, width INTEGER, height INTEGER, "
      "type INTEGER, date REAL);"
      "CREATE TABLE favicon_sites (id INTEGER PRIMARY KEY, siteID INTEGER, faviconID INTEGER);");
  p = parse(no_history.bytes());
  ASSERT_FALSE(p.result);
  EXPECT_NE(p.result.error().message.find("no table history"), std::string::npos)
      << p.result.error().message;

  const std::string good = st::firefox_browser_db(sample());
  p = parse(good.substr(0, good.size() / 2));
  EXPECT_FALSE(p.result);
}

TEST(FirefoxFavicon, ScanAlertsOnIconOrPageButNotOnLookalikes) {
  TempDir tmp;
  FirefoxBrowserDb c;
  c.history = {{1, "https://benign.example.com/", "a"},
               {2, "https://login.evil-fox-pages.example/", "b"},
               {3, "https://evil-fox-pages.example.net/", "lookalike"}};
  c.favicons = {{1, "https://evil-fox-icons.example/favicon.ico", 16, 16, 1, kT0},
                {2, "https://static.example.com/favicon.ico", 16, 16, 1, kT0 + 1},
                {3, "https://evil-fox-icons.example.attacker.net/f.ico", 16, 16, 1, kT0 + 2}};
  c.favicon_sites = {{1, 1}, {2, 2}, {3, 3}};
  IosBackupBuilder b;
  b.add_file(kDomain, kPath, st::firefox_browser_db(c));
  const fs::path stix =
      testing::write_stix(tmp / "i.stix2", {{"domain-name:value", "evil-fox-icons.example"},
                                            {"domain-name:value", "evil-fox-pages.example"}});
  auto run = testing::run_ios_scan(module(), b.write(tmp / "backup"), tmp / "out", stix);
  ASSERT_TRUE(run.summary) << run.summary.error().message;
  const auto& s = *run.summary;
  EXPECT_EQ(s.modules[0].status, scan::ModuleStatus::kOk) << s.modules[0].error;
  EXPECT_EQ(s.modules[0].records, 3U);
  EXPECT_EQ(s.alerts_critical, 2U);
  EXPECT_EQ(s.alerts_high + s.alerts_medium + s.alerts_low, 0U);
  const std::string detected = read_file(tmp / "out" / "firefox_favicon_detected.json");
  EXPECT_NE(detected.find("https://evil-fox-icons.example/favicon.ico"), std::string::npos);
  EXPECT_NE(detected.find("https://login.evil-fox-pages.example/"), std::string::npos);
  EXPECT_EQ(detected.find("attacker.net"), std::string::npos);
  EXPECT_EQ(detected.find("evil-fox-pages.example.net"), std::string::npos);
  const std::string timeline = read_file(tmp / "out" / "timeline.csv");
  EXPECT_NE(timeline.find("\"2021-07-14 08:00:00.000000\",\"FirefoxFavicon\",\"firefox_history\","
                          "\"Firefox favicon https://evil-fox-icons.example/favicon.ico when "
                          "visiting https://benign.example.com/\""),
            std::string::npos)
      << timeline;
}

TEST(FirefoxFavicon, AbsentTruncatedAndUnknownSchemaThroughTheRunner) {
  TempDir tmp;
  {
    IosBackupBuilder b;
    b.add_file("HomeDomain", "Library/SMS/sms.db", "x");
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
    EXPECT_NE(run.summary->modules[0].error.find("unknown schema: no table favicons"),
              std::string::npos)
        << run.summary->modules[0].error;
  }
}

TEST(FirefoxFavicon, BackupAndDumpGiveTheSameRecords) {
  TempDir tmp;
  const std::string db = st::firefox_browser_db(sample());
  IosBackupBuilder b;
  b.add_file(kDomain, kPath, db);
  auto m = make_firefox_favicon_module();
  auto from_backup = st::run_module_on(*m, b.write(tmp / "backup"));
  ASSERT_EQ(from_backup.status.code, scan::ModuleStatus::kOk) << from_backup.status.message;
  st::write_file(tmp / "dump" / kAppGroupDumpPath, db);
  auto from_dump = st::run_module_on_dump(*m, tmp / "dump");
  ASSERT_EQ(from_dump.status.code, scan::ModuleStatus::kOk) << from_dump.status.message;
  ASSERT_EQ(from_dump.sink.records.size(), 3U);
  ASSERT_EQ(from_backup.sink.records.size(), 3U);
  for (std::size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(json::to_json_line(from_dump.sink.records[i].data),
              json::to_json_line(from_backup.sink.records[i].data));
  }
}

}  // namespace
}  // namespace spyglass::artifacts::ios
