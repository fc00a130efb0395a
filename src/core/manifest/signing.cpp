#include "core/manifest/signing.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>
#include <vector>

#include <sodium.h>

namespace spyglass::manifest {
namespace {

// Key and signature files are tiny; anything larger is not ours.
constexpr std::uintmax_t kMaxKeyFileBytes = 4096;

bool ensure_sodium() {
  static const bool ok = sodium_init() >= 0;
  return ok;
}

std::string_view trim(std::string_view s) {
  const auto is_space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

std::string bin_to_hex(const unsigned char* bytes, std::size_t n) {
  std::string out(n * 2 + 1, '\0');
  sodium_bin2hex(out.data(), out.size(), bytes, n);
  out.pop_back();
  return out;
}

template <std::size_t N>
bool hex_to_bin(std::string_view hex, std::array<unsigned char, N>& out) {
  if (hex.size() != N * 2) return false;
  std::size_t len = 0;
  const char* end = nullptr;
  if (sodium_hex2bin(out.data(), out.size(), hex.data(), hex.size(), nullptr, &len, &end) != 0) {
    return false;
  }
  return len == N && end == hex.data() + hex.size();
}

Result<std::string> read_small_file(const std::filesystem::path& path, std::string_view what) {
  std::error_code ec;
  const auto status = std::filesystem::status(path, ec);
  if (ec || !std::filesystem::exists(status)) {
    return make_error(ErrorCode::kNotFound,
                      std::string(what) + " " + path.string() + ": no such file");
  }
  if (!std::filesystem::is_regular_file(status)) {
    return make_error(ErrorCode::kInvalidArgument,
                      std::string(what) + " " + path.string() + ": not a regular file");
  }
  const auto size = std::filesystem::file_size(path, ec);
  if (ec) return make_error(ErrorCode::kIo, path.string() + ": " + ec.message());
  if (size > kMaxKeyFileBytes) {
    return make_error(ErrorCode::kMalformed, std::string(what) + " " + path.string() +
                                                 ": too large for a key or signature file");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return make_error(ErrorCode::kIo, path.string() + ": cannot read");
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

// Writes a whole file that must not exist yet; on failure nothing is left behind.
Result<void> write_new_file(const std::filesystem::path& path, std::string_view content,
                            mode_t mode) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, mode);
  if (fd < 0) {
    const int err = errno;
    if (err == EEXIST) {
      return make_error(ErrorCode::kInvalidArgument,
                        path.string() + " already exists; refusing to overwrite a key");
    }
    return make_error(ErrorCode::kIo, path.string() + ": " + std::strerror(err));
  }
  // The umask may only have narrowed the mode; fchmod makes it exactly what we asked for.
  bool ok = ::fchmod(fd, mode) == 0;
  std::size_t done = 0;
  while (ok && done < content.size()) {
    const ssize_t n = ::write(fd, content.data() + done, content.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      ok = false;
      break;
    }
    done += static_cast<std::size_t>(n);
  }
  ok = ::fsync(fd) == 0 && ok;
  const int close_rc = ::close(fd);
  if (!ok || close_rc != 0) {
    const int err = errno;
    ::unlink(path.c_str());
    return make_error(ErrorCode::kIo, path.string() + ": " + std::strerror(err));
  }
  return {};
}

}  // namespace

std::string PublicKey::hex() const { return bin_to_hex(bytes.data(), bytes.size()); }

SecretKey::~SecretKey() { sodium_memzero(bytes_.data(), bytes_.size()); }

PublicKey SecretKey::public_key() const {
  PublicKey pk;
  crypto_sign_ed25519_sk_to_pk(pk.bytes.data(), bytes_.data());
  return pk;
}

Result<KeyFiles> generate_key_files(const std::filesystem::path& name) {
  if (!ensure_sodium()) return make_error(ErrorCode::kInternal, "libsodium failed to start");
  if (name.empty() || name.filename().empty()) {
    return make_error(ErrorCode::kInvalidArgument, "key name is empty");
  }
  KeyFiles files;
  files.secret_key = name;
  files.secret_key += ".key";
  files.public_key = name;
  files.public_key += ".pub";
  std::error_code ec;
  for (const auto& p : {files.secret_key, files.public_key}) {
    if (std::filesystem::exists(std::filesystem::symlink_status(p, ec))) {
      return make_error(ErrorCode::kInvalidArgument,
                        p.string() + " already exists; refusing to overwrite a key");
    }
  }
  SecretKey sk;
  crypto_sign_keypair(files.public_key_value.bytes.data(), sk.bytes().data());
  std::string sk_text = bin_to_hex(sk.bytes().data(), sk.bytes().size()) + "\n";
  auto written = write_new_file(files.secret_key, sk_text, 0600);
  sodium_memzero(sk_text.data(), sk_text.size());
  if (!written) return tl::unexpected(written.error());
  auto pub_written = write_new_file(files.public_key, files.public_key_value.hex() + "\n", 0644);
  if (!pub_written) {
    // Both files or neither: a secret key without its public half invites confusion.
    ::unlink(files.secret_key.c_str());
    return tl::unexpected(pub_written.error());
  }
  return files;
}

Result<SecretKey> parse_secret_key(std::string_view text) {
  if (!ensure_sodium()) return make_error(ErrorCode::kInternal, "libsodium failed to start");
  SecretKey sk;
  if (!hex_to_bin(trim(text), sk.bytes())) {
    return make_error(ErrorCode::kMalformed, "not a spyglass secret key (expected 128 hex digits)");
  }
  // The last 32 bytes of a libsodium secret key are its public key; a mismatch means the
  // file was damaged or hand-edited, and signatures made with it would not verify.
  // libsodium's sk_to_pk only copies that half, so derive it from the seed instead.
  std::array<unsigned char, crypto_sign_SEEDBYTES> seed{};
  crypto_sign_ed25519_sk_to_seed(seed.data(), sk.bytes().data());
  PublicKey derived;
  SecretKey rebuilt;
  crypto_sign_seed_keypair(derived.bytes.data(), rebuilt.bytes().data(), seed.data());
  sodium_memzero(seed.data(), seed.size());
  if (sodium_memcmp(derived.bytes.data(), sk.bytes().data() + 32, kPublicKeyBytes) != 0) {
    return make_error(ErrorCode::kMalformed, "secret key is damaged (inconsistent halves)");
  }
  return sk;
}

Result<PublicKey> parse_public_key(std::string_view text) {
  PublicKey pk;
  if (!hex_to_bin(trim(text), pk.bytes)) {
    return make_error(ErrorCode::kMalformed, "not a spyglass public key (expected 64 hex digits)");
  }
  return pk;
}

Result<SecretKey> load_secret_key(const std::filesystem::path& path) {
  if (!ensure_sodium()) return make_error(ErrorCode::kInternal, "libsodium failed to start");
  auto text = read_small_file(path, "secret key");
  if (!text) return tl::unexpected(text.error());
  auto key = parse_secret_key(*text);
  sodium_memzero(text->data(), text->size());
  if (!key) return make_error(key.error().code, path.string() + ": " + key.error().message);
  return key;
}

Result<PublicKey> load_public_key(const std::filesystem::path& path) {
  auto text = read_small_file(path, "public key");
  if (!text) return tl::unexpected(text.error());
  auto key = parse_public_key(*text);
  if (!key) return make_error(key.error().code, path.string() + ": " + key.error().message);
  return key;
}

Result<std::string> read_signature_file(const std::filesystem::path& path) {
  return read_small_file(path, "signature");
}

std::string sign_detached(std::string_view message, const SecretKey& key) {
  ensure_sodium();
  std::array<unsigned char, kSignatureBytes> sig{};
  crypto_sign_detached(sig.data(), nullptr, reinterpret_cast<const unsigned char*>(message.data()),
                       message.size(), key.bytes().data());
  const std::size_t b64_len =
      sodium_base64_ENCODED_LEN(kSignatureBytes, sodium_base64_VARIANT_ORIGINAL);
  std::string out(b64_len, '\0');
  sodium_bin2base64(out.data(), out.size(), sig.data(), sig.size(), sodium_base64_VARIANT_ORIGINAL);
  out.pop_back();  // the terminating NUL
  out.push_back('\n');
  return out;
}

SignatureCheck verify_detached(std::string_view message, std::string_view signature_file_text,
                               const PublicKey& key) {
  ensure_sodium();
  const std::string_view b64 = trim(signature_file_text);
  std::array<unsigned char, kSignatureBytes> sig{};
  std::size_t len = 0;
  const char* end = nullptr;
  if (b64.empty() ||
      sodium_base642bin(sig.data(), sig.size(), b64.data(), b64.size(), nullptr, &len, &end,
                        sodium_base64_VARIANT_ORIGINAL) != 0 ||
      len != kSignatureBytes || end != b64.data() + b64.size()) {
    return SignatureCheck::kMalformed;
  }
  const int rc = crypto_sign_verify_detached(sig.data(),
                                             reinterpret_cast<const unsigned char*>(message.data()),
                                             message.size(), key.bytes.data());
  return rc == 0 ? SignatureCheck::kValid : SignatureCheck::kInvalid;
}

}  // namespace spyglass::manifest
