#include "core/manifest/digest_cache.hpp"

#include <sys/stat.h>

namespace spyglass::manifest {
namespace {
// One spelling per file for the map (the runner and write_manifest build paths apart).
std::filesystem::path key_of(const std::filesystem::path& p) {
  std::error_code ec;
  const auto abs = std::filesystem::absolute(p, ec);
  return (ec ? p : abs).lexically_normal();
}
}  // namespace

DigestCache::~DigestCache() { wait(); }

std::optional<DigestCache::Identity> DigestCache::identify(const std::filesystem::path& file) {
  struct stat st {};
  if (::lstat(file.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return std::nullopt;
  return Identity{static_cast<std::uint64_t>(st.st_dev), static_cast<std::uint64_t>(st.st_ino),
                  static_cast<std::int64_t>(st.st_size),
                  static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1'000'000'000 +
                      st.st_mtim.tv_nsec};
}

void DigestCache::prefetch(std::vector<std::filesystem::path> files) {
  const std::lock_guard lock(mu_);
  if (started_) return;
  started_ = true;
  for (auto& f : files) f = key_of(f);
  worker_ = std::thread([this, files = std::move(files)] {
    for (const std::filesystem::path& f : files) {
      const auto before = identify(f);
      if (!before) continue;
      auto digest = sha256_file(f, FollowSymlinks::kNo);
      // A file that changed while it was hashed is left to write_manifest.
      if (!digest || identify(f) != before ||
          digest->size != static_cast<std::uint64_t>(before->size)) {
        continue;
      }
      entries_[f] = Entry{*before, std::move(*digest)};
    }
  });
}

void DigestCache::wait() {
  const std::lock_guard lock(mu_);
  if (worker_.joinable()) worker_.join();
}

std::optional<FileDigest> DigestCache::lookup(const std::filesystem::path& path) {
  wait();
  const std::filesystem::path file = key_of(path);
  const auto it = entries_.find(file);
  if (it == entries_.end()) return std::nullopt;
  const auto now = identify(file);
  if (!now || *now != it->second.identity) return std::nullopt;
  return it->second.digest;
}

}  // namespace spyglass::manifest
