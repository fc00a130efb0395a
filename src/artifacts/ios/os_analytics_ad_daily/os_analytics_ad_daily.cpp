#include "artifacts/ios/os_analytics_ad_daily/os_analytics_ad_daily.hpp"

#include <optional>
#include <string>

#include "artifacts/ios/global_preferences/global_preferences.hpp"
#include "artifacts/ios/ios_module.hpp"
#include "formats/json/json_writer.hpp"
#include "formats/plist/reader.hpp"

namespace spyglass::artifacts::ios {
namespace {

namespace plist = formats::plist;

// The counters as MVT prints them (Python str of int or float); "None" when missing.
std::string counter_text(const json::Value& v) {
  switch (v.type()) {
    case json::Type::kInt: return std::to_string(v.as_int());
    case json::Type::kDouble: return json::python_float_repr(v.as_double());
    case json::Type::kNull: return "None";
    default: return v.is_string() ? v.as_string() : std::string("?");
  }
}

}  // namespace

Result<void> read_os_analytics_ad_daily(std::string_view bytes, const IosFile& file,
                                        scan::RecordSink& sink) {
  auto root = plist::parse(bytes);
  if (!root) return tl::unexpected(root.error());
  if (root->as_dict() == nullptr) {
    return make_error(ErrorCode::kMalformed, "expected a dictionary at the root");
  }
  const plist::Value* baseline = root->get("netUsageBaseline");
  if (baseline == nullptr) return {};  // the key appears after the first daily report
  if (baseline->as_dict() == nullptr) {
    return make_error(ErrorCode::kMalformed, std::string("netUsageBaseline is a ") +
                                                 plist::type_name(baseline->type()) +
                                                 ", expected a dictionary");
  }
  for (const auto& [process, value] : baseline->as_dict()->entries()) {
    scan::Record rec;
    rec.provenance = file.provenance("netUsageBaseline/" + process);
    rec.data.set("package", process);
    const plist::Array* fields = value.as_array();
    std::optional<UnixMicros> time;
    json::Value counters[4];
    if (fields != nullptr) {
      if (!fields->empty() && (*fields)[0].as_date() != nullptr) {
        time = from_mac_absolute((*fields)[0].as_date()->seconds_since_2001);
      }
      for (std::size_t i = 0; i < 4 && i + 1 < fields->size(); ++i) {
        counters[i] = preference_value_json((*fields)[i + 1]);
      }
    }
    rec.data.set("ts", time ? json::Value(format_mvt_time(*time)) : json::Value(nullptr));
    rec.data.set("wifi_in", counters[0]);
    rec.data.set("wifi_out", counters[1]);
    rec.data.set("wwan_in", counters[2]);
    rec.data.set("wwan_out", counters[3]);
    rec.time = time;
    if (time) {
      rec.timeline.push_back({*time, "osanalytics_addaily",
                              process + " WIFI IN: " + counter_text(counters[0]) +
                                  ", WIFI OUT: " + counter_text(counters[1]) +
                                  " - WWAN IN: " + counter_text(counters[2]) +
                                  ", WWAN OUT: " + counter_text(counters[3])});
    }
    if (fields == nullptr || fields->size() < 5 || !time) {
      // Odd evidence: kept, and said so, rather than dropped.
      rec.data.set("malformed_entry", true);
    }
    if (!process.empty()) {
      rec.observe(matching::ObservableKind::kProcess, process, "package");
      rec.observables.back().observable.truncation = matching::CommTruncation::kIos;
    }
    sink.emit(std::move(rec));
  }
  return {};
}

namespace {

class OsAnalyticsAdDailyModule final : public IosModule {
 public:
  OsAnalyticsAdDailyModule() : IosModule(make_spec()) {}

 private:
  static IosModuleSpec make_spec() {
    IosModuleSpec s;
    s.slug = "os_analytics_ad_daily";
    s.display_name = "OSAnalyticsADDaily";
    s.summary = "Daily per-process network usage baseline (com.apple.osanalytics.addaily)";
    s.locator.backup_files = {
        {"HomeDomain", "Library/Preferences/com.apple.osanalytics.addaily.plist"}};
    s.locator.fs_globs = {
        "private/var/mobile/Library/Preferences/com.apple.osanalytics.addaily.plist"};
    return s;
  }

  scan::Status run_files(IosRun& run) override {
    for (const IosFile& f : run.files) {
      auto bytes = run.evidence.read_file(f);
      if (!bytes) return run.file_failed(f, bytes.error());
      if (auto ok = read_os_analytics_ad_daily(*bytes, f, run.sink); !ok) {
        return run.file_failed(f, ok.error());
      }
    }
    return scan::Status::ok();
  }
};

}  // namespace

std::unique_ptr<scan::Module> make_os_analytics_ad_daily_module() {
  return std::make_unique<OsAnalyticsAdDailyModule>();
}

}  // namespace spyglass::artifacts::ios
