#include "sources/ios_backup/sqlite_like.hpp"

#include <sqlite3.h>

#include <random>
#include <string>

#include <gtest/gtest.h>

namespace spyglass::sources::ios_backup {
namespace {

class SqliteLike {
 public:
  SqliteLike() {
    sqlite3_open(":memory:", &db_);
    sqlite3_prepare_v2(db_, "SELECT ?1 LIKE ?2", -1, &stmt_, nullptr);
  }
  ~SqliteLike() {
    sqlite3_finalize(stmt_);
    sqlite3_close(db_);
  }
  bool operator()(const std::string& pattern, const std::string& text) {
    sqlite3_reset(stmt_);
    sqlite3_bind_text(stmt_, 1, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
    sqlite3_bind_text(stmt_, 2, pattern.data(), static_cast<int>(pattern.size()),
                      SQLITE_TRANSIENT);
    EXPECT_EQ(sqlite3_step(stmt_), SQLITE_ROW);
    return sqlite3_column_int(stmt_, 0) != 0;
  }

 private:
  sqlite3* db_ = nullptr;
  sqlite3_stmt* stmt_ = nullptr;
};

TEST(SqliteLike, KnownCases) {
  EXPECT_TRUE(sqlite_like("Library/Safari/%History.db", "Library/Safari/History.db"));
  EXPECT_TRUE(sqlite_like("library/safari/history.DB", "Library/Safari/History.db"));
  EXPECT_TRUE(sqlite_like("Library/Safari/Profiles/%/History.db",
                          "Library/Safari/Profiles/ABC/History.db"));
  EXPECT_FALSE(sqlite_like("Library/Safari/Profiles/%/History.db",
                           "Library/Safari/Profiles/ABC/History.db-wal"));
  EXPECT_TRUE(sqlite_like("%profile-%", "Library/ConfigurationProfiles/profile-abc.stub"));
  EXPECT_TRUE(sqlite_like("a_c", "a\xC3\xA9" "c"));  // '_' is one character, not one byte
  EXPECT_FALSE(sqlite_like("\xC3\x89", "\xC3\xA9"));  // no case folding beyond ASCII
  EXPECT_TRUE(sqlite_like("ab", std::string("ab\0cd", 5)));  // text ends at NUL
  EXPECT_FALSE(sqlite_like("", "a"));
  EXPECT_TRUE(sqlite_like("%", ""));
}

TEST(SqliteLike, AgreesWithSqliteOnRandomStrings) {
  // Alphabets that exercise case folding, wildcards, multi-byte and malformed UTF-8 and NUL.
  const std::vector<std::string> text_atoms = {
      "a", "A", "b", "B", "/", ".", "%", "_", "\xC3\xA9", "\xC3", "\xA9", "\x80",
      "\xFF", "\xE2\x82\xAC", "\xE2\x82", "\xF0\x9F\x98\x80", "\xED\xA0\x80", "\xEF\xBF\xBE",
      "\xC0\xAF", std::string(1, '\0'), "z"};
  const std::vector<std::string> pattern_atoms = {
      "a", "A", "b", "/", ".", "%", "%", "_", "_", "\xC3\xA9", "\xC3", "\x80", "\xFF",
      "\xE2\x82\xAC", "\xEF\xBF\xBD", std::string(1, '\0'), "z"};
  std::mt19937 rng(20261206);
  SqliteLike sqlite;
  auto make = [&](const std::vector<std::string>& atoms, int max_len) {
    std::string s;
    const int n = static_cast<int>(rng() % static_cast<unsigned>(max_len + 1));
    for (int i = 0; i < n; ++i) s += atoms[rng() % atoms.size()];
    return s;
  };
  int matches = 0;
  for (int i = 0; i < 200000; ++i) {
    const std::string pattern = make(pattern_atoms, 5);
    const std::string text = make(text_atoms, 7);
    const bool expected = sqlite(pattern, text);
    matches += expected ? 1 : 0;
    ASSERT_EQ(sqlite_like(pattern, text), expected)
        << "pattern " << ::testing::PrintToString(pattern) << " text "
        << ::testing::PrintToString(text);
  }
  EXPECT_GT(matches, 1000);  // the comparison covered both outcomes
}

}  // namespace
}  // namespace spyglass::sources::ios_backup
