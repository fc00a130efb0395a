#include "support/file_hash.hpp"

#include <algorithm>
#include <array>
#include <fstream>
#include <memory>

#include <openssl/evp.h>

namespace spyglass {

Result<std::string> sha256_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return make_error(ErrorCode::kIo, "cannot open " + path.string());
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  if (!ctx || EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr) != 1) {
    return make_error(ErrorCode::kInternal, "SHA-256 unavailable");
  }
  std::array<char, 1 << 16> buf{};
  while (in) {
    in.read(buf.data(), static_cast<std::streamsize>(buf.size()));
    const std::streamsize got = in.gcount();
    if (got > 0) EVP_DigestUpdate(ctx.get(), buf.data(), static_cast<std::size_t>(got));
  }
  if (in.bad()) return make_error(ErrorCode::kIo, "cannot read " + path.string());
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int len = 0;
  EVP_DigestFinal_ex(ctx.get(), digest.data(), &len);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  for (unsigned int i = 0; i < len; ++i) {
    hex.push_back(kHex[digest[i] >> 4]);
    hex.push_back(kHex[digest[i] & 0x0FU]);
  }
  return hex;
}

Result<std::vector<FileHash>> sha256_tree(const std::filesystem::path& root) {
  namespace fs = std::filesystem;
  std::vector<fs::path> files;
  std::error_code ec;
  if (fs::is_regular_file(fs::symlink_status(root, ec))) {
    files.push_back(root);
  } else {
    fs::recursive_directory_iterator it(root, fs::directory_options::none, ec);
    if (ec) return make_error(ErrorCode::kIo, "cannot list " + root.string() + ": " + ec.message());
    for (; it != fs::recursive_directory_iterator(); it.increment(ec)) {
      if (ec) return make_error(ErrorCode::kIo, "cannot list " + root.string() + ": " + ec.message());
      if (it->is_regular_file(ec) && !it->is_symlink(ec)) files.push_back(it->path());
    }
    if (ec) return make_error(ErrorCode::kIo, "cannot list " + root.string() + ": " + ec.message());
  }
  std::sort(files.begin(), files.end());
  std::vector<FileHash> out;
  out.reserve(files.size());
  for (fs::path& f : files) {
    auto digest = sha256_file(f);
    if (!digest) return tl::unexpected(digest.error());
    out.push_back({std::move(f), std::move(*digest)});
  }
  return out;
}

}  // namespace spyglass
