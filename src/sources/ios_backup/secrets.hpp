#pragma once
// Where the backup password or key comes from. Never from process arguments: a key file, a
// password file, an environment variable, or a no-echo prompt on the terminal.
#include <filesystem>
#include <optional>
#include <string>

#include "sources/ios_backup/secure_bytes.hpp"
#include "support/error.hpp"

namespace spyglass::sources::ios_backup {

struct Secret {
  enum class Kind { kPassword, kKey };
  Kind kind = Kind::kPassword;
  SecureBytes bytes;  // password bytes, or the 32-byte derived key
};

struct SecretOptions {
  std::optional<std::filesystem::path> key_file;       // --key-file: 64 hex chars
  std::optional<std::filesystem::path> password_file;  // --password-file
  std::optional<std::string> password_env;             // --password-env VAR
  bool allow_prompt = true;
};

// Tries, in order: key file, password file, environment variable, terminal prompt (only when
// stdin is a terminal). With none available: kInvalidArgument saying how to give it.
Result<Secret> obtain_secret(const SecretOptions& options);

// 64 hex characters (surrounding whitespace ignored) -> 32 bytes.
Result<SecureBytes> parse_hex_key(std::string_view text);

}  // namespace spyglass::sources::ios_backup
