#include "sources/ios_backup/manifest_index.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <cstring>
#include <map>

#include "sources/ios_backup/sqlite_like.hpp"

namespace spyglass::sources::ios_backup {
namespace {

namespace sq = formats::sqlite;

bool iequals_ascii(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    auto x = static_cast<unsigned char>(a[i]);
    auto y = static_cast<unsigned char>(b[i]);
    if (x >= 'A' && x <= 'Z') x = static_cast<unsigned char>(x + 32);
    if (y >= 'A' && y <= 'Z') y = static_cast<unsigned char>(y + 32);
    if (x != y) return false;
  }
  return true;
}

bool plain_ascii(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return u != 0 && u < 0x80 && c != '%' && c != '_';
  });
}

// A LIKE pattern with the literal ASCII text it must start and end with: a quick, exact
// rejection before the full comparison (an ASCII pattern character only ever matches the
// same byte, in either case, at the same end of the text).
class LikeFilter {
 public:
  explicit LikeFilter(std::string_view pattern) : pattern_(pattern) {
    const std::size_t first = pattern.find_first_of("%_");
    if (first == std::string_view::npos) return;  // no wildcard: the comparison is cheap
    if (plain_ascii(pattern.substr(0, first))) prefix_ = pattern.substr(0, first);
    const std::size_t last = pattern.find_last_of("%_");
    if (plain_ascii(pattern.substr(last + 1))) suffix_ = pattern.substr(last + 1);
  }
  bool matches(std::string_view text) const {
    const void* nul = std::memchr(text.data(), 0, text.size());
    const std::string_view effective =
        nul != nullptr ? text.substr(0, static_cast<std::size_t>(static_cast<const char*>(nul) - text.data()))
                       : text;
    if (effective.size() < prefix_.size() + suffix_.size()) {
      // Too short for both literals (they cannot overlap: a wildcard sits between them).
      if (!prefix_.empty() || !suffix_.empty()) return false;
    }
    if (!prefix_.empty() && !iequals_ascii(effective.substr(0, prefix_.size()), prefix_)) {
      return false;
    }
    if (!suffix_.empty() &&
        !iequals_ascii(effective.substr(effective.size() - suffix_.size()), suffix_)) {
      return false;
    }
    return sqlite_like(pattern_, text);
  }

 private:
  std::string_view pattern_;
  std::string_view prefix_;
  std::string_view suffix_;
};

Result<bool> real_shape(const sq::Database& db) {
  auto type = db.prepare("SELECT type FROM sqlite_master WHERE name = 'Files' COLLATE NOCASE");
  if (!type) return tl::unexpected(type.error());
  auto row = type->step();
  if (!row) return tl::unexpected(row.error());
  if (!*row || type->get_text(0) != "table") return false;
  auto info = db.prepare("SELECT name, type FROM pragma_table_info('Files')");
  if (!info) return tl::unexpected(info.error());
  int text_columns = 0;
  while (true) {
    auto r = info->step();
    if (!r) return tl::unexpected(r.error());
    if (!*r) break;
    std::string name(info->get_text(0));
    std::string decl(info->get_text(1));
    for (std::string* s : {&name, &decl}) {
      std::transform(s->begin(), s->end(), s->begin(),
                     [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    }
    if (name == "rowid" || name == "_rowid_" || name == "oid") return false;
    if (name == "fileid" || name == "domain" || name == "relativepath") {
      if (decl != "text") return false;
      ++text_columns;
    }
  }
  return text_columns == 3;
}

}  // namespace

Result<std::optional<ManifestIndex>> ManifestIndex::build(const sq::Database& db) {
  auto shape = real_shape(db);
  if (!shape) return tl::unexpected(shape.error());
  if (!*shape) return std::optional<ManifestIndex>();
  // WITHOUT ROWID tables refuse `rowid`: no index then, not an error.
  auto stmt = db.prepare("SELECT rowid, domain, relativePath FROM Files");
  if (!stmt) return std::optional<ManifestIndex>();
  ManifestIndex index;
  // Debian builds SQLite with LIKE_DOESNT_MATCH_BLOBS; follow whatever library we run on.
  if (auto opt = db.prepare("SELECT sqlite_compileoption_used('LIKE_DOESNT_MATCH_BLOBS')")) {
    if (auto r = opt->step(); r && *r) index.like_skips_other_ = opt->get_int64(0) != 0;
  }
  std::map<std::pair<Kind, std::string>, std::uint32_t, std::less<>> domain_ids;
  auto kind_of = [&](int col) {
    switch (stmt->column_type(col)) {
      case SQLITE_NULL:
        return Kind::kNull;
      case SQLITE_TEXT:
        return Kind::kText;
      default:
        // An empty blob has no text at all for LIKE (a NULL pointer): it never matches.
        return stmt->get_text(col).empty() ? Kind::kNull : Kind::kOther;
    }
  };
  // Sized once: growing by doubling copied the paths again and again.
  // (count(*) reads the smallest index, not the table.)
  if (auto n = db.prepare("SELECT count(*) FROM Files")) {
    if (auto r = n->step(); r && *r) {
      const auto rows = static_cast<std::size_t>(std::clamp<std::int64_t>(n->get_int64(0), 0, 1 << 24));
      index.rows_.reserve(rows);
      index.paths_.reserve(rows * 48);  // typical relativePath length, rounded up
    }
  }
  std::pair<Kind, std::string> key;
  std::uint32_t last_domain = 0;
  bool have_last = false;
  while (true) {
    auto row = stmt->step();
    if (!row) return tl::unexpected(row.error());
    if (!*row) break;
    Row r{};
    r.rowid = stmt->get_int64(0);
    const Kind dk = kind_of(1);
    const std::string_view domain = stmt->get_text(1);
    // Rows come grouped by domain more often than not: reuse the last id when it fits.
    if (have_last && index.domains_[last_domain].kind == dk &&
        index.domains_[last_domain].bytes == domain) {
      r.domain = last_domain;
    } else {
      key.first = dk;
      key.second.assign(domain);
      auto [it, inserted] = domain_ids.try_emplace(key, static_cast<std::uint32_t>(index.domains_.size()));
      if (inserted) index.domains_.push_back({dk, key.second});
      r.domain = it->second;
      last_domain = r.domain;
      have_last = true;
    }
    r.path_kind = kind_of(2);
    const std::string_view path = stmt->get_text(2);
    if (path.size() > UINT32_MAX) return make_error(ErrorCode::kLimitExceeded, "relativePath too long");
    r.path_offset = index.paths_.size();
    r.path_size = static_cast<std::uint32_t>(path.size());
    index.paths_.append(path);
    index.rows_.push_back(r);
  }
  // A rowid table is read in rowid order; keep it explicit for select()'s contract.
  if (!std::is_sorted(index.rows_.begin(), index.rows_.end(),
                      [](const Row& a, const Row& b) { return a.rowid < b.rowid; })) {
    std::sort(index.rows_.begin(), index.rows_.end(),
              [](const Row& a, const Row& b) { return a.rowid < b.rowid; });
  }
  return std::optional<ManifestIndex>(std::move(index));
}

std::vector<std::int64_t> ManifestIndex::select(const IndexFilter& f) const {
  std::vector<char> domain_ok(domains_.size(), 1);
  std::optional<LikeFilter> domain_like;
  if (f.domain_like) domain_like.emplace(*f.domain_like);
  for (std::size_t i = 0; i < domains_.size(); ++i) {
    const Text& d = domains_[i];
    if (f.domain && !(d.kind == Kind::kText && d.bytes == *f.domain)) domain_ok[i] = 0;
    if (domain_like && !(like_sees(d.kind) && domain_like->matches(d.bytes))) domain_ok[i] = 0;
  }
  std::optional<LikeFilter> path_like;
  if (f.relative_path_like) path_like.emplace(*f.relative_path_like);
  std::vector<std::int64_t> out;
  for (const Row& r : rows_) {
    if (!domain_ok[r.domain]) continue;
    const std::string_view path(paths_.data() + r.path_offset, r.path_size);
    if (f.relative_path &&
        !(r.path_kind == Kind::kText && path == *f.relative_path)) {
      continue;
    }
    if (path_like && !(like_sees(r.path_kind) && path_like->matches(path))) continue;
    out.push_back(r.rowid);
  }
  return out;
}

}  // namespace spyglass::sources::ios_backup
