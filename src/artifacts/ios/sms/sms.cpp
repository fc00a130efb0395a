#include "artifacts/ios/sms/sms.hpp"

#include <array>
#include <span>

#include "formats/typedstream/typedstream.hpp"

namespace spyglass::artifacts::ios {
namespace {

constexpr std::array<std::string_view, 2> kThreatNotifications = {
    "ALERT: State-sponsored attackers may be targeting your iPhone",
    "ALERT: Apple detected a targeted mercenary spyware attack",
};

std::optional<std::string> text_or_null(const json::Value* v) {
  if (v == nullptr || v->type() != json::Type::kString) return std::nullopt;
  return v->as_string();
}

std::string text_field(const json::Value& data, std::string_view key) {
  const json::Value* v = data.find(key);
  if (v == nullptr || v->is_null()) return "None";  // as MVT's f-string prints a missing value
  if (v->type() == json::Type::kString) return v->as_string();
  if (v->type() == json::Type::kInt) return std::to_string(v->as_int());
  return "";
}

class SmsModule final : public IosModule {
 public:
  SmsModule() : IosModule(make_spec()) {}

 private:
  static IosModuleSpec make_spec() {
    IosModuleSpec s;
    s.slug = "sms";
    s.expected_cost = 3;  // large on big backups: scheduled early
    s.display_name = "SMS";
    s.summary = "SMS and iMessage messages (sms.db): links and Apple threat notifications";
    s.locator = sms_db_locator();
    return s;
  }

  scan::Status run_files(IosRun& run) override {
    for (const IosFile& file : run.files) {
      if (scan::Status st = read_db(run, file); st.code != scan::ModuleStatus::kOk) return st;
    }
    return scan::Status::ok();
  }

  static scan::Status read_db(IosRun& run, const IosFile& file) {
    auto db = run.evidence.open_sqlite(file);
    if (!db) return run.file_failed(file, db.error());
    auto message = TableColumns::read(*db, "message");
    if (!message) return run.file_failed(file, message.error());
    auto handle = TableColumns::read(*db, "handle");
    if (!handle) return run.file_failed(file, handle.error());
    // The columns read below; every iOS version since 6 has them. Others are copied as seen.
    if (auto r =
            require_columns(*message, {"ROWID", "guid", "text", "handle_id", "date", "is_from_me"});
        !r) {
      return run.file_failed(file, r.error());
    }
    if (auto r = require_columns(*handle, {"ROWID", "id"}); !r) {
      return run.file_failed(file, r.error());
    }
    // Inner join as MVT: a message whose handle row is gone is not reported by MVT either;
    // it is counted below so the log says how many were left out.
    auto stmt = db->prepare(
        "SELECT message.*, handle.id AS phone_number FROM message, handle "
        "WHERE handle.ROWID = message.handle_id ORDER BY message.ROWID");
    if (!stmt) return run.file_failed(file, stmt.error());
    const bool has_read = message->has("date_read");
    int body_col = -1;
    for (int c = 0; c < stmt->column_count(); ++c) {
      if (stmt->column_name(c) == "attributedBody") body_col = c;
    }
    BodyStats stats;
    while (true) {
      auto row = stmt->step();
      if (!row) return run.file_failed(file, row.error());
      if (!*row) break;
      run.sink.emit(make_record(*stmt, file, has_read, body_col, stats));
    }
    if (stats.decoded > 0 || stats.failed > 0) {
      run.context.log().info(std::to_string(stats.decoded) +
                             " message bodies read from attributedBody (text empty)");
    }
    if (stats.failed > 0) {
      run.context.log().warning(std::to_string(stats.failed) +
                                " attributedBody blobs of messages without text could not be "
                                "decoded; first: " +
                                stats.first_error);
    }
    return scan::Status::ok();
  }

  struct BodyStats {
    std::size_t decoded = 0;
    std::size_t failed = 0;
    std::string first_error;
  };

  // iOS 16+ often leaves `text` NULL and keeps the body only in attributedBody (a typedstream
  // NSAttributedString); MVT does not read it, so a link there would go unseen.
  static std::optional<std::string> body_from_attributed(const formats::sqlite::Statement& stmt,
                                                         int body_col, std::string_view rowid,
                                                         BodyStats& stats) {
    if (body_col < 0 || stmt.is_null(body_col)) return std::nullopt;
    std::span<const std::uint8_t> blob = stmt.get_blob(body_col);
    if (blob.empty()) return std::nullopt;
    auto text = formats::typedstream::attributed_string_text(
        std::string_view(reinterpret_cast<const char*>(blob.data()), blob.size()));
    if (!text) {
      if (stats.failed++ == 0) {
        stats.first_error = "message ROWID " + std::string(rowid) + ": " + text.error().message;
      }
      return std::nullopt;
    }
    ++stats.decoded;
    return std::move(*text);
  }

  static scan::Record make_record(const formats::sqlite::Statement& stmt, const IosFile& file,
                                  bool has_read, int body_col, BodyStats& stats) {
    scan::Record r;
    json::Value data = row_json(stmt);
    const json::Value* date = data.find("date");
    const json::Value* date_read = data.find("date_read");
    auto as_int = [](const json::Value* v) -> std::int64_t {
      return v != nullptr && v->type() == json::Type::kInt ? v->as_int() : 0;
    };
    const std::optional<UnixMicros> sent = from_mac_time_auto(as_int(date));
    const std::optional<UnixMicros> read =
        has_read ? from_mac_time_auto(as_int(date_read)) : std::nullopt;
    std::string text = text_or_null(data.find("text")).value_or("");
    const json::Value* from_me = data.find("is_from_me");
    const bool sent_by_owner = as_int(from_me) == 1;
    data.set("text", text);  // MVT writes "" for a NULL text
    std::optional<std::string> body;
    if (text.empty()) body = body_from_attributed(stmt, body_col, text_field(data, "ROWID"), stats);
    // What the message says: `text`, or the decoded attributedBody when `text` is empty.
    const std::string& said = body ? *body : text;
    data.set("isodate", sent ? json::Value(format_mvt_time(*sent)) : json::Value(nullptr));
    data.set("isodate_read", read ? json::Value(format_mvt_time(*read)) : json::Value(nullptr));
    data.set("direction", sent_by_owner ? "sent" : "received");
    std::vector<std::string> links = find_links(said);
    json::Value link_list = json::Value::array();
    for (const std::string& l : links) link_list.push_back(l);
    data.set("links", std::move(link_list));
    // Not an MVT field: the body decoded from attributedBody when `text` is empty, else null.
    data.set("attributed_body_text", body ? json::Value(*body) : json::Value(nullptr));

    r.time = sent;
    std::string escaped;
    for (char c : said) {
      if (c == '\n') {
        escaped += "\\n";
      } else {
        escaped += c;
      }
    }
    const std::string description =
        text_field(data, "service") + ": " + text_field(data, "guid") + " \"" + escaped +
        "\" from " + text_field(data, "phone_number") + " (" + text_field(data, "account") + ")";
    if (sent) r.timeline.push_back({*sent, "sms_received", description});
    if (read) r.timeline.push_back({*read, "sms_read", description});
    if (!text.empty()) r.observe(matching::ObservableKind::kText, text, "text");
    if (body && !body->empty()) {
      r.observe(matching::ObservableKind::kText, *body, "attributed_body_text");
    }
    r.links = std::move(links);
    if (is_apple_threat_notification(said)) {
      r.flag(report::AlertLevel::kHigh,
             "Apple threat notification received: Apple warns that this iPhone may have been "
             "targeted by state-sponsored or mercenary spyware");
    }
    r.provenance = file.provenance("message ROWID " + text_field(data, "ROWID"));
    r.data = std::move(data);
    return r;
  }
};

}  // namespace

IosLocator sms_db_locator() {
  IosLocator l;
  l.backup_files = {{"HomeDomain", "Library/SMS/sms.db"}};
  l.fs_globs = {"private/var/mobile/Library/SMS/sms.db"};
  return l;
}

bool is_apple_threat_notification(std::string_view text) {
  for (std::string_view n : kThreatNotifications) {
    if (text.substr(0, n.size()) == n) return true;
  }
  return false;
}

std::unique_ptr<scan::Module> make_sms_module() { return std::make_unique<SmsModule>(); }

}  // namespace spyglass::artifacts::ios
