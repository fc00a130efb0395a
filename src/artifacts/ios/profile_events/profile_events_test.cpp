#include "artifacts/ios/profile_events/profile_events.hpp"

#include <gtest/gtest.h>

#include "formats/json/json_writer.hpp"
#include "support/ios_backup_builder.hpp"
#include "support/ios_fixtures_module_run.hpp"
#include "support/ios_fixtures_preferences.hpp"
#include "support/temp_dir.hpp"
#include "support/time.hpp"

namespace spyglass::artifacts::ios {
namespace {

namespace pl = formats::plist;
using matching::ObservableKind;
using testing::CollectingSink;

IosFile events_file() {
  IosFile f;
  f.domain = "SysSharedContainerDomain-systemgroup.com.apple.configurationprofiles";
  f.relative_path = "Library/ConfigurationProfiles/MCProfileEvents.plist";
  f.file_id = "abcdefabcdefabcdefabcdefabcdefabcdefabcd";
  f.evidence_path = "ab/" + f.file_id;
  return f;
}

TEST(ProfileEvents, EveryEventIsARecordWithALowAlert) {
  CollectingSink sink;
  auto ok =
      read_profile_events(testing::profile_events_plist(
                              {{"com.example.mdm", 1626249600.5, "install", "/usr/libexec/mdmd"},
                               {"com.evil.profile", 1626253200, "remove", "profiled"}}),
                          events_file(), sink);
  ASSERT_TRUE(ok) << ok.error().message;
  ASSERT_EQ(sink.records.size(), 2U);
  const scan::Record& first = sink.records[0];
  EXPECT_EQ(json::to_json_line(first.data),
            "{\"profile_id\": \"com.example.mdm\", "
            "\"timestamp\": \"2021-07-14 08:00:00.500000\", \"operation\": \"install\", "
            "\"process\": \"/usr/libexec/mdmd\"}");
  ASSERT_TRUE(first.time);
  EXPECT_EQ(format_mvt_time(*first.time), "2021-07-14 08:00:00.500000");
  ASSERT_EQ(first.timeline.size(), 1U);
  EXPECT_EQ(first.timeline[0].event, "profile_operation");
  EXPECT_EQ(first.timeline[0].description,
            "Process /usr/libexec/mdmd started operation install of profile com.example.mdm");
  EXPECT_EQ(testing::observed(first, ObservableKind::kProcess),
            (std::vector<std::string>{"/usr/libexec/mdmd"}));
  EXPECT_EQ(testing::observed(first, ObservableKind::kProfileId),
            (std::vector<std::string>{"com.example.mdm"}));
  EXPECT_NE(first.provenance.locator.find("ProfileEvents[0]"), std::string::npos);
  EXPECT_EQ(testing::findings(sink),
            (std::vector<std::string>{
                "LOW: On 2021-07-14 08:00:00.500000 process \"/usr/libexec/mdmd\" started "
                "operation \"install\" of profile \"com.example.mdm\"",
                "LOW: On 2021-07-14 09:00:00.000000 process \"profiled\" started operation "
                "\"remove\" of profile \"com.evil.profile\""}));
}

TEST(ProfileEvents, NoEventsKeyIsEmptyNotAnError) {
  CollectingSink sink;
  pl::Dict root;
  root.set("Other", 1);
  auto ok =
      read_profile_events(testing::binary_plist(pl::Value(std::move(root))), events_file(), sink);
  EXPECT_TRUE(ok);
  EXPECT_TRUE(sink.records.empty());
}

TEST(ProfileEvents, MalformedPlistAndEntries) {
  CollectingSink sink;
  auto r = read_profile_events("<?xml version=\"1.0\"?><plist><dict><key>", events_file(), sink);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kMalformed);

  pl::Dict wrong;
  wrong.set("ProfileEvents", "not a list");
  r = read_profile_events(testing::binary_plist(pl::Value(std::move(wrong))), events_file(), sink);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("not an array"), std::string::npos) << r.error().message;

  // A good entry between bad ones is still reported; the bad ones are named.
  pl::Dict details;
  details.set("timestamp", "not a date");
  details.set("Operation", "install");
  pl::Dict good;
  good.set("id\n\"x", std::move(details));
  pl::Array list{pl::Value(42), pl::Value(std::move(good)), pl::Value(pl::Dict())};
  pl::Dict root;
  root.set("ProfileEvents", std::move(list));
  r = read_profile_events(testing::binary_plist(pl::Value(std::move(root))), events_file(), sink);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find(": 0, 2"), std::string::npos) << r.error().message;
  ASSERT_EQ(sink.records.size(), 1U);
  const scan::Record& rec = sink.records[0];
  EXPECT_FALSE(rec.time);
  EXPECT_TRUE(rec.timeline.empty());
  EXPECT_EQ(testing::data_text(rec, "timestamp"), "not a date");
  EXPECT_EQ(testing::data_text(rec, "operation"), "install");
  EXPECT_TRUE(testing::observed(rec, ObservableKind::kProcess).empty());
  EXPECT_EQ(testing::findings(sink).size(), 1U);
}

TEST(ProfileEvents, ModuleReadsTheBackupAndReportsAbsence) {
  testing::TempDir tmp;
  testing::IosBackupBuilder b;
  b.add_file("SysSharedContainerDomain-systemgroup.com.apple.configurationprofiles",
             "Library/ConfigurationProfiles/MCProfileEvents.plist",
             testing::profile_events_plist({{"com.example.mdm", 1626249600, "install", "mdmd"}}));
  auto module = make_profile_events_module();
  EXPECT_EQ(module->spec().slug, "profile_events");
  auto run = testing::run_module_on(*module, b.write(tmp.path() / "ok"));
  ASSERT_EQ(run.status.code, scan::ModuleStatus::kOk) << run.status.message;
  EXPECT_EQ(run.sink.records.size(), 1U);

  testing::IosBackupBuilder empty;
  empty.add_file("HomeDomain", "Library/SMS/sms.db", "x");
  auto absent = testing::run_module_on(*module, empty.write(tmp.path() / "none"));
  EXPECT_EQ(absent.status.code, scan::ModuleStatus::kNotPresent) << absent.status.message;

  testing::IosBackupBuilder bad;
  bad.add_file("SysSharedContainerDomain-systemgroup.com.apple.configurationprofiles",
               "Library/ConfigurationProfiles/MCProfileEvents.plist", "bplist00\x01");
  auto failed = testing::run_module_on(*module, bad.write(tmp.path() / "bad"));
  EXPECT_EQ(failed.status.code, scan::ModuleStatus::kFailed);
  EXPECT_NE(failed.status.message.find("MCProfileEvents.plist"), std::string::npos)
      << failed.status.message;
}

}  // namespace
}  // namespace spyglass::artifacts::ios
