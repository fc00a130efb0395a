#pragma once
// CoreDuet's people interactions (interactionC.db): who the owner messaged or called, with
// which app, and when.
#include <memory>

#include "artifacts/ios/ios_module.hpp"

namespace spyglass::artifacts::ios {

std::unique_ptr<scan::Module> make_interaction_c_module();

}  // namespace spyglass::artifacts::ios
