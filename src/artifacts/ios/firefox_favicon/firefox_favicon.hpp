#pragma once
// Firefox for iOS favicons (browser.db): each icon URL with the page it was fetched for.
#include <memory>

#include "artifacts/ios/ios_evidence.hpp"
#include "formats/sqlite/database.hpp"
#include "scan/module.hpp"
#include "scan/record.hpp"

namespace spyglass::artifacts::ios {

std::unique_ptr<scan::Module> make_firefox_favicon_module();

// One record per favicons ⋈ favicon_sites ⋈ history row, then (BrowserSchema v41 onwards)
// per favicons ⋈ favicon_site_urls row. kMalformed, naming tables and columns, when the
// favicons table or both mapping tables are missing or lack the columns read.
Result<void> read_firefox_favicons(const formats::sqlite::Database& db, const IosFile& file,
                                   scan::RecordSink& sink);

}  // namespace spyglass::artifacts::ios
