#include "sources/ios_backup/manifest_index.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <iterator>
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "support/temp_dir.hpp"

namespace spyglass::sources::ios_backup {
namespace {

namespace sq = formats::sqlite;

void exec(sqlite3* db, const std::string& sql) {
  char* err = nullptr;
  ASSERT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err), SQLITE_OK) << err;
}

// Values a hostile Manifest.db can hold: mixed case, multi-byte and malformed UTF-8, NUL,
// SQL NULL and blobs.
struct Cell {
  enum { kNull, kText, kBlob } type;
  std::string bytes;
};

void bind(sqlite3_stmt* stmt, int i, const Cell& c) {
  if (c.type == Cell::kNull) {
    sqlite3_bind_null(stmt, i);
  } else if (c.type == Cell::kText) {
    sqlite3_bind_text(stmt, i, c.bytes.data(), static_cast<int>(c.bytes.size()), SQLITE_TRANSIENT);
  } else {
    sqlite3_bind_blob(stmt, i, c.bytes.data(), static_cast<int>(c.bytes.size()), SQLITE_TRANSIENT);
  }
}

class IndexFixture : public ::testing::Test {
 protected:
  void make_db(const std::string& schema) {
    path_ = tmp_ / "Manifest.db";
    ASSERT_EQ(sqlite3_open(path_.c_str(), &raw_), SQLITE_OK);
    exec(raw_, schema);
  }
  void insert(const Cell& domain, const Cell& path) {
    sqlite3_stmt* stmt = nullptr;
    ASSERT_EQ(sqlite3_prepare_v2(raw_,
                                 "INSERT INTO Files (fileID, domain, relativePath, flags, file) "
                                 "VALUES (?1, ?2, ?3, 1, NULL)",
                                 -1, &stmt, nullptr),
              SQLITE_OK);
    const std::string id = "id" + std::to_string(next_id_++);
    sqlite3_bind_text(stmt, 1, id.c_str(), -1, SQLITE_TRANSIENT);
    bind(stmt, 2, domain);
    bind(stmt, 3, path);
    ASSERT_EQ(sqlite3_step(stmt), SQLITE_DONE);
    sqlite3_finalize(stmt);
  }
  sq::Database open() {
    sqlite3_close(raw_);
    raw_ = nullptr;
    auto db = sq::Database::open_copy(path_, tmp_.path());
    EXPECT_TRUE(db) << db.error().message;
    return std::move(*db);
  }
  // The rowids the SQL filter selects.
  static std::vector<std::int64_t> sql_select(const sq::Database& db, const IndexFilter& f) {
    std::string sql = "SELECT rowid FROM Files WHERE 1";
    std::vector<std::string_view> args;
    auto add = [&](const std::optional<std::string_view>& v, const char* clause) {
      if (!v) return;
      args.push_back(*v);
      sql += std::string(" AND ") + clause + std::to_string(args.size());
    };
    add(f.domain, "domain = ?");
    add(f.relative_path, "relativePath = ?");
    add(f.domain_like, "domain LIKE ?");
    add(f.relative_path_like, "relativePath LIKE ?");
    sql += " ORDER BY rowid";
    auto stmt = db.prepare(sql);
    EXPECT_TRUE(stmt);
    for (std::size_t i = 0; i < args.size(); ++i) {
      EXPECT_TRUE(stmt->bind(static_cast<int>(i + 1), args[i]));
    }
    std::vector<std::int64_t> out;
    while (true) {
      auto row = stmt->step();
      EXPECT_TRUE(row);
      if (!row || !*row) break;
      out.push_back(stmt->get_int64(0));
    }
    return out;
  }

  void TearDown() override {
    if (raw_ != nullptr) sqlite3_close(raw_);
  }

  testing::TempDir tmp_;
  std::filesystem::path path_;
  sqlite3* raw_ = nullptr;
  int next_id_ = 0;
};

constexpr const char* kRealSchema =
    "CREATE TABLE Files (fileID TEXT PRIMARY KEY, domain TEXT, relativePath TEXT, "
    "flags INTEGER, file BLOB);"
    "CREATE INDEX FilesDomainIdx ON Files(domain);"
    "CREATE INDEX FilesRelativePathIdx ON Files(relativePath);";

TEST_F(IndexFixture, SelectsWhatSqlSelects) {
  make_db(kRealSchema);
  const std::vector<std::string> domains = {"HomeDomain", "homedomain", "MediaDomain",
                                            "AppDomain-net.whatsapp", "D\xC3\xA9", "\xFF"};
  const std::vector<std::string> atoms = {"Library", "library", "/", "SMS", "sms", ".db",
                                          "History", "-wal", "\xC3\xA9", "\xFF", "_", "%",
                                          std::string(1, '\0'), "x"};
  std::mt19937 rng(4);
  auto text = [&](int max) {
    std::string s;
    const int n = static_cast<int>(rng() % static_cast<unsigned>(max + 1));
    for (int i = 0; i < n; ++i) s += atoms[rng() % atoms.size()];
    return s;
  };
  for (int i = 0; i < 3000; ++i) {
    Cell domain{Cell::kText, domains[rng() % domains.size()]};
    Cell path{Cell::kText, text(5)};
    if (rng() % 20 == 0) domain.type = Cell::kNull;
    if (rng() % 20 == 0) domain.type = Cell::kBlob;
    if (rng() % 20 == 0) path.type = Cell::kNull;
    if (rng() % 20 == 0) path.type = Cell::kBlob;
    insert(domain, path);
  }
  exec(raw_, "DELETE FROM Files WHERE rowid % 7 = 3");  // gaps in the rowids
  const sq::Database db = open();
  auto index = ManifestIndex::build(db);
  ASSERT_TRUE(index) << index.error().message;
  ASSERT_TRUE(index->has_value());
  const std::vector<std::string> patterns = {"Library/%", "%.db", "library/sms/%", "%/%-wal",
                                             "%\xC3\xA9%", "_", "%", "Library_SMS%", "%x",
                                             "L%y%/%", ""};
  int nonempty = 0;
  for (int i = 0; i < 400; ++i) {
    IndexFilter f;
    std::string d = domains[rng() % domains.size()];
    std::string p = text(3);
    const std::string& pat = patterns[rng() % patterns.size()];
    std::string dpat = (rng() % 2) ? "%Domain" : "home%";
    if (rng() % 3 == 0) f.domain = d;
    if (rng() % 4 == 0) f.relative_path = p;
    if (rng() % 2 == 0) f.relative_path_like = pat;
    if (rng() % 4 == 0) f.domain_like = dpat;
    const auto expected = sql_select(db, f);
    nonempty += expected.empty() ? 0 : 1;
    const auto got = (*index)->select(f);
    if (got != expected) {
      std::vector<std::int64_t> diff;
      std::set_symmetric_difference(got.begin(), got.end(), expected.begin(), expected.end(),
                                    std::back_inserter(diff));
      auto st = db.prepare("SELECT typeof(domain), quote(domain), typeof(relativePath), quote(relativePath) FROM Files WHERE rowid = ?1");
      (void)st->bind(1, diff.front());
      (void)st->step();
      ADD_FAILURE() << "query " << i << " domain=" << ::testing::PrintToString(f.domain) << " path=" << ::testing::PrintToString(f.relative_path)
                    << " dlike=" << ::testing::PrintToString(f.domain_like) << " plike=" << ::testing::PrintToString(f.relative_path_like)
                    << " row " << diff.front() << ": " << st->get_text(0) << " " << st->get_text(1) << " " << st->get_text(2) << " " << st->get_text(3);
      break;
    }
  }
  EXPECT_GT(nonempty, 100);
}

TEST_F(IndexFixture, OddShapesFallBackToSql) {
  // A column shadowing rowid, or relativePath declared with another type: no index.
  make_db("CREATE TABLE Files (fileID TEXT, domain TEXT, relativePath BLOB, flags INTEGER, "
          "file BLOB, rowid INTEGER)");
  const sq::Database db = open();
  auto index = ManifestIndex::build(db);
  ASSERT_TRUE(index);
  EXPECT_FALSE(index->has_value());
}

TEST_F(IndexFixture, WithoutRowidFallsBackToSql) {
  make_db("CREATE TABLE Files (fileID TEXT PRIMARY KEY, domain TEXT, relativePath TEXT, "
          "flags INTEGER, file BLOB) WITHOUT ROWID");
  insert({Cell::kText, "HomeDomain"}, {Cell::kText, "a"});
  const sq::Database db = open();
  auto index = ManifestIndex::build(db);
  ASSERT_TRUE(index);
  EXPECT_FALSE(index->has_value());
}

}  // namespace
}  // namespace spyglass::sources::ios_backup
