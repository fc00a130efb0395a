// Any bytes as a tab_sessions.session_data blob: web pages choose much of what is in it.
#include <cstddef>
#include <cstdint>
#include <span>

#include "artifacts/ios/safari_browser_state/safari_browser_state.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  (void)spyglass::artifacts::ios::parse_session_data(std::span<const std::uint8_t>(data, size));
  return 0;
}
