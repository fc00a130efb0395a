// Fuzzes the manifest parser (verify reads manifest.json from folders that may have passed
// through hostile hands). A parsed manifest must re-serialise to bytes that parse to the
// same manifest.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "core/manifest/manifest.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  auto parsed = spyglass::manifest::parse_manifest(bytes);
  if (!parsed) return 0;
  const std::string again = spyglass::manifest::serialize_manifest(*parsed);
  auto reparsed = spyglass::manifest::parse_manifest(again);
  if (!reparsed) std::abort();
  // Serialisation sorts file lists, so compare canonical forms.
  if (spyglass::manifest::serialize_manifest(*reparsed) != again) std::abort();
  return 0;
}
