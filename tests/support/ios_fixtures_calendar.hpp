#pragma once
// Calendar.sqlitedb (HomeDomain Library/Calendar/Calendar.sqlitedb): the CalendarItem and
// Participant tables as CalendarDaemon writes them on iOS 9.3 (no CalendarItem.action, no
// Participant.phone_number) and on iOS 11.2 (both present). Dates are Mac absolute seconds.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace spyglass::testing {

enum class CalendarSchema { kIos9, kIos11 };

struct CalendarEvent {
  std::int64_t rowid = 0;
  std::optional<std::string> summary;
  std::optional<std::string> description;
  std::optional<double> start_date;
  std::optional<double> end_date;
  std::optional<double> last_modified;
  std::optional<double> creation_date;
  std::optional<std::int64_t> organizer_id;  // Participant.ROWID
  std::optional<std::string> uuid;
  std::optional<std::string> url;
};

struct CalendarParticipant {
  std::int64_t rowid = 0;
  std::int64_t owner_id = 0;  // CalendarItem.ROWID
  std::optional<std::string> uuid;
  std::optional<std::string> email;
  std::optional<std::string> phone_number;  // dropped for kIos9
  std::optional<std::string> comment;
  std::optional<double> last_modified;
};

std::string calendar_db(CalendarSchema schema, const std::vector<CalendarEvent>& events,
                        const std::vector<CalendarParticipant>& participants);

}  // namespace spyglass::testing
