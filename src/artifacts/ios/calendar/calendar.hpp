#pragma once
// Calendar.sqlitedb: events with their organizer. Calendar invitations were QuaDream's
// zero-click vector (ENDOFDAYS): the exploit events were titled "Meeting" with notes
// "Notes", and organizers are e-mail addresses that indicator feeds list.
#include <memory>

#include "artifacts/ios/ios_evidence.hpp"
#include "formats/sqlite/database.hpp"
#include "scan/module.hpp"
#include "scan/record.hpp"

namespace spyglass::artifacts::ios {

std::unique_ptr<scan::Module> make_calendar_module();

// CalendarItem LEFT JOIN Participant (the organizer), selecting only the columns this
// database has (iOS 9 lacks CalendarItem.action and Participant.phone_number): absent ones
// are null. kMalformed, naming the tables and columns, for an unknown schema.
Result<void> read_calendar(const formats::sqlite::Database& db, const IosFile& file,
                           scan::RecordSink& sink);

}  // namespace spyglass::artifacts::ios
