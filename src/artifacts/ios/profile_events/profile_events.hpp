#pragma once
// MCProfileEvents.plist: profiled's log of configuration-profile installs and removals, with
// the process that asked. Every event is reported (LOW) since a profile silently installed
// by an unexpected process is how some spyware gained persistence and network control.
#include <memory>
#include <string_view>

#include "artifacts/ios/ios_evidence.hpp"
#include "scan/module.hpp"
#include "scan/record.hpp"

namespace spyglass::artifacts::ios {

std::unique_ptr<scan::Module> make_profile_events_module();

// One record per ProfileEvents[] entry {profile id: {timestamp, operation, process, ...}}.
// Readable entries are emitted even when others are not; kMalformed then names them.
Result<void> read_profile_events(std::string_view bytes, const IosFile& file,
                                 scan::RecordSink& sink);

}  // namespace spyglass::artifacts::ios
