#pragma once
// Streaming SHA-256 of files for the evidence manifest. Evidence is opened read-only and
// never through a FIFO or device node, so hashing cannot block or alter the evidence.
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

#include "support/error.hpp"

namespace spyglass::manifest {

struct FileDigest {
  std::uint64_t size = 0;  // bytes actually hashed (not a separate stat, so both agree)
  std::string sha256;      // 64 lowercase hex digits
};

enum class FollowSymlinks { kYes, kNo };

// Hashes a regular file in 1 MiB chunks. Errors: kNotFound when absent, kUnsupported when
// the path is not a regular file (or a symlink with FollowSymlinks::kNo), kIo otherwise.
Result<FileDigest> sha256_file(const std::filesystem::path& path,
                               FollowSymlinks follow = FollowSymlinks::kYes);

// SHA-256 of bytes in memory, lowercase hex.
std::string sha256_hex(std::string_view bytes);

// True for exactly 64 lowercase hex digits, the only form the manifest writes.
bool is_sha256_hex(std::string_view text);

}  // namespace spyglass::manifest
