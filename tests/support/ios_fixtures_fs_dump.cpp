#include "support/ios_fixtures_fs_dump.hpp"

#include <fnmatch.h>

#include <algorithm>
#include <fstream>
#include <iterator>
#include <set>

#include "support/log.hpp"
#include "support/temp_dir.hpp"

namespace spyglass::testing {

namespace fs = std::filesystem;
using artifacts::ios::IosFile;
using artifacts::ios::IosSourceKind;

namespace {

std::vector<std::string> split(const std::string& pattern) {
  std::vector<std::string> parts;
  std::string cur;
  for (char c : pattern) {
    if (c == '/') {
      if (!cur.empty()) parts.push_back(cur);
      cur.clear();
    } else {
      cur += c;
    }
  }
  if (!cur.empty()) parts.push_back(cur);
  return parts;
}

void glob(const fs::path& dir, const std::string& rel, const std::vector<std::string>& parts,
          std::size_t i, std::set<std::string>& out) {
  if (i == parts.size()) {
    if (fs::is_regular_file(dir)) out.insert(rel);
    return;
  }
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return;
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    const std::string name = e.path().filename().string();
    if (fnmatch(parts[i].c_str(), name.c_str(), FNM_PERIOD) != 0) continue;
    glob(e.path(), rel.empty() ? name : rel + "/" + name, parts, i + 1, out);
  }
}

}  // namespace

Result<std::vector<IosFile>> FakeFsDump::find(const artifacts::ios::IosLocator& locator) {
  std::set<std::string> found;
  for (const std::string& g : locator.fs_globs) glob(root_, "", split(g), 0, found);
  std::vector<IosFile> out;
  for (const std::string& rel : found) {
    IosFile f;
    f.source = IosSourceKind::kFilesystem;
    f.relative_path = rel;
    f.evidence_path = rel;
    out.push_back(std::move(f));
  }
  return out;
}

Result<formats::sqlite::Database> FakeFsDump::open_sqlite(const IosFile& file) {
  return formats::sqlite::Database::open_copy(root_ / file.evidence_path, scratch_);
}

Result<std::string> FakeFsDump::read_file(const IosFile& file, std::size_t max_bytes) {
  std::ifstream in(root_ / file.evidence_path, std::ios::binary);
  if (!in) return make_error(ErrorCode::kNotFound, "cannot open " + file.evidence_path);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (bytes.size() > max_bytes) {
    return make_error(ErrorCode::kLimitExceeded, "file larger than the read limit");
  }
  return bytes;
}

void put_file(const fs::path& root, const std::string& relative, const std::string& content) {
  const fs::path p = root / relative;
  fs::create_directories(p.parent_path());
  write_file(p, content);
}

ModuleRun run_module_on_fs(scan::Module& module, const fs::path& root) {
  TempDir scratch;
  fs::create_directories(scratch / "sqlite");
  Logger logger(LogOptions{}, nullptr);
  scan::ScanOptions options;
  options.evidence = root;
  options.source = std::make_shared<FakeFsDump>(root, scratch / "sqlite");
  scan::ModuleContext context(root, scratch / "module", LogChannel(logger, "test"), options);
  ModuleRun out;
  out.status = module.run(context, out.sink);
  return out;
}

}  // namespace spyglass::testing
