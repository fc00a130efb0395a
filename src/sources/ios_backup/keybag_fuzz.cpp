// BackupKeyBag bytes come from Manifest.plist, which an attacker can craft.
#include <cstddef>
#include <cstdint>
#include <span>

#include "sources/ios_backup/keybag.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  (void)spyglass::sources::ios_backup::parse_keybag(std::span<const uint8_t>(data, size));
  return 0;
}
