#pragma once
// MBFile: the NSKeyedArchiver object in Manifest.db's Files.file column describing one backup
// entry. Fields are optional because real archives omit some (directories have no
// EncryptionKey, only symlinks have Target).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "formats/plist/value.hpp"
#include "support/error.hpp"

namespace spyglass::formats::plist {

struct MBFile {
  std::optional<std::int64_t> birth;               // Unix seconds
  std::optional<std::int64_t> last_modified;       // Unix seconds
  std::optional<std::int64_t> last_status_change;  // Unix seconds
  std::optional<std::int64_t> mode;                // st_mode, e.g. 0100644
  std::optional<std::int64_t> user_id;
  std::optional<std::int64_t> group_id;
  std::optional<std::int64_t> size;  // as recorded; may disagree with the content
  std::optional<std::int64_t> inode_number;
  std::optional<std::int64_t> protection_class;
  std::optional<std::int64_t> flags;
  std::optional<std::string> relative_path;
  std::optional<std::string> target;  // symlinks
  // NS.data of EncryptionKey: u32 little-endian protection class + 40-byte wrapped key.
  std::optional<Bytes> encryption_key;

  bool operator==(const MBFile&) const = default;
};

Result<MBFile> decode_mbfile(std::string_view blob);

namespace detail {
// The two paths behind decode_mbfile, exposed for the tests and the fuzzer that check they
// agree: the generic one (a plist value tree, then the archive) and the allocation-free one
// (mbfile_fast.cpp), which returns nullopt for any blob it does not fully vouch for.
Result<MBFile> decode_mbfile_generic(std::string_view blob);
std::optional<MBFile> decode_mbfile_fast(std::string_view blob);
// MBFile archives are a handful of objects; tight limits make hostile blobs cheap to reject.
inline constexpr std::size_t kMbFileMaxBytes = std::size_t{1} << 20;
inline constexpr std::size_t kMbFileMaxDepth = 16;
inline constexpr std::size_t kMbFileMaxValues = std::size_t{1} << 14;
}  // namespace detail

}  // namespace spyglass::formats::plist
