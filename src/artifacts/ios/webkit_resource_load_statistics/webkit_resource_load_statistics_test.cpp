#include "artifacts/ios/webkit_resource_load_statistics/webkit_resource_load_statistics.hpp"

#include <gtest/gtest.h>

#include "artifacts/ios/ios_test_support.hpp"
#include "formats/json/json_writer.hpp"
#include "support/ios_backup_builder.hpp"
#include "support/ios_fixtures_module_run.hpp"
#include "support/ios_fixtures_sql.hpp"
#include "support/ios_fixtures_webkit.hpp"
#include "support/temp_dir.hpp"

namespace spyglass::artifacts::ios {
namespace {

namespace fs = std::filesystem;
namespace st = spyglass::testing;
using matching::ObservableKind;
using spyglass::testing::CollectingSink;
using spyglass::testing::ObservationsSchema;
using spyglass::testing::ObservedDomain;
using spyglass::testing::TempDir;

constexpr double kT0 = 1626249600.0;  // 2021-07-14 08:00:00 UTC, Unix seconds
constexpr const char* kRelPath =
    "Library/WebKit/WebsiteData/ResourceLoadStatistics/observations.db";

IosFile backup_file(const std::string& domain = "AppDomain-com.apple.mobilesafari") {
  IosFile f;
  f.domain = domain;
  f.relative_path = kRelPath;
  f.file_id = st::IosBackupBuilder::file_id(domain, kRelPath);
  f.evidence_path = f.file_id.substr(0, 2) + "/" + f.file_id;
  return f;
}

IosFile dump_file() {
  IosFile f;
  f.source = IosSourceKind::kFilesystem;
  f.relative_path =
      "private/var/mobile/Containers/Data/Application/0A1B2C3D-0000-4000-8000-00000000000A/"
      "SystemData/com.apple.SafariViewService/Library/WebKit/WebsiteData/"
      "ResourceLoadStatistics/observations.db";
  f.evidence_path = f.relative_path;
  return f;
}

struct Parsed {
  Result<void> result;
  CollectingSink sink;
};

Parsed parse(const std::string& bytes, const IosFile& file = backup_file()) {
  TempDir scratch;
  Parsed out;
  auto db = formats::sqlite::Database::open_bytes(bytes, scratch.path());
  if (!db) {
    out.result = tl::unexpected(db.error());
    return out;
  }
  out.result = read_webkit_observations(*db, file, out.sink);
  return out;
}

std::vector<ObservedDomain> rows() {
  return {{2, "news.example.com", kT0 + 60, false, -1, -1},
          {1, "example.org", kT0, true, kT0 - 3600, -1}};
}

TEST(WebkitResourceLoadStatistics, RowsFieldsAndTimeline) {
  auto p = parse(st::webkit_observations_db(rows()));
  ASSERT_TRUE(p.result) << p.result.error().message;
  ASSERT_EQ(p.sink.records.size(), 2U);
  const scan::Record& first = p.sink.records[0];  // domainID order
  EXPECT_EQ(json::to_json_line(first.data),
            "{\"domain_id\": 1, \"registrable_domain\": \"example.org\", "
            "\"last_seen\": 1626249600.0, \"had_user_interaction\": true, "
            "\"last_seen_isodate\": \"2021-07-14 08:00:00.000000\", "
            "\"most_recent_user_interaction_time\": 1626246000.0, "
            "\"most_recent_user_interaction_time_isodate\": \"2021-07-14 07:00:00.000000\", "
            "\"most_recent_web_push_interaction_time\": -1.0, "
            "\"domain\": \"AppDomain-com.apple.mobilesafari\", "
            "\"path\": \"Library/WebKit/WebsiteData/ResourceLoadStatistics/observations.db\", "
            "\"container\": null}");
  ASSERT_EQ(first.timeline.size(), 1U);
  EXPECT_EQ(first.timeline[0].event, "visit");
  EXPECT_EQ(first.timeline[0].description,
            "Webkit resource loaded from example.org by app in domain "
            "AppDomain-com.apple.mobilesafari");
  ASSERT_TRUE(first.time);
  EXPECT_EQ(format_mvt_time(*first.time), "2021-07-14 08:00:00.000000");
  EXPECT_EQ(st::observed(first, ObservableKind::kDomain),
            (std::vector<std::string>{"example.org"}));
  EXPECT_EQ(first.observables[0].level, report::AlertLevel::kCritical);
  EXPECT_NE(first.provenance.locator.find("ObservedDomains domainID 1"), std::string::npos);
  EXPECT_TRUE(st::findings(p.sink).empty());

  const scan::Record& second = p.sink.records[1];
  EXPECT_EQ(st::data_text(second, "registrable_domain"), "news.example.com");
  EXPECT_FALSE(second.data.find("had_user_interaction")->as_bool());
  // -1 is WebKit's "never": the raw value stays, no isodate twin.
  EXPECT_EQ(second.data.find("most_recent_user_interaction_time_isodate"), nullptr);
  EXPECT_EQ(second.data.find("most_recent_web_push_interaction_time_isodate"), nullptr);
}

TEST(WebkitResourceLoadStatistics, OlderSchemasAndOddValues) {
  for (auto schema : {ObservationsSchema::kInitial, ObservationsSchema::kScheduledRemoval}) {
    auto p = parse(st::webkit_observations_db(rows(), schema));
    ASSERT_TRUE(p.result) << p.result.error().message;
    ASSERT_EQ(p.sink.records.size(), 2U);
    EXPECT_EQ(p.sink.records[0].data.find("most_recent_web_push_interaction_time"), nullptr);
    EXPECT_NE(p.sink.records[0].data.find("most_recent_user_interaction_time"), nullptr);
  }
  // The minimal column set MVT reads is enough.
  st::SqlFixture minimal;
  minimal.exec(
      "CREATE TABLE ObservedDomains (domainID INTEGER PRIMARY KEY, registrableDomain TEXT, "
      "lastSeen REAL, hadUserInteraction INTEGER);"
      "INSERT INTO ObservedDomains VALUES (1, 'a.example', 0, 0);"
      "INSERT INTO ObservedDomains VALUES (2, NULL, 1e300, NULL);"
      "INSERT INTO ObservedDomains VALUES (3, 'b.example', 'not a time', 1);");
  auto p = parse(minimal.bytes());
  ASSERT_TRUE(p.result) << p.result.error().message;
  ASSERT_EQ(p.sink.records.size(), 3U);
  for (const auto& r : p.sink.records) {
    EXPECT_FALSE(r.time);
    EXPECT_TRUE(r.timeline.empty());
    EXPECT_TRUE(r.data.find("last_seen_isodate")->is_null());
    EXPECT_EQ(r.data.find("most_recent_user_interaction_time"), nullptr);
  }
  EXPECT_TRUE(p.sink.records[1].observables.empty());  // no domain, nothing to match
}

TEST(WebkitResourceLoadStatistics, FilesystemDumpRecordsTheAppContainer) {
  EXPECT_EQ(app_container_of(dump_file().relative_path), "0A1B2C3D-0000-4000-8000-00000000000A");
  EXPECT_FALSE(app_container_of("private/var/mobile/Library/WebClips/X/Storage/f.plist"));
  EXPECT_FALSE(app_container_of("Containers/Data/Application/"));
  auto p = parse(st::webkit_observations_db(rows()), dump_file());
  ASSERT_TRUE(p.result) << p.result.error().message;
  ASSERT_EQ(p.sink.records.size(), 2U);
  const auto& r = p.sink.records[0];
  EXPECT_EQ(st::data_text(r, "domain"), "");
  EXPECT_EQ(st::data_text(r, "path"), dump_file().relative_path);
  EXPECT_EQ(st::data_text(r, "container"), "0A1B2C3D-0000-4000-8000-00000000000A");
  EXPECT_EQ(r.timeline[0].description, "Webkit resource loaded from example.org");
}

TEST(WebkitResourceLoadStatistics, UnknownSchemaAndCorruptFilesFail) {
  st::SqlFixture other;
  other.exec("CREATE TABLE TopLevelDomains (topLevelDomainID INTEGER PRIMARY KEY);");
  auto p = parse(other.bytes());
  ASSERT_FALSE(p.result);
  EXPECT_EQ(p.result.error().code, ErrorCode::kMalformed);
  EXPECT_NE(p.result.error().message.find("ObservedDomains"), std::string::npos)
      << p.result.error().message;

  st::SqlFixture renamed;
  renamed.exec(
      "CREATE TABLE ObservedDomains (domainID INTEGER PRIMARY KEY, domain TEXT, lastSeen REAL, "
      "hadUserInteraction INTEGER);");
  p = parse(renamed.bytes());
  ASSERT_FALSE(p.result);
  EXPECT_NE(p.result.error().message.find("registrableDomain"), std::string::npos)
      << p.result.error().message;

  const std::string db = st::webkit_observations_db(rows());
  EXPECT_FALSE(parse(db.substr(0, 2000)).result);
  EXPECT_FALSE(parse(std::string("SQLite format 3\0 garbage", 24)).result);
}

std::vector<std::unique_ptr<scan::Module>> module() {
  std::vector<std::unique_ptr<scan::Module>> m;
  m.push_back(make_webkit_resource_load_statistics_module());
  return m;
}

TEST(WebkitResourceLoadStatistics, IndicatorOnARegistrableDomainIsCritical) {
  TempDir tmp;
  st::IosBackupBuilder b;
  b.add_file("AppDomain-com.apple.mobilesafari", kRelPath,
             st::webkit_observations_db({{1, "example.org", kT0, true, kT0, -1},
                                         // lookalikes of the indicator: no alert
                                         {2, "notevil.example", kT0 + 1, false, -1, -1},
                                         {3, "evil.example.net", kT0 + 2, false, -1, -1},
                                         {4, "evil-example.com", kT0 + 3, false, -1, -1}}));
  b.add_file("AppDomain-com.example.reader", kRelPath,
             st::webkit_observations_db({{7, "evil.example", kT0 + 10, false, -1, -1}}));
  const fs::path stix =
      testing::write_stix(tmp / "i.stix2", {{"domain-name:value", "evil.example"}});
  auto run = testing::run_ios_scan(module(), b.write(tmp / "backup"), tmp / "out", stix);
  ASSERT_TRUE(run.summary) << run.summary.error().message;
  const auto& s = *run.summary;
  ASSERT_EQ(s.modules.size(), 1U);
  EXPECT_EQ(s.modules[0].status, scan::ModuleStatus::kOk) << s.modules[0].error;
  EXPECT_EQ(s.modules[0].records, 5U);
  EXPECT_EQ(s.alerts_critical, 1U);
  EXPECT_EQ(s.alerts_high + s.alerts_medium + s.alerts_low, 0U);
  const std::string detected =
      st::read_file(tmp / "out" / "webkit_resource_load_statistics_detected.json");
  EXPECT_NE(detected.find("\"registrable_domain\": \"evil.example\""), std::string::npos);
  EXPECT_NE(detected.find("\"domain\": \"AppDomain-com.example.reader\""), std::string::npos);
  EXPECT_EQ(detected.find("notevil"), std::string::npos) << detected;
  const std::string timeline = st::read_file(tmp / "out" / "timeline.csv");
  EXPECT_NE(timeline.find("\"2021-07-14 08:00:10.000000\",\"WebkitResourceLoadStatistics\","
                          "\"visit\",\"Webkit resource loaded from evil.example by app in "
                          "domain AppDomain-com.example.reader\""),
            std::string::npos)
      << timeline;
}

TEST(WebkitResourceLoadStatistics, AbsentAndBrokenFiles) {
  TempDir tmp;
  auto m = make_webkit_resource_load_statistics_module();
  EXPECT_EQ(m->spec().slug, "webkit_resource_load_statistics");

  st::IosBackupBuilder none;
  none.add_file("HomeDomain", "Library/SMS/sms.db", "x");
  auto absent = st::run_module_on(*m, none.write(tmp / "none"));
  EXPECT_EQ(absent.status.code, scan::ModuleStatus::kNotPresent) << absent.status.message;

  // One broken store fails the module, and the good one is still read.
  st::IosBackupBuilder bad;
  const std::string good = st::webkit_observations_db(rows());
  bad.add_file("AppDomain-com.example.a", kRelPath, good.substr(0, 1000));
  bad.add_file("AppDomain-com.example.b", kRelPath, good);
  auto failed = st::run_module_on(*m, bad.write(tmp / "bad"));
  EXPECT_EQ(failed.status.code, scan::ModuleStatus::kFailed);
  EXPECT_NE(failed.status.message.find("observations.db"), std::string::npos)
      << failed.status.message;
  EXPECT_EQ(failed.sink.records.size(), 2U);

  st::IosBackupBuilder schema;
  st::SqlFixture odd;
  odd.exec("CREATE TABLE Something (x);");
  schema.add_file("AppDomain-com.example.a", kRelPath, odd.bytes());
  auto unknown = st::run_module_on(*m, schema.write(tmp / "schema"));
  EXPECT_EQ(unknown.status.code, scan::ModuleStatus::kFailed);
  EXPECT_NE(unknown.status.message.find("ObservedDomains"), std::string::npos)
      << unknown.status.message;
}

}  // namespace
}  // namespace spyglass::artifacts::ios
