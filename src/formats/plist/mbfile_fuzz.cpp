// Manifest.db Files.file blobs are attacker-controlled bytes in a backup.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "formats/plist/mbfile.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  (void)spyglass::formats::plist::decode_mbfile(
      std::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}
