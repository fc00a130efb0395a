#include "artifacts/ios/webkit_resource_load_statistics/webkit_resource_load_statistics.hpp"

#include <cmath>
#include <string>
#include <utility>

#include "artifacts/ios/ios_module.hpp"

namespace spyglass::artifacts::ios {

using matching::ObservableKind;

std::optional<std::string> app_container_of(std::string_view path) {
  constexpr std::string_view kApps = "Containers/Data/Application/";
  const auto at = path.find(kApps);
  if (at == std::string_view::npos) return std::nullopt;
  std::string_view rest = path.substr(at + kApps.size());
  const auto slash = rest.find('/');
  if (slash == 0 || slash == std::string_view::npos) return std::nullopt;
  return std::string(rest.substr(0, slash));
}

std::optional<UnixMicros> webkit_wall_time(double seconds) {
  // Beyond year 5138 a value is corruption, not a time (and would overflow microseconds).
  if (!std::isfinite(seconds) || seconds <= 0 || seconds > 1e11) return std::nullopt;
  return from_unix_seconds(seconds);
}

namespace {

// MVT names the optional time columns this way and adds the *_isodate twin only for a real
// time (WebKit writes -1 for "never").
void add_optional_time(scan::Record& rec, const formats::sqlite::Statement& stmt, int col,
                       const std::string& name) {
  rec.data.set(name, column_json(stmt, col));
  if (stmt.is_null(col)) return;
  if (auto t = webkit_wall_time(stmt.get_double(col))) {
    rec.data.set(name + "_isodate", format_mvt_time(*t));
  }
}

}  // namespace

Result<void> read_webkit_observations(const formats::sqlite::Database& db, const IosFile& file,
                                      scan::RecordSink& sink) {
  auto cols = TableColumns::read(db, "ObservedDomains");
  if (!cols) return tl::unexpected(cols.error());
  if (auto ok = require_columns(
          *cols, {"domainID", "registrableDomain", "lastSeen", "hadUserInteraction"});
      !ok) {
    return ok;
  }
  const bool has_interaction = cols->has("mostRecentUserInteractionTime");
  const bool has_web_push = cols->has("mostRecentWebPushInteractionTime");
  std::string sql = "SELECT domainID, registrableDomain, lastSeen, hadUserInteraction";
  sql += has_interaction ? ", mostRecentUserInteractionTime" : ", NULL";
  sql += has_web_push ? ", mostRecentWebPushInteractionTime" : ", NULL";
  sql += " FROM ObservedDomains ORDER BY domainID";
  auto stmt = db.prepare(sql);
  if (!stmt) return tl::unexpected(stmt.error());

  const bool backup = file.source == IosSourceKind::kBackup;
  const std::optional<std::string> container =
      backup ? std::nullopt : app_container_of(file.relative_path);
  while (true) {
    auto more = stmt->step();
    if (!more) return tl::unexpected(more.error());
    if (!*more) break;
    const std::int64_t id = stmt->get_int64(0);
    // registrableDomain is TEXT NOT NULL, but a hostile file may put anything there.
    const std::string domain = stmt->is_null(1) ? std::string() : std::string(stmt->get_text(1));
    std::optional<UnixMicros> last_seen;
    if (!stmt->is_null(2)) last_seen = webkit_wall_time(stmt->get_double(2));

    scan::Record rec;
    rec.data.set("domain_id", id);
    rec.data.set("registrable_domain", domain);
    rec.data.set("last_seen", column_json(*stmt, 2));
    rec.data.set("had_user_interaction", !stmt->is_null(3) && stmt->get_int64(3) != 0);
    rec.data.set("last_seen_isodate",
                 last_seen ? json::Value(format_mvt_time(*last_seen)) : json::Value());
    if (has_interaction) add_optional_time(rec, *stmt, 4, "most_recent_user_interaction_time");
    if (has_web_push) add_optional_time(rec, *stmt, 5, "most_recent_web_push_interaction_time");
    // MVT: the backup domain (the app the database belongs to), "" on a dump, and the path.
    rec.data.set("domain", backup ? file.domain : std::string());
    rec.data.set("path", file.relative_path);
    rec.data.set("container", container ? json::Value(*container) : json::Value());

    rec.time = last_seen;
    if (last_seen) {
      std::string what = "Webkit resource loaded from " + domain;
      if (backup && !file.domain.empty()) what += " by app in domain " + file.domain;
      rec.timeline.push_back({*last_seen, "visit", std::move(what)});
    }
    if (!domain.empty()) rec.observe(ObservableKind::kDomain, domain, "registrable_domain");
    rec.provenance = file.provenance("ObservedDomains domainID " + std::to_string(id));
    sink.emit(std::move(rec));
  }
  return {};
}

namespace {

class WebkitResourceLoadStatisticsModule final : public IosModule {
 public:
  WebkitResourceLoadStatisticsModule() : IosModule(make_spec()) {}

 private:
  static IosModuleSpec make_spec() {
    IosModuleSpec s;
    s.slug = "webkit_resource_load_statistics";
    s.display_name = "WebkitResourceLoadStatistics";
    s.summary = "Domains WebKit views loaded resources from (ITP observations.db)";
    // Every app with a WebKit data store has one, so any domain.
    s.locator.backup_patterns = {
        {"Library/WebKit/WebsiteData/ResourceLoadStatistics/observations.db", std::nullopt,
         std::nullopt}};
    s.locator.fs_globs = {
        "private/var/mobile/Containers/Data/Application/*/Library/WebKit/WebsiteData/"
        "ResourceLoadStatistics/observations.db",
        "private/var/mobile/Containers/Data/Application/*/SystemData/"
        "com.apple.SafariViewService/Library/WebKit/WebsiteData/ResourceLoadStatistics/"
        "observations.db",
        // MVT's SafariViewService path, without the ResourceLoadStatistics folder.
        "private/var/mobile/Containers/Data/Application/*/SystemData/"
        "com.apple.SafariViewService/Library/WebKit/WebsiteData/observations.db",
    };
    return s;
  }

  // One unreadable app store does not hide the others: every file is read, the first
  // failure is reported.
  scan::Status run_files(IosRun& run) override {
    scan::Status status = scan::Status::ok();
    for (const IosFile& f : run.files) {
      auto db = run.evidence.open_sqlite(f);
      Result<void> ok = db ? read_webkit_observations(*db, f, run.sink)
                           : Result<void>(tl::unexpected(db.error()));
      if (!ok && status.code == scan::ModuleStatus::kOk) status = run.file_failed(f, ok.error());
    }
    return status;
  }
};

}  // namespace

std::unique_ptr<scan::Module> make_webkit_resource_load_statistics_module() {
  return std::make_unique<WebkitResourceLoadStatisticsModule>();
}

}  // namespace spyglass::artifacts::ios
