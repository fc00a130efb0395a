#include "sources/ios_backup/backup.hpp"

#include <fcntl.h>
#include <openssl/evp.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <set>

#include "formats/plist/reader.hpp"
#include "sources/ios_backup/backup_keys.hpp"
#include "sources/ios_backup/crypto.hpp"
#include "sources/ios_backup/locate.hpp"
#include "sources/ios_backup/manifest_index.hpp"

namespace spyglass::sources::ios_backup {
namespace fs = std::filesystem;
namespace pl = formats::plist;
namespace sq = formats::sqlite;

std::string file_id_for(std::string_view domain, std::string_view relative_path) {
  std::string input(domain);
  input += '-';
  input += relative_path;
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(input.data(), input.size(), md, &len, EVP_sha1(), nullptr);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned int i = 0; i < len; ++i) {
    out.push_back(kHex[md[i] >> 4]);
    out.push_back(kHex[md[i] & 0xF]);
  }
  return out;
}

bool is_valid_file_id(std::string_view id) {
  return id.size() == 40 && std::all_of(id.begin(), id.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}

bool is_unsafe_relative_path(std::string_view p) {
  if (!p.empty() && p.front() == '/') return true;
  if (p.find('\0') != std::string_view::npos) return true;
  std::size_t start = 0;
  while (start <= p.size()) {
    std::size_t end = p.find('/', start);
    if (end == std::string_view::npos) end = p.size();
    if (p.substr(start, end - start) == "..") return true;
    start = end + 1;
  }
  return false;
}

namespace {

Diagnostic warn(std::string code, std::string message) {
  return Diagnostic{Diagnostic::Severity::kWarning, std::move(code), std::move(message)};
}

std::string str_or_empty(const pl::Value* dict, std::string_view key) {
  const pl::Value* v = dict ? dict->get(key) : nullptr;
  return (v && v->as_string()) ? *v->as_string() : std::string();
}

class FdSink {
 public:
  static Result<FdSink> create(const fs::path& path) {
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) {
      return make_error(ErrorCode::kIo, "cannot create " + path.string() + ": " + std::strerror(errno));
    }
    return FdSink(fd);
  }
  FdSink(FdSink&& o) noexcept : fd_(std::exchange(o.fd_, -1)) {}
  FdSink& operator=(FdSink&&) = delete;
  ~FdSink() {
    if (fd_ >= 0) ::close(fd_);
  }
  Result<void> write(std::string_view bytes) {
    while (!bytes.empty()) {
      const ssize_t n = ::write(fd_, bytes.data(), bytes.size());
      if (n < 0) {
        if (errno == EINTR) continue;
        return make_error(ErrorCode::kIo, std::string("write failed: ") + std::strerror(errno));
      }
      bytes.remove_prefix(static_cast<std::size_t>(n));
    }
    return {};
  }

 private:
  explicit FdSink(int fd) : fd_(fd) {}
  int fd_ = -1;
};

}  // namespace

struct Backup::Impl {
  fs::path root;
  fs::path scratch;  // private, removed with the Backup
  std::optional<pl::Value> info;
  std::optional<pl::Value> manifest;
  std::optional<pl::Value> status;
  std::vector<Diagnostic> diagnostics;
  bool encrypted = false;
  UnlockedKeys keys;
  std::optional<sq::Database> db;
  // Built on the first path query; callers serialise access (BackupEvidence's lock).
  mutable bool index_attempted = false;
  mutable std::optional<ManifestIndex> index;

  Result<const ManifestIndex*> manifest_index() const;

  ~Impl() {
    db.reset();
    if (!scratch.empty()) {
      std::error_code ec;
      fs::remove_all(scratch, ec);
    }
  }

  Result<void> stream_content(const ManifestEntry& e, std::size_t max_bytes, const Sink& sink,
                              ExtractReport& report) const;
};

Backup::Backup(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Backup::Backup(Backup&&) noexcept = default;
Backup& Backup::operator=(Backup&&) noexcept = default;
Backup::~Backup() = default;

const fs::path& Backup::root() const { return impl_->root; }
bool Backup::encrypted() const { return impl_->encrypted; }
const pl::Value* Backup::info_plist() const { return impl_->info ? &*impl_->info : nullptr; }
const pl::Value* Backup::manifest_plist() const {
  return impl_->manifest ? &*impl_->manifest : nullptr;
}
const pl::Value* Backup::status_plist() const { return impl_->status ? &*impl_->status : nullptr; }
const std::vector<Diagnostic>& Backup::diagnostics() const { return impl_->diagnostics; }
const SecureBytes& Backup::passcode_key() const { return impl_->keys.passcode_key; }
const fs::path& Backup::manifest_db_path() const { return impl_->db->path(); }

DeviceInfo Backup::device() const {
  DeviceInfo d;
  const pl::Value* info = info_plist();
  const pl::Value* lockdown = manifest_plist() ? manifest_plist()->get("Lockdown") : nullptr;
  auto pick = [&](std::string_view info_key, std::string_view lockdown_key) {
    std::string v = str_or_empty(info, info_key);
    return v.empty() ? str_or_empty(lockdown, lockdown_key) : v;
  };
  d.product_version = pick("Product Version", "ProductVersion");
  d.product_type = pick("Product Type", "ProductType");
  d.build_version = pick("Build Version", "BuildVersion");
  d.device_name = pick("Device Name", "DeviceName");
  d.serial_number = pick("Serial Number", "SerialNumber");
  d.unique_identifier = pick("Unique Identifier", "UniqueDeviceID");
  return d;
}

Result<Backup> Backup::open(const fs::path& path, const OpenOptions& options) {
  if (options.scratch_dir.empty()) {
    return make_error(ErrorCode::kInvalidArgument, "a scratch folder is required");
  }
  auto root = locate_backup(path);
  if (!root) return tl::unexpected(root.error());
  auto impl = std::make_unique<Impl>();
  impl->root = *root;
  std::error_code ec;
  if (!fs::is_regular_file(impl->root / "Manifest.db", ec)) {
    if (fs::exists(impl->root / "Manifest.mbdb", ec)) {
      return make_error(ErrorCode::kUnsupported,
                        "backups from iOS < 10 (Manifest.mbdb) are not supported");
    }
    return make_error(ErrorCode::kNotFound, "Manifest.db is missing in " + impl->root.string());
  }
  auto scratch = sq::make_private_dir(options.scratch_dir, "ios-backup");
  if (!scratch) return tl::unexpected(scratch.error());
  impl->scratch = *scratch;

  struct RootPlist {
    const char* name;
    std::optional<pl::Value>* slot;
    const char* missing_code;
  };
  for (const RootPlist& p : {RootPlist{"Manifest.plist", &impl->manifest, "manifest_plist"},
                             RootPlist{"Info.plist", &impl->info, "info_plist"},
                             RootPlist{"Status.plist", &impl->status, "status_plist"}}) {
    auto v = read_root_plist(impl->root / p.name);
    if (v) {
      *p.slot = std::move(*v);
    } else {
      impl->diagnostics.push_back(warn(
          std::string(p.missing_code) + (v.error().code == ErrorCode::kNotFound ? "_missing"
                                                                                : "_malformed"),
          v.error().message));
    }
  }

  const pl::Value* encrypted_flag = impl->manifest ? impl->manifest->get("IsEncrypted") : nullptr;
  impl->encrypted = encrypted_flag && encrypted_flag->as_bool().value_or(false);
  const fs::path manifest_db = impl->root / "Manifest.db";

  if (impl->encrypted) {
    if (options.secret == nullptr) {
      return make_error(ErrorCode::kInvalidArgument,
                        "the backup is encrypted: give its password with --password-file FILE or "
                        "--password-env VAR, or its key with --key-file FILE");
    }
    auto keys = unlock_backup(*impl->manifest, *options.secret);
    if (!keys) return tl::unexpected(keys.error());
    impl->keys = std::move(*keys);
    if (impl->keys.manifest_key.empty()) {
      // Before iOS 10.2 Manifest.db itself stayed plaintext in encrypted backups.
      auto db = sq::Database::open_copy(manifest_db, impl->scratch);
      if (!db) return tl::unexpected(db.error());
      impl->db = std::move(*db);
    } else {
      auto dir = sq::make_private_dir(impl->scratch, "manifest");
      if (!dir) return tl::unexpected(dir.error());
      const fs::path plain = *dir / "Manifest.db";
      auto sink = FdSink::create(plain);
      if (!sink) return tl::unexpected(sink.error());
      std::ifstream in(manifest_db, std::ios::binary);
      if (!in) return make_error(ErrorCode::kIo, "cannot read Manifest.db");
      auto r = decrypt_cbc(in, impl->keys.manifest_key.span(),
                           [&](std::string_view b) { return sink->write(b); });
      if (!r) return tl::unexpected(r.error());
      auto db = sq::Database::open_private(plain, *dir);
      if (!db) {
        return make_error(ErrorCode::kMalformed,
                          "Manifest.db did not decrypt to an SQLite database (corrupt file or "
                          "ManifestKey): " + db.error().message);
      }
      impl->db = std::move(*db);
    }
  } else {
    auto db = sq::Database::open_copy(manifest_db, impl->scratch);
    if (!db) {
      Error e = db.error();
      if (!impl->manifest) {
        e.message += " (Manifest.plist, which would say whether the backup is encrypted, is "
                     "missing or unreadable)";
      }
      return tl::unexpected(e);
    }
    impl->db = std::move(*db);
  }
  // Rows are read in fileID order, which is not the table's order: each row is a seek. A
  // 64 MiB page cache (instead of 2 MiB) keeps the B-tree's inner pages and most of a large
  // Manifest.db's leaves in memory, instead of a pread per page visited.
  // (default page cache)

  for (const char* column : {"fileID", "domain", "relativePath", "flags", "file"}) {
    auto has = impl->db->has_column("Files", column);
    if (!has) return tl::unexpected(has.error());
    if (!*has) {
      return make_error(ErrorCode::kMalformed,
                        std::string("Manifest.db has no Files.") + column + " column");
    }
  }
  return Backup(std::move(impl));
}

Result<bool> ManifestCursor::next() {
  if (rowids_) {
    // Rows in rowid order are read like a merge join: step forward over short gaps (a page
    // read serves many rows) and seek only across long ones or backwards (fileID order).
    constexpr std::int64_t kMaxStepGap = 64;
    while (next_rowid_ < rowids_->size()) {
      const std::int64_t target = (*rowids_)[next_rowid_];
      if (!positioned_ || target < at_rowid_ || target - at_rowid_ > kMaxStepGap) {
        if (auto r = stmt_.reset(); !r) return tl::unexpected(r.error());
        if (auto b = stmt_.bind(1, target); !b) return tl::unexpected(b.error());
        positioned_ = false;
      } else if (at_rowid_ == target) {
        ++next_rowid_;  // listed twice: the row was just read
        continue;
      }
      while (!positioned_ || at_rowid_ < target) {
        auto row = stmt_.step();
        if (!row) return row;
        if (!*row) {
          positioned_ = false;
          at_rowid_ = INT64_MIN;
          break;
        }
        positioned_ = true;
        at_rowid_ = stmt_.get_int64(5);
      }
      ++next_rowid_;
      if (positioned_ && at_rowid_ == target) {
        decode_row();
        return true;
      }
      // The row is gone (cannot happen on our private copy): the next target decides.
    }
    return false;
  }
  auto row = stmt_.step();
  if (!row || !*row) return row;
  decode_row();
  return true;
}

void ManifestCursor::decode_row() {
  ManifestEntry& e = entry_;
  e.file_id = stmt_.get_text(0);
  e.domain = stmt_.get_text(1);
  e.relative_path = stmt_.get_text(2);
  e.flags = stmt_.get_int64(3);
  e.file.reset();
  e.file_error.reset();
  const auto blob = stmt_.get_blob(4);
  if (!blob.empty()) {
    auto f = pl::decode_mbfile(
        std::string_view(reinterpret_cast<const char*>(blob.data()), blob.size()));
    if (f) {
      e.file = std::move(*f);
    } else {
      e.file_error = f.error();
    }
  }
  e.file_id_valid = is_valid_file_id(e.file_id);
  e.unsafe_relative_path = is_unsafe_relative_path(e.relative_path);
}

Result<const ManifestIndex*> Backup::Impl::manifest_index() const {
  if (!index_attempted) {
    index_attempted = true;
    auto built = ManifestIndex::build(*db);
    if (!built) return tl::unexpected(built.error());
    index = std::move(*built);
  }
  return index ? &*index : nullptr;
}

Result<ManifestCursor> Backup::query(const ManifestQuery& q) const { return query(q, *impl_->db); }

Result<sq::Database> Backup::open_manifest_connection() const {
  // No owned folder: the copy belongs to this Backup and goes with it.
  return sq::Database::open_private(impl_->db->path(), {});
}

Result<ManifestCursor> Backup::query(const ManifestQuery& q, const sq::Database& db) const {
  // A filter on paths or domains runs over the in-memory index (one table scan for the
  // whole check instead of one per query); a fileID is a primary-key seek already.
  const bool by_path = q.domain || q.relative_path || q.domain_like || q.relative_path_like;
  if (by_path && !q.file_id && !q.flags) {
    auto index = impl_->manifest_index();
    if (!index) return tl::unexpected(index.error());
    if (*index != nullptr) {
      IndexFilter f;
      if (q.domain) f.domain = *q.domain;
      if (q.relative_path) f.relative_path = *q.relative_path;
      if (q.domain_like) f.domain_like = *q.domain_like;
      if (q.relative_path_like) f.relative_path_like = *q.relative_path_like;
      std::vector<std::int64_t> rowids = (*index)->select(f);
      if (!q.any_order) {
        auto ordered = order_by_file_id(db, std::move(rowids));
        if (!ordered) return tl::unexpected(ordered.error());
        rowids = std::move(*ordered);
      }
      auto stmt = db.prepare(
          "SELECT fileID, domain, relativePath, flags, file, rowid FROM Files WHERE rowid >= ?1 "
          "ORDER BY rowid");
      if (!stmt) return tl::unexpected(stmt.error());
      return ManifestCursor(std::move(*stmt), std::move(rowids));
    }
  }
  std::string sql = "SELECT fileID, domain, relativePath, flags, file FROM Files";
  std::vector<std::string> texts;
  std::vector<std::string> where;
  auto add = [&](const std::optional<std::string>& v, const char* clause) {
    if (!v) return;
    texts.push_back(*v);
    where.push_back(std::string(clause) + std::to_string(texts.size()));
  };
  add(q.file_id, "fileID = ?");
  add(q.domain, "domain = ?");
  add(q.relative_path, "relativePath = ?");
  add(q.domain_like, "domain LIKE ?");
  add(q.relative_path_like, "relativePath LIKE ?");
  if (q.flags) where.push_back("flags = " + std::to_string(*q.flags));
  for (std::size_t i = 0; i < where.size(); ++i) sql += (i == 0 ? " WHERE " : " AND ") + where[i];
  if (!q.any_order) sql += " ORDER BY fileID";
  auto stmt = db.prepare(sql);
  if (!stmt) return tl::unexpected(stmt.error());
  for (std::size_t i = 0; i < texts.size(); ++i) {
    if (auto b = stmt->bind(static_cast<int>(i + 1), texts[i]); !b) return tl::unexpected(b.error());
  }
  return ManifestCursor(std::move(*stmt));
}

Result<std::vector<std::int64_t>> Backup::order_by_file_id(const sq::Database& db,
                                                           std::vector<std::int64_t> rowids) const {
  // As ORDER BY fileID sorts: NULL first, then numbers, text, blobs; bytes compared as
  // BINARY collation does (memcmp, shorter first); rowid breaks ties.
  struct Key {
    int rank;
    std::string bytes;
    std::int64_t rowid;
  };
  auto stmt = db.prepare("SELECT fileID FROM Files WHERE rowid = ?1");
  if (!stmt) return tl::unexpected(stmt.error());
  std::vector<Key> keys;
  keys.reserve(rowids.size());
  for (const std::int64_t id : rowids) {
    if (auto r = stmt->reset(); !r) return tl::unexpected(r.error());
    if (auto b = stmt->bind(1, id); !b) return tl::unexpected(b.error());
    auto row = stmt->step();
    if (!row) return tl::unexpected(row.error());
    if (!*row) continue;
    const int type = stmt->column_type(0);
    const int rank = type == SQLITE_NULL ? 0 : type == SQLITE_TEXT ? 2 : type == SQLITE_BLOB ? 3 : 1;
    keys.push_back({rank, rank == 1 ? std::string() : std::string(stmt->get_text(0)), id});
  }
  std::sort(keys.begin(), keys.end(), [](const Key& a, const Key& b) {
    if (a.rank != b.rank) return a.rank < b.rank;
    if (a.bytes != b.bytes) return a.bytes < b.bytes;
    return a.rowid < b.rowid;
  });
  std::vector<std::int64_t> out;
  out.reserve(keys.size());
  for (const Key& k : keys) out.push_back(k.rowid);
  return out;
}

namespace {
Result<std::optional<ManifestEntry>> first_of(Result<ManifestCursor> cursor) {
  if (!cursor) return tl::unexpected(cursor.error());
  auto row = cursor->next();
  if (!row) return tl::unexpected(row.error());
  if (!*row) return std::optional<ManifestEntry>();
  return std::optional<ManifestEntry>(cursor->entry());
}
}  // namespace

Result<std::optional<ManifestEntry>> Backup::find_by_file_id(std::string_view file_id) const {
  ManifestQuery q;
  q.file_id = std::string(file_id);
  return first_of(query(q));
}

Result<std::optional<ManifestEntry>> Backup::find(std::string_view domain,
                                                  std::string_view relative_path) const {
  ManifestQuery q;
  q.domain = std::string(domain);
  q.relative_path = std::string(relative_path);
  return first_of(query(q));
}

Result<std::vector<ManifestEntry>> Backup::find_like(std::string_view pattern) const {
  ManifestQuery q;
  std::string like(pattern);
  std::replace(like.begin(), like.end(), '*', '%');
  q.relative_path_like = like;
  auto cursor = query(q);
  if (!cursor) return tl::unexpected(cursor.error());
  std::vector<ManifestEntry> out;
  while (true) {
    auto row = cursor->next();
    if (!row) return tl::unexpected(row.error());
    if (!*row) break;
    out.push_back(cursor->entry());
  }
  return out;
}

Result<std::uint64_t> Backup::count_entries() const {
  auto stmt = impl_->db->prepare("SELECT count(*) FROM Files");
  if (!stmt) return tl::unexpected(stmt.error());
  auto row = stmt->step();
  if (!row) return tl::unexpected(row.error());
  return static_cast<std::uint64_t>(stmt->get_int64(0));
}

Result<fs::path> Backup::blob_path(const ManifestEntry& entry) const {
  if (!is_valid_file_id(entry.file_id)) {
    return make_error(ErrorCode::kMalformed,
                      "Manifest.db fileID is not 40 lowercase hex characters; not followed");
  }
  return impl_->root / entry.file_id.substr(0, 2) / entry.file_id;
}

Result<void> Backup::Impl::stream_content(const ManifestEntry& e, std::size_t max_bytes,
                                          const Sink& sink, ExtractReport& report) const {
  if (!is_valid_file_id(e.file_id)) {
    return make_error(ErrorCode::kMalformed,
                      "Manifest.db fileID is not 40 lowercase hex characters; not followed");
  }
  const fs::path blob = root / e.file_id.substr(0, 2) / e.file_id;
  std::error_code ec;
  if (!fs::is_regular_file(blob, ec)) {
    return make_error(ErrorCode::kNotFound, "content of " + e.domain + "/" + e.relative_path +
                                                " (" + e.file_id + ") is missing from the backup");
  }
  std::ifstream in(blob, std::ios::binary);
  if (!in) return make_error(ErrorCode::kIo, "cannot read " + blob.string());
  std::uint64_t total = 0;
  auto bounded = [&](std::string_view bytes) -> Result<void> {
    total += bytes.size();
    if (total > max_bytes) {
      return make_error(ErrorCode::kLimitExceeded, "file larger than the read limit");
    }
    return sink(bytes);
  };
  const std::optional<pl::Bytes> wrapped =
      e.file ? e.file->encryption_key : std::optional<pl::Bytes>();
  if (encrypted && wrapped) {
    auto key = file_key(keys, *e.file);
    if (!key) {
      Error err = key.error();
      err.message = e.file_id + ": " + err.message;
      if (err.code == ErrorCode::kWrongPassword) err.code = ErrorCode::kMalformed;
      return tl::unexpected(err);
    }
    auto r = decrypt_cbc(in, key->span(), bounded);
    if (!r) return tl::unexpected(r.error());
    if (!r->padding_valid) {
      report.diagnostics.push_back(warn("bad_padding", e.file_id + ": PKCS#7 padding is not "
                                                                   "valid; last block kept"));
    }
  } else {
    std::vector<char> buf(1u << 20);
    while (in) {
      in.read(buf.data(), static_cast<std::streamsize>(buf.size()));
      const auto n = static_cast<std::size_t>(in.gcount());
      if (n == 0) break;
      if (auto r = bounded(std::string_view(buf.data(), n)); !r) return r;
    }
    if (in.bad()) return make_error(ErrorCode::kIo, "read error on " + blob.string());
  }
  report.bytes = total;
  report.recorded_size = e.file ? e.file->size : std::nullopt;
  if (report.recorded_size && static_cast<std::uint64_t>(*report.recorded_size) != total) {
    report.size_mismatch = true;
    report.diagnostics.push_back(
        warn("size_mismatch", e.domain + "/" + e.relative_path + ": content is " +
                                  std::to_string(total) + " bytes but Manifest Size says " +
                                  std::to_string(*report.recorded_size) + "; content kept whole"));
  }
  return {};
}

Result<FileContent> Backup::read_file(const ManifestEntry& entry, std::size_t max_bytes) const {
  FileContent out;
  ExtractReport report;
  auto r = impl_->stream_content(entry, max_bytes, [&](std::string_view b) -> Result<void> {
    out.data.append(b);
    return {};
  }, report);
  if (!r) return tl::unexpected(r.error());
  out.recorded_size = report.recorded_size;
  out.size_mismatch = report.size_mismatch;
  out.padding_valid = std::none_of(report.diagnostics.begin(), report.diagnostics.end(),
                                   [](const Diagnostic& d) { return d.code == "bad_padding"; });
  out.diagnostics = std::move(report.diagnostics);
  return out;
}

Result<ExtractReport> Backup::extract_file(const ManifestEntry& entry, const fs::path& dest) const {
  auto sink = FdSink::create(dest);
  if (!sink) return tl::unexpected(sink.error());
  ExtractReport report;
  auto r = impl_->stream_content(entry, SIZE_MAX, [&](std::string_view b) { return sink->write(b); },
                                 report);
  if (!r) {
    std::error_code ec;
    fs::remove(dest, ec);
    return tl::unexpected(r.error());
  }
  return report;
}

Result<sq::Database> Backup::open_sqlite(const ManifestEntry& entry) const {
  auto dir = sq::make_private_dir(impl_->scratch, "sqlite");
  if (!dir) return tl::unexpected(dir.error());
  auto fail = [&](Error e) -> Result<sq::Database> {
    std::error_code ec;
    fs::remove_all(*dir, ec);
    return tl::unexpected(std::move(e));
  };
  const fs::path db = *dir / "db";
  if (auto r = extract_file(entry, db); !r) return fail(r.error());
  auto wal = find(entry.domain, entry.relative_path + "-wal");
  if (!wal) return fail(wal.error());
  if (*wal && (*wal)->is_file()) {
    if (auto r = extract_file(**wal, *dir / "db-wal"); !r) return fail(r.error());
  }
  return sq::Database::open_private(db, *dir);
}

Result<BlobAudit> Backup::audit_blobs() const {
  std::set<std::string> on_disk;
  BlobAudit audit;
  std::error_code ec;
  for (fs::directory_iterator it(impl_->root, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string dir = it->path().filename().string();
    if (!it->is_directory(ec) || dir.size() != 2 ||
        !std::all_of(dir.begin(), dir.end(), [](char c) { return std::isxdigit(static_cast<unsigned char>(c)); })) {
      continue;
    }
    for (fs::directory_iterator f(it->path(), ec), fend; !ec && f != fend; f.increment(ec)) {
      const std::string name = f->path().filename().string();
      if (is_valid_file_id(name) && name.compare(0, 2, dir) == 0) {
        on_disk.insert(name);
      } else {
        audit.orphans.push_back(dir + "/" + name);
      }
    }
  }
  if (ec) return make_error(ErrorCode::kIo, "cannot list the backup: " + ec.message());
  auto stmt = impl_->db->prepare("SELECT fileID FROM Files WHERE flags = 1 ORDER BY fileID");
  if (!stmt) return tl::unexpected(stmt.error());
  while (true) {
    auto row = stmt->step();
    if (!row) return tl::unexpected(row.error());
    if (!*row) break;
    const std::string id(stmt->get_text(0));
    if (on_disk.erase(id) == 0) audit.missing.push_back(id);
  }
  for (const auto& id : on_disk) audit.orphans.push_back(id.substr(0, 2) + "/" + id);
  std::sort(audit.orphans.begin(), audit.orphans.end());
  return audit;
}

}  // namespace spyglass::sources::ios_backup
