#pragma once
// com.apple.osanalytics.addaily.plist: osanalyticshelper's daily network-usage baseline per
// process (netUsageBaseline). Kaspersky found Triangulation's BackupAgent here too.
#include <memory>
#include <string_view>

#include "artifacts/ios/ios_evidence.hpp"
#include "scan/module.hpp"
#include "scan/record.hpp"

namespace spyglass::artifacts::ios {

std::unique_ptr<scan::Module> make_os_analytics_ad_daily_module();

Result<void> read_os_analytics_ad_daily(std::string_view bytes, const IosFile& file,
                                        scan::RecordSink& sink);

}  // namespace spyglass::artifacts::ios
