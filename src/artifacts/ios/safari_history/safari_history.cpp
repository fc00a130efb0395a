#include "artifacts/ios/safari_history/safari_history.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "artifacts/ios/ios_module.hpp"
#include "formats/url/url.hpp"
#include "support/time.hpp"

namespace spyglass::artifacts::ios {
namespace {

using matching::ObservableKind;

constexpr std::int64_t kOneSecondMicros = 1'000'000;

struct Visit {
  std::int64_t item_id = 0;
  std::string url;
  std::int64_t visit_id = 0;
  std::optional<UnixMicros> time;
  std::optional<std::int64_t> redirect_destination;
  scan::Record record;
};

bool starts_with_http(std::string_view url) {
  constexpr std::string_view kHttp = "http://";
  if (url.size() < kHttp.size()) return false;
  for (std::size_t i = 0; i < kHttp.size(); ++i) {
    char c = url[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != kHttp[i]) return false;
  }
  return true;
}

// MVT compares timedelta.seconds == 0, which ignores whole days (a redirect 3 days and
// 0.5 s later matches) and never matches a negative delta reported as -1 day + 86399 s.
// Here the real difference is compared: 0 <= delta < 1 s.
void flag_fast_redirects(std::vector<Visit>& visits) {
  std::unordered_map<std::int64_t, std::size_t> by_id;
  by_id.reserve(visits.size());
  for (std::size_t i = 0; i < visits.size(); ++i) by_id.emplace(visits[i].visit_id, i);
  for (Visit& origin : visits) {
    if (!origin.redirect_destination || !origin.time) continue;
    // Injection rewrites plaintext HTTP; a redirect from https:// cannot be injected.
    if (!starts_with_http(origin.url)) continue;
    auto it = by_id.find(*origin.redirect_destination);
    if (it == by_id.end()) continue;
    const Visit& dest = visits[it->second];
    if (!dest.time) continue;
    const auto origin_host = redirect_host(origin.url);
    const auto dest_host = redirect_host(dest.url);
    // Same site: most likely the HTTPS upgrade of the same page.
    if (origin_host == dest_host) continue;
    const std::int64_t delta = *dest.time - *origin.time;
    if (delta < 0 || delta >= kOneSecondMicros) continue;
    origin.record.heuristics.push_back(
        {report::AlertLevel::kMedium,
         "Redirect took less than a second (" + std::to_string(delta / 1000) +
             " milliseconds) from HTTP " + origin_host.value_or("?") + " to " +
             dest_host.value_or("?") + " (visit " + std::to_string(origin.visit_id) + " -> " +
             std::to_string(dest.visit_id) + ")",
         origin.time});
  }
}

}  // namespace

std::optional<std::string> redirect_host(std::string_view url) {
  auto parsed = formats::url::parse_url(url);
  if (!parsed || parsed->host.empty()) return std::nullopt;
  std::string host = std::move(parsed->host);
  if (host.rfind("www.", 0) == 0 && host.size() > 4) host.erase(0, 4);
  return host;
}

Result<void> read_safari_history(const formats::sqlite::Database& db, const IosFile& file,
                                 scan::RecordSink& sink) {
  auto items = TableColumns::read(db, "history_items");
  if (!items) return tl::unexpected(items.error());
  if (auto ok = require_columns(*items, {"id", "url"}); !ok) return ok;
  auto visits_cols = TableColumns::read(db, "history_visits");
  if (!visits_cols) return tl::unexpected(visits_cols.error());
  if (auto ok = require_columns(*visits_cols, {"id", "history_item", "visit_time",
                                               "redirect_source", "redirect_destination"});
      !ok) {
    return ok;
  }
  auto stmt = db.prepare(
      "SELECT history_items.id, history_items.url, history_visits.id, history_visits.visit_time, "
      "history_visits.redirect_source, history_visits.redirect_destination "
      "FROM history_items JOIN history_visits ON history_visits.history_item = history_items.id "
      "ORDER BY history_visits.visit_time, history_visits.id");
  if (!stmt) return tl::unexpected(stmt.error());

  std::vector<Visit> visits;
  while (true) {
    auto more = stmt->step();
    if (!more) return tl::unexpected(more.error());
    if (!*more) break;
    Visit v;
    v.item_id = stmt->get_int64(0);
    v.url = stmt->get_optional_text(1).value_or("");
    v.visit_id = stmt->get_int64(2);
    if (!stmt->is_null(3)) {
      const double mac = stmt->get_double(3);
      if (mac != 0) v.time = from_mac_absolute(mac);
    }
    v.redirect_destination = stmt->get_optional_int64(5);

    scan::Record& rec = v.record;
    rec.data.set("id", v.item_id);
    rec.data.set("url", v.url);
    rec.data.set("visit_id", v.visit_id);
    rec.data.set("timestamp", column_json(*stmt, 3));
    rec.data.set("isodate", v.time ? json::Value(format_mvt_time(*v.time)) : json::Value());
    rec.data.set("redirect_source", column_json(*stmt, 4));
    rec.data.set("redirect_destination", column_json(*stmt, 5));
    rec.data.set("safari_history_db", file.evidence_path);
    rec.time = v.time;
    if (v.time) {
      rec.timeline.push_back({*v.time, "safari_history",
                              "Safari visit to " + v.url + " (ID: " + std::to_string(v.item_id) +
                                  ", Visit ID: " + std::to_string(v.visit_id) + ")"});
    }
    if (!v.url.empty()) {
      rec.observe(ObservableKind::kUrl, v.url, "url");
      rec.links.push_back(v.url);
    }
    rec.provenance = file.provenance("history_visits id " + std::to_string(v.visit_id));
    visits.push_back(std::move(v));
  }
  flag_fast_redirects(visits);
  for (Visit& v : visits) sink.emit(std::move(v.record));
  return {};
}

namespace {

class SafariHistoryModule final : public IosModule {
 public:
  SafariHistoryModule() : IosModule(make_spec()) {}

 private:
  static IosModuleSpec make_spec() {
    IosModuleSpec s;
    s.slug = "safari_history";
    s.expected_cost = 2;  // large on big backups: scheduled early
    s.display_name = "Safari history";
    s.summary = "Safari visits and redirects (History.db), with the fast-redirect heuristic";
    s.locator.backup_patterns = {
        {"Library/Safari/History.db", std::nullopt, std::nullopt},
        {"Library/Safari/Profiles/*/History.db", std::nullopt, std::nullopt}};
    s.locator.fs_globs = {
        "private/var/mobile/Library/Safari/History.db",
        "private/var/mobile/Library/Safari/Profiles/*/History.db",
        "private/var/mobile/Containers/Data/Application/*/Library/Safari/History.db",
        "private/var/mobile/Containers/Data/Application/*/Library/Safari/Profiles/*/History.db",
    };
    return s;
  }

  scan::Status run_files(IosRun& run) override {
    for (const IosFile& f : run.files) {
      auto db = run.evidence.open_sqlite(f);
      if (!db) return run.file_failed(f, db.error());
      if (auto ok = read_safari_history(*db, f, run.sink); !ok) {
        return run.file_failed(f, ok.error());
      }
    }
    return scan::Status::ok();
  }
};

}  // namespace

std::unique_ptr<scan::Module> make_safari_history_module() {
  return std::make_unique<SafariHistoryModule>();
}

}  // namespace spyglass::artifacts::ios
