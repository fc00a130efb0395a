// Free text from evidence: extract() must not crash, must stay in bounds, and must report
// slices of the input in offset order.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>
#include <vector>

#include "formats/url/url.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  std::vector<spyglass::formats::url::Found> out;
  spyglass::formats::url::extract(text, out);
  std::size_t last = 0;
  for (const auto& f : out) {
    if (f.offset < last || f.offset + f.text.size() > size ||
        f.text.data() != text.data() + f.offset || f.text.empty()) {
      std::abort();
    }
    last = f.offset;
  }
  return 0;
}
