#include "artifacts/ios/backup_info/backup_info.hpp"

#include "artifacts/ios/backup_info/ios_versions.hpp"

#include <array>
#include <cmath>
#include <string_view>

namespace spyglass::artifacts::ios {
namespace {

namespace pl = formats::plist;

// MVT's BackupInfo fields, in its order.
constexpr std::array<std::string_view, 19> kFields = {
    "Build Version",
    "Device Name",
    "Display Name",
    "GUID",
    "ICCID",
    "IMEI",
    "MEID",
    "Installed Applications",
    "Last Backup Date",
    "Phone Number",
    "Product Name",
    "Product Type",
    "Product Version",
    "Serial Number",
    "Target Identifier",
    "Target Type",
    "Unique Identifier",
    "iTunes Version",
    "IMEI 2",
};

class BackupInfoModule final : public IosModule {
 public:
  BackupInfoModule() : IosModule(make_spec()) {}

 private:
  static IosModuleSpec make_spec() {
    IosModuleSpec s;
    s.slug = "backup_info";
    s.display_name = "BackupInfo";
    s.summary = "Device and backup facts from Info.plist (model, iOS version, serial, dates)";
    s.sources = IosSources::kBackupOnly;
    return s;
  }

  scan::Status run_files(IosRun& run) override {
    BackupEvidence* backup = run.backup();
    if (backup == nullptr) return scan::Status::not_present("reads iTunes/Finder backups only");
    const pl::Value* info = backup->backup().info_plist();
    if (info == nullptr) {
      for (const auto& d : backup->backup().diagnostics()) {
        if (d.code == "info_plist_malformed") return scan::Status::failed(d.message);
      }
      return scan::Status::not_present("the backup has no Info.plist");
    }
    scan::Record r;
    for (std::string_view field : kFields) {
      if (field == "IMEI 2" && info->get(field) == nullptr) continue;  // dual-SIM only
      const pl::Value* v = info->get(field);
      r.data.set(field, v ? plist_to_json(*v) : json::Value(nullptr));
    }
    const sources::ios_backup::DeviceInfo device = backup->backup().device();
    run.context.log().info("device " + device.product_type + ", iOS " + device.product_version +
                           " (" + device.build_version + "), backup " +
                           (backup->backup().encrypted() ? "encrypted" : "not encrypted"));
    r.provenance.file = "Info.plist";
    run.sink.emit(std::move(r));
    // MVT only logs a warning for an outdated iOS; here it is a LOW alert (exit code unchanged)
    // so it reaches the report, and the build is checked against the same bundled list.
    if (const IosVersionList* versions = bundled_ios_versions(); versions != nullptr) {
      for (scan::StandaloneAlert& a :
           check_ios_version(*versions, device.product_version, device.build_version)) {
        if (a.level == report::AlertLevel::kLow) run.context.log().warning(a.message);
        run.sink.alert(std::move(a));
      }
    } else {
      run.context.log().warning("the bundled list of iOS versions is unreadable; no check");
    }
    return scan::Status::ok();
  }
};

}  // namespace

json::Value plist_to_json(const pl::Value& v) {
  switch (v.type()) {
    case pl::Type::kNull:
      return json::Value(nullptr);
    case pl::Type::kBool:
      return json::Value(*v.as_bool());
    case pl::Type::kInt:
      return json::Value(*v.as_int());
    case pl::Type::kUint:
      return json::Value(std::to_string(*v.as_uint()));
    case pl::Type::kReal:
      return json::Value(*v.as_real());
    case pl::Type::kDate: {
      const double unix = v.as_date()->unix_seconds();
      const auto micros = static_cast<UnixMicros>(std::llround(unix * 1e6));
      std::string text = format_mvt_time(micros);
      // Python's str(datetime) shows microseconds only when there are some.
      if (micros % 1'000'000 == 0) text.resize(text.size() - 7);
      return json::Value(std::move(text));
    }
    case pl::Type::kString:
      return json::Value(*v.as_string());
    case pl::Type::kData:
      return json::Value(base64_encode(*v.as_data()));
    case pl::Type::kUid:
      return json::Value(static_cast<std::int64_t>(v.as_uid()->value));
    case pl::Type::kArray: {
      json::Value out = json::Value::array();
      for (const pl::Value& e : *v.as_array()) out.push_back(plist_to_json(e));
      return out;
    }
    case pl::Type::kDict: {
      json::Value out = json::Value::object();
      for (const auto& [k, e] : v.as_dict()->entries()) out.set(k, plist_to_json(e));
      return out;
    }
  }
  return json::Value(nullptr);
}

std::unique_ptr<scan::Module> make_backup_info_module() {
  return std::make_unique<BackupInfoModule>();
}

}  // namespace spyglass::artifacts::ios
