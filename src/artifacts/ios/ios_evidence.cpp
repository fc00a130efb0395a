#include "artifacts/ios/ios_evidence.hpp"

#include <algorithm>
#include <map>
#include <mutex>
#include <set>

#include "sources/ios_backup/locate.hpp"

namespace spyglass::artifacts::ios {
namespace fs = std::filesystem;
namespace ib = sources::ios_backup;
namespace sq = formats::sqlite;

std::string_view source_kind_name(IosSourceKind kind) {
  return kind == IosSourceKind::kBackup ? "backup" : "filesystem";
}

std::string IosFile::display_name() const {
  if (source == IosSourceKind::kFilesystem) return relative_path;
  return domain + "/" + relative_path + " (" + file_id.substr(0, 8) + ")";
}

report::Provenance IosFile::provenance(std::string_view where) const {
  report::Provenance p;
  p.file = evidence_path;
  p.locator = display_name();
  if (!where.empty()) {
    p.locator += ": ";
    p.locator += where;
  }
  return p;
}

namespace {

std::string blob_relative_path(std::string_view file_id) {
  return std::string(file_id.substr(0, 2)) + "/" + std::string(file_id);
}

IosFile to_ios_file(const ib::ManifestEntry& e) {
  IosFile f;
  f.source = IosSourceKind::kBackup;
  f.domain = e.domain;
  f.relative_path = e.relative_path;
  f.file_id = e.file_id;
  if (e.file_id_valid) f.evidence_path = blob_relative_path(e.file_id);
  f.manifest_entry = e;
  return f;
}

}  // namespace

struct BackupEvidence::Impl {
  fs::path given;  // as the user named it (may be a parent "Backup/" folder)
  fs::path root;   // the backup folder itself
  BackupEvidenceOptions options;

  std::mutex open_mu;
  bool attempted = false;
  std::optional<Error> open_error;
  fs::path scratch;  // ours; removed in the destructor
  std::optional<ib::Backup> backup;

  // Backup shares one SQLite connection opened without SQLite's own mutex: every statement
  // prepare/step/finalize on Manifest.db goes through this lock.
  std::mutex db_mu;

  mutable std::mutex read_mu;
  std::set<std::string> read;

  void note(std::string path) {
    const std::lock_guard lock(read_mu);
    read.insert(std::move(path));
  }

  ~Impl() {
    backup.reset();
    if (!scratch.empty()) {
      std::error_code ec;
      fs::remove_all(scratch, ec);
    }
  }
};

BackupEvidence::BackupEvidence(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
BackupEvidence::~BackupEvidence() = default;

Result<std::shared_ptr<BackupEvidence>> BackupEvidence::create(const fs::path& path,
                                                               BackupEvidenceOptions options) {
  auto root = ib::locate_backup(path);
  if (!root) return tl::unexpected(root.error());
  auto impl = std::make_unique<Impl>();
  impl->given = path;
  impl->root = *root;
  impl->options = std::move(options);
  return std::shared_ptr<BackupEvidence>(new BackupEvidence(std::move(impl)));
}

const fs::path& BackupEvidence::root() const { return impl_->root; }

Result<void> BackupEvidence::ensure_open() {
  Impl& m = *impl_;
  const std::lock_guard lock(m.open_mu);
  if (m.attempted) {
    if (m.open_error) return tl::unexpected(*m.open_error);
    return {};
  }
  m.attempted = true;
  auto fail = [&](Error e) -> Result<void> {
    m.open_error = e;
    return tl::unexpected(std::move(e));
  };
  std::error_code ec;
  fs::path parent = m.options.scratch_parent;
  if (parent.empty()) {
    parent = fs::temp_directory_path(ec);
    if (ec) return fail(Error(ErrorCode::kIo, "no temporary folder: " + ec.message()));
  }
  // A dot folder: the output folder's listing stays clean if a crash leaves it behind.
  auto scratch = sq::make_private_dir(parent, ".ios-backup-scratch");
  if (!scratch) return fail(scratch.error());
  m.scratch = *scratch;
  ib::OpenOptions open;
  open.scratch_dir = m.scratch;
  open.secret = m.options.secret ? &*m.options.secret : nullptr;
  auto backup = ib::Backup::open(m.root, open);
  // Backup::open reads these whatever happens next; record what exists so a manifest of the
  // run hashes the bytes the scan depended on.
  for (const char* name :
       {"Manifest.db", "Manifest.db-wal", "Manifest.plist", "Info.plist", "Status.plist"}) {
    if (fs::is_regular_file(m.root / name, ec)) m.note(name);
  }
  if (!backup) return fail(backup.error());
  m.backup = std::move(*backup);
  return {};
}

const ib::Backup& BackupEvidence::backup() const { return *impl_->backup; }

void BackupEvidence::note_read(std::string relative_path) { impl_->note(std::move(relative_path)); }

std::vector<std::string> BackupEvidence::files_read() const {
  const std::lock_guard lock(impl_->read_mu);
  return {impl_->read.begin(), impl_->read.end()};
}

void BackupEvidence::modules_done() {
  Impl& m = *impl_;
  const std::lock_guard open_lock(m.open_mu);
  const std::lock_guard lock(m.db_mu);
  m.backup.reset();  // closes Manifest.db and removes the Backup's own private folder
  if (!m.scratch.empty()) {
    std::error_code ec;
    fs::remove_all(m.scratch, ec);
    m.scratch.clear();
  }
  m.attempted = true;
  if (!m.open_error) m.open_error = Error(ErrorCode::kInvalidArgument, "the backup is closed");
}

Result<std::vector<IosFile>> BackupEvidence::find(const IosLocator& locator) {
  if (auto r = ensure_open(); !r) return tl::unexpected(r.error());
  Impl& m = *impl_;
  std::map<std::string, ib::ManifestEntry> found;  // fileID order, deduplicated
  auto keep = [&](const ib::ManifestEntry& e) {
    // Directories and symlinks have no content to read.
    if (e.is_file()) found.emplace(e.file_id, e);
  };
  const std::lock_guard lock(m.db_mu);
  std::vector<std::string> ids = locator.backup_file_ids;
  for (const BackupPath& p : locator.backup_files) {
    ids.push_back(ib::file_id_for(p.domain, p.relative_path));
  }
  for (const std::string& id : ids) {
    auto e = m.backup->find_by_file_id(id);
    if (!e) return tl::unexpected(e.error());
    if (*e) keep(**e);
  }
  for (const BackupPattern& p : locator.backup_patterns) {
    ib::ManifestQuery q;
    q.relative_path_like = p.relative_path_like;
    std::replace(q.relative_path_like->begin(), q.relative_path_like->end(), '*', '%');
    q.domain = p.domain;
    q.domain_like = p.domain_like;
    q.any_order = true;  // `found` orders by fileID
    auto cursor = m.backup->query(q);
    if (!cursor) return tl::unexpected(cursor.error());
    while (true) {
      auto row = cursor->next();
      if (!row) return tl::unexpected(row.error());
      if (!*row) break;
      keep(cursor->entry());
    }
  }
  std::vector<IosFile> out;
  out.reserve(found.size());
  for (const auto& [id, e] : found) out.push_back(to_ios_file(e));
  return out;
}

Result<sq::Database> BackupEvidence::open_sqlite(const IosFile& file) {
  if (auto r = ensure_open(); !r) return tl::unexpected(r.error());
  if (!file.manifest_entry) {
    return make_error(ErrorCode::kInvalidArgument, "not a file of this backup");
  }
  Impl& m = *impl_;
  std::optional<ib::ManifestEntry> wal;
  {
    const std::lock_guard lock(m.db_mu);
    auto w = m.backup->find(file.domain, file.relative_path + "-wal");
    if (!w) return tl::unexpected(w.error());
    if (*w && (*w)->is_file()) wal = std::move(**w);
  }
  // Content is decrypted/copied outside the lock: it does not touch Manifest.db, so modules
  // read their databases in parallel.
  auto dir = sq::make_private_dir(m.scratch, "sqlite");
  if (!dir) return tl::unexpected(dir.error());
  auto fail = [&](Error e) -> Result<sq::Database> {
    std::error_code ec;
    fs::remove_all(*dir, ec);
    return tl::unexpected(std::move(e));
  };
  m.note(file.evidence_path.empty() ? file.file_id : file.evidence_path);
  if (auto r = m.backup->extract_file(*file.manifest_entry, *dir / "db"); !r) {
    return fail(r.error());
  }
  if (wal) {
    m.note(blob_relative_path(wal->file_id));
    if (auto r = m.backup->extract_file(*wal, *dir / "db-wal"); !r) return fail(r.error());
  }
  return sq::Database::open_private(*dir / "db", *dir);
}

Result<std::string> BackupEvidence::read_file(const IosFile& file, std::size_t max_bytes) {
  if (auto r = ensure_open(); !r) return tl::unexpected(r.error());
  if (!file.manifest_entry) {
    return make_error(ErrorCode::kInvalidArgument, "not a file of this backup");
  }
  impl_->note(file.evidence_path.empty() ? file.file_id : file.evidence_path);
  auto content = impl_->backup->read_file(*file.manifest_entry, max_bytes);
  if (!content) return tl::unexpected(content.error());
  return std::move(content->data);
}

Result<void> BackupEvidence::for_each_manifest_entry(
    const std::function<Result<void>(const ib::ManifestEntry&)>& visit,
    const ib::ManifestQuery& query) {
  if (auto r = ensure_open(); !r) return tl::unexpected(r.error());
  Impl& m = *impl_;
  // A connection of its own: a module streaming the whole table (Manifest, up to a million
  // rows) does not hold the shared one that other modules' lookups need meanwhile.
  auto connection = m.backup->open_manifest_connection();
  if (!connection) return tl::unexpected(connection.error());
  std::optional<ib::ManifestCursor> cursor;
  {
    // Path filters go through the shared index (built on first use, under the lock); a
    // query without them touches this connection only and need not wait for the index.
    const bool by_path =
        query.domain || query.relative_path || query.domain_like || query.relative_path_like;
    std::unique_lock lock(m.db_mu, std::defer_lock);
    if (by_path) lock.lock();
    auto c = m.backup->query(query, *connection);
    if (!c) return tl::unexpected(c.error());
    cursor.emplace(std::move(*c));
  }
  while (true) {
    auto row = cursor->next();
    if (!row) return tl::unexpected(row.error());
    if (!*row) break;
    if (auto r = visit(cursor->entry()); !r) return r;
  }
  return {};
}

Result<std::shared_ptr<IosEvidence>> open_fs_dump(const fs::path& root) {
  return make_error(ErrorCode::kUnsupported,
                    "iOS filesystem dumps are not supported yet: " + root.string());
}

}  // namespace spyglass::artifacts::ios
