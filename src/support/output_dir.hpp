#pragma once
// The rules for the output folder (-o DIR): it must be absent or empty unless overwrite is
// asked; it may never be, or lie inside, the evidence; and overwrite never deletes a
// folder that holds the evidence. Paths are compared after resolving symlinks.
#include <filesystem>

#include "support/error.hpp"

namespace spyglass {

// Whether `inner` is `outer` or lies below it (canonical paths, component-wise).
bool path_is_within(const std::filesystem::path& inner, const std::filesystem::path& outer);

// Checks the rules, empties the folder when `overwrite`, creates it when absent, and
// returns its canonical path.
Result<std::filesystem::path> prepare_output_dir(const std::filesystem::path& output,
                                                 const std::filesystem::path& evidence,
                                                 bool overwrite);

}  // namespace spyglass
