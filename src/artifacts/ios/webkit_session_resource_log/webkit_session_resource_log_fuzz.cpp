// Any bytes as full_browsing_session_resourceLog.plist: web pages choose the domains in it.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "artifacts/ios/webkit_session_resource_log/webkit_session_resource_log.hpp"

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
  file.source = IosSourceKind::kFilesystem;
  file.relative_path = "private/var/mobile/Containers/Data/Application/U/Library/f.plist";
  DropSink sink;
  (void)read_session_resource_log(std::string_view(reinterpret_cast<const char*>(data), size), file,
                                  sink);
  return 0;
}
