// Arbitrary bytes as a STIX pattern.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/indicators/stix_pattern.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto parsed = spyglass::indicators::parse_stix_pattern(text);
  if (parsed) {
    // A value cannot be longer than the pattern that holds it.
    for (const auto& cmp : *parsed) {
      if (cmp.value.size() > size || cmp.object_path.size() > size) __builtin_trap();
    }
  } else if (parsed.error().message.empty()) {
    __builtin_trap();
  }
  return 0;
}
