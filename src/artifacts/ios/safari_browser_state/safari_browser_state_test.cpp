#include "artifacts/ios/safari_browser_state/safari_browser_state.hpp"

#include <gtest/gtest.h>

#include "formats/json/json_writer.hpp"
#include "support/ios_backup_builder.hpp"
#include "support/ios_fixtures_module_run.hpp"
#include "support/ios_fixtures_preferences.hpp"
#include "support/ios_fixtures_safari.hpp"
#include "support/ios_fixtures_sql.hpp"
#include "support/temp_dir.hpp"
#include "support/time.hpp"

namespace spyglass::artifacts::ios {
namespace {

using matching::ObservableKind;
using testing::CollectingSink;
using testing::SafariTab;
using testing::TempDir;

// 2021-07-14 08:00:00 UTC as Mac absolute time.
constexpr double kT0 = 1626249600.0 - 978307200.0;

IosFile state_file() {
  IosFile f;
  f.domain = "AppDomain-com.apple.mobilesafari";
  f.relative_path = "Library/Safari/BrowserState.db";
  f.file_id = "3a47b0981ed7c10f3e2800aa66bac96a3b5db28e";
  f.evidence_path = "3a/" + f.file_id;
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
  out.result = read_safari_browser_state(*db, state_file(), out.sink);
  return out;
}

std::span<const std::uint8_t> as_bytes(const std::string& s) {
  return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}

SafariTab news_tab() {
  SafariTab t;
  t.id = 1;
  t.uuid = "AAAAAAAA-0000-4000-8000-000000000001";
  t.title = "News";
  t.url = "https://news.example.com/today";
  t.user_visible_url = "https://news.example.com/today";
  t.last_viewed_time = kT0;
  t.entries = {
      {"http://bit.example/x", std::nullopt, "Short", std::string("\x00\x01\x02", 3)},
      {"https://news.example.com/today", "http://news.example.com/", "News", std::nullopt}};
  return t;
}

TEST(SafariBrowserState, TabsWithTheirSessionHistory) {
  SafariTab later = news_tab();
  later.id = 2;
  later.uuid = "AAAAAAAA-0000-4000-8000-000000000002";
  later.title = "Later";
  later.url = "https://later.example/";
  later.last_viewed_time = kT0 + 60;
  later.entries = {};
  auto p = parse(testing::safari_browser_state_db({later, news_tab()}));
  ASSERT_TRUE(p.result) << p.result.error().message;
  ASSERT_EQ(p.sink.records.size(), 2U);
  const scan::Record& news = p.sink.records[0];
  EXPECT_EQ(json::to_json_line(news.data),
            "{\"tab_title\": \"News\", \"tab_url\": \"https://news.example.com/today\", "
            "\"tab_visible_url\": \"https://news.example.com/today\", "
            "\"last_viewed_timestamp\": \"2021-07-14 08:00:00.000000\", \"session_data\": ["
            "{\"entry_title\": \"Short\", \"entry_url\": \"http://bit.example/x\", "
            "\"entry_original_url\": null, \"data_length\": 3}, "
            "{\"entry_title\": \"News\", \"entry_url\": \"https://news.example.com/today\", "
            "\"entry_original_url\": \"http://news.example.com/\", \"data_length\": 0}], "
            "\"safari_browser_state_db\": \"3a/3a47b0981ed7c10f3e2800aa66bac96a3b5db28e\"}");
  EXPECT_EQ(
      testing::observed(news, ObservableKind::kUrl),
      (std::vector<std::string>{"https://news.example.com/today", "http://bit.example/x",
                                "https://news.example.com/today", "http://news.example.com/"}));
  for (const auto& o : news.observables) EXPECT_EQ(o.level, report::AlertLevel::kCritical);
  ASSERT_EQ(news.timeline.size(), 1U);
  EXPECT_EQ(news.timeline[0].event, "tab");
  EXPECT_EQ(news.timeline[0].description, "News - https://news.example.com/today");
  EXPECT_NE(news.provenance.locator.find("tabs rowid 1"), std::string::npos);
  EXPECT_EQ(testing::data_text(p.sink.records[1], "tab_title"), "Later");
  EXPECT_TRUE(p.sink.records[1].data.find("session_data")->as_array().empty());
}

TEST(SafariBrowserState, HostileSessionBlobsKeepTheTab) {
  std::vector<SafariTab> tabs;
  const std::vector<std::string> blobs = {
      std::string("\x00\x00", 2),                       // shorter than the header
      std::string("\x00\x00\x00\x02", 4) + "bplist00",  // truncated plist
      std::string("\x00\x00\x00\x02", 4) + "bplist00" + std::string(64, '\xff'),
      // A plist, but no SessionHistory: no entries, no error.
      std::string("\x00\x00\x00\x02", 4) +
          testing::binary_plist(formats::plist::Value(formats::plist::Dict())),
  };
  for (std::size_t i = 0; i < blobs.size(); ++i) {
    SafariTab t = news_tab();
    t.id = static_cast<std::int64_t>(i + 1);
    t.uuid = "BBBBBBBB-0000-4000-8000-00000000000" + std::to_string(i);
    t.last_viewed_time = kT0 + static_cast<double>(i);
    t.session_data = blobs[i];
    tabs.push_back(t);
  }
  auto p = parse(testing::safari_browser_state_db(tabs));
  ASSERT_TRUE(p.result) << p.result.error().message;
  ASSERT_EQ(p.sink.records.size(), 4U);
  for (std::size_t i = 0; i < 3; ++i) {
    EXPECT_FALSE(testing::data_text(p.sink.records[i], "session_data_error").empty()) << i;
    EXPECT_EQ(testing::observed(p.sink.records[i], ObservableKind::kUrl).size(), 1U);
  }
  EXPECT_EQ(p.sink.records[3].data.find("session_data_error"), nullptr);

  // Deep nesting inside the session plist is refused by the bounded reader, not a crash.
  std::string deep = "<?xml version=\"1.0\"?><plist><dict><key>SessionHistory</key>";
  for (int i = 0; i < 5000; ++i) deep += "<array>";
  for (int i = 0; i < 5000; ++i) deep += "</array>";
  deep += "</dict></plist>";
  auto r = parse_session_data(as_bytes(std::string("\0\0\0\2", 4) + deep));
  EXPECT_FALSE(r);
}

TEST(SafariBrowserState, OldSchemaWithSessionDataInTabs) {
  testing::SqlFixture db;
  db.exec(
      "CREATE TABLE tabs (id INTEGER PRIMARY KEY, title TEXT, url TEXT, user_visible_url "
      "TEXT, last_viewed_time REAL, session_data BLOB);");
  db.run(
      "INSERT INTO tabs VALUES (1, 'Old', 'https://old.example/', 'https://old.example/', ?, "
      "CAST(? AS BLOB))",
      {kT0, testing::safari_session_data(
                {{"https://back.example/", std::nullopt, std::nullopt, std::nullopt}})});
  auto p = parse(db.bytes());
  ASSERT_TRUE(p.result) << p.result.error().message;
  ASSERT_EQ(p.sink.records.size(), 1U);
  EXPECT_EQ(testing::observed(p.sink.records[0], ObservableKind::kUrl),
            (std::vector<std::string>{"https://old.example/", "https://back.example/"}));
}

TEST(SafariBrowserState, UnknownSchemaAndCorruptFilesFailWithADiagnostic) {
  testing::SqlFixture none;
  none.exec("CREATE TABLE windows (id INTEGER PRIMARY KEY);");
  auto p = parse(none.bytes());
  ASSERT_FALSE(p.result);
  EXPECT_EQ(p.result.error().code, ErrorCode::kMalformed);
  EXPECT_NE(p.result.error().message.find("tabs"), std::string::npos) << p.result.error().message;

  testing::SqlFixture partial;
  partial.exec("CREATE TABLE tabs (id INTEGER PRIMARY KEY, title TEXT, url TEXT);");
  p = parse(partial.bytes());
  ASSERT_FALSE(p.result);
  EXPECT_NE(p.result.error().message.find("last_viewed_time"), std::string::npos)
      << p.result.error().message;

  const std::string db = testing::safari_browser_state_db({news_tab()});
  p = parse(db.substr(0, 2048));
  EXPECT_FALSE(p.result);
}

TEST(SafariBrowserState, ModuleReadsDefaultAndProfileStatesAndReportsAbsence) {
  TempDir tmp;
  testing::IosBackupBuilder b;
  b.add_file("AppDomain-com.apple.mobilesafari", "Library/Safari/BrowserState.db",
             testing::safari_browser_state_db({news_tab()}));
  b.add_file("AppDomain-com.apple.mobilesafari",
             "Library/Safari/Profiles/5A1B2C3D-0000-4000-8000-000000000001/BrowserState.db",
             testing::safari_browser_state_db({news_tab()}));
  auto module = make_safari_browser_state_module();
  EXPECT_EQ(module->spec().slug, "safari_browser_state");
  auto run = testing::run_module_on(*module, b.write(tmp.path() / "ok"));
  ASSERT_EQ(run.status.code, scan::ModuleStatus::kOk) << run.status.message;
  EXPECT_EQ(run.sink.records.size(), 2U);

  testing::IosBackupBuilder empty;
  empty.add_file("HomeDomain", "Library/SMS/sms.db", "x");
  auto absent = testing::run_module_on(*module, empty.write(tmp.path() / "none"));
  EXPECT_EQ(absent.status.code, scan::ModuleStatus::kNotPresent) << absent.status.message;

  testing::IosBackupBuilder bad;
  bad.add_file("AppDomain-com.apple.mobilesafari", "Library/Safari/BrowserState.db", "nope");
  auto failed = testing::run_module_on(*module, bad.write(tmp.path() / "bad"));
  EXPECT_EQ(failed.status.code, scan::ModuleStatus::kFailed);
  EXPECT_NE(failed.status.message.find("BrowserState.db"), std::string::npos)
      << failed.status.message;
}

}  // namespace
}  // namespace spyglass::artifacts::ios
