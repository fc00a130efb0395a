#pragma once
// Address-book entries (AddressBook.sqlitedb): names, phone numbers, e-mail addresses, URLs.
#include <memory>

#include "artifacts/ios/ios_evidence.hpp"
#include "formats/sqlite/database.hpp"
#include "scan/module.hpp"
#include "scan/record.hpp"
#include "support/error.hpp"

namespace spyglass::artifacts::ios {

std::unique_ptr<scan::Module> make_contacts_module();

// One record per ABMultiValue row with a value, joined with its ABPerson; kMalformed on an
// unknown schema.
Result<void> read_contacts(const formats::sqlite::Database& db, const IosFile& file,
                           scan::RecordSink& sink);

}  // namespace spyglass::artifacts::ios
