#include "artifacts/ios/firefox_history/firefox_history.hpp"

#include <cmath>
#include <string>
#include <utility>

#include "artifacts/ios/ios_module.hpp"
#include "support/time.hpp"

namespace spyglass::artifacts::ios {

using matching::ObservableKind;

namespace {

constexpr double kMinUnixSeconds = -62135596800.0;  // 0001-01-01 00:00:00 UTC
constexpr double kMaxUnixSeconds = 253402300799.0;  // 9999-12-31 23:59:59 UTC

}  // namespace

std::optional<UnixMicros> from_unix_units(double value, double units_per_second) {
  if (!std::isfinite(value) || value == 0 || units_per_second <= 0) return std::nullopt;
  const double seconds = value / units_per_second;
  if (seconds < kMinUnixSeconds || seconds > kMaxUnixSeconds) return std::nullopt;
  // Scale once (microseconds need no scaling) so a microsecond value stays exact.
  return static_cast<UnixMicros>(std::llround(value * (1e6 / units_per_second)));
}

IosLocator firefox_browser_db_locator() {
  IosLocator l;
  l.backup_files = {{"AppDomainGroup-group.org.mozilla.ios.Firefox", "profile.profile/browser.db"}};
  l.fs_globs = {
      // MVT's path (a dump flattened by some extraction tools).
      "private/var/mobile/profile.profile/browser.db",
      // Where iOS keeps the app group container.
      "private/var/mobile/Containers/Shared/AppGroup/*/profile.profile/browser.db",
  };
  return l;
}

Result<void> read_firefox_history(const formats::sqlite::Database& db, const IosFile& file,
                                  scan::RecordSink& sink) {
  auto history = TableColumns::read(db, "history");
  if (!history) return tl::unexpected(history.error());
  if (auto ok = require_columns(*history, {"id", "url", "title"}); !ok) return ok;
  auto visits = TableColumns::read(db, "visits");
  if (!visits) return tl::unexpected(visits.error());
  if (auto ok = require_columns(*visits, {"id", "siteID", "date", "type"}); !ok) return ok;
  // is_local (local visit vs one synced from another device) came with BrowserSchema v6.
  const std::string is_local = visits->has("is_local") ? "visits.is_local" : "NULL";
  auto stmt = db.prepare("SELECT visits.id, visits.date, history.url, history.title, " + is_local +
                         ", visits.type FROM visits JOIN history ON visits.siteID = history.id "
                         "ORDER BY visits.id");
  if (!stmt) return tl::unexpected(stmt.error());

  while (true) {
    auto more = stmt->step();
    if (!more) return tl::unexpected(more.error());
    if (!*more) break;
    const std::int64_t visit_id = stmt->get_int64(0);
    const std::string url = stmt->get_optional_text(2).value_or("");
    // Microseconds since the Unix epoch (BrowserSchema: "date REAL NOT NULL").
    const std::optional<UnixMicros> time =
        stmt->is_null(1) ? std::nullopt : from_unix_units(stmt->get_double(1), 1e6);

    scan::Record rec;
    rec.data.set("id", visit_id);
    rec.data.set("isodate", time ? json::Value(format_mvt_time(*time)) : json::Value());
    rec.data.set("url", column_json(*stmt, 2));
    rec.data.set("title", column_json(*stmt, 3));
    // MVT's key for is_local is misspelt; it is kept so tools reading MVT's
    // firefox_history.json keep working, and the value is also given under its real name.
    rec.data.set("i1000000s_local", column_json(*stmt, 4));
    rec.data.set("is_local", column_json(*stmt, 4));
    rec.data.set("type", column_json(*stmt, 5));
    rec.time = time;
    if (time) {
      rec.timeline.push_back(
          {*time, "firefox_history",
           "Firefox visit with ID " + std::to_string(visit_id) + " to URL: " + url});
    }
    if (!url.empty()) {
      rec.observe(ObservableKind::kUrl, url, "url");
      rec.links.push_back(url);
    }
    rec.provenance = file.provenance("visits id " + std::to_string(visit_id));
    sink.emit(std::move(rec));
  }
  return {};
}

namespace {

class FirefoxHistoryModule final : public IosModule {
 public:
  FirefoxHistoryModule() : IosModule(make_spec()) {}

 private:
  static IosModuleSpec make_spec() {
    IosModuleSpec s;
    s.slug = "firefox_history";
    s.display_name = "FirefoxHistory";
    s.summary = "Firefox for iOS visits (browser.db)";
    s.locator = firefox_browser_db_locator();
    return s;
  }

  scan::Status run_files(IosRun& run) override {
    for (const IosFile& f : run.files) {
      auto db = run.evidence.open_sqlite(f);
      if (!db) return run.file_failed(f, db.error());
      if (auto ok = read_firefox_history(*db, f, run.sink); !ok) {
        return run.file_failed(f, ok.error());
      }
    }
    return scan::Status::ok();
  }
};

}  // namespace

std::unique_ptr<scan::Module> make_firefox_history_module() {
  return std::make_unique<FirefoxHistoryModule>();
}

}  // namespace spyglass::artifacts::ios
