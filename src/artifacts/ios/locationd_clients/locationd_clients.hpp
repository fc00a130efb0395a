#pragma once
// locationd's clients.plist: every app, daemon and bundle that asked for location, with the
// times it last received it. Spyware that tracks location leaves its name or path here.
#include <array>
#include <memory>
#include <string_view>

#include "artifacts/ios/ios_evidence.hpp"
#include "scan/module.hpp"
#include "scan/record.hpp"

namespace spyglass::artifacts::ios {

std::unique_ptr<scan::Module> make_locationd_clients_module();

Result<void> read_locationd_clients(std::string_view bytes, const IosFile& file,
                                    scan::RecordSink& sink);

// The Mac-absolute-time fields converted and put on the timeline (MVT's nine).
inline constexpr std::array<std::string_view, 9> kLocationdTimeFields = {
    "ConsumptionPeriodBegin",
    "ReceivingLocationInformationTimeStopped",
    "VisitTimeStopped",
    "LocationTimeStopped",
    "BackgroundLocationTimeStopped",
    "SignificantTimeStopped",
    "NonPersistentSignificantTimeStopped",
    "FenceTimeStopped",
    "BeaconRegionTimeStopped",
};

}  // namespace spyglass::artifacts::ios
