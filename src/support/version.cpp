#include "support/version.hpp"

namespace spyglass {

std::string_view version() { return SPYGLASS_VERSION; }
std::string_view build_id() { return SPYGLASS_BUILD_ID; }

}  // namespace spyglass
