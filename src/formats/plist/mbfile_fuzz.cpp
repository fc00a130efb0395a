// Manifest.db Files.file blobs are attacker-controlled bytes in a backup. Beyond not
// crashing, the fast path must agree with the generic one on every blob it accepts.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "formats/plist/mbfile.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  namespace pl = spyglass::formats::plist;
  const std::string_view blob(reinterpret_cast<const char*>(data), size);
  (void)pl::decode_mbfile(blob);
  if (auto fast = pl::detail::decode_mbfile_fast(blob)) {
    auto generic = pl::detail::decode_mbfile_generic(blob);
    if (!generic || !(*generic == *fast)) std::abort();
  }
  return 0;
}
