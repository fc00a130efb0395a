#include "artifacts/ios/chrome_history/chrome_history.hpp"

#include <string>
#include <utility>

#include "artifacts/ios/ios_module.hpp"
#include "support/time.hpp"

namespace spyglass::artifacts::ios {
namespace {

using matching::ObservableKind;

constexpr std::int64_t kChromeEpochOffsetMicros = 11644473600LL * 1000000LL;
// 9999-12-31 23:59:59 UTC in Chrome time: beyond it a value is garbage, not a date.
constexpr std::int64_t kChromeTimeMax = (253402300799LL + 11644473600LL) * 1000000LL;

// MVT's f-string prints a NULL as "None".
std::string int_or_none(const formats::sqlite::Statement& stmt, int col) {
  if (stmt.is_null(col)) return "None";
  return std::to_string(stmt.get_int64(col));
}

}  // namespace

std::optional<UnixMicros> from_chrome_time(std::int64_t value) {
  if (value <= 0 || value > kChromeTimeMax) return std::nullopt;
  return value - kChromeEpochOffsetMicros;
}

Result<void> read_chrome_history(const formats::sqlite::Database& db, const IosFile& file,
                                 scan::RecordSink& sink) {
  auto urls = TableColumns::read(db, "urls");
  if (!urls) return tl::unexpected(urls.error());
  if (auto ok = require_columns(*urls, {"id", "url"}); !ok) return ok;
  auto visits = TableColumns::read(db, "visits");
  if (!visits) return tl::unexpected(visits.error());
  // These four have been in every History schema since Chromium's first (2008); newer
  // columns (opener_visit, originator_*, app_id) are not needed.
  if (auto ok = require_columns(*visits, {"id", "url", "visit_time", "from_visit"}); !ok) {
    return ok;
  }
  auto stmt = db.prepare(
      "SELECT urls.id, urls.url, visits.id, visits.visit_time, visits.from_visit "
      "FROM urls JOIN visits ON visits.url = urls.id "
      "ORDER BY visits.visit_time, visits.id");
  if (!stmt) return tl::unexpected(stmt.error());

  while (true) {
    auto more = stmt->step();
    if (!more) return tl::unexpected(more.error());
    if (!*more) break;
    const std::int64_t url_id = stmt->get_int64(0);
    const std::string url = stmt->get_optional_text(1).value_or("");
    const std::int64_t visit_id = stmt->get_int64(2);
    const std::optional<UnixMicros> time =
        stmt->is_null(3) ? std::nullopt : from_chrome_time(stmt->get_int64(3));

    scan::Record rec;
    rec.data.set("id", url_id);
    rec.data.set("url", column_json(*stmt, 1));
    rec.data.set("visit_id", visit_id);
    rec.data.set("timestamp", column_json(*stmt, 3));
    rec.data.set("isodate", time ? json::Value(format_mvt_time(*time)) : json::Value());
    rec.data.set("redirect_source", column_json(*stmt, 4));
    rec.time = time;
    if (time) {
      rec.timeline.push_back({*time, "visit",
                              std::to_string(url_id) + " - " + url +
                                  " (visit ID: " + std::to_string(visit_id) +
                                  ", redirect source: " + int_or_none(*stmt, 4) + ")"});
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

class ChromeHistoryModule final : public IosModule {
 public:
  ChromeHistoryModule() : IosModule(make_spec()) {}

 private:
  static IosModuleSpec make_spec() {
    IosModuleSpec s;
    s.slug = "chrome_history";
    s.display_name = "ChromeHistory";
    s.summary = "Chrome for iOS visits (History database)";
    s.locator.backup_files = {{"AppDomain-com.google.chrome.ios",
                               "Library/Application Support/Google/Chrome/Default/History"}};
    s.locator.fs_globs = {
        "private/var/mobile/Containers/Data/Application/*/Library/Application Support/Google/"
        "Chrome/Default/History"};
    return s;
  }

  scan::Status run_files(IosRun& run) override {
    for (const IosFile& f : run.files) {
      auto db = run.evidence.open_sqlite(f);
      if (!db) return run.file_failed(f, db.error());
      if (auto ok = read_chrome_history(*db, f, run.sink); !ok) {
        return run.file_failed(f, ok.error());
      }
    }
    return scan::Status::ok();
  }
};

}  // namespace

std::unique_ptr<scan::Module> make_chrome_history_module() {
  return std::make_unique<ChromeHistoryModule>();
}

}  // namespace spyglass::artifacts::ios
