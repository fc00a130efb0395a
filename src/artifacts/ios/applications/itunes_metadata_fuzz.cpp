// Any bytes as an iTunesMetadata plist: a sideloaded app's bundle brings its own.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "artifacts/ios/applications/applications.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  namespace ios = spyglass::artifacts::ios;
  auto v = ios::parse_itunes_metadata(std::string_view(reinterpret_cast<const char*>(data), size));
  if (v) {
    ios::AppSource source;
    source.icon = std::span<const std::uint8_t>(data, size);
    (void)ios::application_record(v->as_dict(), source);
  }
  return 0;
}
