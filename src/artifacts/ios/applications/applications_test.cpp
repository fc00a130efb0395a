#include "artifacts/ios/applications/applications.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <ctime>

#include "artifacts/ios/ios_test_support.hpp"
#include "formats/json/json_writer.hpp"
#include "formats/plist/reader.hpp"
#include "formats/plist/writer.hpp"
#include "support/ios_backup_builder.hpp"
#include "support/ios_fixtures_applications.hpp"
#include "support/ios_fixtures_fs_dump.hpp"
#include "support/ios_fixtures_module_run.hpp"
#include "support/temp_dir.hpp"

namespace spyglass::artifacts::ios {
namespace {

namespace fs = std::filesystem;
namespace pl = formats::plist;
namespace st = spyglass::testing;
namespace its = spyglass::artifacts::ios::testing;
using matching::ObservableKind;
using st::BackupApp;
using st::IosBackupBuilder;
using st::ItunesMetadata;
using st::TempDir;

constexpr const char* kAbcSha256 =
    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

ItunesMetadata app(std::string bundle, std::string name) {
  ItunesMetadata m;
  m.bundle_id = std::move(bundle);
  m.item_name = std::move(name);
  return m;
}

// Six apps: two an indicator names, two from the store (one via the product page), one
// sideloaded, one without a bundle id, one without metadata at all.
std::vector<BackupApp> sample_apps() {
  ItunesMetadata sideloaded = app("com.example.sideloaded", "Free VPN");
  sideloaded.source_app = "com.sideload.installer";
  ItunesMetadata product_page = app("org.example.notes", "Notes+");
  product_page.source_app = "com.apple.AppStore.ProductPageExtension";
  ItunesMetadata no_id;
  no_id.item_name = "Mystery";
  no_id.purchase_date = std::nullopt;
  return {
      {"net.whatsapp.WhatsApp", st::itunes_metadata_plist(app("net.whatsapp.WhatsApp", "WhatsApp")),
       "abc"},
      {"com.evil.spyapp", st::itunes_metadata_plist(app("com.evil.spyapp", "Spy")), std::nullopt},
      {"com.evil.spyproc", st::itunes_metadata_plist(app("com.evil.spyproc", "Proc"), true),
       std::nullopt},
      {"org.example.notes", st::itunes_metadata_plist(product_page), std::nullopt},
      {"com.example.sideloaded", st::itunes_metadata_plist(sideloaded), std::nullopt},
      {"com.example.mystery", st::itunes_metadata_plist(no_id), std::nullopt},
      {"com.example.nometa", std::nullopt, "abc"},
  };
}

fs::path write_backup(const fs::path& dir, const std::vector<BackupApp>& apps) {
  IosBackupBuilder b;
  b.add_file("HomeDomain", "Library/SMS/sms.db", "x");
  b.write(dir);
  st::add_backup_applications(dir, apps);
  return dir;
}

// The analyst's machine is in Tokyo: the purchase date must not move (MVT's does).
class TokyoClock {
 public:
  TokyoClock() {
    if (const char* tz = std::getenv("TZ")) old_ = tz;
    setenv("TZ", "Asia/Tokyo", 1);
    tzset();
  }
  ~TokyoClock() {
    if (old_) {
      setenv("TZ", old_->c_str(), 1);
    } else {
      unsetenv("TZ");
    }
    tzset();
  }

 private:
  std::optional<std::string> old_;
};

TEST(Applications, RecordHasMetadataDateIconAndObservables) {
  TokyoClock tokyo;
  auto md = parse_itunes_metadata(st::itunes_metadata_plist(app("net.whatsapp.WhatsApp", "WA")));
  ASSERT_TRUE(md) << md.error().message;
  const std::string icon = "abc";
  AppSource source;
  source.name = "net.whatsapp.WhatsApp";
  source.icon = std::span<const std::uint8_t>(reinterpret_cast<const std::uint8_t*>(icon.data()),
                                              icon.size());
  scan::Record r = application_record(md->as_dict(), source);
  const std::string json = json::to_json_line(r.data);
  EXPECT_EQ(json.rfind("{\"name\": \"net.whatsapp.WhatsApp\", \"artistId\": 284882218", 0), 0U)
      << json;
  EXPECT_NE(json.find("\"com.apple.iTunesStore.downloadInfo\": {\"accountInfo\""),
            std::string::npos);
  EXPECT_NE(json.find("\"isodate\": \"2021-03-01 12:00:00.000000\", \"icon_sha256\": \"" +
                      std::string(kAbcSha256) + "\"}"),
            std::string::npos)
      << json;
  ASSERT_TRUE(r.time);
  EXPECT_EQ(format_mvt_time(*r.time), "2021-03-01 12:00:00.000000");
  ASSERT_EQ(r.timeline.size(), 1U);
  EXPECT_EQ(r.timeline[0].event, "app_installed");
  EXPECT_EQ(r.timeline[0].description,
            "App net.whatsapp.WhatsApp version 1.0 from Vendor Ltd installed from "
            "com.apple.AppStore");
  EXPECT_EQ(st::observed(r, ObservableKind::kProcess),
            (std::vector<std::string>{"net.whatsapp.WhatsApp"}));
  EXPECT_EQ(st::observed(r, ObservableKind::kAppId),
            (std::vector<std::string>{"net.whatsapp.WhatsApp"}));
  for (const auto& o : r.observables) EXPECT_EQ(o.level, report::AlertLevel::kCritical);
  EXPECT_TRUE(r.heuristics.empty());
}

TEST(Applications, HeuristicsNeedNoIndicators) {
  ItunesMetadata missing_source = app("com.example.a", "A");
  missing_source.source_app = std::nullopt;  // absent counts as the App Store
  for (const char* ok :
       {"com.apple.AppStore", "com.apple.AppStore.ProductPageExtension", "com.apple.dmd", "dmd"}) {
    ItunesMetadata m = app("com.example.a", "A");
    m.source_app = ok;
    auto md = parse_itunes_metadata(st::itunes_metadata_plist(m));
    ASSERT_TRUE(md);
    EXPECT_TRUE(application_record(md->as_dict(), {}).heuristics.empty()) << ok;
  }
  auto md = parse_itunes_metadata(st::itunes_metadata_plist(missing_source));
  ASSERT_TRUE(md);
  EXPECT_TRUE(application_record(md->as_dict(), {}).heuristics.empty());

  ItunesMetadata testflight = app("com.example.beta", "Beta");
  testflight.source_app = "com.apple.TestFlight";
  md = parse_itunes_metadata(st::itunes_metadata_plist(testflight));
  ASSERT_TRUE(md);
  scan::Record r = application_record(md->as_dict(), {});
  ASSERT_EQ(r.heuristics.size(), 1U);
  EXPECT_EQ(r.heuristics[0].level, report::AlertLevel::kMedium);
  EXPECT_EQ(r.heuristics[0].message,
            "Suspicious app not installed from the App Store or MDM: com.example.beta "
            "(sourceApp com.apple.TestFlight)");

  AppSource none;
  none.name = "com.example.nometa";
  none.metadata_error = "no iTunesMetadata";
  r = application_record(nullptr, none);
  ASSERT_EQ(r.heuristics.size(), 1U);
  EXPECT_EQ(r.heuristics[0].message,
            "Suspicious application identified without softwareVersionBundleId: "
            "com.example.nometa");
  EXPECT_TRUE(r.observables.empty());
  EXPECT_TRUE(r.timeline.empty());
  EXPECT_EQ(st::data_text(r, "itunes_metadata_error"), "no iTunesMetadata");
}

TEST(Applications, MetadataParserRejectsHostileInput) {
  EXPECT_FALSE(parse_itunes_metadata(""));
  EXPECT_FALSE(parse_itunes_metadata("bplist00garbage"));
  EXPECT_FALSE(parse_itunes_metadata("<?xml version=\"1.0\"?><plist><dict><key>a</key>"));
  auto array = parse_itunes_metadata(*pl::write_binary(pl::Value(pl::Array{1, 2})));
  ASSERT_FALSE(array);
  EXPECT_NE(array.error().message.find("not a dict"), std::string::npos);
  const std::string good = st::itunes_metadata_plist(app("a.b", "c"));
  for (std::size_t n = 0; n < good.size(); n += 5) (void)parse_itunes_metadata(good.substr(0, n));
  // A purchase date that is no date gives no time and no event, but the record stays.
  pl::Dict dl;
  dl.set("purchaseDate", "yesterday");
  pl::Dict d;
  d.set("softwareVersionBundleId", "a.b");
  d.set("com.apple.iTunesStore.downloadInfo", std::move(dl));
  scan::Record r = application_record(&d, {});
  EXPECT_FALSE(r.time);
  EXPECT_TRUE(r.timeline.empty());
  EXPECT_EQ(r.data.find("isodate"), nullptr);
}

TEST(Applications, ScanOnBackupAlertsAtTheRightLevels) {
  TempDir tmp;
  const fs::path backup = write_backup(tmp / "backup", sample_apps());
  const fs::path stix = its::write_stix(tmp / "i.stix2", {{"app:id", "com.evil.spyapp"},
                                                          {"process:name", "com.evil.spyproc"},
                                                          {"app:id", "com.evil.notinstalled"}});
  std::vector<std::unique_ptr<scan::Module>> modules;
  modules.push_back(make_applications_module());
  auto run = its::run_ios_scan(std::move(modules), backup, tmp / "out", stix);
  ASSERT_TRUE(run.summary) << run.summary.error().message;
  const auto& s = *run.summary;
  EXPECT_EQ(s.modules[0].status, scan::ModuleStatus::kOk) << s.modules[0].error;
  EXPECT_EQ(s.modules[0].records, 7U);
  EXPECT_EQ(s.alerts_critical, 2U);
  // Sideloaded, no bundle id (metadata without it, and no metadata at all).
  EXPECT_EQ(s.alerts_medium, 3U);
  EXPECT_EQ(s.alerts_high + s.alerts_low, 0U);
  const std::string detected = st::read_file(tmp / "out" / "applications_detected.json");
  EXPECT_NE(detected.find("com.evil.spyapp"), std::string::npos);
  EXPECT_NE(detected.find("com.evil.spyproc"), std::string::npos);
  EXPECT_NE(detected.find("not installed from the App Store or MDM: com.example.sideloaded"),
            std::string::npos);
  EXPECT_EQ(detected.find("org.example.notes"), std::string::npos) << detected;
  EXPECT_EQ(detected.find("\"name\": \"net.whatsapp.WhatsApp\""), std::string::npos);
  const std::string json = st::read_file(tmp / "out" / "applications.json");
  EXPECT_NE(json.find(kAbcSha256), std::string::npos);
  const std::string timeline = st::read_file(tmp / "out" / "timeline.csv");
  EXPECT_NE(timeline.find("\"2021-03-01 12:00:00.000000\",\"Applications\",\"app_installed\","
                          "\"App com.example.sideloaded version 1.0 from Vendor Ltd installed "
                          "from com.sideload.installer\""),
            std::string::npos)
      << timeline;
  EXPECT_NE(std::find(run.files_read.begin(), run.files_read.end(), "Info.plist"),
            run.files_read.end());

  // Without indicators the heuristics still run.
  std::vector<std::unique_ptr<scan::Module>> again;
  again.push_back(make_applications_module());
  auto plain = its::run_ios_scan(std::move(again), backup, tmp / "out2");
  ASSERT_TRUE(plain.summary);
  EXPECT_EQ(plain.summary->alerts_medium, 3U);
  EXPECT_EQ(plain.summary->alerts_critical, 0U);
}

TEST(Applications, FilesystemDumpReadsEachBundlesMetadata) {
  TempDir tmp;
  const fs::path dump = tmp / "dump";
  const std::string base = "private/var/containers/Bundle/Application/";
  st::put_file(dump, base + "0A6C1F1E-0000-4000-8000-000000000001/iTunesMetadata.plist",
               st::itunes_metadata_plist(app("net.whatsapp.WhatsApp", "WhatsApp")));
  ItunesMetadata side = app("com.example.sideloaded", "Free VPN");
  side.source_app = "com.sideload.installer";
  st::put_file(dump, base + "0A6C1F1E-0000-4000-8000-000000000002/iTunesMetadata.plist",
               st::itunes_metadata_plist(side, true));
  st::put_file(dump, base + "0A6C1F1E-0000-4000-8000-000000000002/Other.plist", "x");
  auto module = make_applications_module();
  auto run = st::run_module_on_dump(*module, dump);
  ASSERT_EQ(run.status.code, scan::ModuleStatus::kOk) << run.status.message;
  ASSERT_EQ(run.sink.records.size(), 2U);
  const scan::Record& wa = run.sink.records[0];
  EXPECT_EQ(st::data_text(wa, "file_path"),
            base + "0A6C1F1E-0000-4000-8000-000000000001/iTunesMetadata.plist");
  EXPECT_EQ(wa.data.find("name"), nullptr);
  EXPECT_EQ(wa.data.find("icon_sha256"), nullptr);
  EXPECT_EQ(st::data_text(wa, "isodate"), "2021-03-01 12:00:00.000000");
  EXPECT_EQ(wa.timeline[0].description,
            "App WhatsApp version 1.0 from Vendor Ltd installed from com.apple.AppStore");
  EXPECT_EQ(st::findings(run.sink),
            (std::vector<std::string>{"MEDIUM: Suspicious app not installed from the App Store "
                                      "or MDM: com.example.sideloaded (sourceApp "
                                      "com.sideload.installer)"}));

  // One unreadable bundle plist: the others are still read, the module reports the failure.
  st::put_file(dump, base + "0A6C1F1E-0000-4000-8000-000000000003/iTunesMetadata.plist",
               st::itunes_metadata_plist(side).substr(0, 40));
  auto broken = st::run_module_on_dump(*module, dump);
  EXPECT_EQ(broken.status.code, scan::ModuleStatus::kFailed);
  EXPECT_NE(broken.status.message.find("1 of 3 iTunesMetadata.plist unreadable"), std::string::npos)
      << broken.status.message;
  EXPECT_EQ(broken.sink.records.size(), 2U);

  auto empty = st::run_module_on_dump(*module, tmp / "nothing");
  EXPECT_EQ(empty.status.code, scan::ModuleStatus::kNotPresent) << empty.status.message;
}

TEST(Applications, BackupWithoutAppsOrWithBrokenInfoPlist) {
  TempDir tmp;
  auto module = make_applications_module();
  IosBackupBuilder plain;
  plain.add_file("HomeDomain", "Library/SMS/sms.db", "x");
  auto absent = st::run_module_on(*module, plain.write(tmp / "plain"));
  EXPECT_EQ(absent.status.code, scan::ModuleStatus::kNotPresent) << absent.status.message;

  IosBackupBuilder no_info;
  no_info.add_file("HomeDomain", "Library/SMS/sms.db", "x");
  no_info.omit_info_plist();
  auto missing = st::run_module_on(*module, no_info.write(tmp / "noinfo"));
  EXPECT_EQ(missing.status.code, scan::ModuleStatus::kNotPresent) << missing.status.message;

  const fs::path truncated = write_backup(tmp / "truncated", sample_apps());
  const std::string info = st::read_file(truncated / "Info.plist");
  st::write_file(truncated / "Info.plist", info.substr(0, info.size() / 2));
  auto failed = st::run_module_on(*module, truncated);
  EXPECT_EQ(failed.status.code, scan::ModuleStatus::kFailed) << failed.status.message;
  EXPECT_NE(failed.status.message.find("Info.plist"), std::string::npos) << failed.status.message;

  // Applications that is not a dict: an unknown layout, not an empty one.
  const fs::path odd = tmp / "odd";
  IosBackupBuilder b;
  b.add_file("HomeDomain", "Library/SMS/sms.db", "x");
  b.write(odd);
  auto parsed = pl::parse(st::read_file(odd / "Info.plist"));
  ASSERT_TRUE(parsed);
  parsed->as_dict()->set("Applications", pl::Array{"net.whatsapp.WhatsApp"});
  st::write_file(odd / "Info.plist", *pl::write_binary(*parsed));
  auto unknown = st::run_module_on(*module, odd);
  EXPECT_EQ(unknown.status.code, scan::ModuleStatus::kFailed);
  EXPECT_NE(unknown.status.message.find("Applications is a array"), std::string::npos)
      << unknown.status.message;

  // A truncated iTunesMetadata blob inside a readable Info.plist: the app is still listed,
  // with the error, and flagged (no bundle id can be read).
  const fs::path blob = write_backup(
      tmp / "blob",
      {{"com.example.cut", st::itunes_metadata_plist(app("com.example.cut", "C")).substr(0, 30),
        std::nullopt}});
  auto cut = st::run_module_on(*module, blob);
  ASSERT_EQ(cut.status.code, scan::ModuleStatus::kOk) << cut.status.message;
  ASSERT_EQ(cut.sink.records.size(), 1U);
  EXPECT_FALSE(st::data_text(cut.sink.records[0], "itunes_metadata_error").empty());
  EXPECT_EQ(st::findings(cut.sink).size(), 1U);
}

}  // namespace
}  // namespace spyglass::artifacts::ios
