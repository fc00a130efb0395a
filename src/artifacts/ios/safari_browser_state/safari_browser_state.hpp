#pragma once
// Safari's BrowserState.db (default and per-profile): the open tabs and each tab's
// back/forward list, which keeps URLs that History.db may no longer have (cleared history,
// private tabs on old iOS).
#include <memory>
#include <span>

#include "artifacts/ios/ios_evidence.hpp"
#include "formats/json/json_value.hpp"
#include "formats/sqlite/database.hpp"
#include "scan/module.hpp"
#include "scan/record.hpp"

namespace spyglass::artifacts::ios {

std::unique_ptr<scan::Module> make_safari_browser_state_module();

// One record per tab (tabs LEFT JOIN tab_sessions on iOS >= 12; tabs.session_data before).
// kMalformed, naming the tables and columns, for an unknown schema.
Result<void> read_safari_browser_state(const formats::sqlite::Database& db, const IosFile& file,
                                       scan::RecordSink& sink);

// The entries of one session_data blob (4 header bytes, then a binary plist): an array of
// {entry_title, entry_url, entry_original_url, data_length}. kMalformed when the blob is
// too short or not a plist; a plist without SessionHistory gives an empty array.
Result<json::Value> parse_session_data(std::span<const std::uint8_t> blob);

}  // namespace spyglass::artifacts::ios
