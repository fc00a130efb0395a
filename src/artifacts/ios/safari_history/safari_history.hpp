#pragma once
// Safari's History.db (default and per-profile): every visit with its URL and redirect
// chain. Pegasus network injection showed as an http:// visit redirected within a second to
// an unrelated host, so that pattern is flagged without indicators.
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "artifacts/ios/ios_evidence.hpp"
#include "formats/sqlite/database.hpp"
#include "scan/module.hpp"
#include "scan/record.hpp"

namespace spyglass::artifacts::ios {

std::unique_ptr<scan::Module> make_safari_history_module();

// Emits one record per history_visits row joined with its history_items row (visit time
// order), each carrying the redirect heuristic when it applies. kMalformed, naming the
// tables and columns seen, for an unknown schema.
Result<void> read_safari_history(const formats::sqlite::Database& db, const IosFile& file,
                                 scan::RecordSink& sink);

// The host a redirect is compared on: lower-case, IDN as punycode, one leading "www."
// dropped (an http -> https upgrade of www.x to x is not a cross-site redirect). nullopt
// when the URL has no host.
std::optional<std::string> redirect_host(std::string_view url);

}  // namespace spyglass::artifacts::ios
