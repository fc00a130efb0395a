#include "support/ios_fixtures_triangle_check.hpp"

#include <sqlite3.h>

#include <cstdio>
#include <cstdlib>

#include "support/ios_backup_builder.hpp"
#include "support/ios_mbfile_builder.hpp"

namespace spyglass::testing {
namespace {

void check(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "set_manifest_times: %s\n", what);
    std::abort();
  }
}

}  // namespace

void set_manifest_times(const std::filesystem::path& backup, const std::string& domain,
                        const std::string& relative_path, const ManifestTimes& times) {
  const std::string id = IosBackupBuilder::file_id(domain, relative_path);
  sqlite3* db = nullptr;
  check(sqlite3_open((backup / "Manifest.db").c_str(), &db) == SQLITE_OK, "open Manifest.db");
  sqlite3_stmt* stmt = nullptr;
  check(sqlite3_prepare_v2(db, "SELECT flags FROM Files WHERE fileID = ?", -1, &stmt, nullptr) ==
            SQLITE_OK,
        "prepare select");
  sqlite3_bind_text(stmt, 1, id.c_str(), -1, SQLITE_TRANSIENT);
  check(sqlite3_step(stmt) == SQLITE_ROW, "no such Manifest row");
  const std::int64_t flags = sqlite3_column_int64(stmt, 0);
  sqlite3_finalize(stmt);

  MbFileSpec spec;
  spec.relative_path = relative_path;
  spec.mode = flags == 2 ? 040755 : 0100644;
  spec.birth = times.birth;
  spec.last_modified = times.last_modified;
  spec.last_status_change = times.last_status_change;
  const std::string blob = build_mbfile_blob(spec);
  check(sqlite3_prepare_v2(db, "UPDATE Files SET file = ? WHERE fileID = ?", -1, &stmt, nullptr) ==
            SQLITE_OK,
        "prepare update");
  sqlite3_bind_blob(stmt, 1, blob.data(), static_cast<int>(blob.size()), SQLITE_TRANSIENT);
  sqlite3_bind_text(stmt, 2, id.c_str(), -1, SQLITE_TRANSIENT);
  check(sqlite3_step(stmt) == SQLITE_DONE, "update");
  sqlite3_finalize(stmt);
  check(sqlite3_close(db) == SQLITE_OK, "close");
}

}  // namespace spyglass::testing
