#pragma once
// WebKit's Intelligent Tracking Prevention database (observations.db): every registrable
// domain a WebKit view (Safari, SFSafariViewController, in-app browsers) loaded resources
// from, with when it was last seen. A trace that survives clearing the history.
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "artifacts/ios/ios_evidence.hpp"
#include "formats/sqlite/database.hpp"
#include "scan/module.hpp"
#include "scan/record.hpp"
#include "support/error.hpp"
#include "support/time.hpp"

namespace spyglass::artifacts::ios {

std::unique_ptr<scan::Module> make_webkit_resource_load_statistics_module();

// Reads ObservedDomains; kMalformed "unknown schema: ..." when the table or its columns are
// missing.
Result<void> read_webkit_observations(const formats::sqlite::Database& db, const IosFile& file,
                                      scan::RecordSink& sink);

// The app container UUID of a filesystem-dump path
// ("private/var/mobile/Containers/Data/Application/<UUID>/..."), nullopt elsewhere.
std::optional<std::string> app_container_of(std::string_view path);

// WebKit's WallTime seconds (Unix epoch, REAL); nullopt for its "never" values (-1, 0) and
// for values no clock can hold.
std::optional<UnixMicros> webkit_wall_time(double seconds);

}  // namespace spyglass::artifacts::ios
