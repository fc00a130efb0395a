#pragma once
// Thin wrappers over OpenSSL 3 for iOS backup encryption: PBKDF2, RFC 3394 key unwrap and
// AES-256-CBC with a zero IV, decrypted in chunks.
#include <cstdint>
#include <functional>
#include <istream>
#include <span>
#include <string_view>

#include "sources/ios_backup/secure_bytes.hpp"
#include "support/error.hpp"

namespace spyglass::sources::ios_backup {

enum class Digest { kSha1, kSha256 };

Result<SecureBytes> pbkdf2(std::span<const std::uint8_t> secret, std::span<const std::uint8_t> salt,
                           std::uint32_t iterations, Digest digest, std::size_t out_len = 32);

// AES-256 key unwrap (RFC 3394, default IV). A failed integrity check is kWrongPassword with
// `what` in the message; other failures are kMalformed.
Result<SecureBytes> aes_unwrap(std::span<const std::uint8_t> kek,
                               std::span<const std::uint8_t> wrapped, std::string_view what);

struct CbcResult {
  std::uint64_t plaintext_bytes = 0;  // after padding removal
  bool padding_valid = true;          // false: the last block kept as is (reported, not cut)
};

using Sink = std::function<Result<void>(std::string_view)>;

// AES-256-CBC, IV = 0, PKCS#7 padding stripped when valid. Reads `in` in 1 MiB chunks.
Result<CbcResult> decrypt_cbc(std::istream& in, std::span<const std::uint8_t> key,
                              const Sink& sink);

}  // namespace spyglass::sources::ios_backup
