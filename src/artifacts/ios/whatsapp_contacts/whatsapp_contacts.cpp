#include "artifacts/ios/whatsapp_contacts/whatsapp_contacts.hpp"

#include <array>
#include <cmath>
#include <optional>
#include <string>
#include <vector>

namespace spyglass::artifacts::ios {
namespace {

using formats::sqlite::Statement;

enum class FieldKind { kText, kDate, kRaw };

struct Field {
  const char* name;                   // MVT's output field
  std::array<const char*, 2> columns;  // candidates, in order of preference (nullptr: none)
  FieldKind kind;
};

// WhatsApp renames and adds columns across versions: each field takes the first candidate
// column the table has, and is null otherwise (MVT's COLUMN_CANDIDATES, same order).
constexpr std::array<Field, 19> kFields = {{
    {"whatsapp_id", {"ZWHATSAPPID", nullptr}, FieldKind::kText},
    {"lid", {"ZLID", nullptr}, FieldKind::kText},
    {"phone_number", {"ZPHONENUMBER", nullptr}, FieldKind::kText},
    {"localized_phone_number", {"ZLOCALIZEDPHONENUMBER", nullptr}, FieldKind::kText},
    {"full_name", {"ZFULLNAME", nullptr}, FieldKind::kText},
    {"given_name", {"ZGIVENNAME", nullptr}, FieldKind::kText},
    {"last_name", {"ZLASTNAME", nullptr}, FieldKind::kText},
    {"user_name", {"ZUSERNAME", nullptr}, FieldKind::kText},
    {"business_name", {"ZBUSINESSNAME", nullptr}, FieldKind::kText},
    {"about_text", {"ZABOUTTEXT", nullptr}, FieldKind::kText},
    {"about_emoji", {"ZABOUTEMOJI", nullptr}, FieldKind::kText},
    {"notes", {"ZNOTES", nullptr}, FieldKind::kText},
    {"disappearing_mode_duration", {"ZDISAPPEARINGMODEDURATION", nullptr}, FieldKind::kRaw},
    {"disappearing_mode_timestamp", {"ZDISAPPEARINGMODETIMESTAMP", nullptr}, FieldKind::kDate},
    {"about_timestamp", {"ZABOUTTIMESTAMP", nullptr}, FieldKind::kDate},
    {"about_expiration_timestamp", {"ZABOUTEXPIRATIONTIMESTAMP", nullptr}, FieldKind::kDate},
    {"last_updated", {"ZLASTUPDATED", nullptr}, FieldKind::kDate},
    {"phone_status", {"ZPHONESTATUS", "ZPHONENUMBERSTATUS"}, FieldKind::kRaw},
    {"sync_policy", {"ZSYNCPOLICY", nullptr}, FieldKind::kRaw},
}};
constexpr std::size_t kDurationField = 12;

// WhatsApp's standard disappearing-messages timers, in seconds.
struct DurationLabel {
  std::int64_t seconds;
  const char* label;
};
constexpr std::array<DurationLabel, 5> kDurationLabels = {{{86400, "24 hours"},
                                                           {604800, "7 days"},
                                                           {1209600, "14 days"},
                                                           {2592000, "30 days"},
                                                           {7776000, "90 days"}}};

// Core Data dates: REAL Mac absolute seconds (18-digit values are nanoseconds).
std::optional<UnixMicros> mac_time(const Statement& s, int col) {
  const int type = s.column_type(col);
  if (type != SQLITE_INTEGER && type != SQLITE_FLOAT) return std::nullopt;
  double v = type == SQLITE_INTEGER ? static_cast<double>(s.get_int64(col)) : s.get_double(col);
  if (!std::isfinite(v) || v == 0) return std::nullopt;
  if (std::fabs(v) > 1e12) v /= 1e9;
  if (std::fabs(v) > 1e11) return std::nullopt;
  return from_mac_absolute(v);
}

// Core Data keeps some string attributes as UTF-8 blobs: both become text (the JSON writer
// escapes invalid bytes).
json::Value text_cell(const Statement& s, int col) {
  switch (s.column_type(col)) {
    case SQLITE_TEXT:
      return json::Value(std::string(s.get_text(col)));
    case SQLITE_BLOB: {
      const auto bytes = s.get_blob(col);
      return json::Value(std::string(bytes.begin(), bytes.end()));
    }
    case SQLITE_INTEGER:
      return json::Value(std::to_string(s.get_int64(col)));
    case SQLITE_FLOAT:
      return json::Value(json::Value(s.get_double(col)));
    default:
      return json::Value(nullptr);
  }
}

std::string str_or_empty(const json::Value* v) {
  return v != nullptr && v->type() == json::Type::kString ? v->as_string() : std::string();
}

std::optional<std::int64_t> duration_seconds(const json::Value& v) {
  if (v.type() == json::Type::kInt) return v.as_int();
  if (v.type() == json::Type::kDouble && std::isfinite(v.as_double()) &&
      std::fabs(v.as_double()) < 9e18) {
    return static_cast<std::int64_t>(v.as_double());  // Python's int(): truncation
  }
  return std::nullopt;
}

std::string duration_label(std::optional<std::int64_t> seconds) {
  if (!seconds || *seconds == 0) return "off";
  for (const DurationLabel& d : kDurationLabels) {
    if (d.seconds == *seconds) return d.label;
  }
  return std::to_string(*seconds) + " seconds";
}

class WhatsappContactsModule final : public IosModule {
 public:
  WhatsappContactsModule() : IosModule(make_spec()) {}

 private:
  static IosModuleSpec make_spec() {
    IosModuleSpec s;
    s.slug = "whatsapp_contacts";
    s.display_name = "WhatsappContacts";
    s.summary = "WhatsApp contacts (ContactsV2.sqlite): identifiers, about texts, "
                "disappearing-messages timers";
    s.locator = whatsapp_contacts_locator();
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
    auto cols = TableColumns::read(*db, "ZWAADDRESSBOOKCONTACT");
    if (!cols) return run.file_failed(file, cols.error());
    if (auto r = require_columns(*cols, {"Z_PK"}); !r) return run.file_failed(file, r.error());
    if (!cols->has("ZWHATSAPPID") && !cols->has("ZLID") && !cols->has("ZPHONENUMBER")) {
      return run.file_failed(file, Error(ErrorCode::kMalformed,
                                         "unknown schema: table " + cols->describe() +
                                             " lacks column(s) ZWHATSAPPID, ZLID or ZPHONENUMBER"));
    }

    // Result column of each field (-1: no such column in this version).
    std::array<int, kFields.size()> at{};
    std::string sql = "SELECT Z_PK";
    int next = 1;
    for (std::size_t i = 0; i < kFields.size(); ++i) {
      at[i] = -1;
      for (const char* c : kFields[i].columns) {
        if (c != nullptr && cols->has(c)) {
          sql += std::string(", ") + c;
          at[i] = next++;
          break;
        }
      }
    }
    sql += " FROM ZWAADDRESSBOOKCONTACT ORDER BY Z_PK";
    // Without the duration column the timer state is unknown, not "off".
    const bool has_duration = at[kDurationField] >= 0;
    if (!has_duration) {
      run.context.log().warning(file.display_name() +
                                ": no ZDISAPPEARINGMODEDURATION column, the disappearing-"
                                "messages state is unknown");
    }

    auto stmt = db->prepare(sql);
    if (!stmt) return run.file_failed(file, stmt.error());
    while (true) {
      auto more = stmt->step();
      if (!more) return run.file_failed(file, more.error());
      if (!*more) break;
      run.sink.emit(make_record(*stmt, at, has_duration, file));
    }
    return scan::Status::ok();
  }

  static scan::Record make_record(const Statement& stmt, const std::array<int, kFields.size()>& at,
                                  bool has_duration, const IosFile& file) {
    scan::Record r;
    json::Value data = json::Value::object();
    data.set("row_pk", column_json(stmt, 0));
    std::array<std::optional<UnixMicros>, kFields.size()> times{};
    for (std::size_t i = 0; i < kFields.size(); ++i) {
      const int col = at[i];
      if (col < 0) {
        data.set(kFields[i].name, nullptr);
        continue;
      }
      switch (kFields[i].kind) {
        case FieldKind::kText:
          data.set(kFields[i].name, text_cell(stmt, col));
          break;
        case FieldKind::kDate:
          times[i] = mac_time(stmt, col);
          data.set(kFields[i].name,
                   times[i] ? json::Value(format_mvt_time(*times[i])) : json::Value(nullptr));
          break;
        case FieldKind::kRaw:
          data.set(kFields[i].name, column_json(stmt, col));
          break;
      }
    }
    if (has_duration) {
      const std::optional<std::int64_t> seconds =
          duration_seconds(*data.find("disappearing_mode_duration"));
      data.set("disappearing_mode_is_on", seconds.has_value() && *seconds != 0);
      data.set("disappearing_mode_label", duration_label(seconds));
    } else {
      data.set("disappearing_mode_is_on", nullptr);
      data.set("disappearing_mode_label", nullptr);
    }

    std::string contact = str_or_empty(data.find("whatsapp_id"));
    if (contact.empty()) contact = str_or_empty(data.find("lid"));
    if (contact.empty()) contact = str_or_empty(data.find("phone_number"));
    if (contact.empty()) contact = "unknown";
    if (const std::string name = str_or_empty(data.find("full_name")); !name.empty()) {
      contact += " (" + name + ")";
    }
    auto time_of = [&](std::string_view field) {
      for (std::size_t i = 0; i < kFields.size(); ++i) {
        if (field == kFields[i].name) return times[i];
      }
      return std::optional<UnixMicros>();
    };
    if (auto t = time_of("disappearing_mode_timestamp")) {
      const json::Value* label = data.find("disappearing_mode_label");
      r.timeline.push_back({*t, "disappearing_mode_set",
                            "WhatsApp disappearing messages timer set to '" +
                                (label->is_null() ? std::string("None") : label->as_string()) +
                                "' for " + contact});
    }
    if (auto t = time_of("about_timestamp")) {
      std::string text = "WhatsApp about text of " + contact + " changed";
      if (const std::string about = str_or_empty(data.find("about_text")); !about.empty()) {
        text += " to \"" + about + "\"";
      }
      r.timeline.push_back({*t, "about_changed", std::move(text)});
    }
    if (auto t = time_of("about_expiration_timestamp")) {
      r.timeline.push_back(
          {*t, "about_expiration", "WhatsApp about text of " + contact + " scheduled to expire"});
    }
    if (auto t = time_of("last_updated")) {
      r.timeline.push_back(
          {*t, "contact_last_updated", "WhatsApp contact record for " + contact + " updated"});
    }
    for (const char* f : {"last_updated", "about_timestamp", "disappearing_mode_timestamp"}) {
      if (auto t = time_of(f)) {
        r.time = t;
        break;
      }
    }
    const json::Value* pk = data.find("row_pk");
    r.provenance = file.provenance(
        "ZWAADDRESSBOOKCONTACT Z_PK " +
        (pk->type() == json::Type::kInt ? std::to_string(pk->as_int()) : std::string("?")));
    r.data = std::move(data);
    return r;
  }
};

}  // namespace

IosLocator whatsapp_contacts_locator() {
  IosLocator l;
  l.backup_files = {{"AppDomainGroup-group.net.whatsapp.WhatsApp.shared", "ContactsV2.sqlite"}};
  l.fs_globs = {"private/var/mobile/Containers/Shared/AppGroup/*/ContactsV2.sqlite"};
  return l;
}

std::unique_ptr<scan::Module> make_whatsapp_contacts_module() {
  return std::make_unique<WhatsappContactsModule>();
}

}  // namespace spyglass::artifacts::ios
