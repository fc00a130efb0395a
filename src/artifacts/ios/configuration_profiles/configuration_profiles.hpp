#pragma once
// Installed configuration profiles (profile-*.stub in the configurationprofiles system group
// container). A profile can install certificates, proxies or VPNs, or silence notifications:
// one that hides notifications is flagged without indicators.
#include <memory>
#include <string_view>

#include "artifacts/ios/ios_evidence.hpp"
#include "scan/module.hpp"
#include "scan/record.hpp"

namespace spyglass::artifacts::ios {

inline constexpr std::string_view kConfigurationProfilesDomain =
    "SysSharedContainerDomain-systemgroup.com.apple.configurationprofiles";

std::unique_ptr<scan::Module> make_configuration_profiles_module();

// One record for one profile plist: {file_id, relative_path, domain, plist, install_date}
// (MVT's layout; data fields as base64). kMalformed when the bytes are not a plist dictionary.
Result<scan::Record> read_configuration_profile(std::string_view bytes, const IosFile& file);

}  // namespace spyglass::artifacts::ios
