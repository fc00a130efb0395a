#include "artifacts/ios/configuration_profiles/configuration_profiles.hpp"

#include <gtest/gtest.h>

#include "formats/json/json_writer.hpp"
#include "support/ios_backup_builder.hpp"
#include "support/ios_fixtures_module_run.hpp"
#include "support/ios_fixtures_preferences.hpp"
#include "support/temp_dir.hpp"
#include "support/time.hpp"

namespace spyglass::artifacts::ios {
namespace {

using matching::ObservableKind;
using testing::ConfigurationProfile;

constexpr double kInstall = 1626249600.0;  // 2021-07-14 08:00:00 UTC

IosFile profile_file() {
  IosFile f;
  f.domain = std::string(kConfigurationProfilesDomain);
  f.relative_path = "Library/ConfigurationProfiles/profile-00aa.stub";
  f.file_id = "1234567890abcdef1234567890abcdef12345678";
  f.evidence_path = "12/" + f.file_id;
  return f;
}

TEST(ConfigurationProfiles, ProfileAsMvtRecordWithInstallDateAndProfileId) {
  ConfigurationProfile p;
  p.uuid = "1B2C3D4E-0000-4000-8000-000000000001";
  p.install_unix_time = kInstall;
  auto rec = read_configuration_profile(testing::configuration_profile_plist(p), profile_file());
  ASSERT_TRUE(rec) << rec.error().message;
  EXPECT_EQ(json::to_json_line(rec->data),
            "{\"file_id\": \"1234567890abcdef1234567890abcdef12345678\", "
            "\"relative_path\": \"Library/ConfigurationProfiles/profile-00aa.stub\", "
            "\"domain\": \"SysSharedContainerDomain-systemgroup.com.apple.configurationprofiles\", "
            "\"plist\": {\"PayloadContent\": [{\"PayloadType\": \"com.apple.wifi.managed\", "
            "\"PayloadIdentifier\": \"com.example.profile.payload\", "
            "\"PayloadUUID\": \"9A1B2C3D-0000-4000-8000-00000000000A\", \"PayloadVersion\": 1, "
            "\"PERSISTENT_REF\": \"AAH+/w==\"}], \"PayloadDisplayName\": \"Corporate Wi-Fi\", "
            "\"PayloadDescription\": \"Installed for tests\", "
            "\"PayloadIdentifier\": \"com.example.profile\", \"PayloadType\": \"Configuration\", "
            "\"PayloadUUID\": \"1B2C3D4E-0000-4000-8000-000000000001\", \"PayloadVersion\": 1, "
            "\"InstallDate\": \"2021-07-14 08:00:00\", \"SignerCerts\": [\"MIIBCg==\"]}, "
            "\"install_date\": \"2021-07-14 08:00:00\"}");
  EXPECT_EQ(testing::observed(*rec, ObservableKind::kProfileId),
            (std::vector<std::string>{"1B2C3D4E-0000-4000-8000-000000000001"}));
  EXPECT_EQ(rec->observables[0].level, report::AlertLevel::kCritical);
  ASSERT_TRUE(rec->time);
  EXPECT_EQ(format_mvt_time(*rec->time), "2021-07-14 08:00:00.000000");
  ASSERT_EQ(rec->timeline.size(), 1U);
  EXPECT_EQ(rec->timeline[0].event, "configuration_profile_install");
  EXPECT_EQ(rec->timeline[0].description,
            "Configuration installed: 1B2C3D4E-0000-4000-8000-000000000001 - Corporate Wi-Fi: "
            "Installed for tests");
  EXPECT_TRUE(rec->heuristics.empty());
}

TEST(ConfigurationProfiles, NotificationSettingsProfileIsFlaggedWithoutIndicators) {
  ConfigurationProfile p;
  p.uuid = "";  // no PayloadUUID: still flagged, no profile observable
  p.display_name = "Quiet";
  p.first_payload_type = "com.apple.notificationsettings";
  auto rec = read_configuration_profile(testing::configuration_profile_plist(p), profile_file());
  ASSERT_TRUE(rec) << rec.error().message;
  EXPECT_TRUE(rec->observables.empty());
  EXPECT_FALSE(rec->time);
  EXPECT_TRUE(rec->timeline.empty());
  EXPECT_TRUE(rec->data.find("install_date")->is_null());
  ASSERT_EQ(rec->heuristics.size(), 1U);
  EXPECT_EQ(rec->heuristics[0].level, report::AlertLevel::kMedium);
  EXPECT_NE(rec->heuristics[0].message.find("\"Quiet\""), std::string::npos);
}

TEST(ConfigurationProfiles, MalformedPlistsAreErrors) {
  auto r = read_configuration_profile("bplist00 truncated", profile_file());
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kMalformed);
  r = read_configuration_profile(testing::binary_plist(formats::plist::Value("just text")),
                                 profile_file());
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("not a dictionary"), std::string::npos) << r.error().message;
  // Odd types where strings are expected are kept as data, never trusted.
  formats::plist::Dict odd;
  odd.set("PayloadUUID", 42);
  odd.set("PayloadContent", "not an array");
  odd.set("InstallDate", "yesterday");
  auto rec = read_configuration_profile(
      testing::binary_plist(formats::plist::Value(std::move(odd))), profile_file());
  ASSERT_TRUE(rec) << rec.error().message;
  EXPECT_TRUE(rec->observables.empty());
  EXPECT_TRUE(rec->heuristics.empty());
  EXPECT_FALSE(rec->time);
}

TEST(ConfigurationProfiles, ModuleReadsProfileFilesOnlyAndGoesOnAfterABadOne) {
  testing::TempDir tmp;
  const std::string domain(kConfigurationProfilesDomain);
  ConfigurationProfile good;
  good.uuid = "1B2C3D4E-0000-4000-8000-000000000001";
  good.install_unix_time = kInstall;
  testing::IosBackupBuilder b;
  b.add_file(domain, "Library/ConfigurationProfiles/profile-aa.stub",
             testing::configuration_profile_plist(good));
  b.add_file(domain, "Library/ConfigurationProfiles/CloudConfigurationDetails.plist",
             "not a profile");
  b.add_file("HomeDomain", "Library/ConfigurationProfiles/profile-elsewhere.stub", "x");
  auto module = make_configuration_profiles_module();
  EXPECT_EQ(module->spec().slug, "configuration_profiles");
  auto run = testing::run_module_on(*module, b.write(tmp.path() / "ok"));
  ASSERT_EQ(run.status.code, scan::ModuleStatus::kOk) << run.status.message;
  ASSERT_EQ(run.sink.records.size(), 1U);

  b.add_file(domain, "Library/ConfigurationProfiles/profile-bb.stub", "garbage");
  auto partial = testing::run_module_on(*module, b.write(tmp.path() / "partial"));
  EXPECT_EQ(partial.status.code, scan::ModuleStatus::kFailed);
  EXPECT_NE(partial.status.message.find("profile-bb.stub"), std::string::npos)
      << partial.status.message;
  EXPECT_EQ(partial.sink.records.size(), 1U);

  testing::IosBackupBuilder empty;
  empty.add_file("HomeDomain", "Library/SMS/sms.db", "x");
  auto absent = testing::run_module_on(*module, empty.write(tmp.path() / "none"));
  EXPECT_EQ(absent.status.code, scan::ModuleStatus::kNotPresent) << absent.status.message;
}

}  // namespace
}  // namespace spyglass::artifacts::ios
