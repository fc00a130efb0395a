#include "artifacts/ios/calls/calls.hpp"

#include <charconv>
#include <cmath>
#include <optional>
#include <string>
#include <utility>

#include "artifacts/ios/ios_module.hpp"
#include "support/time.hpp"

namespace spyglass::artifacts::ios {
namespace {

using matching::ObservableKind;

// ZDATE is Core Data's TIMESTAMP: Mac absolute seconds as a REAL. Nanoseconds are not
// written here, but a value that large is read as such rather than as a date in year 30000.
std::optional<UnixMicros> mac_seconds(const formats::sqlite::Statement& stmt, int col) {
  if (stmt.is_null(col)) return std::nullopt;
  double s = stmt.get_double(col);
  if (!std::isfinite(s) || s == 0) return std::nullopt;
  if (std::fabs(s) > 1e12) s /= 1e9;
  if (std::fabs(s) > 1e11) return std::nullopt;
  return from_mac_absolute(s);
}

// Python's repr of a float, as MVT's timeline prints ZDURATION: 12.0, 3.5.
std::string duration_text(double d) {
  if (!std::isfinite(d)) return "0.0";
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, d);
  if (ec != std::errc()) return "0.0";
  std::string s(buf, end);
  if (s.find_first_of(".e") == std::string::npos) s += ".0";
  return s;
}

// ZADDRESS is TEXT on recent iOS and a BLOB of UTF-8 on older versions (and for some
// FaceTime rows); MVT decodes the bytes, so both read as the same text.
std::optional<std::string> address_text(const formats::sqlite::Statement& stmt, int col) {
  if (stmt.is_null(col)) return std::nullopt;
  auto blob = stmt.get_blob(col);
  return std::string(reinterpret_cast<const char*>(blob.data()), blob.size());
}

bool looks_like_email(std::string_view s) {
  const auto at = s.find('@');
  return at != std::string_view::npos && at > 0 && at + 1 < s.size() &&
         s.find_first_of(" \t\r\n") == std::string_view::npos;
}

std::string column_or_null(const TableColumns& cols, std::string_view name) {
  return cols.has(name) ? std::string(name) : std::string("NULL");
}

}  // namespace

std::string call_provider_label(std::string_view provider) {
  if (provider == "com.apple.Telephony") return "Phone";
  if (provider == "com.apple.FaceTime") return "FaceTime";
  if (provider == "net.whatsapp.WhatsApp" || provider == "net.whatsapp.WhatsAppSMB") {
    return "WhatsApp";
  }
  if (provider.empty()) return "unknown provider";
  return std::string(provider);
}

Result<void> read_calls(const formats::sqlite::Database& db, const IosFile& file,
                        scan::RecordSink& sink) {
  auto cols = TableColumns::read(db, "ZCALLRECORD");
  if (!cols) return tl::unexpected(cols.error());
  if (auto ok = require_columns(
          *cols, {"ZDATE", "ZDURATION", "ZLOCATION", "ZADDRESS", "ZSERVICE_PROVIDER"});
      !ok) {
    return ok;
  }
  // Direction, answer and type arrived over iOS versions; absent ones read as unknown.
  const std::string sql =
      "SELECT ROWID, ZDATE, ZDURATION, ZLOCATION, ZADDRESS, ZSERVICE_PROVIDER, " +
      column_or_null(*cols, "ZORIGINATED") + ", " + column_or_null(*cols, "ZANSWERED") + ", " +
      column_or_null(*cols, "ZCALLTYPE") + ", " + column_or_null(*cols, "ZNAME") +
      " FROM ZCALLRECORD ORDER BY ZDATE, ROWID";
  auto stmt = db.prepare(sql);
  if (!stmt) return tl::unexpected(stmt.error());
  while (true) {
    auto more = stmt->step();
    if (!more) return tl::unexpected(more.error());
    if (!*more) break;
    const std::int64_t id = stmt->get_int64(0);
    const std::optional<UnixMicros> time = mac_seconds(*stmt, 1);
    const double duration = stmt->is_null(2) ? 0.0 : stmt->get_double(2);
    const std::optional<std::string> number = address_text(*stmt, 4);
    const std::string provider = stmt->get_optional_text(5).value_or("");
    const std::optional<std::int64_t> originated = stmt->get_optional_int64(6);
    const std::optional<std::int64_t> answered = stmt->get_optional_int64(7);
    const std::optional<std::string> name = stmt->get_optional_text(9);

    scan::Record rec;
    // MVT's fields first, then what MVT leaves out: direction and whether it was answered.
    rec.data.set("isodate", time ? json::Value(format_mvt_time(*time)) : json::Value());
    rec.data.set("duration", column_json(*stmt, 2));
    rec.data.set("location", column_json(*stmt, 3));
    rec.data.set("number", number ? json::Value(*number) : json::Value());
    rec.data.set("provider", column_json(*stmt, 5));
    rec.data.set("direction", originated ? json::Value(*originated != 0 ? "outgoing" : "incoming")
                                         : json::Value());
    rec.data.set("answered", answered ? json::Value(*answered != 0) : json::Value());
    rec.data.set("call_type", column_json(*stmt, 8));
    rec.data.set("name", column_json(*stmt, 9));
    rec.data.set("call_id", id);
    rec.time = time;

    const std::string label = call_provider_label(provider);
    std::string who = number && !number->empty() ? *number : std::string("unknown number");
    if (name && !name->empty()) who += " (" + *name + ")";
    std::string text;
    if (!originated) {
      text = label + " call with " + who;
    } else if (*originated != 0) {
      text = "Outgoing " + label + " call to " + who;
    } else {
      text = "Incoming " + label + " call from " + who;
    }
    if (answered && *answered == 0) {
      // An unanswered incoming call can still be the delivery (WhatsApp, 2019): say so.
      text += ", NOT answered";
    } else if (answered) {
      text += ", answered";
    }
    text += ", " + duration_text(duration) + " seconds";
    if (time) rec.timeline.push_back({*time, "call", std::move(text)});

    if (number && looks_like_email(*number)) {
      rec.observe(ObservableKind::kEmail, *number, "number");
    }
    rec.provenance = file.provenance("ZCALLRECORD Z_PK " + std::to_string(id));
    sink.emit(std::move(rec));
  }
  return {};
}

namespace {

class CallsModule final : public IosModule {
 public:
  CallsModule() : IosModule(make_spec()) {}

 private:
  static IosModuleSpec make_spec() {
    IosModuleSpec s;
    s.slug = "calls";
    s.display_name = "Calls";
    s.summary = "Phone, FaceTime and app (WhatsApp...) calls, answered or not (CallHistory)";
    s.locator.backup_files = {{"HomeDomain", "Library/CallHistoryDB/CallHistory.storedata"}};
    s.locator.fs_globs = {"private/var/mobile/Library/CallHistoryDB/CallHistory.storedata"};
    return s;
  }

  scan::Status run_files(IosRun& run) override {
    for (const IosFile& f : run.files) {
      auto db = run.evidence.open_sqlite(f);
      if (!db) return run.file_failed(f, db.error());
      if (auto ok = read_calls(*db, f, run.sink); !ok) return run.file_failed(f, ok.error());
    }
    return scan::Status::ok();
  }
};

}  // namespace

std::unique_ptr<scan::Module> make_calls_module() { return std::make_unique<CallsModule>(); }

}  // namespace spyglass::artifacts::ios
