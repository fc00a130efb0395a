#pragma once
// The tool's identity, recorded in info.json and the evidence manifest. The build id (git
// commit) is compiled into version.cpp alone, so a new commit does not rebuild everything.
#include <string_view>

namespace spyglass {

std::string_view version();   // "0.1.0"
std::string_view build_id();  // short git commit, or "unknown"

}  // namespace spyglass
