#pragma once
// The registry of built-in modules, generated at configure time from the artifact folders
// (src/artifacts/<family>/<slug>/, sorted): outputs list modules in this order.
#include <memory>
#include <optional>
#include <vector>

#include "scan/module.hpp"

namespace spyglass::scan {

const std::vector<ModuleFactory>& builtin_module_factories();

// Fresh instances of every built-in module, optionally of one family only.
std::vector<std::unique_ptr<Module>> make_builtin_modules(std::optional<Family> family = {});

}  // namespace spyglass::scan
