#include "artifacts/ios/id_status_cache/id_status_cache.hpp"

#include <cmath>
#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "artifacts/ios/global_preferences/global_preferences.hpp"
#include "artifacts/ios/ios_module.hpp"
#include "formats/json/json_writer.hpp"
#include "formats/plist/reader.hpp"

namespace spyglass::artifacts::ios {

std::string escape_nuls(std::string_view user) {
  std::string out;
  out.reserve(user.size());
  for (char c : user) {
    if (c == '\0') {
      out += "\\x00";
    } else {
      out += c;
    }
  }
  return out;
}

namespace {

namespace plist = formats::plist;
using matching::ObservableKind;

struct Lookup {
  std::string_view service;
  std::string_view user;  // the raw key, NULs included
  const plist::Value* lookup_date;
  const plist::Value* id_status;
};

// LookupDate is Mac absolute time in seconds, usually a real (a date on some versions).
std::optional<UnixMicros> lookup_time(const plist::Value& v) {
  if (const plist::Date* d = v.as_date()) {
    if (!std::isfinite(d->seconds_since_2001) || std::fabs(d->seconds_since_2001) > 1e11) {
      return std::nullopt;
    }
    return from_mac_absolute(d->seconds_since_2001);
  }
  auto s = v.as_real();
  if (!s || !std::isfinite(*s) || *s == 0 || std::fabs(*s) > 1e11) return std::nullopt;
  return from_mac_absolute(*s);
}

std::string status_text(const plist::Value& v) {
  if (auto i = v.as_int()) return std::to_string(*i);
  if (const std::string* s = v.as_string()) return *s;
  return json::to_json_line(preference_value_json(v));
}

bool starts_with(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

// MVT strips the quotes some clients leave around the address.
std::string_view strip_quotes(std::string_view s) {
  while (!s.empty() && s.front() == '\'') s.remove_prefix(1);
  while (!s.empty() && s.back() == '\'') s.remove_suffix(1);
  return s;
}

}  // namespace

Result<void> read_id_status_cache(std::string_view bytes, const IosFile& file,
                                  scan::RecordSink& sink) {
  auto root = plist::parse(bytes);
  if (!root) return tl::unexpected(root.error());
  const plist::Dict* services = root->as_dict();
  if (services == nullptr) {
    return make_error(ErrorCode::kMalformed,
                      "unknown schema: expected a dictionary of services at the root, found a " +
                          std::string(plist::type_name(root->type())));
  }
  // Two passes: the occurrence count of a user (over all services) goes into every record.
  std::vector<Lookup> lookups;
  std::size_t skipped = 0;
  std::string first_skipped;
  for (const auto& [service, users_value] : services->entries()) {
    const plist::Dict* users = users_value.as_dict();
    if (users == nullptr) continue;  // version counters and the like
    for (const auto& [user, entry_value] : users->entries()) {
      const plist::Dict* entry = entry_value.as_dict();
      const plist::Value* date = entry != nullptr ? entry->find("LookupDate") : nullptr;
      const plist::Value* status = entry != nullptr ? entry->find("IDStatus") : nullptr;
      if (date == nullptr || status == nullptr) {
        if (skipped++ == 0) first_skipped = service + " / " + escape_nuls(user);
        continue;
      }
      lookups.push_back({service, user, date, status});
    }
  }
  if (lookups.empty() && skipped > 0) {
    return make_error(ErrorCode::kMalformed,
                      "unknown schema: no entry has LookupDate and IDStatus (" +
                          std::to_string(skipped) + " entries, e.g. " + first_skipped + ")");
  }
  std::map<std::string_view, std::size_t> occurrences;
  for (const Lookup& l : lookups) ++occurrences[l.user];

  for (const Lookup& l : lookups) {
    const std::string user = escape_nuls(l.user);
    const auto time = lookup_time(*l.lookup_date);
    const std::string status = status_text(*l.id_status);

    scan::Record rec;
    rec.data.set("package", l.service);
    rec.data.set("user", user);
    rec.data.set("isodate", time ? json::Value(format_mvt_time(*time)) : json::Value());
    rec.data.set("idstatus", preference_value_json(*l.id_status));
    rec.data.set("occurrences", occurrences[l.user]);
    std::string_view handle;
    std::string kind = "other";
    if (starts_with(l.user, "mailto:")) {
      kind = "email";
      handle = strip_quotes(l.user.substr(7));
    } else if (starts_with(l.user, "tel:")) {
      kind = "phone";
      handle = l.user.substr(4);
    }
    rec.data.set("handle_type", kind);
    rec.data.set("handle", kind == "other" ? json::Value() : json::Value(escape_nuls(handle)));
    rec.time = time;
    if (time) {
      rec.timeline.push_back(
          {*time, "lookup",
           "Lookup of " + user + " within " + std::string(l.service) + " (Status " + status + ")"});
    }
    if (kind == "email" && !handle.empty()) {
      rec.observe(ObservableKind::kEmail, std::string(handle), "user");
    }
    // Amnesty's Pegasus methodology: lookups whose key hides two NUL bytes. MVT checks this
    // only when indicators are loaded; it needs none.
    if (l.user.find(std::string_view("\0\0", 2)) != std::string_view::npos) {
      rec.flag(report::AlertLevel::kHigh,
               "Found an ID Status Cache entry with suspicious patterns: " + user);
    }
    rec.provenance = file.provenance(std::string(l.service) + " / " + user);
    sink.emit(std::move(rec));
  }
  return {};
}

namespace {

class IdStatusCacheModule final : public IosModule {
 public:
  IdStatusCacheModule() : IosModule(make_spec()) {}

 private:
  static IosModuleSpec make_spec() {
    IosModuleSpec s;
    s.slug = "id_status_cache";
    s.display_name = "IDStatusCache";
    s.summary = "iMessage/FaceTime lookups of e-mail addresses and numbers (idstatuscache)";
    // fileID 6b97989189901ceaa4e5be9b7f05fb584120e27b
    s.locator.backup_files = {
        {"HomeDomain", "Library/Preferences/com.apple.identityservices.idstatuscache.plist"}};
    s.locator.fs_globs = {
        "private/var/mobile/Library/Preferences/com.apple.identityservices.idstatuscache.plist",
        "private/var/mobile/Library/IdentityServices/idstatuscache.plist",
    };
    return s;
  }

  // Every file is read; the first failure is reported.
  scan::Status run_files(IosRun& run) override {
    scan::Status status = scan::Status::ok();
    for (const IosFile& f : run.files) {
      auto bytes = run.evidence.read_file(f);
      Result<void> ok = bytes ? read_id_status_cache(*bytes, f, run.sink)
                              : Result<void>(tl::unexpected(bytes.error()));
      if (!ok && status.code == scan::ModuleStatus::kOk) status = run.file_failed(f, ok.error());
    }
    return status;
  }
};

}  // namespace

std::unique_ptr<scan::Module> make_id_status_cache_module() {
  return std::make_unique<IdStatusCacheModule>();
}

}  // namespace spyglass::artifacts::ios
