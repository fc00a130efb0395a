#include "formats/plist/mbfile.hpp"

#include "formats/plist/keyed_archive.hpp"

namespace spyglass::formats::plist {
namespace {

constexpr Limits kMbFileLimits{.max_input_bytes = detail::kMbFileMaxBytes,
                               .max_depth = detail::kMbFileMaxDepth,
                               .max_values = detail::kMbFileMaxValues};

tl::unexpected<Error> malformed(const std::string& what) {
  return make_error(ErrorCode::kMalformed, "malformed MBFile: " + what);
}

Result<std::optional<std::int64_t>> int_field(const Dict& d, std::string_view key) {
  const Value* v = d.find(key);
  if (v == nullptr) return std::optional<std::int64_t>();
  auto i = v->as_int();
  if (!i) return malformed(std::string(key) + " is not an integer");
  return std::optional<std::int64_t>(*i);
}

Result<std::optional<std::string>> string_field(const KeyedArchive& a, const Value& obj,
                                                std::string_view key) {
  auto v = a.member(obj, key);
  if (!v) return tl::unexpected(v.error());
  if (*v == nullptr) return std::optional<std::string>();
  if (const std::string* s = (*v)->as_string()) return std::optional<std::string>(*s);
  // Long or non-ASCII paths may be archived as NSString objects.
  auto ns = a.member(**v, "NS.string");
  if (ns && *ns != nullptr && (*ns)->as_string()) return std::optional<std::string>(*(*ns)->as_string());
  return malformed(std::string(key) + " is not a string");
}

}  // namespace

Result<MBFile> decode_mbfile(std::string_view blob) {
  if (auto fast = detail::decode_mbfile_fast(blob)) {
    return std::move(*fast);
  }
  return detail::decode_mbfile_generic(blob);
}

Result<MBFile> detail::decode_mbfile_generic(std::string_view blob) {
  auto archive = KeyedArchive::parse(blob, kMbFileLimits);
  if (!archive) return tl::unexpected(archive.error());
  const Value& root = archive->root();
  const Dict* d = root.as_dict();
  if (d == nullptr) return malformed("root object is not a dict");

  MBFile f;
  struct IntKey {
    const char* key;
    std::optional<std::int64_t> MBFile::*field;
  };
  static constexpr IntKey kInts[] = {
      {"Birth", &MBFile::birth},
      {"LastModified", &MBFile::last_modified},
      {"LastStatusChange", &MBFile::last_status_change},
      {"Mode", &MBFile::mode},
      {"UserID", &MBFile::user_id},
      {"GroupID", &MBFile::group_id},
      {"Size", &MBFile::size},
      {"InodeNumber", &MBFile::inode_number},
      {"ProtectionClass", &MBFile::protection_class},
      {"Flags", &MBFile::flags},
  };
  for (const auto& k : kInts) {
    auto v = int_field(*d, k.key);
    if (!v) return tl::unexpected(v.error());
    f.*(k.field) = *v;
  }
  auto rel = string_field(*archive, root, "RelativePath");
  if (!rel) return tl::unexpected(rel.error());
  f.relative_path = std::move(*rel);
  auto target = string_field(*archive, root, "Target");
  if (!target) return tl::unexpected(target.error());
  f.target = std::move(*target);

  auto key = archive->member(root, "EncryptionKey");
  if (!key) return tl::unexpected(key.error());
  if (*key != nullptr) {
    const Value* data = *key;
    if (data->as_dict() != nullptr) {
      auto inner = archive->member(*data, "NS.data");
      if (!inner) return tl::unexpected(inner.error());
      data = *inner;
    }
    if (data == nullptr || data->as_data() == nullptr) {
      return malformed("EncryptionKey has no NS.data bytes");
    }
    f.encryption_key = *data->as_data();
  }
  return f;
}

}  // namespace spyglass::formats::plist
