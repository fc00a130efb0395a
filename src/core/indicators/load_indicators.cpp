// Finding, reading and hashing indicator files; the STIX parsing is in stix_bundle.cpp.
#include <openssl/evp.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <set>
#include <system_error>

#include "core/indicators/indicator_set.hpp"
#include "core/indicators/stix_bundle.hpp"

namespace spyglass::indicators {
namespace {

namespace fs = std::filesystem;

std::string hex_sha256(std::string_view bytes) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (EVP_Digest(bytes.data(), bytes.size(), digest, &length, EVP_sha256(), nullptr) != 1) {
    return {};
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(length * 2);
  for (unsigned int i = 0; i < length; ++i) {
    out.push_back(kHex[digest[i] >> 4]);
    out.push_back(kHex[digest[i] & 0xf]);
  }
  return out;
}

std::string lower_extension(const fs::path& path) {
  std::string ext = path.extension().string();
  for (char& c : ext) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return ext;
}

struct FileCloser {
  void operator()(std::FILE* f) const { std::fclose(f); }
};

// File bytes plus the JSON parser's padding. Reused across files and never zero-filled
// (the whole feed set is read through it; clearing it cost more than parsing).
class ReadBuffer {
 public:
  char* data() { return data_.get(); }
  // Room for n bytes and the padding, keeping the first `keep` bytes.
  void reserve(std::size_t n, std::size_t keep = 0) {
    if (n <= capacity_ && data_) return;
    std::unique_ptr<char[]> bigger(new char[n + BundleParser::padding()]);
    if (keep != 0) std::memcpy(bigger.get(), data_.get(), keep);
    data_ = std::move(bigger);
    capacity_ = n;
  }
  std::size_t capacity() const { return capacity_; }

 private:
  std::unique_ptr<char[]> data_;
  std::size_t capacity_ = 0;
};

// Reads at most kMaxBundleBytes (+1 to detect larger files, which may still be growing)
// into `buffer`, followed by zero padding. Returns the content size.
Result<std::size_t> read_bounded(const fs::path& path, ReadBuffer& buffer) {
  std::unique_ptr<std::FILE, FileCloser> file(std::fopen(path.c_str(), "rb"));
  if (!file) return make_error(ErrorCode::kIo, "cannot open " + path.string());
  std::error_code ec;
  const auto expected = fs::file_size(path, ec);
  if (!ec && expected > kMaxBundleBytes) {
    return make_error(ErrorCode::kLimitExceeded, "file is larger than 256 MiB; skipped");
  }
  // One byte more than expected, so that reaching EOF needs no second buffer.
  std::size_t want = ec ? std::size_t{1} << 16 : static_cast<std::size_t>(expected) + 1;
  buffer.reserve(want);
  std::size_t size = 0;
  for (;;) {
    const std::size_t room = buffer.capacity() - size;
    const std::size_t got = std::fread(buffer.data() + size, 1, room, file.get());
    size += got;
    if (size > kMaxBundleBytes) {
      return make_error(ErrorCode::kLimitExceeded, "file is larger than 256 MiB; skipped");
    }
    if (got < room) {
      if (std::ferror(file.get()))
        return make_error(ErrorCode::kIo, "cannot read " + path.string());
      break;
    }
    buffer.reserve(std::min<std::size_t>(buffer.capacity() * 2, kMaxBundleBytes + 1), size);
  }
  std::memset(buffer.data() + size, 0, BundleParser::padding());
  return size;
}

class Loader {
 public:
  std::vector<SourceFile> files;
  std::vector<Collection> collections;
  std::vector<Indicator> indicators;
  std::vector<LoadWarning> warnings;

  // A failure to read is an error only for a file the user named; inside a folder it is a
  // warning so that one unreadable file does not hide the others.
  Result<void> load_file(const fs::path& path, std::string display_name, bool bundled,
                         bool named_by_user) {
    std::error_code ec;
    const fs::path canonical = fs::weakly_canonical(path, ec);
    // The same file reached twice (bundled and --iocs, or two overlapping folders) would
    // double every match.
    if (!ec && !seen_.insert(canonical.string()).second) return {};
    auto size = read_bounded(path, buffer_);
    if (!size) {
      if (named_by_user && size.error().code == ErrorCode::kIo) {
        return tl::unexpected(size.error());
      }
      warnings.push_back({display_name, "", size.error().message});
      return {};
    }
    const std::string_view bytes(buffer_.data(), *size);
    SourceFile source;
    source.path = path.string();
    source.display_name = std::move(display_name);
    source.sha256 = hex_sha256(bytes);
    source.size = *size;
    source.bundled = bundled;
    const auto index = static_cast<std::uint32_t>(files.size());
    files.push_back(std::move(source));
    parser_.parse(bytes, true, index, files.back().display_name,
                  {collections, indicators, warnings});
    return {};
  }

  // Every matching file under `dir`, recursively, in sorted order (directory iteration
  // order is filesystem-specific; results must not be).
  Result<void> load_folder(const fs::path& dir, const std::vector<std::string>& extensions,
                           bool bundled) {
    std::vector<fs::path> found;
    std::error_code ec;
    fs::recursive_directory_iterator it(dir, fs::directory_options::skip_permission_denied, ec);
    if (ec) return make_error(ErrorCode::kIo, "cannot list " + dir.string() + ": " + ec.message());
    for (; it != fs::recursive_directory_iterator(); it.increment(ec)) {
      if (ec) break;
      std::error_code type_ec;
      if (!it->is_regular_file(type_ec)) continue;
      const std::string ext = lower_extension(it->path());
      if (std::find(extensions.begin(), extensions.end(), ext) != extensions.end()) {
        found.push_back(it->path());
      }
    }
    if (ec) {
      warnings.push_back({dir.string(), "", "folder listing stopped early: " + ec.message()});
    }
    std::sort(found.begin(), found.end());
    std::uintmax_t largest = 0;
    for (const fs::path& path : found) {
      std::error_code size_ec;
      const auto size = fs::file_size(path, size_ec);
      if (!size_ec && size <= kMaxBundleBytes) largest = std::max(largest, size);
    }
    // Sized once for the largest file instead of growing (and faulting in fresh pages)
    // file after file.
    buffer_.reserve(static_cast<std::size_t>(largest) + 1);
    parser_.reserve(static_cast<std::size_t>(largest));
    for (const fs::path& path : found) {
      auto loaded = load_file(path, path.lexically_relative(dir).generic_string(), bundled, false);
      if (!loaded) return loaded;
    }
    return {};
  }

 private:
  BundleParser parser_;
  ReadBuffer buffer_;
  std::set<std::string> seen_;
};

}  // namespace

fs::path default_bundled_dir() {
  if (const char* env = std::getenv("SPYGLASS_DATA_DIR"); env != nullptr && *env != '\0') {
    return fs::path(env) / "iocs";
  }
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    const fs::path installed =
        (exe.parent_path() / ".." / "share" / "spyglass" / "iocs").lexically_normal();
    if (fs::is_directory(installed, ec)) return installed;
  }
  return fs::path(SPYGLASS_DATA_DIR) / "iocs";
}

Result<IndicatorSet> load_indicators(const LoadOptions& options) {
  Loader loader;
  if (!options.no_default) {
    const fs::path dir = options.bundled_dir.empty() ? default_bundled_dir() : options.bundled_dir;
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) {
      return make_error(ErrorCode::kNotFound,
                        "bundled indicators folder not found: " + dir.string());
    }
    if (auto loaded = loader.load_folder(dir, {".stix2"}, true); !loaded) {
      return tl::unexpected(loaded.error());
    }
  }
  for (const fs::path& path : options.extra) {
    std::error_code ec;
    const fs::file_status status = fs::status(path, ec);
    if (ec || !fs::exists(status)) {
      return make_error(ErrorCode::kNotFound, "indicator path not found: " + path.string());
    }
    Result<void> loaded;
    if (fs::is_directory(status)) {
      loaded = loader.load_folder(path, {".stix2", ".json"}, false);
    } else if (fs::is_regular_file(status)) {
      loaded = loader.load_file(path, path.filename().string(), false, true);
    } else {
      loaded = make_error(ErrorCode::kInvalidArgument, "not a file or folder: " + path.string());
    }
    if (!loaded) return tl::unexpected(loaded.error());
  }
  return IndicatorSet(std::move(loader.files), std::move(loader.collections),
                      std::move(loader.indicators), std::move(loader.warnings));
}

}  // namespace spyglass::indicators
