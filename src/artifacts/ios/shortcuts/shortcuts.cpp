#include "artifacts/ios/shortcuts/shortcuts.hpp"

#include <cmath>
#include <optional>
#include <set>
#include <utility>

#include "artifacts/ios/ios_module.hpp"
#include "formats/plist/reader.hpp"
#include "support/time.hpp"

namespace spyglass::artifacts::ios {
namespace {

namespace plist = formats::plist;
using matching::ObservableKind;

// A real shortcut's action list is a few KB to a few hundred KB (embedded images are the
// large ones); anything past these limits is not one the module should expand.
constexpr std::size_t kMaxActionData = 16u << 20;
constexpr std::size_t kMaxValues = 1u << 18;
constexpr std::size_t kMaxUrls = 4096;

// Shortcuts stores text with variables as WFTextTokenString: the variable sits in the string
// as U+FFFC (OBJECT REPLACEMENT CHARACTER), which ends a link as whitespace would.
constexpr std::string_view kObjectReplacement = "\xEF\xBF\xBC";

class UrlCollector {
 public:
  explicit UrlCollector(std::vector<std::string>& out) : out_(out) {}

  void walk(const plist::Value& v) {
    switch (v.type()) {
      case plist::Type::kString:
        add_links(*v.as_string());
        break;
      case plist::Type::kArray:
        for (const plist::Value& e : *v.as_array()) walk(e);
        break;
      case plist::Type::kDict:
        for (const auto& [key, e] : v.as_dict()->entries()) walk(e);
        break;
      default:
        break;  // numbers, dates, data, UIDs: no text
    }
  }

 private:
  void add_links(std::string_view text) {
    for (std::string url : find_links(text)) {
      if (auto cut = url.find(kObjectReplacement); cut != std::string::npos) url.resize(cut);
      if (url.size() <= 8 || out_.size() >= kMaxUrls) continue;
      if (seen_.insert(url).second) out_.push_back(std::move(url));
    }
  }

  std::vector<std::string>& out_;
  std::set<std::string> seen_;
};

std::optional<UnixMicros> mac_seconds(const formats::sqlite::Statement& stmt, int col) {
  if (stmt.is_null(col)) return std::nullopt;
  const double s = stmt.get_double(col);
  if (!std::isfinite(s) || s == 0 || std::fabs(s) > 1e11) return std::nullopt;
  return from_mac_absolute(s);
}

json::Value time_json(const std::optional<UnixMicros>& t) {
  return t ? json::Value(format_mvt_time(*t)) : json::Value();
}

json::Value string_array(const std::vector<std::string>& items) {
  json::Value out = json::Value::array();
  for (const std::string& s : items) out.push_back(s);
  return out;
}

}  // namespace

Result<ShortcutActions> parse_shortcut_actions(std::string_view bytes) {
  if (bytes.size() > kMaxActionData) {
    return make_error(ErrorCode::kLimitExceeded, "action data larger than 16 MiB");
  }
  plist::Limits limits;
  limits.max_input_bytes = kMaxActionData;
  limits.max_values = kMaxValues;
  auto root = plist::parse(bytes, limits);
  if (!root) return tl::unexpected(root.error());
  const plist::Array* actions = root->as_array();
  if (actions == nullptr) {
    if (const plist::Value* wrapped = root->get("WFWorkflowActions")) actions = wrapped->as_array();
  }
  if (actions == nullptr) {
    return make_error(ErrorCode::kMalformed, std::string("action data is a ") +
                                                 plist::type_name(root->type()) +
                                                 ", not a list of actions");
  }
  ShortcutActions out;
  out.count = actions->size();
  UrlCollector urls(out.urls);
  for (const plist::Value& action : *actions) {
    if (const plist::Value* id = action.get("WFWorkflowActionIdentifier"); id && id->as_string()) {
      out.identifiers.push_back(*id->as_string());
    }
    if (const plist::Value* params = action.get("WFWorkflowActionParameters")) urls.walk(*params);
  }
  return out;
}

Result<void> read_shortcuts(const formats::sqlite::Database& db, const IosFile& file,
                            scan::RecordSink& sink) {
  auto shortcut = TableColumns::read(db, "ZSHORTCUT");
  if (!shortcut) return tl::unexpected(shortcut.error());
  if (auto ok = require_columns(*shortcut, {"Z_PK", "ZNAME", "ZCREATIONDATE", "ZMODIFICATIONDATE",
                                            "ZACTIONSDESCRIPTION"});
      !ok) {
    return ok;
  }
  auto actions = TableColumns::read(db, "ZSHORTCUTACTIONS");
  if (!actions) return tl::unexpected(actions.error());
  if (auto ok = require_columns(*actions, {"ZSHORTCUT", "ZDATA"}); !ok) return ok;
  auto stmt = db.prepare(
      "SELECT ZSHORTCUT.Z_PK, ZSHORTCUT.ZNAME, ZSHORTCUT.ZCREATIONDATE, "
      "ZSHORTCUT.ZMODIFICATIONDATE, ZSHORTCUT.ZACTIONSDESCRIPTION, ZSHORTCUTACTIONS.ZDATA "
      "FROM ZSHORTCUT LEFT JOIN ZSHORTCUTACTIONS ON ZSHORTCUTACTIONS.ZSHORTCUT = ZSHORTCUT.Z_PK "
      "ORDER BY ZSHORTCUT.Z_PK, ZSHORTCUTACTIONS.Z_PK");
  if (!stmt) return tl::unexpected(stmt.error());
  while (true) {
    auto more = stmt->step();
    if (!more) return tl::unexpected(more.error());
    if (!*more) break;
    const std::int64_t id = stmt->get_int64(0);
    // MVT reads these columns as bytes and decodes them for its output: same text here.
    const std::string name(stmt->get_text(1));
    const std::optional<std::string> description = stmt->get_optional_text(4);
    const std::optional<UnixMicros> created = mac_seconds(*stmt, 2);
    const std::optional<UnixMicros> modified = mac_seconds(*stmt, 3);

    std::optional<ShortcutActions> parsed;
    std::optional<std::string> error;
    if (!stmt->is_null(5)) {
      const auto blob = stmt->get_blob(5);
      auto r = parse_shortcut_actions(
          std::string_view(reinterpret_cast<const char*>(blob.data()), blob.size()));
      if (r) {
        parsed = std::move(*r);
      } else {
        error = r.error().message;
      }
    }

    scan::Record rec;
    rec.data.set("shortcut_id", id);
    rec.data.set("shortcut_name", stmt->is_null(1) ? json::Value() : json::Value(name));
    rec.data.set("modified_date", time_json(modified));
    rec.data.set("description", description ? json::Value(*description) : json::Value());
    rec.data.set("parsed_actions", static_cast<std::int64_t>(parsed ? parsed->count : 0));
    rec.data.set("action_urls", parsed ? string_array(parsed->urls) : json::Value());
    rec.data.set("isodate", time_json(created));
    rec.data.set("action_identifiers",
                 parsed ? string_array(parsed->identifiers) : json::Value::array());
    if (error) rec.data.set("action_data_error", *error);
    rec.time = created ? created : modified;

    std::string text = "iOS Shortcut '" + name + "'";
    if (description && !description->empty()) text += ": " + *description;
    if (parsed && !parsed->urls.empty()) {
      text += " - URLs in actions: ";
      for (std::size_t i = 0; i < parsed->urls.size(); ++i) {
        text += (i ? ", " : "") + parsed->urls[i];
      }
    }
    if (created) rec.timeline.push_back({*created, "shortcut_created", text});
    if (modified) rec.timeline.push_back({*modified, "shortcut_modified", text});
    if (parsed) {
      for (const std::string& url : parsed->urls) {
        rec.observe(ObservableKind::kUrl, url, "action_urls");
      }
    }
    rec.provenance = file.provenance("ZSHORTCUT Z_PK " + std::to_string(id));
    sink.emit(std::move(rec));
  }
  return {};
}

namespace {

class ShortcutsModule final : public IosModule {
 public:
  ShortcutsModule() : IosModule(make_spec()) {}

 private:
  static IosModuleSpec make_spec() {
    IosModuleSpec s;
    s.slug = "shortcuts";
    s.display_name = "Shortcuts";
    s.summary = "Shortcuts and the URLs their actions use (Shortcuts.sqlite)";
    s.locator.backup_files = {{"HomeDomain", "Library/Shortcuts/Shortcuts.sqlite"}};
    s.locator.fs_globs = {"private/var/mobile/Library/Shortcuts/Shortcuts.sqlite"};
    return s;
  }

  scan::Status run_files(IosRun& run) override {
    for (const IosFile& f : run.files) {
      auto db = run.evidence.open_sqlite(f);
      if (!db) return run.file_failed(f, db.error());
      if (auto ok = read_shortcuts(*db, f, run.sink); !ok) return run.file_failed(f, ok.error());
    }
    return scan::Status::ok();
  }
};

}  // namespace

std::unique_ptr<scan::Module> make_shortcuts_module() {
  return std::make_unique<ShortcutsModule>();
}

}  // namespace spyglass::artifacts::ios
