// Arbitrary bytes as a STIX bundle: must never crash, hang or grow without bound.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/indicators/indicator_set.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::vector<spyglass::indicators::Collection> collections;
  std::vector<spyglass::indicators::Indicator> indicators;
  std::vector<spyglass::indicators::LoadWarning> warnings;
  const std::string name = "fuzz.stix2";
  spyglass::indicators::parse_stix_bundle(
      std::string_view(reinterpret_cast<const char*>(data), size), 0, name, collections, indicators,
      warnings);
  // Invariants other layers rely on.
  for (const auto& indicator : indicators) {
    if (indicator.collections.empty()) __builtin_trap();
    for (std::uint32_t c : indicator.collections) {
      if (c >= collections.size()) __builtin_trap();
    }
    if (indicator.value.empty()) __builtin_trap();
  }
  return 0;
}
