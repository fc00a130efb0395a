#include "artifacts/ios/global_preferences/global_preferences.hpp"

#include <gtest/gtest.h>

#include "formats/json/json_writer.hpp"
#include "support/ios_backup_builder.hpp"
#include "support/ios_fixtures_module_run.hpp"
#include "support/ios_fixtures_preferences.hpp"
#include "support/temp_dir.hpp"

namespace spyglass::artifacts::ios {
namespace {

struct Parsed {
  Result<void> result;
  testing::CollectingSink sink;
};

Parsed parse(const std::string& bytes) {
  Parsed out;
  IosFile f;
  f.evidence_path = "0d/0dc926a1810f7aee4e8f38793ed788701f93bf9d";
  out.result = read_global_preferences(bytes, f, out.sink);
  return out;
}

TEST(GlobalPreferences, LockdownModeOnOffAbsent) {
  auto on = parse(testing::global_preferences_plist(true));
  ASSERT_TRUE(on.result) << on.result.error().message;
  EXPECT_EQ(testing::findings(on.sink),
            (std::vector<std::string>{"INFORMATIONAL: Lockdown mode enabled"}));
  ASSERT_EQ(on.sink.records.size(), 3U);
  EXPECT_EQ(json::to_json_line(on.sink.records[0].data),
            "{\"entry\": \"AppleLanguages\", \"value\": [\"en-US\"]}");

  auto off = parse(testing::global_preferences_plist(false));
  ASSERT_TRUE(off.result);
  EXPECT_EQ(testing::findings(off.sink),
            (std::vector<std::string>{"LOW: Lockdown mode disabled"}));

  auto absent = parse(testing::global_preferences_plist(std::nullopt));
  ASSERT_TRUE(absent.result);
  EXPECT_TRUE(testing::findings(absent.sink).empty());
  EXPECT_EQ(absent.sink.records.size(), 2U);
}

TEST(GlobalPreferences, PlistValuesToJson) {
  formats::plist::Dict d;
  d.set("when", formats::plist::Date::from_unix(1626249600.0));
  d.set("blob", formats::plist::Bytes{'a', 'b', 'c', 'd'});
  d.set("n", 1.5);
  EXPECT_EQ(json::to_json_line(preference_value_json(formats::plist::Value(d))),
            "{\"when\": \"2021-07-14 08:00:00.000000\", \"blob\": \"YWJjZA==\", \"n\": 1.5}");
  EXPECT_EQ(preference_base64({}), "");
  EXPECT_EQ(preference_base64({'a'}), "YQ==");
  EXPECT_EQ(preference_base64({'a', 'b'}), "YWI=");
  EXPECT_EQ(preference_base64({'a', 'b', 'c'}), "YWJj");
}

TEST(GlobalPreferences, MalformedPlistsFail) {
  EXPECT_FALSE(parse("").result);
  EXPECT_FALSE(parse("bplist00\x01\x02").result);
  const std::string good = testing::global_preferences_plist(true);
  EXPECT_FALSE(parse(good.substr(0, good.size() - 10)).result);
  auto array_root = parse(testing::binary_plist(formats::plist::Array{1, 2}));
  ASSERT_FALSE(array_root.result);
  EXPECT_NE(array_root.result.error().message.find("dictionary"), std::string::npos);
}

TEST(GlobalPreferences, ModuleOnABackup) {
  testing::TempDir tmp;
  testing::IosBackupBuilder b;
  b.add_file("HomeDomain", "Library/Preferences/.GlobalPreferences.plist",
             testing::global_preferences_plist(false));
  auto module = make_global_preferences_module();
  auto run = testing::run_module_on(*module, b.write(tmp / "b"));
  EXPECT_EQ(run.status.code, scan::ModuleStatus::kOk) << run.status.message;
  EXPECT_EQ(testing::findings(run.sink),
            (std::vector<std::string>{"LOW: Lockdown mode disabled"}));
}

}  // namespace
}  // namespace spyglass::artifacts::ios
