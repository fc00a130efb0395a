#pragma once
// DataUsage.sqlite: CommCenter's per-process network usage (ZPROCESS, ZLIVEUSAGE). Process
// names of spyware (Pegasus' "bh", "roleaccountd"; Triangulation's "BackupAgent" with network
// usage) appear here even after the binary is gone, and deleted ZPROCESS rows betray a cleanup.
#include <memory>

#include "artifacts/ios/ios_evidence.hpp"
#include "formats/sqlite/database.hpp"
#include "scan/module.hpp"
#include "scan/record.hpp"

namespace spyglass::artifacts::ios {

std::unique_ptr<scan::Module> make_datausage_module();

// Reads one opened DataUsage (or netusage, same Core Data model) database and emits its
// records and heuristic findings. kMalformed for an unknown schema or a corrupt file.
Result<void> read_net_usage(const formats::sqlite::Database& db, const IosFile& file,
                            scan::RecordSink& sink);

// Longest run of missing ZPROCESS ids reported one id per alert; longer runs get one alert
// for the whole range (a hostile Z_PK of 2^62 must not produce 2^62 alerts).
inline constexpr std::int64_t kMaxMissingProcessAlerts = 64;

}  // namespace spyglass::artifacts::ios
