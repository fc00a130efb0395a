#pragma once
// Read-only access to SQLite evidence. The original file is never opened: the database and
// its -wal/-shm sidecars are copied into a private folder under the caller's scratch folder
// and the copy is opened with SQLITE_OPEN_READONLY. Opening in place can make SQLite create or
// change sidecars, and `immutable=1` would hide rows still in the WAL.
#include <sqlite3.h>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "support/error.hpp"

namespace spyglass::formats::sqlite {

struct Column {
  std::string name;
  std::string declared_type;
  bool not_null = false;
  bool primary_key = false;
};

class Statement {
 public:
  Statement(Statement&& other) noexcept;
  Statement& operator=(Statement&& other) noexcept;
  ~Statement();

  Result<void> bind(int index, std::int64_t value);
  Result<void> bind(int index, std::string_view text);
  Result<void> bind_null(int index);

  // true while a row is available; SQLITE_CORRUPT/NOTADB become kMalformed.
  Result<bool> step();
  Result<void> reset();

  int column_count() const;
  std::string_view column_name(int col) const;
  // Whether no two result columns share a name (computed once per statement): a row can
  // then become an object without checking each key against the others.
  bool column_names_unique() const;
  bool is_null(int col) const;
  int column_type(int col) const;  // SQLITE_INTEGER, SQLITE_TEXT ...
  std::int64_t get_int64(int col) const;
  double get_double(int col) const;
  // Views stay valid until the next step(), reset() or destruction.
  std::string_view get_text(int col) const;
  std::span<const std::uint8_t> get_blob(int col) const;
  std::optional<std::int64_t> get_optional_int64(int col) const;
  std::optional<std::string> get_optional_text(int col) const;

 private:
  friend class Database;
  Statement(sqlite3_stmt* stmt, sqlite3* db) : stmt_(stmt), db_(db) {}
  sqlite3_stmt* stmt_ = nullptr;
  sqlite3* db_ = nullptr;
  mutable int names_unique_ = -1;  // -1 not computed yet
  // Column names, read once: modules ask for them on every row (row_json).
  mutable std::vector<std::string> names_;
};

class Database {
 public:
  // Copies `evidence` (+ -wal/-shm when present) into a fresh folder under `scratch_dir`.
  static Result<Database> open_copy(const std::filesystem::path& evidence,
                                    const std::filesystem::path& scratch_dir);
  // Writes decrypted bytes (mode 0600) under `scratch_dir` and opens them.
  static Result<Database> open_bytes(std::string_view bytes,
                                     const std::filesystem::path& scratch_dir,
                                     std::string_view name = "db.sqlite");
  // Opens a file that already is a private copy (e.g. decrypted straight into a scratch
  // folder); the database takes ownership and removes `owned_dir` when closed.
  static Result<Database> open_private(const std::filesystem::path& file,
                                       const std::filesystem::path& owned_dir);

  Database(Database&& other) noexcept;
  Database& operator=(Database&& other) noexcept;
  ~Database();

  Result<Statement> prepare(std::string_view sql) const;
  Result<bool> has_table(std::string_view table) const;
  // PRAGMA table_info, so modules can branch per schema version. Empty when absent.
  Result<std::vector<Column>> table_columns(std::string_view table) const;
  Result<bool> has_column(std::string_view table, std::string_view column) const;

  // The private copy's path (for diagnostics; never the evidence path).
  const std::filesystem::path& path() const { return path_; }
  sqlite3* handle() const { return db_; }

 private:
  Database(sqlite3* db, std::filesystem::path path, std::filesystem::path dir)
      : db_(db), path_(std::move(path)), owned_dir_(std::move(dir)) {}
  void close();

  sqlite3* db_ = nullptr;
  std::filesystem::path path_;
  std::filesystem::path owned_dir_;
};

// Maps an SQLite result code to our error (CORRUPT/NOTADB -> kMalformed).
Error sqlite_error(int rc, sqlite3* db, std::string_view context);

// A new private folder (0700) under `scratch_dir`.
Result<std::filesystem::path> make_private_dir(const std::filesystem::path& scratch_dir,
                                               std::string_view prefix);

}  // namespace spyglass::formats::sqlite
