// Any bytes, any chunking: the line scanner must not crash or grow without bound.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "artifacts/text/text_lines/text_lines.hpp"

namespace {
class NullSink final : public spyglass::scan::RecordSink {
 public:
  void emit(spyglass::scan::Record) override {}
  void alert(spyglass::scan::StandaloneAlert) override {}
};
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  NullSink sink;
  spyglass::artifacts::text::LineScanner scanner{"fuzz", sink};
  // Feed in uneven chunks so that line joins across chunks are exercised too.
  std::size_t step = size % 7 + 1;
  for (std::size_t i = 0; i < size; i += step, step = step * 3 % 11 + 1) {
    scanner.feed(bytes.substr(i, step));
  }
  scanner.finish();
  return 0;
}
