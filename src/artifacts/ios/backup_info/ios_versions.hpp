#pragma once
// The bundled list of public iOS releases (data/ios_versions.json, compiled into the binary)
// and the checks backup_info runs against it. Deterministic: the newest release is the
// newest in the list, never derived from the clock or the network.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "scan/record.hpp"
#include "support/error.hpp"

namespace spyglass::artifacts::ios {

struct IosRelease {
  std::vector<int> version;  // "17.5.1" -> {17, 5, 1}
  std::string version_text;
  std::string build;
  std::string released;  // "YYYY-MM-DD", empty when the list does not say
};

struct IosVersionList {
  std::string compiled;  // when the list was compiled ("YYYY-MM-DD")
  // Every public build of this major and later is listed, so an unknown build is notable.
  int builds_complete_from_major = 0;
  std::vector<IosRelease> releases;  // never empty once parsed

  const IosRelease& newest() const;
  const IosRelease* find_build(std::string_view build) const;
};

// "17", "17.5", "17.5.1" (at most 4 numeric parts of at most 5 digits); nullopt otherwise.
std::optional<std::vector<int>> parse_ios_version(std::string_view text);
// <0, 0, >0 like strcmp; missing trailing parts count as 0 ("18" == "18.0").
int compare_ios_versions(const std::vector<int>& a, const std::vector<int>& b);

Result<IosVersionList> parse_ios_version_list(std::string_view json);
// The list compiled in from data/ios_versions.json (parsed once; nullptr if it is broken,
// which a unit test rules out).
const IosVersionList* bundled_ios_versions();

// The alerts for a backup's Info.plist "Product Version" and "Build Version": LOW when the
// version is older than the newest known release; INFORMATIONAL when the version is not a
// version number, when it is newer than the list, or when the build is unknown to the list
// or belongs to another version.
std::vector<scan::StandaloneAlert> check_ios_version(const IosVersionList& list,
                                                     std::string_view product_version,
                                                     std::string_view build_version);

}  // namespace spyglass::artifacts::ios
