#pragma once
// Firefox for iOS browsing history (browser.db in the app group): every visit with its URL.
#include <memory>
#include <optional>

#include "artifacts/ios/ios_evidence.hpp"
#include "formats/sqlite/database.hpp"
#include "scan/module.hpp"
#include "scan/record.hpp"

namespace spyglass::artifacts::ios {

std::unique_ptr<scan::Module> make_firefox_history_module();

// One record per visits row joined with its history row, in visit id order. BrowserSchema
// v6 onwards and older (no visits.is_local). kMalformed, naming tables and columns, otherwise.
Result<void> read_firefox_history(const formats::sqlite::Database& db, const IosFile& file,
                                  scan::RecordSink& sink);

// The browser.db locator (backup and dump), shared by firefox_history and firefox_favicon.
IosLocator firefox_browser_db_locator();

// Unix time from a REAL/INTEGER count of `units_per_second` units, as browser.db stores
// it; nullopt for 0, NaN, infinities and values outside years 1..9999.
std::optional<UnixMicros> from_unix_units(double value, double units_per_second);

}  // namespace spyglass::artifacts::ios
