#include "artifacts/ios/locationd_clients/locationd_clients.hpp"

#include <cmath>
#include <optional>
#include <string>

#include "artifacts/ios/global_preferences/global_preferences.hpp"
#include "artifacts/ios/ios_module.hpp"
#include "formats/plist/reader.hpp"

namespace spyglass::artifacts::ios {
namespace {

namespace plist = formats::plist;
using matching::CommTruncation;
using matching::ObservableKind;

std::optional<UnixMicros> field_time(const plist::Value& v) {
  if (const plist::Date* d = v.as_date()) return from_mac_absolute(d->seconds_since_2001);
  auto s = v.as_real();
  if (!s || !std::isfinite(*s) || *s == 0 || std::fabs(*s) > 1e11) return std::nullopt;
  return from_mac_absolute(*s);
}

}  // namespace

Result<void> read_locationd_clients(std::string_view bytes, const IosFile& file,
                                    scan::RecordSink& sink) {
  auto root = plist::parse(bytes);
  if (!root) return tl::unexpected(root.error());
  const plist::Dict* clients = root->as_dict();
  if (clients == nullptr) {
    return make_error(ErrorCode::kMalformed, "expected a dictionary of clients at the root");
  }
  for (const auto& [key, value] : clients->entries()) {
    const plist::Dict* client = value.as_dict();
    if (client == nullptr) continue;  // migration counters and versions, not clients
    std::string package = key;
    while (!package.empty() && package.back() == ':') package.pop_back();

    scan::Record rec;
    rec.provenance = file.provenance(key);
    json::Value data = preference_value_json(value);
    for (std::string_view field : kLocationdTimeFields) {
      const plist::Value* v = client->find(field);
      if (v == nullptr) continue;
      if (auto t = field_time(*v)) {
        data.set(field, format_mvt_time(*t));
        rec.timeline.push_back({*t, std::string(field),
                                std::string(field) + " from " + package});
      }
    }
    data.set("package", package);
    rec.data = std::move(data);

    const auto slash = package.rfind('/');
    const std::string last = slash == std::string::npos ? package : package.substr(slash + 1);
    if (!last.empty()) {
      rec.observe(ObservableKind::kProcess, last, "package", report::AlertLevel::kHigh);
      rec.observables.back().observable.truncation = CommTruncation::kNone;
    }
    if (const plist::Value* v = client->find("BundleId"); v && v->as_string()) {
      rec.observe(ObservableKind::kProcess, *v->as_string(), "BundleId",
                  report::AlertLevel::kHigh);
      rec.observables.back().observable.truncation = CommTruncation::kNone;
    }
    // "Registered" is sometimes a bool: only paths are matched.
    for (std::string_view field : {"BundlePath", "Executable", "Registered"}) {
      if (const plist::Value* v = client->find(field); v && v->as_string() &&
                                                          !v->as_string()->empty()) {
        rec.observe(ObservableKind::kFilePath, *v->as_string(), std::string(field),
                    report::AlertLevel::kHigh);
      }
    }
    sink.emit(std::move(rec));
  }
  return {};
}

namespace {

class LocationdClientsModule final : public IosModule {
 public:
  LocationdClientsModule() : IosModule(make_spec()) {}

 private:
  static IosModuleSpec make_spec() {
    IosModuleSpec s;
    s.slug = "locationd_clients";
    s.display_name = "LocationdClients";
    s.summary = "Apps and daemons that used location (locationd clients.plist)";
    s.locator.backup_files = {{"RootDomain", "Library/Caches/locationd/clients.plist"}};
    s.locator.fs_globs = {"private/var/mobile/Library/Caches/locationd/clients.plist",
                          "private/var/root/Library/Caches/locationd/clients.plist"};
    return s;
  }

  scan::Status run_files(IosRun& run) override {
    for (const IosFile& f : run.files) {
      auto bytes = run.evidence.read_file(f);
      if (!bytes) return run.file_failed(f, bytes.error());
      if (auto ok = read_locationd_clients(*bytes, f, run.sink); !ok) {
        return run.file_failed(f, ok.error());
      }
    }
    return scan::Status::ok();
  }
};

}  // namespace

std::unique_ptr<scan::Module> make_locationd_clients_module() {
  return std::make_unique<LocationdClientsModule>();
}

}  // namespace spyglass::artifacts::ios
