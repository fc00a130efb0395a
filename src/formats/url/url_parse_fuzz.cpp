// URLs and hosts from evidence and feeds: parsing must not crash, and normalisation must be
// idempotent (a normalised URL or host normalises to itself).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "formats/url/url.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace url = spyglass::formats::url;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  (void)url::parse_url(text);
  if (auto n = url::normalize_url(text)) {
    auto again = url::normalize_url(*n);
    if (!again || *again != *n) std::abort();
  }
  if (auto h = url::normalize_host(text)) {
    auto again = url::normalize_host(*h);
    if (!again || *again != *h) std::abort();
  }
  if (auto ip = url::canonical_ip(text)) {
    auto again = url::canonical_ip(*ip);
    if (!again || *again != *ip) std::abort();
  }
  return 0;
}
