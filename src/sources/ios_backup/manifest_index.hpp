#pragma once
// Manifest.db's Files rows without their `file` blobs, held in memory after one table scan.
// A backup check asks Manifest.db for dozens of exact paths and LIKE patterns; in SQLite each
// pattern is a scan of the whole table (up to a million rows, hundreds of megabytes of
// pages), here it is a pass over ~25 MB of memory. select() returns the rowids of exactly
// the rows the SQL filter would select (the same LIKE, `=` true only for TEXT values), and
// the caller reads those rows by rowid.
//
// Built only for a real-shaped Files table (a rowid table whose fileID, domain and
// relativePath are declared TEXT, no column shadowing `rowid`): anything else (a hostile
// Manifest.db) keeps the plain SQL path, which is always correct.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "formats/sqlite/database.hpp"
#include "support/error.hpp"

namespace spyglass::sources::ios_backup {

// Filters combined with AND, as in ManifestQuery (backup.hpp).
struct IndexFilter {
  std::optional<std::string_view> domain;
  std::optional<std::string_view> relative_path;
  std::optional<std::string_view> domain_like;
  std::optional<std::string_view> relative_path_like;
};

class ManifestIndex {
 public:
  // nullopt (no error) when the table's shape does not allow the index.
  static Result<std::optional<ManifestIndex>> build(const formats::sqlite::Database& db);

  // Rowids of the matching rows, in table (rowid) order.
  std::vector<std::int64_t> select(const IndexFilter& filter) const;
  std::size_t size() const { return rows_.size(); }

 private:
  // How SQLite sees a value: NULL (never matches), TEXT, or another type (a LIKE reads its
  // text form; `=` with a text never matches it).
  enum class Kind : std::uint8_t { kNull, kText, kOther };
  struct Text {
    Kind kind;
    std::string bytes;
  };
  struct Row {
    std::int64_t rowid;
    std::uint32_t domain;  // into domains_
    std::uint32_t path_size;
    std::uint64_t path_offset;  // into paths_
    Kind path_kind;
  };

  bool like_sees(Kind k) const {
    return k == Kind::kText || (k == Kind::kOther && !like_skips_other_);
  }

  bool like_skips_other_ = false;  // SQLite built with LIKE_DOESNT_MATCH_BLOBS
  std::vector<Text> domains_;  // distinct domain values
  std::vector<Row> rows_;
  std::string paths_;
};

}  // namespace spyglass::sources::ios_backup
