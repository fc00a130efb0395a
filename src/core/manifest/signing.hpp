#pragma once
// ed25519 keys and detached signatures (libsodium) for the evidence manifest.
// Key files hold hex and a newline: NAME.key the 64-byte libsodium secret key (seed followed
// by the public key), NAME.pub the 32-byte public key. Signatures are base64 (standard
// alphabet, padded) of the 64-byte detached signature, followed by a newline.
#include <array>
#include <filesystem>
#include <string>
#include <string_view>

#include "support/error.hpp"

namespace spyglass::manifest {

inline constexpr std::size_t kPublicKeyBytes = 32;
inline constexpr std::size_t kSecretKeyBytes = 64;
inline constexpr std::size_t kSignatureBytes = 64;

struct PublicKey {
  std::array<unsigned char, kPublicKeyBytes> bytes{};
  std::string hex() const;
};

// Wiped on destruction so the key does not linger in freed memory.
class SecretKey {
 public:
  SecretKey() = default;
  ~SecretKey();
  SecretKey(const SecretKey& other) = default;
  SecretKey& operator=(const SecretKey& other) = default;

  std::array<unsigned char, kSecretKeyBytes>& bytes() { return bytes_; }
  const std::array<unsigned char, kSecretKeyBytes>& bytes() const { return bytes_; }
  PublicKey public_key() const;

 private:
  std::array<unsigned char, kSecretKeyBytes> bytes_{};
};

struct KeyFiles {
  std::filesystem::path secret_key;  // NAME.key, mode 0600
  std::filesystem::path public_key;  // NAME.pub
  PublicKey public_key_value;
};

// Creates NAME.key and NAME.pub. Refuses (kInvalidArgument) when either exists: a key is
// never overwritten. The secret key file is created with O_EXCL and mode 0600.
Result<KeyFiles> generate_key_files(const std::filesystem::path& name);

Result<SecretKey> load_secret_key(const std::filesystem::path& path);
Result<PublicKey> load_public_key(const std::filesystem::path& path);

// Parsing of the key file text (hex, surrounding whitespace ignored).
Result<SecretKey> parse_secret_key(std::string_view text);
Result<PublicKey> parse_public_key(std::string_view text);

// The text of a .sig file (bounded: a signature file is under a hundred bytes).
Result<std::string> read_signature_file(const std::filesystem::path& path);

// The content of a .sig file for these exact bytes: base64 and a newline.
std::string sign_detached(std::string_view message, const SecretKey& key);

enum class SignatureCheck { kValid, kMalformed, kInvalid };
// kMalformed: not base64 of exactly 64 bytes; kInvalid: well-formed, does not verify.
SignatureCheck verify_detached(std::string_view message, std::string_view signature_file_text,
                               const PublicKey& key);

}  // namespace spyglass::manifest
