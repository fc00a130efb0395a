#pragma once
// Chrome for iOS favicon cache (Favicons database): the pages whose icons Chrome fetched and
// when. It outlives history: clearing history leaves on-demand icons behind for a while.
#include <memory>

#include "artifacts/ios/ios_evidence.hpp"
#include "formats/sqlite/database.hpp"
#include "scan/module.hpp"
#include "scan/record.hpp"

namespace spyglass::artifacts::ios {

std::unique_ptr<scan::Module> make_chrome_favicon_module();

// One record per (icon_mapping, favicon_bitmaps) pair, in time order. Favicons v8 (2015 on)
// and v7 (no last_requested). kMalformed, naming the tables and columns seen, otherwise.
Result<void> read_chrome_favicons(const formats::sqlite::Database& db, const IosFile& file,
                                  scan::RecordSink& sink);

}  // namespace spyglass::artifacts::ios
