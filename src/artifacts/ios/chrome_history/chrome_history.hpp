#pragma once
// Chrome for iOS browsing history (History database): every visit with its URL. A visit to
// an exploit or infection domain is the trace indicators look for.
#include <cstdint>
#include <memory>
#include <optional>

#include "artifacts/ios/ios_evidence.hpp"
#include "formats/sqlite/database.hpp"
#include "scan/module.hpp"
#include "scan/record.hpp"

namespace spyglass::artifacts::ios {

std::unique_ptr<scan::Module> make_chrome_history_module();

// Emits one record per visits row joined with its urls row, in visit time order.
// kMalformed, naming the tables and columns seen, for an unknown schema.
Result<void> read_chrome_history(const formats::sqlite::Database& db, const IosFile& file,
                                 scan::RecordSink& sink);

// Chrome/WebKit time (microseconds since 1601-01-01 UTC) as Unix microseconds; nullopt for
// 0 (never set) and for values no clock could have written (outside years 1601..9999).
std::optional<UnixMicros> from_chrome_time(std::int64_t value);

}  // namespace spyglass::artifacts::ios
