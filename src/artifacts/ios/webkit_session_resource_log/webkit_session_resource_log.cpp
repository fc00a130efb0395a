#include "artifacts/ios/webkit_session_resource_log/webkit_session_resource_log.hpp"

#include <cstddef>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "artifacts/ios/global_preferences/global_preferences.hpp"
#include "artifacts/ios/ios_module.hpp"
#include "artifacts/ios/webkit_resource_load_statistics/webkit_resource_load_statistics.hpp"
#include "formats/plist/reader.hpp"

namespace spyglass::artifacts::ios {
namespace {

namespace plist = formats::plist;
using matching::ObservableKind;

// Domains named in the redirect-chain message; the rest are counted (a hostile file could
// list thousands).
constexpr std::size_t kChainShown = 16;

const plist::Value* first_of(const plist::Dict& d, std::string_view a, std::string_view b) {
  const plist::Value* v = d.find(a);
  return v != nullptr ? v : d.find(b);
}

// WebKit's sets: [{origin, count}] up to model 14, [{domain}] from model 15.
std::vector<std::string> set_domains(const plist::Value* set) {
  std::vector<std::string> out;
  const plist::Array* items = set != nullptr ? set->as_array() : nullptr;
  if (items == nullptr) return out;
  for (const plist::Value& item : *items) {
    const plist::Value* name = item.as_string() != nullptr ? &item : nullptr;
    if (const plist::Dict* d = item.as_dict()) name = first_of(*d, "origin", "domain");
    if (name != nullptr && name->as_string() != nullptr && !name->as_string()->empty()) {
      out.push_back(*name->as_string());
    }
  }
  return out;
}

// lastSeen and mostRecentUserInteraction are WallTime seconds (Unix epoch) stored as reals.
std::optional<UnixMicros> entry_time(const plist::Value* v) {
  if (v == nullptr) return std::nullopt;
  if (const plist::Date* d = v->as_date()) return webkit_wall_time(d->unix_seconds());
  if (auto s = v->as_real()) return webkit_wall_time(*s);
  return std::nullopt;
}

json::Value time_json(const plist::Value* v) {
  auto t = entry_time(v);
  return t ? json::Value(format_mvt_time(*t)) : json::Value();
}

// MVT keeps the set as the plist has it, or "" when the key is absent.
json::Value set_json(const plist::Value* v) {
  return v != nullptr ? preference_value_json(*v) : json::Value("");
}

void append_quoted(std::string& out, const std::vector<std::string>& domains) {
  for (std::size_t i = 0; i < domains.size() && i < kChainShown; ++i) {
    if (i > 0) out += ", ";
    out += "\"" + domains[i] + "\"";
  }
  if (domains.size() > kChainShown) {
    out += " and " + std::to_string(domains.size() - kChainShown) + " more";
  }
}

std::string describe_keys(const plist::Dict& d) {
  std::string out;
  std::size_t n = 0;
  for (const auto& [key, value] : d.entries()) {
    if (n++ == 8) {
      out += ", ...";
      break;
    }
    if (!out.empty()) out += ", ";
    out += key;
  }
  return out.empty() ? "none" : out;
}

}  // namespace

Result<void> read_session_resource_log(std::string_view bytes, const IosFile& file,
                                       scan::RecordSink& sink) {
  auto root = plist::parse(bytes);
  if (!root) return tl::unexpected(root.error());
  const plist::Dict* dict = root->as_dict();
  if (dict == nullptr) {
    return make_error(ErrorCode::kMalformed,
                      "unknown schema: expected a dictionary at the root, found a " +
                          std::string(plist::type_name(root->type())));
  }
  const plist::Value* stats_value = dict->find("browsingStatistics");
  const plist::Array* stats = stats_value != nullptr ? stats_value->as_array() : nullptr;
  if (stats == nullptr) {
    return make_error(ErrorCode::kMalformed, "unknown schema: no browsingStatistics array (keys: " +
                                                 describe_keys(*dict) + ")");
  }

  const bool backup = file.source == IosSourceKind::kBackup;
  const std::optional<std::string> container =
      backup ? std::nullopt : app_container_of(file.relative_path);
  std::size_t emitted = 0;
  for (std::size_t index = 0; index < stats->size(); ++index) {
    const plist::Dict* item = (*stats)[index].as_dict();
    if (item == nullptr) continue;
    const plist::Value* origin_value =
        first_of(*item, "PrevalentResourceOrigin", "PrevalentResourceDomain");
    if (origin_value == nullptr || origin_value->as_string() == nullptr) continue;
    const std::string origin = *origin_value->as_string();

    const plist::Value* from = item->find("topFrameUniqueRedirectsFrom");
    const plist::Value* to = item->find("topFrameUniqueRedirectsTo");
    const plist::Value* subframe =
        first_of(*item, "subframeUnderTopFrameOrigins", "subframeUnderTopFrameDomains");
    const plist::Value* subresource =
        first_of(*item, "subresourceUnderTopFrameOrigins", "subresourceUnderTopFrameDomains");
    const plist::Value* sub_to = item->find("subresourceUniqueRedirectsTo");
    const plist::Value* sub_from = item->find("subresourceUniqueRedirectsFrom");
    const plist::Value* interaction = item->find("hadUserInteraction");

    scan::Record rec;
    rec.data.set("origin", origin);
    rec.data.set("redirect_source", set_json(from));
    rec.data.set("redirect_destination", set_json(to));
    rec.data.set("subframe_under_origin", set_json(subframe));
    rec.data.set("subresource_under_origin", set_json(subresource));
    rec.data.set("user_interaction", interaction != nullptr && interaction->as_bool()
                                         ? json::Value(*interaction->as_bool())
                                         : json::Value());
    rec.data.set("most_recent_interaction", time_json(item->find("mostRecentUserInteraction")));
    rec.data.set("last_seen", time_json(item->find("lastSeen")));
    // spyglass: the rest of the chain, and where the file was (MVT keys its dict by file).
    rec.data.set("subresource_unique_redirects_to", set_json(sub_to));
    rec.data.set("subresource_unique_redirects_from", set_json(sub_from));
    rec.data.set("file", file.evidence_path);
    rec.data.set("domain", backup ? file.domain : std::string());
    rec.data.set("path", file.relative_path);
    rec.data.set("container", container ? json::Value(*container) : json::Value());
    rec.time = entry_time(item->find("lastSeen"));

    const std::vector<std::string> sources = set_domains(from);
    const std::vector<std::string> destinations = set_domains(to);
    if (!origin.empty()) rec.observe(ObservableKind::kDomain, origin, "origin");
    for (const auto& d : sources) rec.observe(ObservableKind::kDomain, d, "redirect_source");
    for (const auto& d : destinations) {
      rec.observe(ObservableKind::kDomain, d, "redirect_destination");
    }
    for (const auto& d : set_domains(subframe)) {
      rec.observe(ObservableKind::kDomain, d, "subframe_under_origin");
    }
    for (const auto& d : set_domains(subresource)) {
      rec.observe(ObservableKind::kDomain, d, "subresource_under_origin");
    }
    for (const auto& d : set_domains(sub_to)) {
      rec.observe(ObservableKind::kDomain, d, "subresource_unique_redirects_to");
    }
    for (const auto& d : set_domains(sub_from)) {
      rec.observe(ObservableKind::kDomain, d, "subresource_unique_redirects_from");
    }
    // Only a matched domain makes the hops worth an alert: redirects are everyday web traffic.
    if (!sources.empty() || !destinations.empty()) {
      std::string chain = "Top-frame redirect chain through a domain that matched an indicator: ";
      if (!sources.empty()) {
        chain += "FROM ";
        append_quoted(chain, sources);
        chain += " -> ";
      }
      chain += "ORIGIN \"" + origin + "\"";
      if (!destinations.empty()) {
        chain += " -> TO ";
        append_quoted(chain, destinations);
      }
      rec.on_match.push_back({report::AlertLevel::kHigh, std::move(chain), std::nullopt});
    }
    rec.provenance = file.provenance("browsingStatistics[" + std::to_string(index) + "]");
    sink.emit(std::move(rec));
    ++emitted;
  }
  if (emitted == 0 && !stats->empty()) {
    return make_error(ErrorCode::kMalformed,
                      "unknown schema: no browsingStatistics entry has a "
                      "PrevalentResourceOrigin or PrevalentResourceDomain");
  }
  return {};
}

namespace {

class WebkitSessionResourceLogModule final : public IosModule {
 public:
  WebkitSessionResourceLogModule() : IosModule(make_spec()) {}

 private:
  static IosModuleSpec make_spec() {
    IosModuleSpec s;
    s.slug = "webkit_session_resource_log";
    s.display_name = "WebkitSessionResourceLog";
    s.summary = "Domains, redirects and subresources per site (WebKit session resource log)";
    s.locator.backup_patterns = {
        {"Library/WebKit/WebsiteData/ResourceLoadStatistics/"
         "full_browsing_session_resourceLog.plist",
         std::nullopt, std::nullopt}};
    s.locator.fs_globs = {
        "private/var/mobile/Containers/Data/Application/*/SystemData/"
        "com.apple.SafariViewService/Library/WebKit/WebsiteData/"
        "full_browsing_session_resourceLog.plist",
        "private/var/mobile/Containers/Data/Application/*/SystemData/"
        "com.apple.SafariViewService/Library/WebKit/WebsiteData/ResourceLoadStatistics/"
        "full_browsing_session_resourceLog.plist",
        "private/var/mobile/Containers/Data/Application/*/Library/WebKit/WebsiteData/"
        "ResourceLoadStatistics/full_browsing_session_resourceLog.plist",
        "private/var/mobile/Library/WebClips/*/Storage/full_browsing_session_resourceLog.plist",
    };
    return s;
  }

  // Every file is read; the first failure is reported.
  scan::Status run_files(IosRun& run) override {
    scan::Status status = scan::Status::ok();
    for (const IosFile& f : run.files) {
      auto bytes = run.evidence.read_file(f);
      Result<void> ok = bytes ? read_session_resource_log(*bytes, f, run.sink)
                              : Result<void>(tl::unexpected(bytes.error()));
      if (!ok && status.code == scan::ModuleStatus::kOk) status = run.file_failed(f, ok.error());
    }
    return status;
  }
};

}  // namespace

std::unique_ptr<scan::Module> make_webkit_session_resource_log_module() {
  return std::make_unique<WebkitSessionResourceLogModule>();
}

}  // namespace spyglass::artifacts::ios
