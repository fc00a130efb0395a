#pragma once
// Builds real-format iOS backups (iOS >= 10.2 layout) in a folder for tests: Manifest.db with
// the real schema and MBFile blobs, binary Info/Manifest/Status.plist, content at
// <xx>/<fileID>, and optionally real encryption (keybag, ManifestKey, per-file keys).
// Deterministic: same calls and seed, same bytes.
//
//   IosBackupBuilder b;
//   b.add_file("HomeDomain", "Library/SMS/sms.db", sqlite_bytes);
//   b.set_encrypted("password", {.dpic = 1000});
//   b.write(dir);
#include <cstdint>
#include <filesystem>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <vector>

namespace spyglass::testing {

struct BackupEncryption {
  std::uint32_t dpic = 1000;  // real backups: 10,000,000
  std::uint32_t iter = 10;    // real backups: 10,000
  // Below 10.2 the keybag has no DPSL/DPIC round and Manifest.db stays plaintext.
  bool pre_10_2 = false;
};

struct BackupFileOptions {
  std::int64_t protection_class = 3;
  std::optional<std::int64_t> recorded_size;  // wrong Size variants
  std::int64_t mode = 0100644;
};

class IosBackupBuilder {
 public:
  explicit IosBackupBuilder(std::uint64_t seed = 1);

  // Each returns the fileID = SHA1(domain + "-" + relative_path).
  std::string add_file(const std::string& domain, const std::string& relative_path,
                       std::string content, const BackupFileOptions& options = {});
  // A file of `size` bytes generated while writing, never held in memory (benchmarks'
  // gigabytes): zeros stored as a sparse file in plaintext backups, streamed through AES-CBC
  // in encrypted ones.
  std::string add_filler_file(const std::string& domain, const std::string& relative_path,
                              std::uint64_t size, const BackupFileOptions& options = {});
  std::string add_directory(const std::string& domain, const std::string& relative_path);
  std::string add_symlink(const std::string& domain, const std::string& relative_path,
                          const std::string& target);

  void set_encrypted(std::string password, BackupEncryption options = {});
  void set_product_version(std::string version) { product_version_ = std::move(version); }
  void set_udid(std::string udid) { udid_ = std::move(udid); }
  const std::string& udid() const { return udid_; }

  // Broken variants.
  void omit_info_plist() { omit_info_ = true; }
  void omit_manifest_plist() { omit_manifest_plist_ = true; }
  void omit_status_plist() { omit_status_ = true; }
  void truncate_manifest_db(std::size_t bytes) { truncate_manifest_ = bytes; }
  void corrupt_manifest_plist() { corrupt_manifest_plist_ = true; }
  // The last `rows` entries added live only in Manifest.db-wal (plaintext backups).
  void keep_last_rows_in_wal(std::size_t rows) { wal_rows_ = rows; }
  void omit_blob(const std::string& file_id) { omitted_blobs_.insert(file_id); }
  // A content file no Manifest row lists; returns its fileID.
  std::string add_orphan_blob(std::string content);

  // Writes the backup into `dir` (created). Returns `dir`.
  std::filesystem::path write(const std::filesystem::path& dir);

  static std::string file_id(const std::string& domain, const std::string& relative_path);

 private:
  struct Entry {
    std::string domain;
    std::string relative_path;
    std::int64_t flags;
    std::string content;
    BackupFileOptions options;
    std::optional<std::string> target;
    std::optional<std::uint64_t> filler_size;
  };
  std::string random_bytes(std::size_t n);

  std::mt19937_64 rng_;
  std::vector<Entry> entries_;
  std::vector<std::pair<std::string, std::string>> orphans_;
  std::optional<std::string> password_;
  BackupEncryption encryption_;
  std::string product_version_ = "14.3";
  std::string udid_ = "00008030-001A2B3C4D5E6F70";
  bool omit_info_ = false;
  bool omit_manifest_plist_ = false;
  bool omit_status_ = false;
  bool corrupt_manifest_plist_ = false;
  std::optional<std::size_t> truncate_manifest_;
  std::size_t wal_rows_ = 0;
  std::set<std::string> omitted_blobs_;
};

// SHA-256 of every regular file under `dir` with its relative path, to prove evidence stays
// unchanged.
std::string hash_tree(const std::filesystem::path& dir);

}  // namespace spyglass::testing
