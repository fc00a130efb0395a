#include "formats/sqlite/database.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include "support/temp_dir.hpp"

namespace spyglass::formats::sqlite {
namespace {
namespace fs = std::filesystem;
using spyglass::testing::TempDir;

void exec(sqlite3* db, const char* sql) {
  char* err = nullptr;
  ASSERT_EQ(sqlite3_exec(db, sql, nullptr, nullptr, &err), SQLITE_OK) << (err ? err : "");
}

// Leaves rows 2 and 3 only in the -wal file (no checkpoint on close).
void make_wal_db(const fs::path& path) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  exec(db, "PRAGMA journal_mode=WAL; CREATE TABLE t(id INTEGER PRIMARY KEY, name TEXT, "
           "score REAL, data BLOB); INSERT INTO t VALUES(1,'one',1.5,x'00ff');");
  exec(db, "PRAGMA wal_checkpoint(TRUNCATE); PRAGMA wal_autocheckpoint=0;");
  sqlite3_db_config(db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, nullptr);
  exec(db, "INSERT INTO t VALUES(2,'two',NULL,NULL); INSERT INTO t VALUES(3,'three',3,x'');");
  sqlite3_close(db);
}

TEST(SqliteTest, ReadsWalRowsFromACopyAndLeavesEvidenceAlone) {
  TempDir evidence;
  TempDir scratch;
  const fs::path db_path = evidence / "sms.db";
  make_wal_db(db_path);
  const fs::path wal = evidence / "sms.db-wal";
  ASSERT_TRUE(fs::exists(wal));
  const std::string before_db = spyglass::testing::read_file(db_path);
  const std::string before_wal = spyglass::testing::read_file(wal);
  const bool shm_before = fs::exists(evidence / "sms.db-shm");

  {
    auto db = Database::open_copy(db_path, scratch.path());
    ASSERT_TRUE(db) << db.error().message;
    EXPECT_NE(db->path().parent_path(), evidence.path());
    auto stmt = db->prepare("SELECT id, name, score, data FROM t ORDER BY id");
    ASSERT_TRUE(stmt);
    std::vector<std::string> names;
    while (true) {
      auto row = stmt->step();
      ASSERT_TRUE(row) << row.error().message;
      if (!*row) break;
      names.emplace_back(stmt->get_text(1));
      if (stmt->get_int64(0) == 1) {
        EXPECT_DOUBLE_EQ(stmt->get_double(2), 1.5);
        ASSERT_EQ(stmt->get_blob(3).size(), 2u);
        EXPECT_EQ(stmt->get_blob(3)[1], 0xFF);
      }
      if (stmt->get_int64(0) == 2) {
        EXPECT_TRUE(stmt->is_null(2));
        EXPECT_FALSE(stmt->get_optional_int64(2).has_value());
      }
    }
    EXPECT_EQ(names, (std::vector<std::string>{"one", "two", "three"}));
  }
  EXPECT_EQ(spyglass::testing::read_file(db_path), before_db);
  EXPECT_EQ(spyglass::testing::read_file(wal), before_wal);
  EXPECT_EQ(fs::exists(evidence / "sms.db-shm"), shm_before);
  // The private copy is gone once the database is closed.
  EXPECT_TRUE(fs::is_empty(scratch.path()));
}

TEST(SqliteTest, ColumnsAndTables) {
  TempDir evidence;
  TempDir scratch;
  make_wal_db(evidence / "a.db");
  auto db = Database::open_copy(evidence / "a.db", scratch.path());
  ASSERT_TRUE(db);
  auto cols = db->table_columns("t");
  ASSERT_TRUE(cols);
  ASSERT_EQ(cols->size(), 4u);
  EXPECT_EQ((*cols)[0].name, "id");
  EXPECT_TRUE((*cols)[0].primary_key);
  EXPECT_EQ((*cols)[1].declared_type, "TEXT");
  EXPECT_TRUE(*db->has_table("t"));
  EXPECT_FALSE(*db->has_table("missing"));
  EXPECT_TRUE(*db->has_column("t", "NAME"));
  EXPECT_FALSE(*db->has_column("t", "nope"));
  EXPECT_TRUE(db->table_columns("missing")->empty());
  EXPECT_EQ(db->prepare("SELECT nope FROM t").error().code, ErrorCode::kInvalidArgument);
  // Read-only: writes fail.
  auto ins = db->prepare("INSERT INTO t VALUES(9,'x',0,NULL)");
  ASSERT_TRUE(ins);
  EXPECT_FALSE(ins->step());
}

TEST(SqliteTest, NotADatabaseIsMalformed) {
  TempDir evidence;
  TempDir scratch;
  spyglass::testing::write_file(evidence / "x.db", std::string(4096, 'A'));
  auto db = Database::open_copy(evidence / "x.db", scratch.path());
  ASSERT_FALSE(db);
  EXPECT_EQ(db.error().code, ErrorCode::kMalformed);
  EXPECT_NE(db.error().message.find("not a database"), std::string::npos);
  EXPECT_TRUE(fs::is_empty(scratch.path()));
  EXPECT_EQ(Database::open_copy(evidence / "none.db", scratch.path()).error().code,
            ErrorCode::kNotFound);
}

TEST(SqliteTest, TruncatedDatabaseIsMalformed) {
  TempDir evidence;
  TempDir scratch;
  make_wal_db(evidence / "a.db");
  {  // fold the WAL in so the main file has the pages
    sqlite3* db = nullptr;
    sqlite3_open((evidence / "a.db").c_str(), &db);
    exec(db, "PRAGMA journal_mode=DELETE; CREATE TABLE big(x); "
             "WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM c WHERE i<2000) "
             "INSERT INTO big SELECT randomblob(100) FROM c;");
    sqlite3_close(db);
  }
  const std::string bytes = spyglass::testing::read_file(evidence / "a.db");
  auto db = Database::open_bytes(std::string_view(bytes).substr(0, bytes.size() / 2),
                                 scratch.path());
  // SQLite notices either at open (page count beyond the file) or when reading the pages.
  if (!db) {
    EXPECT_EQ(db.error().code, ErrorCode::kMalformed) << db.error().message;
    return;
  }
  auto stmt = db->prepare("SELECT count(*) FROM big");
  ASSERT_TRUE(stmt);
  auto row = stmt->step();
  ASSERT_FALSE(row);
  EXPECT_EQ(row.error().code, ErrorCode::kMalformed);
}

TEST(SqliteTest, OpenBytesWritesAPrivateFile) {
  TempDir evidence;
  TempDir scratch;
  make_wal_db(evidence / "a.db");
  {
    sqlite3* db = nullptr;
    sqlite3_open((evidence / "a.db").c_str(), &db);
    exec(db, "PRAGMA journal_mode=DELETE;");
    sqlite3_close(db);
  }
  auto db = Database::open_bytes(spyglass::testing::read_file(evidence / "a.db"), scratch.path(),
                                 "Manifest.db");
  ASSERT_TRUE(db) << db.error().message;
  struct stat st {};
  ASSERT_EQ(::stat(db->path().c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  auto stmt = db->prepare("SELECT count(*) FROM t");
  ASSERT_TRUE(stmt && *stmt->step());
  EXPECT_EQ(stmt->get_int64(0), 3);
}

}  // namespace
}  // namespace spyglass::formats::sqlite
