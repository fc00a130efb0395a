#pragma once
// From Manifest.plist and a secret to the keys that open Manifest.db and each file.
#include <filesystem>

#include "formats/plist/mbfile.hpp"
#include "formats/plist/value.hpp"
#include "sources/ios_backup/keybag.hpp"
#include "sources/ios_backup/secrets.hpp"
#include "support/error.hpp"

namespace spyglass::sources::ios_backup {

struct UnlockedKeys {
  SecureBytes passcode_key;  // what extract-key prints
  ClassKeys class_keys;
  SecureBytes manifest_key;  // empty before iOS 10.2 (Manifest.db not encrypted)
};

// Reads a root plist (Manifest/Info/Status.plist); kNotFound or kMalformed with its name.
Result<formats::plist::Value> read_root_plist(const std::filesystem::path& path);

// Parses BackupKeyBag, derives the passcode key from a password (or takes the given key),
// unwraps the class keys (kWrongPassword when they do not unwrap) and the ManifestKey.
Result<UnlockedKeys> unlock_backup(const formats::plist::Value& manifest_plist,
                                   const Secret& secret);

// The per-file AES key: class key of ProtectionClass unwraps EncryptionKey[4:44].
Result<SecureBytes> file_key(const UnlockedKeys& keys, const formats::plist::MBFile& file);

}  // namespace spyglass::sources::ios_backup
