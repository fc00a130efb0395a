#include "artifacts/ios/chrome_favicon/chrome_favicon.hpp"

#include <string>
#include <utility>

#include "artifacts/ios/chrome_history/chrome_history.hpp"
#include "artifacts/ios/ios_module.hpp"
#include "support/time.hpp"

namespace spyglass::artifacts::ios {

using matching::ObservableKind;

Result<void> read_chrome_favicons(const formats::sqlite::Database& db, const IosFile& file,
                                  scan::RecordSink& sink) {
  auto mapping = TableColumns::read(db, "icon_mapping");
  if (!mapping) return tl::unexpected(mapping.error());
  if (auto ok = require_columns(*mapping, {"id", "page_url", "icon_id"}); !ok) return ok;
  auto favicons = TableColumns::read(db, "favicons");
  if (!favicons) return tl::unexpected(favicons.error());
  if (auto ok = require_columns(*favicons, {"id", "url"}); !ok) return ok;
  auto bitmaps = TableColumns::read(db, "favicon_bitmaps");
  if (!bitmaps) return tl::unexpected(bitmaps.error());
  if (auto ok = require_columns(*bitmaps, {"id", "icon_id", "last_updated"}); !ok) return ok;
  // Version 7 (2013-2015) has no last_requested: on-demand bitmaps did not exist yet.
  const std::string last_requested =
      bitmaps->has("last_requested") ? "favicon_bitmaps.last_requested" : "NULL";
  // As MVT: the update time, or the request time for on-demand icons (last_updated = 0).
  const std::string ts =
      "CASE WHEN favicon_bitmaps.last_updated != 0 THEN "
      "favicon_bitmaps.last_updated ELSE " +
      last_requested + " END";
  auto stmt = db.prepare("SELECT icon_mapping.id, icon_mapping.page_url, favicons.url, " + ts +
                         ", favicon_bitmaps.id FROM icon_mapping "
                         "JOIN favicon_bitmaps ON icon_mapping.icon_id = favicon_bitmaps.icon_id "
                         "JOIN favicons ON icon_mapping.icon_id = favicons.id "
                         "ORDER BY 4, icon_mapping.id, favicon_bitmaps.id");
  if (!stmt) return tl::unexpected(stmt.error());

  while (true) {
    auto more = stmt->step();
    if (!more) return tl::unexpected(more.error());
    if (!*more) break;
    const std::int64_t mapping_id = stmt->get_int64(0);
    const std::string page_url = stmt->get_optional_text(1).value_or("");
    const std::string icon_url = stmt->get_optional_text(2).value_or("");
    const std::optional<UnixMicros> time =
        stmt->is_null(3) ? std::nullopt : from_chrome_time(stmt->get_int64(3));

    scan::Record rec;
    rec.data.set("url", column_json(*stmt, 1));
    rec.data.set("icon_url", column_json(*stmt, 2));
    rec.data.set("timestamp", column_json(*stmt, 3));
    rec.data.set("isodate", time ? json::Value(format_mvt_time(*time)) : json::Value());
    rec.time = time;
    if (time) rec.timeline.push_back({*time, "new_favicon", icon_url + " from " + page_url});
    // MVT checks the page first and the icon only when the page did not match; both are
    // observed here, and one alert is written per indicator matched.
    if (!page_url.empty()) rec.observe(ObservableKind::kUrl, page_url, "url");
    if (!icon_url.empty()) rec.observe(ObservableKind::kUrl, icon_url, "icon_url");
    rec.provenance = file.provenance("icon_mapping id " + std::to_string(mapping_id) +
                                     ", favicon_bitmaps id " + std::to_string(stmt->get_int64(4)));
    sink.emit(std::move(rec));
  }
  return {};
}

namespace {

class ChromeFaviconModule final : public IosModule {
 public:
  ChromeFaviconModule() : IosModule(make_spec()) {}

 private:
  static IosModuleSpec make_spec() {
    IosModuleSpec s;
    s.slug = "chrome_favicon";
    s.display_name = "ChromeFavicon";
    s.summary = "Chrome for iOS favicon cache (Favicons database): pages and icon URLs";
    s.locator.backup_files = {{"AppDomain-com.google.chrome.ios",
                               "Library/Application Support/Google/Chrome/Default/Favicons"}};
    s.locator.fs_globs = {
        "private/var/mobile/Containers/Data/Application/*/Library/Application Support/Google/"
        "Chrome/Default/Favicons"};
    return s;
  }

  scan::Status run_files(IosRun& run) override {
    for (const IosFile& f : run.files) {
      auto db = run.evidence.open_sqlite(f);
      if (!db) return run.file_failed(f, db.error());
      if (auto ok = read_chrome_favicons(*db, f, run.sink); !ok) {
        return run.file_failed(f, ok.error());
      }
    }
    return scan::Status::ok();
  }
};

}  // namespace

std::unique_ptr<scan::Module> make_chrome_favicon_module() {
  return std::make_unique<ChromeFaviconModule>();
}

}  // namespace spyglass::artifacts::ios
