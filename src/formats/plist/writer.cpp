#include "formats/plist/writer.hpp"

#include <plist/plist.h>

#include <memory>

#include "formats/plist/libplist_convert.hpp"

namespace spyglass::formats::plist {
namespace {

using Node = std::unique_ptr<void, decltype(&plist_free)>;

Result<Node> to_node(const Value& value) {
  plist_t root = detail::to_libplist(value);
  if (root == nullptr) return make_error(ErrorCode::kInvalidArgument, "cannot write a null plist");
  return Node(root, &plist_free);
}

}  // namespace

Result<std::string> write_binary(const Value& value) {
  auto node = to_node(value);
  if (!node) return tl::unexpected(node.error());
  char* out = nullptr;
  uint32_t len = 0;
  plist_to_bin(node->get(), &out, &len);
  if (out == nullptr) return make_error(ErrorCode::kInternal, "libplist failed to write bplist");
  std::string bytes(out, len);
  plist_to_bin_free(out);
  return bytes;
}

Result<std::string> write_xml(const Value& value) {
  auto node = to_node(value);
  if (!node) return tl::unexpected(node.error());
  char* out = nullptr;
  uint32_t len = 0;
  plist_to_xml(node->get(), &out, &len);
  if (out == nullptr) return make_error(ErrorCode::kInternal, "libplist failed to write XML");
  std::string bytes(out, len);
  plist_to_xml_free(out);
  return bytes;
}

}  // namespace spyglass::formats::plist
