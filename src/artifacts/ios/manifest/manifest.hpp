#pragma once
// Every file a backup lists (Manifest.db): paths and times, matched as file paths and, for
// path parts that are domain names, as URLs.
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "artifacts/ios/ios_module.hpp"

namespace spyglass::artifacts::ios {

std::unique_ptr<scan::Module> make_manifest_module();

// MVT's "mention of a domain" rule: the lower-cased relative path split on '_', keeping the
// parts whose host has a known top-level domain.
std::vector<std::string> domain_like_parts(std::string_view relative_path);

// The MACB string for `t` (A is never known from a backup): "M-CB", "M---", "---B".
std::string macb(std::int64_t t, std::optional<std::int64_t> modified,
                 std::optional<std::int64_t> status_changed, std::optional<std::int64_t> created);

}  // namespace spyglass::artifacts::ios
