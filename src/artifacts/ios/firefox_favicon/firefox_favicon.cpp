#include "artifacts/ios/firefox_favicon/firefox_favicon.hpp"

#include <string>
#include <utility>

#include "artifacts/ios/firefox_history/firefox_history.hpp"
#include "artifacts/ios/ios_module.hpp"
#include "support/time.hpp"

namespace spyglass::artifacts::ios {

using matching::ObservableKind;

namespace {

// Columns 0-5 are favicons(id, url, width, height, type, date), 6 the history id (NULL for
// favicon_site_urls), 7 the page URL, 8 the mapping row id.
Result<void> emit_rows(const formats::sqlite::Database& db, const std::string& sql,
                       std::string_view mapping_table, const IosFile& file,
                       scan::RecordSink& sink) {
  auto stmt = db.prepare(sql);
  if (!stmt) return tl::unexpected(stmt.error());
  while (true) {
    auto more = stmt->step();
    if (!more) return tl::unexpected(more.error());
    if (!*more) break;
    const std::string icon_url = stmt->get_optional_text(1).value_or("");
    const std::string page_url = stmt->get_optional_text(7).value_or("");
    // Seconds since the Unix epoch: Firefox binds an NSDate as timeIntervalSince1970.
    const std::optional<UnixMicros> time =
        stmt->is_null(5) ? std::nullopt : from_unix_units(stmt->get_double(5), 1);

    scan::Record rec;
    rec.data.set("id", column_json(*stmt, 0));
    rec.data.set("url", column_json(*stmt, 1));
    rec.data.set("width", column_json(*stmt, 2));
    rec.data.set("height", column_json(*stmt, 3));
    rec.data.set("type", column_json(*stmt, 4));
    rec.data.set("isodate", time ? json::Value(format_mvt_time(*time)) : json::Value());
    rec.data.set("history_id", column_json(*stmt, 6));
    rec.data.set("history_url", column_json(*stmt, 7));
    rec.time = time;
    if (time) {
      rec.timeline.push_back(
          {*time, "firefox_history", "Firefox favicon " + icon_url + " when visiting " + page_url});
    }
    // MVT checks the icon first, then the page only if the icon did not match; both are
    // observed here, and one alert is written per indicator matched.
    if (!icon_url.empty()) rec.observe(ObservableKind::kUrl, icon_url, "url");
    if (!page_url.empty()) rec.observe(ObservableKind::kUrl, page_url, "history_url");
    rec.provenance =
        file.provenance("favicons id " + std::to_string(stmt->get_int64(0)) + ", " +
                        std::string(mapping_table) + " id " + std::to_string(stmt->get_int64(8)));
    sink.emit(std::move(rec));
  }
  return {};
}

}  // namespace

Result<void> read_firefox_favicons(const formats::sqlite::Database& db, const IosFile& file,
                                   scan::RecordSink& sink) {
  auto favicons = TableColumns::read(db, "favicons");
  if (!favicons) return tl::unexpected(favicons.error());
  if (auto ok = require_columns(*favicons, {"id", "url", "width", "height", "type", "date"}); !ok) {
    return ok;
  }
  auto sites = TableColumns::read(db, "favicon_sites");
  if (!sites) return tl::unexpected(sites.error());
  auto site_urls = TableColumns::read(db, "favicon_site_urls");
  if (!site_urls) return tl::unexpected(site_urls.error());
  if (sites->empty() && site_urls->empty()) {
    return make_error(ErrorCode::kMalformed,
                      "unknown schema: neither table favicon_sites(siteID, faviconID) nor "
                      "favicon_site_urls(site_url, faviconID)");
  }
  const std::string icon_cols =
      "SELECT favicons.id, favicons.url, favicons.width, favicons.height, favicons.type, "
      "favicons.date, ";
  if (!sites->empty()) {
    if (auto ok = require_columns(*sites, {"id", "siteID", "faviconID"}); !ok) return ok;
    auto history = TableColumns::read(db, "history");
    if (!history) return tl::unexpected(history.error());
    if (auto ok = require_columns(*history, {"id", "url"}); !ok) return ok;
    if (auto ok =
            emit_rows(db,
                      icon_cols + "history.id, history.url, favicon_sites.id FROM favicons "
                                  "JOIN favicon_sites ON favicon_sites.faviconID = favicons.id "
                                  "JOIN history ON favicon_sites.siteID = history.id "
                                  "ORDER BY favicons.id, favicon_sites.id",
                      "favicon_sites", file, sink);
        !ok) {
      return ok;
    }
  }
  // BrowserSchema v41 maps icons to page URLs directly, without a history row.
  if (!site_urls->empty()) {
    if (auto ok = require_columns(*site_urls, {"id", "site_url", "faviconID"}); !ok) return ok;
    if (auto ok =
            emit_rows(db,
                      icon_cols + "NULL, favicon_site_urls.site_url, favicon_site_urls.id FROM "
                                  "favicons JOIN favicon_site_urls ON favicon_site_urls.faviconID "
                                  "= favicons.id ORDER BY favicons.id, favicon_site_urls.id",
                      "favicon_site_urls", file, sink);
        !ok) {
      return ok;
    }
  }
  return {};
}

namespace {

class FirefoxFaviconModule final : public IosModule {
 public:
  FirefoxFaviconModule() : IosModule(make_spec()) {}

 private:
  static IosModuleSpec make_spec() {
    IosModuleSpec s;
    s.slug = "firefox_favicon";
    s.display_name = "FirefoxFavicon";
    s.summary = "Firefox for iOS favicons and the pages they were fetched for (browser.db)";
    s.locator = firefox_browser_db_locator();
    return s;
  }

  scan::Status run_files(IosRun& run) override {
    for (const IosFile& f : run.files) {
      auto db = run.evidence.open_sqlite(f);
      if (!db) return run.file_failed(f, db.error());
      if (auto ok = read_firefox_favicons(*db, f, run.sink); !ok) {
        return run.file_failed(f, ok.error());
      }
    }
    return scan::Status::ok();
  }
};

}  // namespace

std::unique_ptr<scan::Module> make_firefox_favicon_module() {
  return std::make_unique<FirefoxFaviconModule>();
}

}  // namespace spyglass::artifacts::ios
