#include "sources/ios_backup/crypto.hpp"

#include <openssl/evp.h>

#include <memory>
#include <string>
#include <vector>

namespace spyglass::sources::ios_backup {
namespace {

using CipherCtx = std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)>;

CipherCtx new_ctx() { return CipherCtx(EVP_CIPHER_CTX_new(), &EVP_CIPHER_CTX_free); }

constexpr std::size_t kChunk = 1u << 20;
constexpr std::size_t kBlock = 16;

}  // namespace

Result<SecureBytes> pbkdf2(std::span<const std::uint8_t> secret, std::span<const std::uint8_t> salt,
                           std::uint32_t iterations, Digest digest, std::size_t out_len) {
  if (iterations == 0 || iterations > 0x7FFFFFFF) {
    return make_error(ErrorCode::kMalformed, "PBKDF2 iteration count out of range");
  }
  SecureBytes out(out_len);
  const int ok = PKCS5_PBKDF2_HMAC(reinterpret_cast<const char*>(secret.data()),
                                   static_cast<int>(secret.size()), salt.data(),
                                   static_cast<int>(salt.size()), static_cast<int>(iterations),
                                   digest == Digest::kSha1 ? EVP_sha1() : EVP_sha256(),
                                   static_cast<int>(out_len), out.data());
  if (ok != 1) return make_error(ErrorCode::kInternal, "PBKDF2 failed");
  return out;
}

Result<SecureBytes> aes_unwrap(std::span<const std::uint8_t> kek,
                               std::span<const std::uint8_t> wrapped, std::string_view what) {
  if (kek.size() != 32) return make_error(ErrorCode::kInvalidArgument, "unwrap key is not 32 bytes");
  if (wrapped.size() < 24 || wrapped.size() % 8 != 0 || wrapped.size() > 520) {
    return make_error(ErrorCode::kMalformed, std::string(what) + ": wrapped key has a bad length");
  }
  CipherCtx ctx = new_ctx();
  if (!ctx) return make_error(ErrorCode::kInternal, "EVP_CIPHER_CTX_new failed");
  EVP_CIPHER_CTX_set_flags(ctx.get(), EVP_CIPHER_CTX_FLAG_WRAP_ALLOW);
  if (EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_wrap(), nullptr, kek.data(), nullptr) != 1) {
    return make_error(ErrorCode::kInternal, "AES key-wrap init failed");
  }
  SecureBytes out(wrapped.size());
  int len = 0;
  if (EVP_DecryptUpdate(ctx.get(), out.data(), &len, wrapped.data(),
                        static_cast<int>(wrapped.size())) != 1 ||
      len != static_cast<int>(wrapped.size() - 8)) {
    return make_error(ErrorCode::kWrongPassword,
                      std::string(what) + ": key unwrap integrity check failed (wrong password "
                                          "or key)");
  }
  SecureBytes key(out.data(), static_cast<std::size_t>(len));
  return key;
}

Result<CbcResult> decrypt_cbc(std::istream& in, std::span<const std::uint8_t> key,
                              const Sink& sink) {
  if (key.size() != 32) return make_error(ErrorCode::kInvalidArgument, "AES key is not 32 bytes");
  CipherCtx ctx = new_ctx();
  const std::uint8_t iv[kBlock] = {};
  if (!ctx || EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_cbc(), nullptr, key.data(), iv) != 1) {
    return make_error(ErrorCode::kInternal, "AES-CBC init failed");
  }
  EVP_CIPHER_CTX_set_padding(ctx.get(), 0);  // padding handled below so it can be reported
  std::vector<char> cipher(kChunk);
  std::string plain;
  std::string held;  // the last block, which may hold the padding
  CbcResult result;
  std::uint64_t total_in = 0;
  while (in) {
    in.read(cipher.data(), static_cast<std::streamsize>(cipher.size()));
    const auto got = static_cast<std::size_t>(in.gcount());
    if (got == 0) break;
    total_in += got;
    plain.resize(got + kBlock);
    int len = 0;
    if (EVP_DecryptUpdate(ctx.get(), reinterpret_cast<unsigned char*>(plain.data()), &len,
                          reinterpret_cast<const unsigned char*>(cipher.data()),
                          static_cast<int>(got)) != 1) {
      return make_error(ErrorCode::kInternal, "AES-CBC decrypt failed");
    }
    plain.resize(static_cast<std::size_t>(len));
    held += plain;
    if (held.size() > kBlock) {
      const std::size_t emit = held.size() - kBlock;
      if (auto r = sink(std::string_view(held).substr(0, emit)); !r) return tl::unexpected(r.error());
      result.plaintext_bytes += emit;
      held.erase(0, emit);
    }
  }
  if (in.bad()) return make_error(ErrorCode::kIo, "read error while decrypting");
  if (total_in % kBlock != 0) {
    return make_error(ErrorCode::kMalformed,
                      "encrypted content is not a whole number of AES blocks");
  }
  std::size_t keep = held.size();
  const auto pad = held.empty() ? 0u : static_cast<unsigned char>(held.back());
  bool valid = held.size() == kBlock && pad >= 1 && pad <= kBlock;
  for (std::size_t i = 0; valid && i < pad; ++i) {
    valid = static_cast<unsigned char>(held[held.size() - 1 - i]) == pad;
  }
  if (valid) keep -= pad;
  result.padding_valid = valid;
  if (keep > 0) {
    if (auto r = sink(std::string_view(held).substr(0, keep)); !r) return tl::unexpected(r.error());
  }
  result.plaintext_bytes += keep;
  OPENSSL_cleanse(plain.data(), plain.size());
  OPENSSL_cleanse(held.data(), held.size());
  return result;
}

}  // namespace spyglass::sources::ios_backup
