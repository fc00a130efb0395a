// Any bytes: parse as a plist (binary or XML) and, when that works, as a keyed archive.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "formats/plist/keyed_archive.hpp"
#include "formats/plist/reader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace spyglass::formats::plist;
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  const Limits limits{.max_input_bytes = 1u << 20, .max_depth = 64, .max_values = 1u << 16};
  auto value = parse(bytes, limits);
  if (value) {
    auto archive = KeyedArchive::from_value(std::move(*value));
    if (archive) (void)archive->decode_root(limits);
  }
  return 0;
}
