// Any bytes as an idstatuscache plist: its keys are addresses other people chose.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "artifacts/ios/id_status_cache/id_status_cache.hpp"

namespace {
class DropSink final : public spyglass::scan::RecordSink {
 public:
  void emit(spyglass::scan::Record) override {}
  void alert(spyglass::scan::StandaloneAlert) override {}
};
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace spyglass::artifacts::ios;
  IosFile file;
  file.domain = "HomeDomain";
  DropSink sink;
  (void)read_id_status_cache(std::string_view(reinterpret_cast<const char*>(data), size), file,
                             sink);
  return 0;
}
