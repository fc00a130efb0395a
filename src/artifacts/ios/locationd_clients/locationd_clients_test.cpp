#include "artifacts/ios/locationd_clients/locationd_clients.hpp"

#include <gtest/gtest.h>

#include "formats/json/json_writer.hpp"
#include "support/ios_backup_builder.hpp"
#include "support/ios_fixtures_module_run.hpp"
#include "support/ios_fixtures_preferences.hpp"
#include "support/temp_dir.hpp"

namespace spyglass::artifacts::ios {
namespace {

namespace plist = formats::plist;
using matching::ObservableKind;

constexpr double kMacT0 = 1626249600.0 - 978307200.0;  // 2021-07-14 08:00:00 UTC

struct Parsed {
  Result<void> result;
  testing::CollectingSink sink;
};

Parsed parse(const std::string& bytes) {
  Parsed out;
  IosFile f;
  f.domain = "RootDomain";
  f.evidence_path = "a6/a690d7769cce8904ca2b67320b107c8fe5f79412";
  out.result = read_locationd_clients(bytes, f, out.sink);
  return out;
}

std::vector<testing::LocationdClient> clients() {
  plist::Dict app;
  app.set("BundleId", "com.example.maps");
  app.set("BundlePath", "/private/var/containers/Bundle/Application/X/Maps.app");
  app.set("Executable", "/private/var/containers/Bundle/Application/X/Maps.app/Maps");
  app.set("Registered", true);
  app.set("LocationTimeStopped", kMacT0);
  app.set("ConsumptionPeriodBegin", kMacT0 - 3600);
  app.set("ClientStorageToken", plist::Bytes{1, 2, 3});
  plist::Dict bundle;
  bundle.set("Registered", "/System/Library/LocationBundles/IonosphereHarvest.bundle");
  bundle.set("BeaconRegionTimeStopped", kMacT0 + 60);
  return {{"com.example.maps", app},
          {"icom.apple.locationd.bundle-/System/Library/LocationBundles/"
           "IonosphereHarvest.bundle:",
           bundle}};
}

TEST(LocationdClients, ClientsTimesAndObservables) {
  auto p = parse(testing::locationd_clients_plist(clients()));
  ASSERT_TRUE(p.result) << p.result.error().message;
  ASSERT_EQ(p.sink.records.size(), 2U);  // the integer entry is not a client
  const auto& app = p.sink.records[0];
  EXPECT_EQ(json::to_json_line(app.data),
            "{\"BundleId\": \"com.example.maps\", "
            "\"BundlePath\": \"/private/var/containers/Bundle/Application/X/Maps.app\", "
            "\"Executable\": \"/private/var/containers/Bundle/Application/X/Maps.app/Maps\", "
            "\"Registered\": true, \"LocationTimeStopped\": \"2021-07-14 08:00:00.000000\", "
            "\"ConsumptionPeriodBegin\": \"2021-07-14 07:00:00.000000\", "
            "\"ClientStorageToken\": \"AQID\", \"package\": \"com.example.maps\"}");
  ASSERT_EQ(app.timeline.size(), 2U);
  EXPECT_EQ(app.timeline[0].event, "ConsumptionPeriodBegin");
  EXPECT_EQ(app.timeline[0].description, "ConsumptionPeriodBegin from com.example.maps");
  EXPECT_EQ(testing::observed(app, ObservableKind::kProcess),
            (std::vector<std::string>{"com.example.maps", "com.example.maps"}));
  EXPECT_EQ(testing::observed(app, ObservableKind::kFilePath).size(), 2U);  // bool Registered
  for (const auto& o : app.observables) EXPECT_EQ(o.level, report::AlertLevel::kHigh);

  const auto& bundle = p.sink.records[1];
  EXPECT_EQ(testing::data_text(bundle, "package"),
            "icom.apple.locationd.bundle-/System/Library/LocationBundles/"
            "IonosphereHarvest.bundle");
  EXPECT_EQ(testing::observed(bundle, ObservableKind::kProcess),
            (std::vector<std::string>{"IonosphereHarvest.bundle"}));
  EXPECT_EQ(testing::observed(bundle, ObservableKind::kFilePath),
            (std::vector<std::string>{"/System/Library/LocationBundles/IonosphereHarvest.bundle"}));
  ASSERT_EQ(bundle.timeline.size(), 1U);
  EXPECT_EQ(bundle.timeline[0].event, "BeaconRegionTimeStopped");
}

TEST(LocationdClients, MalformedInput) {
  EXPECT_FALSE(parse("").result);
  EXPECT_FALSE(parse(testing::binary_plist(plist::Value("just a string"))).result);
  const std::string good = testing::locationd_clients_plist(clients());
  for (std::size_t cut = 8; cut < good.size(); cut += 37) {
    auto p = parse(good.substr(0, cut));  // never a crash; an error for a cut trailer
    EXPECT_FALSE(p.result) << cut;
  }
  plist::Dict odd;
  plist::Dict weird;
  weird.set("LocationTimeStopped", "not a time");
  weird.set("BundleId", 5);
  odd.set("k", weird);
  auto p = parse(testing::binary_plist(plist::Value(odd)));
  ASSERT_TRUE(p.result);
  ASSERT_EQ(p.sink.records.size(), 1U);
  EXPECT_TRUE(p.sink.records[0].timeline.empty());
  EXPECT_EQ(testing::data_text(p.sink.records[0], "LocationTimeStopped"), "not a time");
}

TEST(LocationdClients, ModuleOnABackup) {
  testing::TempDir tmp;
  testing::IosBackupBuilder b;
  b.add_file("RootDomain", "Library/Caches/locationd/clients.plist",
             testing::locationd_clients_plist(clients()));
  auto module = make_locationd_clients_module();
  auto run = testing::run_module_on(*module, b.write(tmp / "b"));
  EXPECT_EQ(run.status.code, scan::ModuleStatus::kOk) << run.status.message;
  EXPECT_EQ(run.sink.records.size(), 2U);
}

}  // namespace
}  // namespace spyglass::artifacts::ios
