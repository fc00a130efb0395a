#pragma once
// A small SQLite fixture writer for the iOS artifact fixtures: run the real CREATE TABLE
// statements, insert rows with bound values, and get the database file's bytes
// (sqlite3_serialize of an in-memory database: deterministic, no temp files).
#include <sqlite3.h>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <variant>
#include <vector>

namespace spyglass::testing {

using SqlValue = std::variant<std::nullptr_t, std::int64_t, double, std::string>;

class SqlFixture {
 public:
  SqlFixture();
  ~SqlFixture();
  SqlFixture(const SqlFixture&) = delete;
  SqlFixture& operator=(const SqlFixture&) = delete;

  // Runs one or more statements; aborts the test binary on error (fixture bugs).
  void exec(std::string_view sql);
  // Runs one statement with `?` placeholders bound to `values` in order.
  void run(std::string_view sql, const std::vector<SqlValue>& values);
  // The database file as iOS would store it (page size 4096, rollback journal).
  std::string bytes() const;

 private:
  sqlite3* db_ = nullptr;
};

// Helpers for optional cells.
template <typename T>
SqlValue sql_opt(const std::optional<T>& v) {
  if (!v) return nullptr;
  if constexpr (std::is_same_v<T, std::string>) {
    return *v;
  } else if constexpr (std::is_floating_point_v<T>) {
    return static_cast<double>(*v);
  } else {
    return static_cast<std::int64_t>(*v);
  }
}

}  // namespace spyglass::testing
