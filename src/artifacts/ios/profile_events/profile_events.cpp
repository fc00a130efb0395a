#include "artifacts/ios/profile_events/profile_events.hpp"

#include <cctype>
#include <cmath>
#include <string>
#include <utility>

#include "artifacts/ios/backup_info/backup_info.hpp"
#include "artifacts/ios/ios_module.hpp"
#include "formats/plist/reader.hpp"
#include "support/time.hpp"

namespace spyglass::artifacts::ios {
namespace {

namespace pl = formats::plist;
using matching::ObservableKind;

constexpr std::size_t kMaxEventsBytes = std::size_t{64} << 20;

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string text_or_empty(const json::Value& data, std::string_view key) {
  const json::Value* v = data.find(key);
  return v && v->is_string() ? v->as_string() : std::string();
}

}  // namespace

Result<void> read_profile_events(std::string_view bytes, const IosFile& file,
                                 scan::RecordSink& sink) {
  auto parsed = pl::parse(bytes);
  if (!parsed) {
    return make_error(ErrorCode::kMalformed, "not a property list: " + parsed.error().message);
  }
  const pl::Dict* root = parsed->as_dict();
  if (!root) {
    return make_error(
        ErrorCode::kMalformed,
        std::string("root is ") + pl::type_name(parsed->type()) + ", not a dictionary");
  }
  const pl::Value* events = root->find("ProfileEvents");
  if (!events) return {};  // no profile was ever installed or removed
  const pl::Array* list = events->as_array();
  if (!list) {
    return make_error(ErrorCode::kMalformed, std::string("ProfileEvents is ") +
                                                 pl::type_name(events->type()) + ", not an array");
  }
  std::string bad;
  for (std::size_t i = 0; i < list->size(); ++i) {
    const pl::Dict* event = (*list)[i].as_dict();
    const pl::Dict* details = nullptr;
    if (event && !event->empty()) details = event->entries().front().second.as_dict();
    if (!details) {
      bad += (bad.empty() ? "" : ", ") + std::to_string(i);
      continue;
    }
    const std::string& profile_id = event->entries().front().first;
    scan::Record rec;
    rec.data.set("profile_id", profile_id);
    rec.data.set("timestamp", "");
    rec.data.set("operation", "");
    rec.data.set("process", "");
    for (const auto& [key, value] : details->entries()) {
      const std::string name = lower(key);
      const pl::Date* date = value.as_date();
      if (name == "timestamp" && date && std::isfinite(date->unix_seconds())) {
        rec.time = static_cast<UnixMicros>(std::llround(date->unix_seconds() * 1e6));
        rec.data.set("timestamp", format_mvt_time(*rec.time));
      } else {
        rec.data.set(name, plist_to_json(value));
      }
    }
    const std::string process = text_or_empty(rec.data, "process");
    const std::string operation = text_or_empty(rec.data, "operation");
    const std::string when = text_or_empty(rec.data, "timestamp");
    if (rec.time) {
      rec.timeline.push_back(
          {*rec.time, "profile_operation",
           "Process " + process + " started operation " + operation + " of profile " + profile_id});
    }
    rec.flag(report::AlertLevel::kLow, "On " + when + " process \"" + process +
                                           "\" started operation \"" + operation +
                                           "\" of profile \"" + profile_id + "\"");
    if (!process.empty()) rec.observe(ObservableKind::kProcess, process, "process");
    if (!profile_id.empty()) rec.observe(ObservableKind::kProfileId, profile_id, "profile_id");
    rec.provenance = file.provenance("ProfileEvents[" + std::to_string(i) + "]");
    sink.emit(std::move(rec));
  }
  if (!bad.empty()) {
    return make_error(ErrorCode::kMalformed,
                      "ProfileEvents entries not of the form {profile id: {...}}: " + bad);
  }
  return {};
}

namespace {

class ProfileEventsModule final : public IosModule {
 public:
  ProfileEventsModule() : IosModule(make_spec()) {}

 private:
  static IosModuleSpec make_spec() {
    IosModuleSpec s;
    s.slug = "profile_events";
    s.display_name = "ProfileEvents";
    s.summary = "Configuration profile installs and removals, and which process made them";
    s.locator.backup_patterns = {
        {"Library/ConfigurationProfiles/MCProfileEvents.plist", std::nullopt, std::nullopt}};
    s.sources = IosSources::kBackupOnly;
    return s;
  }

  scan::Status run_files(IosRun& run) override {
    for (const IosFile& f : run.files) {
      auto bytes = run.evidence.read_file(f, kMaxEventsBytes);
      if (!bytes) return run.file_failed(f, bytes.error());
      if (auto ok = read_profile_events(*bytes, f, run.sink); !ok) {
        return run.file_failed(f, ok.error());
      }
    }
    return scan::Status::ok();
  }
};

}  // namespace

std::unique_ptr<scan::Module> make_profile_events_module() {
  return std::make_unique<ProfileEventsModule>();
}

}  // namespace spyglass::artifacts::ios
