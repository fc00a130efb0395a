#include "artifacts/ios/ios_module.hpp"

#include <algorithm>
#include <cctype>
#include <cstdlib>

#include <sqlite3.h>

namespace spyglass::artifacts::ios {

scan::Status IosRun::file_failed(const IosFile& file, const Error& error) const {
  return scan::Status::failed(file.display_name() + ": " + error.message);
}

BackupEvidence* IosRun::backup() const { return dynamic_cast<BackupEvidence*>(&evidence); }

scan::Status IosModule::run(scan::ModuleContext& context, scan::RecordSink& sink) {
  std::shared_ptr<IosEvidence> own;  // only when the command gave no shared evidence
  IosEvidence* evidence = dynamic_cast<IosEvidence*>(context.source());
  if (evidence == nullptr) {
    if (context.source() != nullptr) {
      return scan::Status::not_present("the evidence is not iOS evidence");
    }
    auto scratch = context.scratch_dir();
    if (!scratch) return scan::Status::failed(scratch.error().message);
    BackupEvidenceOptions options;
    options.scratch_parent = *scratch;
    auto created = BackupEvidence::create(context.evidence_root(), std::move(options));
    if (!created) return scan::Status::from_error(created.error());
    own = std::move(*created);
    evidence = own.get();
  }

  const bool backup = evidence->kind() == IosSourceKind::kBackup;
  if (backup && spec_.sources == IosSources::kFilesystemOnly) {
    return scan::Status::not_present("reads filesystem dumps only");
  }
  if (!backup && spec_.sources == IosSources::kBackupOnly) {
    return scan::Status::not_present("reads iTunes/Finder backups only");
  }
  if (auto* b = dynamic_cast<BackupEvidence*>(evidence)) {
    // A backup that cannot be opened (corrupt Manifest.db, wrong key) fails every module:
    // the scan is incomplete, never silently clean.
    if (auto r = b->ensure_open(); !r) {
      return r.error().code == ErrorCode::kNotFound ? scan::Status::failed(r.error().message)
                                                    : scan::Status::from_error(r.error());
    }
  }

  std::vector<IosFile> files;
  if (!spec_.locator.empty()) {
    auto found = evidence->find(spec_.locator);
    if (!found) return scan::Status::failed(found.error().message);
    if (found->empty()) {
      return scan::Status::not_present(std::string("no ") + spec_.display_name + " file in this " +
                                       std::string(source_kind_name(evidence->kind())));
    }
    files = std::move(*found);
  }
  IosRun run{*evidence, files, context, sink};
  return run_files(run);
}

Result<TableColumns> TableColumns::read(const formats::sqlite::Database& db,
                                        std::string_view table) {
  auto cols = db.table_columns(table);
  if (!cols) return tl::unexpected(cols.error());
  TableColumns out;
  out.table_ = std::string(table);
  for (const auto& c : *cols) out.names_.push_back(c.name);
  return out;
}

bool TableColumns::has(std::string_view column) const {
  // SQLite column names are case-insensitive (ROWID vs rowid).
  return std::any_of(names_.begin(), names_.end(), [&](const std::string& n) {
    return n.size() == column.size() &&
           std::equal(n.begin(), n.end(), column.begin(), [](char a, char b) {
             return std::tolower(static_cast<unsigned char>(a)) ==
                    std::tolower(static_cast<unsigned char>(b));
           });
  });
}

std::string TableColumns::describe() const {
  std::string out = table_ + "(";
  for (std::size_t i = 0; i < names_.size(); ++i) out += (i ? ", " : "") + names_[i];
  return out + ")";
}

Result<void> require_columns(const TableColumns& columns,
                             std::initializer_list<std::string_view> required) {
  std::string missing;
  for (std::string_view c : required) {
    if (!columns.has(c)) missing += (missing.empty() ? "" : ", ") + std::string(c);
  }
  if (missing.empty()) return {};
  if (columns.empty()) {
    return make_error(ErrorCode::kMalformed,
                      "unknown schema: no table " + columns.table() + " (need " + missing + ")");
  }
  return make_error(ErrorCode::kMalformed,
                    "unknown schema: table " + columns.describe() + " lacks column(s) " + missing);
}

std::string base64_encode(std::span<const std::uint8_t> bytes) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    const std::uint32_t n =
        (std::uint32_t{bytes[i]} << 16) | (std::uint32_t{bytes[i + 1]} << 8) | bytes[i + 2];
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    out += kAlphabet[(n >> 6) & 63];
    out += kAlphabet[n & 63];
  }
  if (i < bytes.size()) {
    std::uint32_t n = std::uint32_t{bytes[i]} << 16;
    if (i + 1 < bytes.size()) n |= std::uint32_t{bytes[i + 1]} << 8;
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    out += i + 1 < bytes.size() ? kAlphabet[(n >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

json::Value column_json(const formats::sqlite::Statement& stmt, int col) {
  switch (stmt.column_type(col)) {
    case SQLITE_INTEGER:
      return json::Value(stmt.get_int64(col));
    case SQLITE_FLOAT:
      return json::Value(stmt.get_double(col));
    case SQLITE_TEXT:
      return json::Value(std::string(stmt.get_text(col)));
    case SQLITE_BLOB:
      return json::Value(base64_encode(stmt.get_blob(col)));
    default:
      return json::Value(nullptr);
  }
}

json::Value row_json(const formats::sqlite::Statement& stmt) {
  json::Value out = json::Value::object();
  if (!stmt.column_names_unique()) {
    // A later column of the same name replaces the earlier one's value, as in a Python dict.
    for (int c = 0; c < stmt.column_count(); ++c) out.set(stmt.column_name(c), column_json(stmt, c));
    return out;
  }
  json::Object& members = out.as_object();
  members.reserve(static_cast<std::size_t>(stmt.column_count()));
  for (int c = 0; c < stmt.column_count(); ++c) {
    members.push_back(json::Member{std::string(stmt.column_name(c)), column_json(stmt, c)});
  }
  return out;
}

std::vector<std::string> find_links(std::string_view text) {
  std::vector<std::string> out;
  auto lower_at = [&](std::size_t i) {
    return static_cast<char>(std::tolower(static_cast<unsigned char>(text[i])));
  };
  auto starts = [&](std::size_t i, std::string_view word) {
    if (i + word.size() > text.size()) return false;
    for (std::size_t k = 0; k < word.size(); ++k) {
      if (lower_at(i + k) != word[k]) return false;
    }
    return true;
  };
  // Python's \s: ASCII whitespace (and Unicode spaces, rare in links; not handled here).
  auto space = [](char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v' ||
           c == '\x1c' || c == '\x1d' || c == '\x1e' || c == '\x1f';
  };
  for (std::size_t i = 0; i < text.size();) {
    std::size_t scheme = 0;
    if (starts(i, "https://")) {
      scheme = 8;
    } else if (starts(i, "http://")) {
      scheme = 7;
    }
    if (scheme == 0) {
      ++i;
      continue;
    }
    std::size_t end = i + scheme;
    while (end < text.size() && !space(text[end])) ++end;
    if (end > i + scheme) {  // [^\s]+ needs one character after the scheme
      out.emplace_back(text.substr(i, end - i));
      i = end;
    } else {
      i += scheme;
    }
  }
  return out;
}

std::optional<UnixMicros> from_mac_time_auto(std::int64_t value) {
  if (value == 0) return std::nullopt;
  constexpr std::int64_t kOffsetMicros = kMacEpochOffsetSeconds * 1'000'000;
  // Seconds until iOS 10; nanoseconds since iOS 11 (a seconds value above 1e12 would be
  // 30,000 years after 2001).
  if (value > 1'000'000'000'000 || value < -1'000'000'000'000) {
    return value / 1000 + kOffsetMicros;
  }
  return value * 1'000'000 + kOffsetMicros;
}

}  // namespace spyglass::artifacts::ios
