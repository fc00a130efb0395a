#include "core/manifest/hashing.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <memory>
#include <vector>

#include <openssl/evp.h>

namespace spyglass::manifest {
namespace {

constexpr std::size_t kChunkBytes = std::size_t{1} << 20;

std::string to_hex(const unsigned char* bytes, std::size_t n) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(n * 2);
  for (std::size_t i = 0; i < n; ++i) {
    out.push_back(kDigits[bytes[i] >> 4]);
    out.push_back(kDigits[bytes[i] & 0x0f]);
  }
  return out;
}

struct FdCloser {
  int fd = -1;
  ~FdCloser() {
    if (fd >= 0) ::close(fd);
  }
};

struct MdCtxDeleter {
  void operator()(EVP_MD_CTX* ctx) const { EVP_MD_CTX_free(ctx); }
};

std::string errno_text(int err) { return std::strerror(err); }

}  // namespace

Result<FileDigest> sha256_file(const std::filesystem::path& path, FollowSymlinks follow) {
  // O_NONBLOCK keeps open() from hanging on a FIFO planted in the evidence; the fstat
  // check below then refuses it before any read.
  int flags = O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK;
  if (follow == FollowSymlinks::kNo) flags |= O_NOFOLLOW;
  FdCloser file{::open(path.c_str(), flags)};
  if (file.fd < 0) {
    const int err = errno;
    if (err == ENOENT || err == ENOTDIR) {
      return make_error(ErrorCode::kNotFound, path.string() + ": no such file");
    }
    if (err == ELOOP) {
      return make_error(ErrorCode::kUnsupported, path.string() + ": is a symbolic link");
    }
    return make_error(ErrorCode::kIo, path.string() + ": " + errno_text(err));
  }
  struct stat st {};
  if (::fstat(file.fd, &st) != 0) {
    return make_error(ErrorCode::kIo, path.string() + ": " + errno_text(errno));
  }
  if (!S_ISREG(st.st_mode)) {
    return make_error(ErrorCode::kUnsupported, path.string() + ": not a regular file");
  }
  std::unique_ptr<EVP_MD_CTX, MdCtxDeleter> ctx(EVP_MD_CTX_new());
  if (!ctx || EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr) != 1) {
    return make_error(ErrorCode::kInternal, "cannot initialise SHA-256");
  }
  std::vector<unsigned char> buffer(kChunkBytes);
  FileDigest digest;
  for (;;) {
    const ssize_t n = ::read(file.fd, buffer.data(), buffer.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return make_error(ErrorCode::kIo, path.string() + ": " + errno_text(errno));
    }
    if (n == 0) break;
    if (EVP_DigestUpdate(ctx.get(), buffer.data(), static_cast<std::size_t>(n)) != 1) {
      return make_error(ErrorCode::kInternal, "SHA-256 update failed");
    }
    digest.size += static_cast<std::uint64_t>(n);
  }
  std::array<unsigned char, EVP_MAX_MD_SIZE> md{};
  unsigned int md_len = 0;
  if (EVP_DigestFinal_ex(ctx.get(), md.data(), &md_len) != 1) {
    return make_error(ErrorCode::kInternal, "SHA-256 final failed");
  }
  digest.sha256 = to_hex(md.data(), md_len);
  return digest;
}

std::string sha256_hex(std::string_view bytes) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> md{};
  unsigned int md_len = 0;
  EVP_Digest(bytes.data(), bytes.size(), md.data(), &md_len, EVP_sha256(), nullptr);
  return to_hex(md.data(), md_len);
}

bool is_sha256_hex(std::string_view text) {
  if (text.size() != 64) return false;
  for (const char c : text) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

}  // namespace spyglass::manifest
