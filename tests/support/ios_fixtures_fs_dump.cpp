#include "support/ios_fixtures_fs_dump.hpp"

#include <fnmatch.h>

#include <algorithm>
#include <fstream>
#include <iterator>

#include "support/log.hpp"
#include "support/temp_dir.hpp"

namespace spyglass::testing {
namespace fs = std::filesystem;
using artifacts::ios::IosFile;
using artifacts::ios::IosSourceKind;

namespace {

std::vector<std::string> split_components(const std::string& pattern) {
  std::vector<std::string> parts;
  std::string cur;
  for (char c : pattern) {
    if (c == '/') {
      if (!cur.empty()) parts.push_back(std::move(cur));
      cur.clear();
    } else {
      cur += c;
    }
  }
  if (!cur.empty()) parts.push_back(std::move(cur));
  return parts;
}

void expand(const fs::path& dir, const std::string& rel, const std::vector<std::string>& parts,
            std::size_t i, std::vector<std::string>& out) {
  if (i == parts.size()) {
    std::error_code ec;
    if (fs::is_regular_file(dir, ec)) out.push_back(rel);
    return;
  }
  const std::string& part = parts[i];
  const auto next_rel = [&](const std::string& name) {
    return rel.empty() ? name : rel + "/" + name;
  };
  if (part.find_first_of("*?[") == std::string::npos) {
    std::error_code ec;
    if (fs::exists(dir / part, ec)) expand(dir / part, next_rel(part), parts, i + 1, out);
    return;
  }
  std::error_code ec;
  fs::directory_iterator it(dir, ec);
  if (ec) return;
  for (const auto& entry : it) {
    const std::string name = entry.path().filename().string();
    if (fnmatch(part.c_str(), name.c_str(), FNM_PERIOD) == 0) {
      expand(entry.path(), next_rel(name), parts, i + 1, out);
    }
  }
}

}  // namespace

std::vector<std::string> glob_dump(const fs::path& root, const std::string& pattern) {
  std::vector<std::string> out;
  expand(root, "", split_components(pattern), 0, out);
  std::sort(out.begin(), out.end());
  return out;
}

FsDumpStandIn::FsDumpStandIn(fs::path root, fs::path scratch)
    : root_(std::move(root)), scratch_(std::move(scratch)) {}

Result<std::vector<IosFile>> FsDumpStandIn::find(const artifacts::ios::IosLocator& locator) {
  std::set<std::string> paths;
  for (const std::string& g : locator.fs_globs) {
    for (std::string& p : glob_dump(root_, g)) paths.insert(std::move(p));
  }
  std::vector<IosFile> files;
  for (const std::string& p : paths) {
    IosFile f;
    f.source = IosSourceKind::kFilesystem;
    f.relative_path = p;
    f.evidence_path = p;
    files.push_back(std::move(f));
  }
  return files;
}

Result<formats::sqlite::Database> FsDumpStandIn::open_sqlite(const IosFile& file) {
  {
    const std::lock_guard lock(mu_);
    read_.insert(file.evidence_path);
  }
  return formats::sqlite::Database::open_copy(root_ / file.evidence_path, scratch_);
}

Result<std::string> FsDumpStandIn::read_file(const IosFile& file, std::size_t max_bytes) {
  {
    const std::lock_guard lock(mu_);
    read_.insert(file.evidence_path);
  }
  std::ifstream in(root_ / file.evidence_path, std::ios::binary);
  if (!in) return make_error(ErrorCode::kNotFound, "cannot open " + file.evidence_path);
  std::string bytes;
  char buf[4096];
  while (in.read(buf, sizeof buf) || in.gcount() > 0) {
    bytes.append(buf, static_cast<std::size_t>(in.gcount()));
    if (bytes.size() > max_bytes) {
      return make_error(ErrorCode::kLimitExceeded, file.evidence_path + " is too large");
    }
  }
  return bytes;
}

std::vector<std::string> FsDumpStandIn::files_read() const {
  const std::lock_guard lock(mu_);
  return {read_.begin(), read_.end()};
}

void put_file(const fs::path& root, const std::string& relative, const std::string& content) {
  const fs::path p = root / relative;
  fs::create_directories(p.parent_path());
  std::ofstream out(p, std::ios::binary | std::ios::trunc);
  out.write(content.data(), static_cast<std::streamsize>(content.size()));
}

ModuleRun run_module_on_dump(scan::Module& module, const fs::path& root) {
  TempDir scratch;
  Logger logger(LogOptions{}, nullptr);
  scan::ScanOptions options;
  options.evidence = root;
  options.source = std::make_shared<FsDumpStandIn>(root, scratch.path());
  scan::ModuleContext context(root, scratch / "module", LogChannel(logger, "test"), options);
  ModuleRun out;
  out.status = module.run(context, out.sink);
  return out;
}

}  // namespace spyglass::testing
