#include "artifacts/ios/configuration_profiles/configuration_profiles.hpp"

#include <cmath>
#include <string>
#include <utility>
#include <vector>

#include "artifacts/ios/backup_info/backup_info.hpp"
#include "artifacts/ios/ios_module.hpp"
#include "formats/plist/reader.hpp"
#include "support/time.hpp"

namespace spyglass::artifacts::ios {
namespace {

namespace pl = formats::plist;
using matching::ObservableKind;

// Profiles are a few KB; anything far larger is not a profile stub.
constexpr std::size_t kMaxProfileBytes = std::size_t{16} << 20;

std::string text_of(const pl::Dict& dict, std::string_view key) {
  const pl::Value* v = dict.find(key);
  const std::string* s = v ? v->as_string() : nullptr;
  return s ? *s : std::string();
}

std::string_view basename_of(std::string_view path) {
  const std::size_t slash = path.rfind('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

}  // namespace

Result<scan::Record> read_configuration_profile(std::string_view bytes, const IosFile& file) {
  auto parsed = pl::parse(bytes);
  if (!parsed) {
    return make_error(ErrorCode::kMalformed, "not a property list: " + parsed.error().message);
  }
  const pl::Dict* root = parsed->as_dict();
  if (!root) {
    return make_error(ErrorCode::kMalformed, std::string("profile plist root is ") +
                                                 pl::type_name(parsed->type()) +
                                                 ", not a dictionary");
  }
  scan::Record rec;
  rec.data.set("file_id", file.file_id);
  rec.data.set("relative_path", file.relative_path);
  rec.data.set("domain", file.domain);
  rec.data.set("plist", plist_to_json(*parsed));
  const pl::Value* install = root->find("InstallDate");
  const pl::Date* date = install ? install->as_date() : nullptr;
  rec.data.set("install_date", date ? plist_to_json(*install) : json::Value(nullptr));

  const std::string uuid = text_of(*root, "PayloadUUID");
  const std::string type = text_of(*root, "PayloadType");
  const std::string name = text_of(*root, "PayloadDisplayName");
  if (date && std::isfinite(date->unix_seconds())) {
    rec.time = static_cast<UnixMicros>(std::llround(date->unix_seconds() * 1e6));
    rec.timeline.push_back({*rec.time, "configuration_profile_install",
                            type + " installed: " + uuid + " - " + name + ": " +
                                text_of(*root, "PayloadDescription")});
  }
  if (!uuid.empty()) rec.observe(ObservableKind::kProfileId, uuid, "PayloadUUID");

  // A profile that mutes notifications can hide what an exploit or its operator shows.
  const pl::Value* content = root->find("PayloadContent");
  const pl::Array* payloads = content ? content->as_array() : nullptr;
  if (payloads && !payloads->empty()) {
    const pl::Dict* first = payloads->front().as_dict();
    if (first && text_of(*first, "PayloadType") == "com.apple.notificationsettings") {
      rec.flag(report::AlertLevel::kMedium,
               "Found a potentially suspicious configuration profile \"" + name + "\" (" + uuid +
                   ") with payload type com.apple.notificationsettings");
    }
  }
  rec.provenance = file.provenance();
  return rec;
}

namespace {

class ConfigurationProfilesModule final : public IosModule {
 public:
  ConfigurationProfilesModule() : IosModule(make_spec()) {}

 private:
  static IosModuleSpec make_spec() {
    IosModuleSpec s;
    s.slug = "configuration_profiles";
    s.display_name = "ConfigurationProfiles";
    s.summary = "Installed configuration profiles (profile-* plists), notification-hiding ones";
    s.locator.backup_patterns = {
        {"%profile-%", std::string(kConfigurationProfilesDomain), std::nullopt}};
    s.sources = IosSources::kBackupOnly;
    return s;
  }

  scan::Status run_files(IosRun& run) override {
    // One unreadable profile does not hide the others; the scan is still marked incomplete.
    std::vector<std::string> failures;
    for (const IosFile& f : run.files) {
      if (basename_of(f.relative_path).rfind("profile-", 0) != 0) continue;
      auto bytes = run.evidence.read_file(f, kMaxProfileBytes);
      if (!bytes) {
        failures.push_back(run.file_failed(f, bytes.error()).message);
        continue;
      }
      auto rec = read_configuration_profile(*bytes, f);
      if (!rec) {
        failures.push_back(run.file_failed(f, rec.error()).message);
        continue;
      }
      run.sink.emit(std::move(*rec));
    }
    if (failures.empty()) return scan::Status::ok();
    std::string message = failures.front();
    for (std::size_t i = 1; i < failures.size(); ++i) message += "; " + failures[i];
    return scan::Status::failed(std::move(message));
  }
};

}  // namespace

std::unique_ptr<scan::Module> make_configuration_profiles_module() {
  return std::make_unique<ConfigurationProfilesModule>();
}

}  // namespace spyglass::artifacts::ios
