#include "sources/ios_backup/backup_keys.hpp"

#include <fstream>
#include <iterator>
#include <string>

#include "formats/plist/reader.hpp"
#include "sources/ios_backup/crypto.hpp"

namespace spyglass::sources::ios_backup {
namespace pl = formats::plist;

namespace {

constexpr std::uintmax_t kMaxRootPlist = 64u << 20;

std::uint32_t le32(const std::uint8_t* p) {
  return std::uint32_t{p[0]} | (std::uint32_t{p[1]} << 8) | (std::uint32_t{p[2]} << 16) |
         (std::uint32_t{p[3]} << 24);
}

Result<SecureBytes> unwrap_with_class(const UnlockedKeys& keys, std::uint32_t cls,
                                      std::span<const std::uint8_t> wrapped, std::string_view what) {
  auto it = keys.class_keys.find(cls);
  if (it == keys.class_keys.end()) {
    return make_error(ErrorCode::kMalformed, std::string(what) + ": protection class " +
                                                 std::to_string(cls) + " has no unlocked key");
  }
  return aes_unwrap(it->second.span(), wrapped, what);
}

}  // namespace

Result<pl::Value> read_root_plist(const std::filesystem::path& path) {
  const std::string name = path.filename().string();
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) {
    return make_error(ErrorCode::kNotFound, name + " is missing");
  }
  const auto size = std::filesystem::file_size(path, ec);
  if (ec || size > kMaxRootPlist) {
    return make_error(ErrorCode::kLimitExceeded, name + " is unreadable or larger than 64 MiB");
  }
  std::ifstream in(path, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  auto v = pl::parse(bytes);
  if (!v) return make_error(v.error().code, name + ": " + v.error().message);
  if (v->as_dict() == nullptr) return make_error(ErrorCode::kMalformed, name + " is not a dict");
  return v;
}

Result<UnlockedKeys> unlock_backup(const pl::Value& manifest_plist, const Secret& secret) {
  const pl::Value* bag = manifest_plist.get("BackupKeyBag");
  if (bag == nullptr || bag->as_data() == nullptr) {
    return make_error(ErrorCode::kMalformed, "Manifest.plist has no BackupKeyBag");
  }
  auto keybag = parse_keybag(*bag->as_data());
  if (!keybag) return tl::unexpected(keybag.error());

  UnlockedKeys keys;
  if (secret.kind == Secret::Kind::kKey) {
    if (secret.bytes.size() != 32) {
      return make_error(ErrorCode::kInvalidArgument, "a backup key is 32 bytes");
    }
    keys.passcode_key = secret.bytes;
  } else {
    std::string version;
    if (const pl::Value* lockdown = manifest_plist.get("Lockdown")) {
      if (const pl::Value* v = lockdown->get("ProductVersion"); v && v->as_string()) {
        version = *v->as_string();
      }
    }
    auto derived = derive_passcode_key(*keybag, secret.bytes.view(), version);
    if (!derived) return tl::unexpected(derived.error());
    keys.passcode_key = std::move(*derived);
  }
  auto class_keys = unlock_class_keys(*keybag, keys.passcode_key);
  if (!class_keys) {
    Error e = class_keys.error();
    if (e.code == ErrorCode::kWrongPassword) {
      e.message = secret.kind == Secret::Kind::kKey
                      ? "wrong backup key: the class keys do not unwrap with it"
                      : "wrong backup password: the class keys do not unwrap with it";
    }
    return tl::unexpected(e);
  }
  keys.class_keys = std::move(*class_keys);

  if (const pl::Value* mk = manifest_plist.get("ManifestKey")) {
    const pl::Bytes* b = mk->as_data();
    if (b == nullptr || b->size() < 4 + 40) {
      return make_error(ErrorCode::kMalformed, "Manifest.plist ManifestKey is not 44 bytes");
    }
    auto key = unwrap_with_class(keys, le32(b->data()), std::span(*b).subspan(4, 40), "ManifestKey");
    if (!key) {
      Error e = key.error();
      if (e.code == ErrorCode::kWrongPassword) e.code = ErrorCode::kMalformed;
      return tl::unexpected(e);
    }
    keys.manifest_key = std::move(*key);
  }
  return keys;
}

Result<SecureBytes> file_key(const UnlockedKeys& keys, const pl::MBFile& file) {
  if (!file.encryption_key || file.encryption_key->size() < 4 + 40) {
    return make_error(ErrorCode::kMalformed, "EncryptionKey is not 44 bytes");
  }
  const pl::Bytes& k = *file.encryption_key;
  const std::uint32_t cls = file.protection_class
                                ? static_cast<std::uint32_t>(*file.protection_class)
                                : le32(k.data());
  return unwrap_with_class(keys, cls, std::span(k).subspan(4, 40), "file key");
}

}  // namespace spyglass::sources::ios_backup
