#include <plist/plist.h>

#include <memory>
#include <string>

#include "formats/plist/libplist_convert.hpp"
#include "formats/plist/reader.hpp"

namespace spyglass::formats::plist {
namespace {

// libplist 2.2 parses XML recursively per element; measuring element nesting first keeps a
// hostile file from overflowing the stack. Comments and CDATA are counted conservatively.
bool nesting_within(std::string_view xml, std::size_t limit) {
  std::size_t depth = 0;
  for (std::size_t i = 0; i < xml.size(); ++i) {
    if (xml[i] != '<' || i + 1 >= xml.size()) continue;
    const char next = xml[i + 1];
    if (next == '?' || next == '!') continue;
    const std::size_t close = xml.find('>', i);
    if (close == std::string_view::npos) break;
    if (next == '/') {
      if (depth > 0) --depth;
    } else if (xml[close - 1] != '/') {
      if (++depth > limit) return false;
    }
    i = close;
  }
  return true;
}

}  // namespace

Result<Value> parse_xml(std::string_view bytes, const Limits& limits) {
  if (bytes.size() > limits.max_input_bytes || bytes.size() > UINT32_MAX) {
    return make_error(ErrorCode::kLimitExceeded, "XML plist larger than the input limit");
  }
  if (bytes.find("<plist") == std::string_view::npos) {
    return make_error(ErrorCode::kMalformed, "not a plist (neither bplist00 nor XML <plist>)");
  }
  // + 2 for the <plist> element and one level of slack.
  if (!nesting_within(bytes, limits.max_depth + 2)) {
    return make_error(ErrorCode::kLimitExceeded, "XML plist nested too deeply");
  }
  const std::string copy(bytes);  // libplist wants a NUL after the data
  plist_t root = nullptr;
  plist_from_xml(copy.data(), static_cast<uint32_t>(copy.size()), &root);
  if (root == nullptr) return make_error(ErrorCode::kMalformed, "malformed XML plist");
  std::unique_ptr<void, decltype(&plist_free)> owner(root, &plist_free);
  return detail::from_libplist(root, limits.max_depth, limits.max_values);
}

}  // namespace spyglass::formats::plist
