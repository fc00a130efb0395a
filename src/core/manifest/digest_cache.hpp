#pragma once
// SHA-256 digests computed ahead of manifest.json. A large scan writes and reads gigabytes
// (records, timelines, the evidence it opened); hashing all of it after the run left one
// core idle while the runner merged the timelines. The runner hands over the files that
// are final as soon as the modules are done (their record files, the evidence they read),
// one background thread hashes them meanwhile, and write_manifest takes a digest from here
// only when the file still is the one that was hashed (same device, inode, size and
// modification time); otherwise it hashes the file itself.
//
//   manifest::DigestCache cache;
//   cache.prefetch({out / "sms.json", evidence / "Manifest.db"});   // returns at once
//   ...
//   input.digests = &cache;  write_manifest(input, out);            // waits for the thread
#include <filesystem>
#include <map>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "core/manifest/hashing.hpp"

namespace spyglass::manifest {

class DigestCache {
 public:
  DigestCache() = default;
  ~DigestCache();
  DigestCache(const DigestCache&) = delete;
  DigestCache& operator=(const DigestCache&) = delete;

  // Starts hashing `files` (regular files only; symlinks are not followed) on a background
  // thread. Called at most once; later calls are ignored.
  void prefetch(std::vector<std::filesystem::path> files);
  // The digest of `file` if it was prefetched and has not changed since; waits for the
  // background thread first.
  std::optional<FileDigest> lookup(const std::filesystem::path& file);

 private:
  struct Identity {
    std::uint64_t device = 0;
    std::uint64_t inode = 0;
    std::int64_t size = 0;
    std::int64_t mtime_ns = 0;
    bool operator==(const Identity&) const = default;
  };
  struct Entry {
    Identity identity;
    FileDigest digest;
  };
  static std::optional<Identity> identify(const std::filesystem::path& file);
  void wait();

  std::mutex mu_;
  std::thread worker_;
  bool started_ = false;
  std::map<std::filesystem::path, Entry> entries_;  // written by the worker only
};

}  // namespace spyglass::manifest
