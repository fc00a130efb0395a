#include "artifacts/ios/tcc/tcc.hpp"

#include <array>
#include <optional>
#include <string>
#include <utility>

#include "artifacts/ios/ios_module.hpp"

namespace spyglass::artifacts::ios {
namespace {

using matching::CommTruncation;
using matching::ObservableKind;

constexpr std::array<std::pair<std::string_view, std::string_view>, 28> kServiceNames = {{
    {"kTCCServiceAddressBook", "contacts"},
    {"kTCCServiceBluetoothAlways", "bluetooth"},
    {"kTCCServiceBluetoothPeripheral", "bluetooth peripheral"},
    {"kTCCServiceBluetoothWhileInUse", "bluetooth while in use"},
    {"kTCCServiceCalendar", "calendar"},
    {"kTCCServiceCamera", "camera"},
    {"kTCCServiceContactsFull", "contacts (full)"},
    {"kTCCServiceContactsLimited", "contacts (limited)"},
    {"kTCCServiceExposureNotification", "exposure notification"},
    {"kTCCServiceFaceID", "Face ID"},
    {"kTCCServiceFocusStatus", "focus status"},
    {"kTCCServiceKeyboardNetwork", "keyboard network access"},
    {"kTCCServiceLiverpool", "location services (Liverpool)"},
    {"kTCCServiceMediaLibrary", "media library"},
    {"kTCCServiceMicrophone", "microphone"},
    {"kTCCServiceMotion", "motion and fitness"},
    {"kTCCServiceNearbyInteraction", "nearby interaction"},
    {"kTCCServicePhotos", "photos"},
    {"kTCCServicePhotosAdd", "photos (add only)"},
    {"kTCCServicePrototype3Rights", "authorization rights"},
    {"kTCCServiceReminders", "reminders"},
    {"kTCCServiceSensorKitMotion", "SensorKit motion"},
    {"kTCCServiceSiri", "Siri"},
    {"kTCCServiceSpeechRecognition", "speech recognition"},
    {"kTCCServiceUbiquity", "iCloud"},
    {"kTCCServiceUserTracking", "tracking"},
    {"kTCCServiceWebKitIntelligentTrackingPrevention", "cross-site tracking"},
    {"kTCCServiceWillow", "HomeKit"},
}};

// tccd's values, as MVT names them (src/mvt/ios/modules/mixed/tcc.py).
std::string_view auth_value_name(std::int64_t v) {
  switch (v) {
    case 0: return "denied";
    case 1: return "unknown";
    case 2: return "allowed";
    case 3: return "limited";
    default: return "";
  }
}

std::string_view auth_reason_name(std::int64_t v) {
  static constexpr std::array<std::string_view, 12> kReasons = {
      "error",          "user_consent",         "user_set",       "system_set",
      "service_policy", "mdm_policy",           "override_policy", "missing_usage_string",
      "prompt_timeout", "preflight_unknown",    "entitled",       "app_type_policy"};
  if (v >= 1 && v <= 12) return kReasons[static_cast<std::size_t>(v - 1)];
  return "unknown";
}

std::string_view allowed_name(std::int64_t v) {
  return v == 0 ? "denied" : v == 1 ? "allowed" : "";
}

enum class Generation { kAuthValue, kAllowedModified, kAllowed };

}  // namespace

std::string tcc_service_name(std::string_view service) {
  for (const auto& [key, name] : kServiceNames) {
    if (key == service) return std::string(name);
  }
  constexpr std::string_view kPrefix = "kTCCService";
  if (service.substr(0, kPrefix.size()) == kPrefix && service.size() > kPrefix.size()) {
    return std::string(service.substr(kPrefix.size()));
  }
  return std::string(service);
}

Result<void> read_tcc(const formats::sqlite::Database& db, const IosFile& file,
                      scan::RecordSink& sink) {
  auto cols = TableColumns::read(db, "access");
  if (!cols) return tl::unexpected(cols.error());
  if (auto ok = require_columns(*cols, {"service", "client", "client_type"}); !ok) return ok;
  Generation gen;
  std::string sql;
  if (cols->has("auth_value") && cols->has("auth_reason") && cols->has("last_modified")) {
    gen = Generation::kAuthValue;
    sql = "SELECT service, client, client_type, auth_value, auth_reason, last_modified, rowid "
          "FROM access ORDER BY rowid";
  } else if (cols->has("allowed") && cols->has("prompt_count")) {
    gen = cols->has("last_modified") ? Generation::kAllowedModified : Generation::kAllowed;
    sql = std::string("SELECT service, client, client_type, allowed, prompt_count, ") +
          (gen == Generation::kAllowedModified ? "last_modified" : "NULL") +
          ", rowid FROM access ORDER BY rowid";
  } else {
    return make_error(ErrorCode::kMalformed,
                      "unknown schema: table " + cols->describe() +
                          " has neither auth_value/auth_reason/last_modified nor "
                          "allowed/prompt_count");
  }
  auto stmt = db.prepare(sql);
  if (!stmt) return tl::unexpected(stmt.error());
  while (true) {
    auto more = stmt->step();
    if (!more) return tl::unexpected(more.error());
    if (!*more) break;
    const std::string service = stmt->get_optional_text(0).value_or("");
    const std::string client = stmt->get_optional_text(1).value_or("");
    const std::int64_t client_type = stmt->get_int64(2);
    const std::int64_t value = stmt->get_int64(3);
    const std::int64_t reason_or_prompts = stmt->get_int64(4);
    const std::optional<std::int64_t> modified = stmt->get_optional_int64(5);

    scan::Record rec;
    rec.data.set("service", service);
    rec.data.set("client", client);
    rec.data.set("client_type", client_type == 0 ? "bundle_id" : "absolute_path");
    std::string verdict;
    if (gen == Generation::kAuthValue) {
      verdict = std::string(auth_value_name(value));
      rec.data.set("auth_value", verdict);
      rec.data.set("auth_reason_desc", std::string(auth_reason_name(reason_or_prompts)));
    } else {
      verdict = std::string(allowed_name(value));
      rec.data.set("allowed_value", verdict);
      rec.data.set("prompt_count", reason_or_prompts);
    }
    std::optional<UnixMicros> time;
    if (gen != Generation::kAllowed && modified) {
      time = from_unix_seconds(static_cast<double>(*modified));
      rec.data.set("last_modified", format_mvt_time(*time));
    }
    rec.data.set("service_name", tcc_service_name(service));
    rec.time = time;
    if (time) {
      rec.timeline.push_back({*time, "AccessRequest",
                              "Access to " + tcc_service_name(service) + " (" + service +
                                  ") by " + client + " " + verdict});
    }
    if (!client.empty()) {
      // TCC keeps full identifiers, never a kernel-truncated name.
      rec.observe(ObservableKind::kProcess, client, "client");
      rec.observables.back().observable.truncation = CommTruncation::kNone;
      if (client_type == 0) {
        rec.observe(ObservableKind::kAppId, client, "client");
      } else {
        rec.observe(ObservableKind::kFilePath, client, "client", report::AlertLevel::kHigh);
      }
    }
    rec.provenance = file.provenance("access rowid " + std::to_string(stmt->get_int64(6)));
    sink.emit(std::move(rec));
  }
  return {};
}

namespace {

class TccModule final : public IosModule {
 public:
  TccModule() : IosModule(make_spec()) {}

 private:
  static IosModuleSpec make_spec() {
    IosModuleSpec s;
    s.slug = "tcc";
    s.display_name = "TCC";
    s.summary = "Privacy permissions granted to apps and binaries (TCC.db)";
    s.locator.backup_files = {{"HomeDomain", "Library/TCC/TCC.db"}};
    s.locator.fs_globs = {"private/var/mobile/Library/TCC/TCC.db"};
    return s;
  }

  scan::Status run_files(IosRun& run) override {
    for (const IosFile& f : run.files) {
      auto db = run.evidence.open_sqlite(f);
      if (!db) return run.file_failed(f, db.error());
      if (auto ok = read_tcc(*db, f, run.sink); !ok) return run.file_failed(f, ok.error());
    }
    return scan::Status::ok();
  }
};

}  // namespace

std::unique_ptr<scan::Module> make_tcc_module() { return std::make_unique<TccModule>(); }

}  // namespace spyglass::artifacts::ios
