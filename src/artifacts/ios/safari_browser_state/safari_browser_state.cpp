#include "artifacts/ios/safari_browser_state/safari_browser_state.hpp"

#include <string>
#include <utility>

#include "artifacts/ios/ios_module.hpp"
#include "formats/plist/reader.hpp"
#include "support/time.hpp"

namespace spyglass::artifacts::ios {
namespace {

namespace pl = formats::plist;
using matching::ObservableKind;

// session_data is written by the web content the user (or an attacker) loaded: bound it.
constexpr pl::Limits kSessionLimits{std::size_t{32} << 20, 64, std::size_t{1} << 18};
constexpr std::size_t kHeaderBytes = 4;

json::Value string_or_null(const pl::Dict& dict, std::string_view key) {
  const pl::Value* v = dict.find(key);
  const std::string* s = v ? v->as_string() : nullptr;
  return s ? json::Value(*s) : json::Value(nullptr);
}

}  // namespace

Result<json::Value> parse_session_data(std::span<const std::uint8_t> blob) {
  if (blob.size() <= kHeaderBytes) {
    return make_error(ErrorCode::kMalformed,
                      "session_data of " + std::to_string(blob.size()) + " bytes has no plist");
  }
  auto parsed = pl::parse(blob.subspan(kHeaderBytes), kSessionLimits);
  if (!parsed) {
    return make_error(ErrorCode::kMalformed,
                      "session_data is not a property list: " + parsed.error().message);
  }
  json::Value entries = json::Value::array();
  const pl::Value* history = parsed->get("SessionHistory");
  const pl::Value* list_value = history ? history->get("SessionHistoryEntries") : nullptr;
  const pl::Array* list = list_value ? list_value->as_array() : nullptr;
  if (!list) return entries;
  for (const pl::Value& item : *list) {
    const pl::Dict* entry = item.as_dict();
    if (!entry) continue;
    json::Value out = json::Value::object();
    out.set("entry_title", string_or_null(*entry, "SessionHistoryEntryTitle"));
    out.set("entry_url", string_or_null(*entry, "SessionHistoryEntryURL"));
    out.set("entry_original_url", string_or_null(*entry, "SessionHistoryEntryOriginalURL"));
    const pl::Value* data = entry->find("SessionHistoryEntryData");
    const pl::Bytes* bytes = data ? data->as_data() : nullptr;
    out.set("data_length", static_cast<std::int64_t>(bytes ? bytes->size() : 0));
    entries.push_back(std::move(out));
  }
  return entries;
}

Result<void> read_safari_browser_state(const formats::sqlite::Database& db, const IosFile& file,
                                       scan::RecordSink& sink) {
  auto tabs = TableColumns::read(db, "tabs");
  if (!tabs) return tl::unexpected(tabs.error());
  if (auto ok = require_columns(*tabs, {"title", "url", "user_visible_url", "last_viewed_time"});
      !ok) {
    return ok;
  }
  auto sessions = TableColumns::read(db, "tab_sessions");
  if (!sessions) return tl::unexpected(sessions.error());
  std::string sql = "SELECT tabs.title, tabs.url, tabs.user_visible_url, tabs.last_viewed_time, ";
  if (tabs->has("uuid") && sessions->has("tab_uuid") && sessions->has("session_data")) {
    // A LEFT JOIN (MVT joins): a tab whose session row is gone is still an open tab.
    sql +=
        "tab_sessions.session_data, tabs.rowid FROM tabs LEFT JOIN tab_sessions ON "
        "tabs.uuid = tab_sessions.tab_uuid";
  } else if (tabs->has("session_data")) {  // before iOS 12
    sql += "tabs.session_data, tabs.rowid FROM tabs";
  } else {
    sql += "NULL, tabs.rowid FROM tabs";
  }
  sql += " ORDER BY tabs.last_viewed_time, tabs.rowid";
  auto stmt = db.prepare(sql);
  if (!stmt) return tl::unexpected(stmt.error());

  while (true) {
    auto more = stmt->step();
    if (!more) return tl::unexpected(more.error());
    if (!*more) break;
    scan::Record rec;
    const std::string title = stmt->get_optional_text(0).value_or("");
    const std::string url = stmt->get_optional_text(1).value_or("");
    rec.data.set("tab_title", column_json(*stmt, 0));
    rec.data.set("tab_url", column_json(*stmt, 1));
    rec.data.set("tab_visible_url", column_json(*stmt, 2));
    std::optional<UnixMicros> time;
    const int time_type = stmt->column_type(3);
    if ((time_type == SQLITE_FLOAT || time_type == SQLITE_INTEGER) && stmt->get_double(3) != 0) {
      time = from_mac_absolute(stmt->get_double(3));
    }
    rec.data.set("last_viewed_timestamp",
                 time ? json::Value(format_mvt_time(*time)) : json::Value(nullptr));
    json::Value entries = json::Value::array();
    if (!stmt->is_null(4)) {
      auto parsed = parse_session_data(stmt->get_blob(4));
      if (parsed) {
        entries = std::move(*parsed);
      } else {
        // Odd evidence: keep the tab, say why its back/forward list is missing.
        rec.data.set("session_data_error", parsed.error().message);
      }
    }
    if (!url.empty()) {
      rec.observe(ObservableKind::kUrl, url, "tab_url");
      rec.links.push_back(url);
    }
    for (const json::Value& e : entries.as_array()) {
      for (const char* key : {"entry_url", "entry_original_url"}) {
        const json::Value* v = e.find(key);
        if (v && v->is_string() && !v->as_string().empty()) {
          rec.observe(ObservableKind::kUrl, v->as_string(), std::string("session_data.") + key);
        }
      }
    }
    rec.data.set("session_data", std::move(entries));
    rec.data.set("safari_browser_state_db", file.evidence_path);
    rec.time = time;
    if (time) rec.timeline.push_back({*time, "tab", title + " - " + url});
    rec.provenance = file.provenance("tabs rowid " + std::to_string(stmt->get_int64(5)));
    sink.emit(std::move(rec));
  }
  return {};
}

namespace {

class SafariBrowserStateModule final : public IosModule {
 public:
  SafariBrowserStateModule() : IosModule(make_spec()) {}

 private:
  static IosModuleSpec make_spec() {
    IosModuleSpec s;
    s.slug = "safari_browser_state";
    s.display_name = "SafariBrowserState";
    s.summary = "Safari open tabs and their back/forward lists (BrowserState.db)";
    s.locator.backup_patterns = {
        {"Library/Safari/BrowserState.db", std::nullopt, std::nullopt},
        {"Library/Safari/Profiles/*/BrowserState.db", std::nullopt, std::nullopt}};
    s.locator.fs_globs = {
        "private/var/mobile/Library/Safari/BrowserState.db",
        "private/var/mobile/Library/Safari/Profiles/*/BrowserState.db",
        "private/var/mobile/Containers/Data/Application/*/Library/Safari/BrowserState.db",
        "private/var/mobile/Containers/Data/Application/*/Library/Safari/Profiles/*/"
        "BrowserState.db",
    };
    return s;
  }

  scan::Status run_files(IosRun& run) override {
    for (const IosFile& f : run.files) {
      auto db = run.evidence.open_sqlite(f);
      if (!db) return run.file_failed(f, db.error());
      if (auto ok = read_safari_browser_state(*db, f, run.sink); !ok) {
        return run.file_failed(f, ok.error());
      }
    }
    return scan::Status::ok();
  }
};

}  // namespace

std::unique_ptr<scan::Module> make_safari_browser_state_module() {
  return std::make_unique<SafariBrowserStateModule>();
}

}  // namespace spyglass::artifacts::ios
