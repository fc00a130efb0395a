#include "scan/module_list.hpp"

// Declarations of every registered module's factory and the list macro, generated from the
// src/artifacts/<family>/<slug>/ folders in sorted order.
#include "scan/module_registry.inc"

namespace spyglass::scan {

const std::vector<ModuleFactory>& builtin_module_factories() {
  static const std::vector<ModuleFactory> kFactories = {SPYGLASS_BUILTIN_MODULE_FACTORIES};
  return kFactories;
}

std::vector<std::unique_ptr<Module>> make_builtin_modules(std::optional<Family> family) {
  std::vector<std::unique_ptr<Module>> out;
  for (const ModuleFactory factory : builtin_module_factories()) {
    std::unique_ptr<Module> module = factory();
    if (!family || module->spec().family == *family) out.push_back(std::move(module));
  }
  return out;
}

}  // namespace spyglass::scan
