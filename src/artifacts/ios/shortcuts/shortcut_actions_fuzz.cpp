// Any bytes as a ZSHORTCUTACTIONS.ZDATA blob: a shared shortcut's author chooses all of it.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "artifacts/ios/shortcuts/shortcuts.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  (void)spyglass::artifacts::ios::parse_shortcut_actions(
      std::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}
