#pragma once
// The BackupKeyBag from Manifest.plist: TLV records (tag[4] | u32 BE length | value) with a
// header (VERS TYPE UUID HMCK WRAP SALT ITER [DPWT DPIC DPSL]) and one record group per
// protection class, each starting at a UUID.
#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "sources/ios_backup/secure_bytes.hpp"
#include "support/error.hpp"

namespace spyglass::sources::ios_backup {

struct KeybagClass {
  std::uint32_t protection_class = 0;
  std::uint32_t wrap = 0;  // bit 1: device key, bit 2: passcode key
  std::uint32_t key_type = 0;
  std::vector<std::uint8_t> uuid;
  std::vector<std::uint8_t> wrapped_key;  // WPKY, 40 bytes
};

struct Keybag {
  std::uint32_t version = 0;
  std::uint32_t type = 0;
  std::vector<std::uint8_t> uuid;
  std::vector<std::uint8_t> salt;           // SALT (SHA-1 round)
  std::uint32_t iterations = 0;             // ITER
  std::vector<std::uint8_t> dp_salt;        // DPSL (SHA-256 round, iOS >= 10.2)
  std::uint32_t dp_iterations = 0;          // DPIC
  std::vector<KeybagClass> classes;
};

// Hostile keybags could ask for billions of PBKDF2 rounds; real ones use 10 M / 10 k.
inline constexpr std::uint32_t kMaxDpIterations = 100'000'000;
inline constexpr std::uint32_t kMaxIterations = 10'000'000;

Result<Keybag> parse_keybag(std::span<const std::uint8_t> bytes);

// The 32-byte passcode key. `product_version` (Lockdown.ProductVersion) selects the
// pre-10.2 single SHA-1 derivation when below 10.2; empty means "decide from the keybag".
Result<SecureBytes> derive_passcode_key(const Keybag& keybag, std::string_view password,
                                        std::string_view product_version);

using ClassKeys = std::map<std::uint32_t, SecureBytes>;

// Unwraps every passcode-wrapped class key; a wrong passcode key gives kWrongPassword.
Result<ClassKeys> unlock_class_keys(const Keybag& keybag, const SecureBytes& passcode_key);

}  // namespace spyglass::sources::ios_backup
