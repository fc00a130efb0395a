#include "formats/sqlite/database.hpp"

#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <system_error>
#include <utility>
#include <vector>

namespace spyglass::formats::sqlite {
namespace fs = std::filesystem;

Error sqlite_error(int rc, sqlite3* db, std::string_view context) {
  const int primary = rc & 0xFF;
  std::string msg(context);
  msg += ": ";
  msg += (db != nullptr) ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  ErrorCode code = ErrorCode::kIo;
  if (primary == SQLITE_CORRUPT || primary == SQLITE_NOTADB) {
    code = ErrorCode::kMalformed;
    msg += primary == SQLITE_NOTADB ? " (file is not a database)" : " (database is corrupt)";
  } else if (primary == SQLITE_ERROR || primary == SQLITE_RANGE || primary == SQLITE_MISUSE) {
    code = ErrorCode::kInvalidArgument;
  } else if (primary == SQLITE_NOMEM || primary == SQLITE_TOOBIG) {
    code = ErrorCode::kLimitExceeded;
  }
  return Error(code, std::move(msg));
}

Result<fs::path> make_private_dir(const fs::path& scratch_dir, std::string_view prefix) {
  std::error_code ec;
  fs::create_directories(scratch_dir, ec);
  if (ec) return make_error(ErrorCode::kIo, "cannot create scratch folder: " + ec.message());
  std::string tmpl = (scratch_dir / (std::string(prefix) + "-XXXXXX")).string();
  if (::mkdtemp(tmpl.data()) == nullptr) {  // mkdtemp makes it 0700
    return make_error(ErrorCode::kIo,
                      "cannot create private scratch folder: " + std::string(std::strerror(errno)));
  }
  return fs::path(tmpl);
}

namespace {

Result<void> write_private_file(const fs::path& path, std::string_view bytes) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) {
    return make_error(ErrorCode::kIo, "cannot create " + path.filename().string() + ": " +
                                          std::strerror(errno));
  }
  std::size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      const int err = errno;
      ::close(fd);
      return make_error(ErrorCode::kIo, std::string("write failed: ") + std::strerror(err));
    }
    done += static_cast<std::size_t>(n);
  }
  if (::close(fd) != 0) return make_error(ErrorCode::kIo, "close failed");
  return {};
}

Result<void> copy_private(const fs::path& from, const fs::path& to) {
  std::error_code ec;
  fs::copy_file(from, to, fs::copy_options::none, ec);
  if (ec) {
    return make_error(ErrorCode::kIo, "cannot copy " + from.filename().string() + ": " +
                                          ec.message());
  }
  fs::permissions(to, fs::perms::owner_read | fs::perms::owner_write, ec);
  return {};
}

}  // namespace

Result<Database> Database::open_private(const fs::path& file, const fs::path& owned_dir) {
  sqlite3* db = nullptr;
  const int rc = sqlite3_open_v2(file.c_str(), &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX,
                                 nullptr);
  Database out(db, file, owned_dir);  // closes db and removes owned_dir on failure paths
  if (rc != SQLITE_OK) return tl::unexpected(sqlite_error(rc, db, "cannot open database"));
  sqlite3_extended_result_codes(db, 1);
  // SQLite reads lazily: touch the schema now so "not a database" surfaces at open.
  char* err = nullptr;
  const int check = sqlite3_exec(db, "SELECT count(*) FROM sqlite_master", nullptr, nullptr, &err);
  sqlite3_free(err);
  if (check != SQLITE_OK) {
    return tl::unexpected(
        sqlite_error(check, db, "cannot read database " + file.filename().string()));
  }
  return out;
}

Result<Database> Database::open_copy(const fs::path& evidence, const fs::path& scratch_dir) {
  std::error_code ec;
  if (!fs::is_regular_file(evidence, ec)) {
    return make_error(ErrorCode::kNotFound, "database not found: " + evidence.string());
  }
  auto dir = make_private_dir(scratch_dir, "sqlite");
  if (!dir) return tl::unexpected(dir.error());
  const fs::path copy = *dir / evidence.filename();
  auto cleanup_on_error = [&](Error e) -> Result<Database> {
    fs::remove_all(*dir, ec);
    return tl::unexpected(std::move(e));
  };
  if (auto r = copy_private(evidence, copy); !r) return cleanup_on_error(r.error());
  for (const char* suffix : {"-wal", "-shm"}) {
    fs::path side = evidence;
    side += suffix;
    if (!fs::exists(side, ec)) continue;
    fs::path side_copy = copy;
    side_copy += suffix;
    if (auto r = copy_private(side, side_copy); !r) return cleanup_on_error(r.error());
  }
  return open_private(copy, *dir);
}

Result<Database> Database::open_bytes(std::string_view bytes, const fs::path& scratch_dir,
                                      std::string_view name) {
  auto dir = make_private_dir(scratch_dir, "sqlite");
  if (!dir) return tl::unexpected(dir.error());
  const fs::path file = *dir / std::string(name);
  if (auto r = write_private_file(file, bytes); !r) {
    std::error_code ec;
    fs::remove_all(*dir, ec);
    return tl::unexpected(r.error());
  }
  return open_private(file, *dir);
}

Database::Database(Database&& other) noexcept
    : db_(std::exchange(other.db_, nullptr)),
      path_(std::move(other.path_)),
      owned_dir_(std::exchange(other.owned_dir_, {})) {}

Database& Database::operator=(Database&& other) noexcept {
  if (this != &other) {
    close();
    db_ = std::exchange(other.db_, nullptr);
    path_ = std::move(other.path_);
    owned_dir_ = std::exchange(other.owned_dir_, {});
  }
  return *this;
}

Database::~Database() { close(); }

void Database::close() {
  if (db_ != nullptr) sqlite3_close_v2(db_);
  db_ = nullptr;
  if (!owned_dir_.empty()) {
    std::error_code ec;
    fs::remove_all(owned_dir_, ec);
    owned_dir_.clear();
  }
}

Result<Statement> Database::prepare(std::string_view sql) const {
  sqlite3_stmt* stmt = nullptr;
  const int rc = sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()), &stmt, nullptr);
  if (rc != SQLITE_OK) return tl::unexpected(sqlite_error(rc, db_, "cannot prepare query"));
  return Statement(stmt, db_);
}

Result<std::vector<Column>> Database::table_columns(std::string_view table) const {
  auto stmt = prepare("SELECT name, type, \"notnull\", pk FROM pragma_table_info(?1)");
  if (!stmt) return tl::unexpected(stmt.error());
  if (auto b = stmt->bind(1, table); !b) return tl::unexpected(b.error());
  std::vector<Column> out;
  while (true) {
    auto row = stmt->step();
    if (!row) return tl::unexpected(row.error());
    if (!*row) break;
    out.push_back(Column{std::string(stmt->get_text(0)), std::string(stmt->get_text(1)),
                         stmt->get_int64(2) != 0, stmt->get_int64(3) != 0});
  }
  return out;
}

Result<bool> Database::has_table(std::string_view table) const {
  auto stmt = prepare("SELECT 1 FROM sqlite_master WHERE type IN ('table','view') AND name = ?1");
  if (!stmt) return tl::unexpected(stmt.error());
  if (auto b = stmt->bind(1, table); !b) return tl::unexpected(b.error());
  return stmt->step();
}

Result<bool> Database::has_column(std::string_view table, std::string_view column) const {
  auto cols = table_columns(table);
  if (!cols) return tl::unexpected(cols.error());
  for (const auto& c : *cols) {
    if (sqlite3_stricmp(c.name.c_str(), std::string(column).c_str()) == 0) return true;
  }
  return false;
}

Statement::Statement(Statement&& other) noexcept
    : stmt_(std::exchange(other.stmt_, nullptr)), db_(other.db_),
      names_unique_(other.names_unique_), names_(std::move(other.names_)) {}

Statement& Statement::operator=(Statement&& other) noexcept {
  if (this != &other) {
    sqlite3_finalize(stmt_);
    stmt_ = std::exchange(other.stmt_, nullptr);
    db_ = other.db_;
    names_unique_ = other.names_unique_;
    names_ = std::move(other.names_);
  }
  return *this;
}

Statement::~Statement() { sqlite3_finalize(stmt_); }

Result<void> Statement::bind(int index, std::int64_t value) {
  const int rc = sqlite3_bind_int64(stmt_, index, value);
  if (rc != SQLITE_OK) return tl::unexpected(sqlite_error(rc, db_, "bind"));
  return {};
}

Result<void> Statement::bind(int index, std::string_view text) {
  const int rc = sqlite3_bind_text64(stmt_, index, text.data(), text.size(), SQLITE_TRANSIENT,
                                     SQLITE_UTF8);
  if (rc != SQLITE_OK) return tl::unexpected(sqlite_error(rc, db_, "bind"));
  return {};
}

Result<void> Statement::bind_null(int index) {
  const int rc = sqlite3_bind_null(stmt_, index);
  if (rc != SQLITE_OK) return tl::unexpected(sqlite_error(rc, db_, "bind"));
  return {};
}

Result<bool> Statement::step() {
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return tl::unexpected(sqlite_error(rc, db_, "query failed"));
}

Result<void> Statement::reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
  return {};
}

int Statement::column_count() const { return sqlite3_column_count(stmt_); }
std::string_view Statement::column_name(int col) const {
  if (names_.empty()) {
    const int n = sqlite3_column_count(stmt_);
    names_.reserve(static_cast<std::size_t>(n));
    for (int c = 0; c < n; ++c) {
      const char* name = sqlite3_column_name(stmt_, c);
      names_.emplace_back(name != nullptr ? name : "");
    }
  }
  if (col < 0 || static_cast<std::size_t>(col) >= names_.size()) return {};
  return names_[static_cast<std::size_t>(col)];
}
bool Statement::column_names_unique() const {
  if (names_unique_ < 0) {
    std::vector<std::string_view> names;
    for (int c = 0; c < column_count(); ++c) names.push_back(column_name(c));
    std::sort(names.begin(), names.end());
    names_unique_ = std::adjacent_find(names.begin(), names.end()) == names.end() ? 1 : 0;
  }
  return names_unique_ == 1;
}
bool Statement::is_null(int col) const { return sqlite3_column_type(stmt_, col) == SQLITE_NULL; }
int Statement::column_type(int col) const { return sqlite3_column_type(stmt_, col); }
std::int64_t Statement::get_int64(int col) const { return sqlite3_column_int64(stmt_, col); }
double Statement::get_double(int col) const { return sqlite3_column_double(stmt_, col); }

std::string_view Statement::get_text(int col) const {
  const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, col));
  const int n = sqlite3_column_bytes(stmt_, col);
  return p ? std::string_view(p, static_cast<std::size_t>(n)) : std::string_view();
}

std::span<const std::uint8_t> Statement::get_blob(int col) const {
  const auto* p = static_cast<const std::uint8_t*>(sqlite3_column_blob(stmt_, col));
  const int n = sqlite3_column_bytes(stmt_, col);
  return p ? std::span<const std::uint8_t>(p, static_cast<std::size_t>(n))
           : std::span<const std::uint8_t>();
}

std::optional<std::int64_t> Statement::get_optional_int64(int col) const {
  if (is_null(col)) return std::nullopt;
  return get_int64(col);
}

std::optional<std::string> Statement::get_optional_text(int col) const {
  if (is_null(col)) return std::nullopt;
  return std::string(get_text(col));
}

}  // namespace spyglass::formats::sqlite
