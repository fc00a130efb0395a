#pragma once
// The registry of built-in modules: an explicit list (as YARA's module_list), in the order
// outputs list them. Adding a module is one line in module_list.cpp.
#include <memory>
#include <optional>
#include <vector>

#include "scan/module.hpp"

namespace spyglass::scan {

const std::vector<ModuleFactory>& builtin_module_factories();

// Fresh instances of every built-in module, optionally of one family only.
std::vector<std::unique_ptr<Module>> make_builtin_modules(std::optional<Family> family = {});

}  // namespace spyglass::scan
