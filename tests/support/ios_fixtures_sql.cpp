#include "support/ios_fixtures_sql.hpp"

#include <cstdio>
#include <cstdlib>

namespace spyglass::testing {
namespace {

[[noreturn]] void fail(sqlite3* db, std::string_view what) {
  std::fprintf(stderr, "SqlFixture: %.*s: %s\n", static_cast<int>(what.size()), what.data(),
               db ? sqlite3_errmsg(db) : "no database");
  std::abort();
}

}  // namespace

SqlFixture::SqlFixture() {
  if (sqlite3_open(":memory:", &db_) != SQLITE_OK) fail(db_, "open");
  exec("PRAGMA page_size=4096;");
}

SqlFixture::~SqlFixture() { sqlite3_close(db_); }

void SqlFixture::exec(std::string_view sql) {
  const std::string text(sql);
  char* err = nullptr;
  if (sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
    std::fprintf(stderr, "SqlFixture: %s\n", err ? err : "?");
    sqlite3_free(err);
    fail(db_, text);
  }
}

void SqlFixture::run(std::string_view sql, const std::vector<SqlValue>& values) {
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()), &stmt, nullptr) !=
      SQLITE_OK) {
    fail(db_, sql);
  }
  int index = 1;
  for (const SqlValue& v : values) {
    int rc = SQLITE_OK;
    if (std::holds_alternative<std::nullptr_t>(v)) {
      rc = sqlite3_bind_null(stmt, index);
    } else if (const auto* i = std::get_if<std::int64_t>(&v)) {
      rc = sqlite3_bind_int64(stmt, index, *i);
    } else if (const auto* d = std::get_if<double>(&v)) {
      rc = sqlite3_bind_double(stmt, index, *d);
    } else {
      const std::string& s = std::get<std::string>(v);
      rc = sqlite3_bind_text(stmt, index, s.data(), static_cast<int>(s.size()), SQLITE_TRANSIENT);
    }
    if (rc != SQLITE_OK) fail(db_, sql);
    ++index;
  }
  if (sqlite3_step(stmt) != SQLITE_DONE) fail(db_, sql);
  sqlite3_finalize(stmt);
}

std::string SqlFixture::bytes() const {
  sqlite3_int64 size = 0;
  unsigned char* data = sqlite3_serialize(db_, "main", &size, 0);
  if (data == nullptr) fail(db_, "serialize");
  std::string out(reinterpret_cast<const char*>(data), static_cast<std::size_t>(size));
  sqlite3_free(data);
  return out;
}

}  // namespace spyglass::testing
