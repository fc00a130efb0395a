#include "artifacts/ios/calendar/calendar.hpp"

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "artifacts/ios/ios_module.hpp"
#include "support/time.hpp"

namespace spyglass::artifacts::ios {
namespace {

using matching::ObservableKind;

struct Column {
  bool participant;        // Participant (else CalendarItem)
  std::string_view name;   // column in its table
  std::string_view alias;  // MVT's field name
  bool is_date;            // Mac absolute seconds, written as MVT's ISO text
};

// MVT's field list and order; the five dates are its timeline events.
constexpr std::array<Column, 23> kColumns = {{
    {false, "ROWID", "id", false},
    {false, "summary", "summary", false},
    {false, "description", "description", false},
    {false, "start_date", "start_date", true},
    {false, "end_date", "end_date", true},
    {false, "all_day", "all_day", false},
    {false, "calendar_id", "calendar_id", false},
    {false, "organizer_id", "organizer_id", false},
    {false, "url", "url", false},
    {false, "last_modified", "last_modified", true},
    {false, "external_id", "external_id", false},
    {false, "external_mod_tag", "external_mod_tag", false},
    {false, "unique_identifier", "unique_identifier", false},
    {false, "hidden", "hidden", false},
    {false, "UUID", "uuid", false},
    {false, "creation_date", "creation_date", true},
    {false, "action", "action", false},
    {false, "created_by_id", "created_by_id", false},
    {true, "UUID", "participant_uuid", false},
    {true, "email", "participant_email", false},
    {true, "phone_number", "participant_phone", false},
    {true, "comment", "participant_comment", false},
    {true, "last_modified", "participant_last_modified", true},
}};

std::string text_or_none(const json::Value& data, std::string_view key) {
  const json::Value* v = data.find(key);
  return v && v->is_string() ? v->as_string() : std::string("None");
}

}  // namespace

Result<void> read_calendar(const formats::sqlite::Database& db, const IosFile& file,
                           scan::RecordSink& sink) {
  auto items = TableColumns::read(db, "CalendarItem");
  if (!items) return tl::unexpected(items.error());
  if (auto ok = require_columns(
          *items, {"summary", "description", "start_date", "end_date", "organizer_id"});
      !ok) {
    return ok;
  }
  auto participants = TableColumns::read(db, "Participant");
  if (!participants) return tl::unexpected(participants.error());
  // Without the organizer table (or its key) the events are still worth reading.
  const bool join = !participants->empty();

  std::string sql = "SELECT ";
  for (std::size_t i = 0; i < kColumns.size(); ++i) {
    const Column& c = kColumns[i];
    if (i > 0) sql += ", ";
    const bool present =
        c.participant ? join && participants->has(c.name) : c.name == "ROWID" || items->has(c.name);
    sql += present
               ? std::string(c.participant ? "Participant." : "CalendarItem.") + std::string(c.name)
               : std::string("NULL");
  }
  sql += " FROM CalendarItem";
  if (join) sql += " LEFT JOIN Participant ON Participant.ROWID = CalendarItem.organizer_id";
  sql += " ORDER BY CalendarItem.ROWID";
  auto stmt = db.prepare(sql);
  if (!stmt) return tl::unexpected(stmt.error());

  while (true) {
    auto more = stmt->step();
    if (!more) return tl::unexpected(more.error());
    if (!*more) break;
    scan::Record rec;
    for (std::size_t i = 0; i < kColumns.size(); ++i) {
      const Column& c = kColumns[i];
      const int col = static_cast<int>(i);
      const int type = stmt->column_type(col);
      const bool numeric = type == SQLITE_INTEGER || type == SQLITE_FLOAT;
      if (c.is_date && numeric && stmt->get_double(col) != 0) {
        const UnixMicros t = from_mac_absolute(stmt->get_double(col));
        rec.data.set(c.alias, format_mvt_time(t));
        rec.timeline.push_back({t, std::string(c.alias), ""});
        if (!rec.time) rec.time = t;
      } else {
        rec.data.set(c.alias, column_json(*stmt, col));
      }
    }
    const std::string summary = text_or_none(rec.data, "summary");
    const std::string description = text_or_none(rec.data, "description");
    const std::string email = text_or_none(rec.data, "participant_email");
    const std::string uuid = text_or_none(rec.data, "uuid");
    for (scan::TimelineEvent& e : rec.timeline) {
      e.description =
          "Calendar event " + summary + " (" + description + ") (organizer: " + email + ")";
    }
    const json::Value* organizer = rec.data.find("participant_email");
    if (organizer && organizer->is_string() && !organizer->as_string().empty()) {
      rec.observe(ObservableKind::kEmail, organizer->as_string(), "participant_email");
    }
    const json::Value* summary_value = rec.data.find("summary");
    const json::Value* description_value = rec.data.find("description");
    if (summary_value && summary_value->is_string() && summary_value->as_string() == "Meeting" &&
        description_value && description_value->is_string() &&
        description_value->as_string() == "Notes") {
      rec.flag(report::AlertLevel::kHigh,
               "Potential QuaDream exploit calendar event (\"Meeting\" with notes \"Notes\"): " +
                   uuid + " (organizer: " + email + ")");
    }
    rec.provenance = file.provenance("CalendarItem ROWID " + std::to_string(stmt->get_int64(0)));
    sink.emit(std::move(rec));
  }
  return {};
}

namespace {

class CalendarModule final : public IosModule {
 public:
  CalendarModule() : IosModule(make_spec()) {}

 private:
  static IosModuleSpec make_spec() {
    IosModuleSpec s;
    s.slug = "calendar";
    s.display_name = "Calendar";
    s.summary = "Calendar events and organizers (Calendar.sqlitedb), QuaDream invitations";
    s.locator.backup_files = {{"HomeDomain", "Library/Calendar/Calendar.sqlitedb"}};
    s.locator.fs_globs = {"private/var/mobile/Library/Calendar/Calendar.sqlitedb"};
    return s;
  }

  scan::Status run_files(IosRun& run) override {
    for (const IosFile& f : run.files) {
      auto db = run.evidence.open_sqlite(f);
      if (!db) return run.file_failed(f, db.error());
      if (auto ok = read_calendar(*db, f, run.sink); !ok) return run.file_failed(f, ok.error());
    }
    return scan::Status::ok();
  }
};

}  // namespace

std::unique_ptr<scan::Module> make_calendar_module() { return std::make_unique<CalendarModule>(); }

}  // namespace spyglass::artifacts::ios
