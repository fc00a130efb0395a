#include "artifacts/ios/triangle_check/triangle_check.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "artifacts/ios/ios_test_support.hpp"
#include "support/ios_backup_builder.hpp"
#include "support/ios_fixtures_datausage.hpp"
#include "support/ios_fixtures_preferences.hpp"
#include "support/ios_fixtures_sql.hpp"
#include "support/ios_fixtures_triangle_check.hpp"
#include "support/temp_dir.hpp"

namespace spyglass::artifacts::ios {
namespace {

namespace fs = std::filesystem;
namespace plist = formats::plist;
namespace fx = spyglass::testing;
using spyglass::testing::DataUsageFixture;
using spyglass::testing::IosBackupBuilder;
using spyglass::testing::ManifestTimes;
using spyglass::testing::read_file;
using spyglass::testing::TempDir;

constexpr std::int64_t kT = 1686000000;  // 2023-06-05 21:20:00 UTC
constexpr double kMacT = static_cast<double>(kT) - 978307200.0;
constexpr const char* kSmsDir = "Library/SMS/Attachments/0a";
constexpr const char* kIonosphere =
    "com.apple.locationd.bundle-/System/Library/LocationBundles/IonosphereHarvest.bundle";

// ---- The heuristic on its own --------------------------------------------------------------

TriangleEvent ev(std::int64_t seconds, TriangleClass cls, TriangleKind kind, std::string subject) {
  TriangleEvent e;
  e.time = seconds * 1'000'000;
  e.cls = cls;
  e.kind = kind;
  e.description = std::string(triangle_kind_name(kind)) + " " + subject;
  e.subject = std::move(subject);
  return e;
}

// An SMS attachment folder modified and status-changed at `seconds`.
void add_dir(std::vector<TriangleEvent>& events, std::int64_t seconds,
             const std::string& path = kSmsDir) {
  events.push_back(ev(seconds, TriangleClass::kSmsAttachmentDir, TriangleKind::kModified, path));
  events.push_back(
      ev(seconds, TriangleClass::kSmsAttachmentDir, TriangleKind::kStatusChanged, path));
}

TriangleEvent net(std::int64_t seconds, const std::string& process = "nehelper") {
  return ev(seconds, TriangleClass::kNet, TriangleKind::kNetFirst, process);
}

std::vector<TriangleWindow> windows(std::vector<TriangleEvent> events) {
  sort_triangle_events(events);
  return find_triangle_windows(events);
}

TEST(TriangleCheck, SmsAttachmentFoldersAreThreeOrFourSlashesDeep) {
  EXPECT_TRUE(is_sms_attachment_dir("Library/SMS/Attachments/0a"));
  EXPECT_TRUE(is_sms_attachment_dir("Library/SMS/Attachments/0a/01"));
  EXPECT_FALSE(is_sms_attachment_dir("Library/SMS/Attachments/0a/01/GUID"));
  EXPECT_FALSE(is_sms_attachment_dir("Library/SMS/Attachments/0a/01/GUID/IMG_0001.jpeg"));
  EXPECT_FALSE(is_sms_attachment_dir("Library/SMS/Attachments/"));
  EXPECT_FALSE(is_sms_attachment_dir("Library/SMS/Attachments"));
  EXPECT_FALSE(is_sms_attachment_dir("Library/SMS/attachments/0a"));
  EXPECT_FALSE(is_sms_attachment_dir("Library/Preferences/com.apple.ImageIO.plist"));
}

TEST(TriangleCheck, TwoClassesWithinFiveMinutesAreFlagged) {
  std::vector<TriangleEvent> e;
  add_dir(e, kT);
  e.push_back(net(kT + 300));  // exactly 5 minutes: inside
  auto w = windows(e);
  ASSERT_EQ(w.size(), 1U);
  EXPECT_EQ(w[0].first, 0U);
  EXPECT_EQ(w[0].last, 3U);
  EXPECT_EQ(w[0].classes,
            (std::vector<TriangleClass>{TriangleClass::kSmsAttachmentDir, TriangleClass::kNet}));

  std::vector<TriangleEvent> later;
  add_dir(later, kT);
  later.push_back(net(kT + 301));
  EXPECT_TRUE(windows(later).empty());
  std::vector<TriangleEvent> ten_minutes;
  add_dir(ten_minutes, kT);
  ten_minutes.push_back(net(kT + 600));
  EXPECT_TRUE(windows(ten_minutes).empty());
}

TEST(TriangleCheck, OneClassAloneIsNotFlagged) {
  std::vector<TriangleEvent> e = {net(kT), net(kT + 1, "BackupAgent"), net(kT + 2, "a")};
  add_dir(e, kT + 3);
  add_dir(e, kT + 4, "Library/SMS/Attachments/0b/02");
  EXPECT_EQ(windows(e).size(), 1U);  // sms + net
  std::vector<TriangleEvent> only_net = {net(kT), net(kT + 1, "BackupAgent")};
  EXPECT_TRUE(windows(only_net).empty());
  std::vector<TriangleEvent> only_dirs;
  add_dir(only_dirs, kT);
  add_dir(only_dirs, kT + 4, "Library/SMS/Attachments/0b/02");
  EXPECT_TRUE(windows(only_dirs).empty());
}

TEST(TriangleCheck, FolderNeedsBothModificationAndStatusChange) {
  std::vector<TriangleEvent> e = {
      ev(kT, TriangleClass::kSmsAttachmentDir, TriangleKind::kModified, kSmsDir),
      ev(kT, TriangleClass::kSmsAttachmentDir, TriangleKind::kBirth, kSmsDir), net(kT + 10)};
  EXPECT_TRUE(windows(e).empty());
  // A second, complete folder does not rescue a window that holds an incomplete one.
  add_dir(e, kT - 1, "Library/SMS/Attachments/0b");
  EXPECT_TRUE(windows(e).empty());
}

TEST(TriangleCheck, AReceivedAttachmentExplainsTheFolderChanges) {
  std::vector<TriangleEvent> e;
  add_dir(e, kT);
  e.push_back(ev(kT + 5, TriangleClass::kSmsAttachment, TriangleKind::kModified,
                 "Library/SMS/Attachments/0a/01/GUID/IMG_0001.jpeg"));
  e.push_back(net(kT + 60));
  EXPECT_TRUE(windows(e).empty());
}

TEST(TriangleCheck, WindowHoldsTenEventsAndIsReportedOnce) {
  std::vector<TriangleEvent> e;
  for (int i = 0; i < 15; ++i) e.push_back(net(kT + i, "p" + std::to_string(100 + i)));
  e.push_back(ev(kT + 1, TriangleClass::kFile, TriangleKind::kModified,
                 "Library/Preferences/com.apple.ImageIO.plist"));
  auto w = windows(e);
  // The windows starting at the first two events hold the file event: the second overlaps
  // the first and is not repeated; later ones have one class only.
  ASSERT_EQ(w.size(), 1U);
  EXPECT_EQ(w[0].first, 0U);
  EXPECT_EQ(w[0].last, kTriangleWindowEvents);
}

TEST(TriangleCheck, SortIsByTimeThenClassThenDescription) {
  std::vector<TriangleEvent> e = {net(kT + 1, "b"), net(kT, "z"),
                                  ev(kT, TriangleClass::kFile, TriangleKind::kBirth, "y"),
                                  net(kT, "a")};
  sort_triangle_events(e);
  EXPECT_EQ(e[0].subject, "y");
  EXPECT_EQ(e[1].subject, "a");
  EXPECT_EQ(e[2].subject, "z");
  EXPECT_EQ(e[3].subject, "b");
}

// ---- Through the real runner, on generated backups ------------------------------------------

std::vector<std::unique_ptr<scan::Module>> module() {
  std::vector<std::unique_ptr<scan::Module>> m;
  m.push_back(make_triangle_check_module());
  return m;
}

DataUsageFixture usage(std::vector<fx::DataUsageProcess> processes,
                       std::vector<fx::DataUsageLive> live = {}) {
  DataUsageFixture f;
  f.processes = std::move(processes);
  f.live = std::move(live);
  return f;
}

void add_datausage(IosBackupBuilder& b, const DataUsageFixture& f) {
  b.add_file("WirelessDomain", "Library/Databases/DataUsage.sqlite", fx::datausage_db(f));
}

struct Scanned {
  scan::ScanSummary summary;
  std::string json;      // triangle_check.json
  std::string detected;  // triangle_check_detected.json ("" when no alert)
  std::string timeline;  // timeline.csv
};

Scanned scan_backup(const TempDir& tmp, const fs::path& backup,
                    std::optional<sources::ios_backup::Secret> secret = std::nullopt) {
  auto run = testing::run_ios_scan(module(), backup, tmp / "out", {}, std::move(secret));
  EXPECT_TRUE(run.summary) << run.summary.error().message;
  Scanned out;
  if (!run.summary) return out;
  out.summary = *run.summary;
  auto read_if = [&](const char* name) {
    return fs::exists(tmp / "out" / name) ? read_file(tmp / "out" / name) : std::string();
  };
  out.json = read_if("triangle_check.json");
  out.detected = read_if("triangle_check_detected.json");
  out.timeline = read_if("timeline.csv");
  return out;
}

std::size_t all_alerts(const scan::ScanSummary& s) {
  return s.alerts_critical + s.alerts_high + s.alerts_medium + s.alerts_low +
         s.alerts_informational;
}

bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

TEST(TriangleCheck, BackupAgentNetworkUsageIsCritical) {
  TempDir tmp;
  IosBackupBuilder b;
  add_datausage(b, usage({{1, kMacT, kMacT + 3600, std::nullopt, "BackupAgent"},
                          {2, kMacT, kMacT + 10, std::nullopt, "BackupAgent2"},
                          {3, kMacT + 5, kMacT + 7, std::nullopt, "nehelper"}},
                         {{1, 1, kMacT + 60, 0, 0, 10, 20},
                          {2, 1, kMacT + 120, 0, 0, 30, 40},
                          {3, 2, kMacT + 130, 0, 0, 1, 1}}));
  b.add_file("HomeDomain", "Library/Preferences/com.apple.osanalytics.addaily.plist",
             fx::osanalytics_addaily_plist({{"BackupAgent", kT + 30.0, 1, 2, 3, 4},
                                            {"BackupAgent2", kT + 40.0, 1, 2, 3, 4}}));
  auto s = scan_backup(tmp, b.write(tmp / "backup"));
  ASSERT_EQ(s.summary.modules.size(), 1U);
  EXPECT_EQ(s.summary.modules[0].status, scan::ModuleStatus::kOk) << s.summary.modules[0].error;
  EXPECT_EQ(s.summary.alerts_critical, 2U);  // one per source, not one per row
  EXPECT_EQ(s.summary.alerts_high, 0U);      // net events only: one class
  EXPECT_EQ(s.summary.exit_code(), 1);
  EXPECT_TRUE(contains(s.detected,
                       "BackupAgent network usage: Operation Triangulation (DataUsage.sqlite, "
                       "2 entries, first seen 2023-06-05 21:20:00.000000)"))
      << s.detected;
  EXPECT_TRUE(contains(s.detected,
                       "BackupAgent network usage: Operation Triangulation (netUsageBaseline, 1 "
                       "entry, first seen 2023-06-05 21:20:30.000000)"))
      << s.detected;
  EXPECT_FALSE(contains(s.detected, "BackupAgent2"));
  // BackupAgent: first use and last use (read twice, kept once), two live rows; its baseline;
  // nehelper's first and last use. BackupAgent2 is not watched.
  EXPECT_EQ(s.summary.modules[0].records, 7U);
  EXPECT_FALSE(contains(s.json, "BackupAgent2"));
  EXPECT_TRUE(contains(s.timeline,
                       "\"TriangleCheck\",\"net_live_usage\",\"traffic by process BackupAgent "
                       "(DataUsage.sqlite live usage)\""))
      << s.timeline;
}

TEST(TriangleCheck, BackupAgentInAnEncryptedBackup) {
  TempDir tmp;
  IosBackupBuilder b;
  add_datausage(b, usage({{1, kMacT, kMacT + 3600, std::nullopt, "BackupAgent"}}));
  b.set_encrypted("pw", {.dpic = 1000});
  sources::ios_backup::Secret secret;
  secret.bytes = sources::ios_backup::SecureBytes(std::string_view("pw"));
  auto s = scan_backup(tmp, b.write(tmp / "backup"), std::move(secret));
  EXPECT_EQ(s.summary.modules[0].status, scan::ModuleStatus::kOk) << s.summary.modules[0].error;
  EXPECT_EQ(s.summary.alerts_critical, 1U);
}

// A backup with the SMS attachment folder changed at kT (created a month before) and
// nehelper's first traffic `net_delay` seconds later.
fs::path folder_and_traffic(const TempDir& tmp, std::int64_t net_delay) {
  IosBackupBuilder b;
  b.add_directory("MediaDomain", kSmsDir);
  add_datausage(b, usage({{1, kMacT + static_cast<double>(net_delay), kMacT + 86400, std::nullopt,
                           "nehelper"}}));
  const fs::path backup = b.write(tmp / "backup");
  fx::set_manifest_times(backup, "MediaDomain", kSmsDir, {kT - 30 * 86400, kT, kT});
  return backup;
}

TEST(TriangleCheck, SmsFolderChangeAndTrafficWithinFiveMinutesIsHigh) {
  TempDir tmp;
  auto s = scan_backup(tmp, folder_and_traffic(tmp, 120));
  EXPECT_EQ(s.summary.modules[0].status, scan::ModuleStatus::kOk) << s.summary.modules[0].error;
  EXPECT_EQ(s.summary.alerts_high, 1U);
  EXPECT_EQ(s.summary.alerts_critical, 0U);
  EXPECT_TRUE(contains(
      s.detected,
      "Suspicious combination of events (Operation Triangulation heuristic): "
      "sms_attachment_dir, net within 5 minutes: 2023-06-05 21:20:00.000000 file attribute "
      "change: Library/SMS/Attachments/0a (MediaDomain); 2023-06-05 21:20:00.000000 file "
      "modification: Library/SMS/Attachments/0a (MediaDomain); 2023-06-05 21:22:00.000000 "
      "traffic by process nehelper (DataUsage.sqlite first use)"))
      << s.detected;
  // Birth, modification, status change, first and last use: in time order.
  EXPECT_EQ(s.summary.modules[0].records, 5U);
  const auto birth = s.json.find("\"event\": \"file_birth\"");
  const auto modified = s.json.find("\"event\": \"file_modified\"");
  const auto last_use = s.json.find("\"event\": \"net_last_usage\"");
  ASSERT_NE(birth, std::string::npos) << s.json;
  EXPECT_LT(birth, modified);
  EXPECT_LT(modified, last_use);
  EXPECT_TRUE(contains(s.json,
                       "        \"isodate\": \"2023-06-05 21:20:00.000000\",\n"
                       "        \"event_class\": \"sms_attachment_dir\",\n"
                       "        \"event\": \"file_modified\",\n"
                       "        \"subject\": \"Library/SMS/Attachments/0a\",\n"
                       "        \"source\": \"Manifest.db\",\n"
                       "        \"description\": \"file modification: Library/SMS/Attachments/0a "
                       "(MediaDomain)\"\n"))
      << s.json;
  EXPECT_TRUE(contains(s.timeline,
                       "\"TriangleCheck\",\"file_status_changed\",\"file attribute change: "
                       "Library/SMS/Attachments/0a (MediaDomain)\""))
      << s.timeline;
}

TEST(TriangleCheck, SameEventsTenMinutesApartDoNotAlert) {
  TempDir tmp;
  auto s = scan_backup(tmp, folder_and_traffic(tmp, 600));
  EXPECT_EQ(s.summary.modules[0].status, scan::ModuleStatus::kOk) << s.summary.modules[0].error;
  EXPECT_EQ(all_alerts(s.summary), 0U);
  EXPECT_EQ(s.summary.modules[0].records, 5U);  // the timeline is still there
  EXPECT_EQ(s.summary.exit_code(), 0);
}

TEST(TriangleCheck, LocationBundleStoppingNearAFolderChangeIsHigh) {
  TempDir tmp;
  IosBackupBuilder b;
  b.add_directory("MediaDomain", kSmsDir);
  plist::Dict ionosphere;
  ionosphere.set("LocationTimeStopped", kMacT + 30);
  plist::Dict wrm;  // the newer key form, "i<key>:"
  wrm.set("LocationTimeStopped", kMacT + 86400);
  plist::Dict maps;
  maps.set("BundleId", "com.apple.Maps");
  maps.set("LocationTimeStopped", kMacT + 40);
  b.add_file(
      "RootDomain", "Library/Caches/locationd/clients.plist",
      fx::locationd_clients_plist({{kIonosphere, ionosphere},
                                   {"icom.apple.locationd.bundle-/System/Library/LocationBundles/"
                                    "WRMLinkSelection.bundle:",
                                    wrm},
                                   {"com.apple.Maps", maps}}));
  const fs::path backup = b.write(tmp / "backup");
  fx::set_manifest_times(backup, "MediaDomain", kSmsDir, {kT - 86400, kT, kT});
  auto s = scan_backup(tmp, backup);
  EXPECT_EQ(s.summary.modules[0].status, scan::ModuleStatus::kOk) << s.summary.modules[0].error;
  EXPECT_EQ(s.summary.alerts_high, 1U);
  EXPECT_TRUE(contains(s.detected, "sms_attachment_dir, location within 5 minutes")) << s.detected;
  EXPECT_TRUE(contains(s.detected, std::string("location service stopped: ") + kIonosphere));
  EXPECT_TRUE(contains(s.json, "WRMLinkSelection.bundle\",\n        \"source\": \"clients.plist\""))
      << s.json;
  EXPECT_FALSE(contains(s.json, "com.apple.Maps"));
  EXPECT_EQ(s.summary.modules[0].records, 5U);  // B, M, C, two location stops
}

TEST(TriangleCheck, CleanBackupHasNoAlerts) {
  TempDir tmp;
  IosBackupBuilder b;
  // A received attachment: its folders change with it, a minute before nehelper's traffic.
  const std::string deep = std::string(kSmsDir) + "/01/6C1D3F1E-GUID";
  const std::string image = deep + "/IMG_0001.jpeg";
  b.add_directory("MediaDomain", kSmsDir);
  b.add_directory("MediaDomain", std::string(kSmsDir) + "/01");
  b.add_directory("MediaDomain", deep);
  b.add_file("MediaDomain", image, "jpeg bytes");
  b.add_file("RootDomain", "Library/Preferences/com.apple.ImageIO.plist", "plist");
  add_datausage(b, usage({{1, kMacT + 60, kMacT + 86400, std::nullopt, "nehelper"},
                          {2, kMacT, kMacT + 10, std::nullopt, "BackupAgent2"},
                          {3, kMacT + 1, kMacT + 20, "com.apple.mobilesafari",
                           "MobileSafari/com.apple.mobilesafari"}}));
  b.add_file("HomeDomain", "Library/Preferences/com.apple.osanalytics.addaily.plist",
             fx::osanalytics_addaily_plist({{"BackupAgent2", kT + 40.0, 1, 2, 3, 4}}));
  const fs::path backup = b.write(tmp / "backup");
  for (const std::string& path : {std::string(kSmsDir), std::string(kSmsDir) + "/01", deep}) {
    fx::set_manifest_times(backup, "MediaDomain", path, {kT, kT, kT});
  }
  fx::set_manifest_times(backup, "MediaDomain", image, {kT + 1, kT + 1, kT + 1});
  const std::string before = spyglass::testing::hash_tree(backup);
  auto s = scan_backup(tmp, backup);
  EXPECT_EQ(s.summary.modules[0].status, scan::ModuleStatus::kOk) << s.summary.modules[0].error;
  EXPECT_EQ(all_alerts(s.summary), 0U) << s.detected;
  EXPECT_EQ(s.summary.exit_code(), 0);
  // The folders, ImageIO and nehelper are on the timeline; the attachment itself is not.
  EXPECT_TRUE(contains(s.json, "com.apple.ImageIO.plist"));
  EXPECT_FALSE(contains(s.json, "IMG_0001.jpeg"));
  EXPECT_EQ(spyglass::testing::hash_tree(backup), before);
}

TEST(TriangleCheck, NoInputsIsNotPresent) {
  TempDir tmp;
  IosBackupBuilder b;
  b.add_file("HomeDomain", "Library/Notes/notes.sqlite", "x");
  b.add_directory("MediaDomain", "Library/SMS");
  auto s = scan_backup(tmp, b.write(tmp / "backup"));
  EXPECT_EQ(s.summary.modules[0].status, scan::ModuleStatus::kNotPresent);
  EXPECT_EQ(s.summary.exit_code(), 0);
}

// Chosen behaviour: an unreadable input fails the module (the check is incomplete, exit code
// 2 when nothing else is found) but what the other inputs show is still reported.
TEST(TriangleCheck, CorruptDataUsageFailsButTheOtherInputsAreChecked) {
  TempDir tmp;
  IosBackupBuilder b;
  b.add_directory("MediaDomain", kSmsDir);
  b.add_file("RootDomain", "Library/Preferences/com.apple.ImageIO.plist", "plist");
  const std::string good =
      fx::datausage_db(usage({{1, kMacT, kMacT, std::nullopt, "BackupAgent"}}));
  std::string garbled = good;
  for (std::size_t i = 4096; i < garbled.size(); i += 7) garbled[i] = '\x5a';
  b.add_file("WirelessDomain", "Library/Databases/DataUsage.sqlite", garbled);
  const fs::path backup = b.write(tmp / "backup");
  fx::set_manifest_times(backup, "MediaDomain", kSmsDir, {kT - 86400, kT, kT});
  fx::set_manifest_times(backup, "RootDomain", "Library/Preferences/com.apple.ImageIO.plist",
                         {kT + 60, kT + 60, kT + 60});
  auto s = scan_backup(tmp, backup);
  const auto& m = s.summary.modules[0];
  EXPECT_EQ(m.status, scan::ModuleStatus::kFailed);
  EXPECT_TRUE(contains(m.error, "WirelessDomain/Library/Databases/DataUsage.sqlite")) << m.error;
  EXPECT_TRUE(contains(m.error, "(the other inputs were checked)")) << m.error;
  EXPECT_EQ(s.summary.alerts_high, 1U);
  EXPECT_TRUE(contains(s.detected, "sms_attachment_dir, file within 5 minutes")) << s.detected;
  EXPECT_EQ(s.summary.exit_code(), 1);  // detected, even though incomplete

  // Nothing else to go on: incomplete, not clean.
  TempDir tmp2;
  IosBackupBuilder only;
  only.add_file("WirelessDomain", "Library/Databases/DataUsage.sqlite", good.substr(0, 50));
  auto s2 = scan_backup(tmp2, only.write(tmp2 / "backup"));
  EXPECT_EQ(s2.summary.modules[0].status, scan::ModuleStatus::kFailed);
  EXPECT_EQ(s2.summary.exit_code(), 2);
}

TEST(TriangleCheck, UnknownDataUsageSchemaAndBadPlistsFailNamingTheProblem) {
  TempDir tmp;
  IosBackupBuilder b;
  b.add_file("WirelessDomain", "Library/Databases/DataUsage.sqlite", [] {
    fx::SqlFixture f;
    f.exec(
        "CREATE TABLE ZPROCESS (Z_PK INTEGER PRIMARY KEY, ZBUNDLENAME VARCHAR);"
        "CREATE TABLE ZLIVEUSAGE (Z_PK INTEGER PRIMARY KEY);");
    return f.bytes();
  }());
  b.add_file("HomeDomain", "Library/Preferences/com.apple.osanalytics.addaily.plist",
             "bplist00 truncated");
  auto s = scan_backup(tmp, b.write(tmp / "backup"));
  const auto& m = s.summary.modules[0];
  EXPECT_EQ(m.status, scan::ModuleStatus::kFailed);
  EXPECT_TRUE(contains(m.error, "ZPROCNAME")) << m.error;
  EXPECT_TRUE(contains(m.error, "com.apple.osanalytics.addaily.plist")) << m.error;
}

}  // namespace
}  // namespace spyglass::artifacts::ios
