// sms.db attributedBody blobs are attacker-influenced bytes (a message's body).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "formats/typedstream/typedstream.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view in(reinterpret_cast<const char*>(data), size);
  auto text = spyglass::formats::typedstream::attributed_string_text(in);
  // The text is a slice of the input: never larger.
  if (text && text->size() > size) std::abort();
  return 0;
}
