#pragma once
// WebKit's older ITP store, full_browsing_session_resourceLog.plist: per prevalent domain, the
// domains that redirected to it, that it redirected to, and that it loaded as subframes or
// subresources. An exploit chain's redirect hops can survive here after the history is gone.
#include <memory>
#include <string_view>

#include "artifacts/ios/ios_evidence.hpp"
#include "scan/module.hpp"
#include "scan/record.hpp"
#include "support/error.hpp"

namespace spyglass::artifacts::ios {

std::unique_ptr<scan::Module> make_webkit_session_resource_log_module();

// One record per browsingStatistics entry. kMalformed for bytes that are no plist (or exceed
// the reader's bounds) and for an unknown layout ("unknown schema: ...").
Result<void> read_session_resource_log(std::string_view bytes, const IosFile& file,
                                       scan::RecordSink& sink);

}  // namespace spyglass::artifacts::ios
