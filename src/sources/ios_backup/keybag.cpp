#include "sources/ios_backup/keybag.hpp"

#include <charconv>
#include <string>

#include "sources/ios_backup/crypto.hpp"

namespace spyglass::sources::ios_backup {
namespace {

constexpr std::size_t kMaxKeybagBytes = 1u << 20;
constexpr std::size_t kMaxClasses = 256;

tl::unexpected<Error> malformed(const std::string& what) {
  return make_error(ErrorCode::kMalformed, "malformed backup keybag: " + what);
}

Result<std::uint32_t> u32(std::span<const std::uint8_t> v, std::string_view tag) {
  if (v.size() != 4) return malformed(std::string(tag) + " is not a 4-byte integer");
  return (std::uint32_t{v[0]} << 24) | (std::uint32_t{v[1]} << 16) | (std::uint32_t{v[2]} << 8) |
         std::uint32_t{v[3]};
}

// "10.2" -> true when below (major, minor); unknown text -> nullopt.
std::optional<bool> version_below(std::string_view v, int major, int minor) {
  int ma = 0;
  int mi = 0;
  auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), ma);
  if (ec != std::errc()) return std::nullopt;
  if (p < v.data() + v.size() && *p == '.') std::from_chars(p + 1, v.data() + v.size(), mi);
  return ma < major || (ma == major && mi < minor);
}

}  // namespace

Result<Keybag> parse_keybag(std::span<const std::uint8_t> bytes) {
  if (bytes.size() > kMaxKeybagBytes) {
    return make_error(ErrorCode::kLimitExceeded, "backup keybag larger than 1 MiB");
  }
  Keybag kb;
  KeybagClass* current = nullptr;
  bool seen_header_uuid = false;
  std::size_t pos = 0;
  while (pos < bytes.size()) {
    if (bytes.size() - pos < 8) return malformed("truncated record header");
    const std::string tag(reinterpret_cast<const char*>(bytes.data() + pos), 4);
    auto len_r = u32(bytes.subspan(pos + 4, 4), "length");
    const std::size_t len = *len_r;
    pos += 8;
    if (len > bytes.size() - pos) return malformed("record " + tag + " runs past the end");
    const auto value = bytes.subspan(pos, len);
    pos += len;

    if (tag == "UUID") {
      if (!seen_header_uuid) {
        seen_header_uuid = true;
        kb.uuid.assign(value.begin(), value.end());
      } else {
        if (kb.classes.size() >= kMaxClasses) {
          return make_error(ErrorCode::kLimitExceeded, "backup keybag has too many classes");
        }
        current = &kb.classes.emplace_back();
        current->uuid.assign(value.begin(), value.end());
      }
      continue;
    }
    if (current != nullptr) {
      if (tag == "CLAS" || tag == "WRAP" || tag == "KTYP") {
        auto v = u32(value, tag);
        if (!v) return tl::unexpected(v.error());
        (tag == "CLAS" ? current->protection_class
                       : tag == "WRAP" ? current->wrap : current->key_type) = *v;
      } else if (tag == "WPKY") {
        current->wrapped_key.assign(value.begin(), value.end());
      }
      continue;  // PBKY and unknown tags carry nothing we need
    }
    if (tag == "VERS" || tag == "TYPE" || tag == "ITER" || tag == "DPIC") {
      auto v = u32(value, tag);
      if (!v) return tl::unexpected(v.error());
      if (tag == "VERS") kb.version = *v;
      if (tag == "TYPE") kb.type = *v;
      if (tag == "ITER") kb.iterations = *v;
      if (tag == "DPIC") kb.dp_iterations = *v;
    } else if (tag == "SALT") {
      kb.salt.assign(value.begin(), value.end());
    } else if (tag == "DPSL") {
      kb.dp_salt.assign(value.begin(), value.end());
    }
  }
  if (kb.salt.empty()) return malformed("no SALT record");
  if (kb.iterations == 0) return malformed("no ITER record");
  if (kb.type > 3) return malformed("keybag TYPE " + std::to_string(kb.type) + " is invalid");
  if (kb.iterations > kMaxIterations || kb.dp_iterations > kMaxDpIterations) {
    return make_error(ErrorCode::kLimitExceeded, "backup keybag asks for too many PBKDF2 rounds");
  }
  if (kb.classes.empty()) return malformed("no class keys");
  return kb;
}

Result<SecureBytes> derive_passcode_key(const Keybag& keybag, std::string_view password,
                                        std::string_view product_version) {
  const auto pw = std::span(reinterpret_cast<const std::uint8_t*>(password.data()),
                            password.size());
  bool two_step = !keybag.dp_salt.empty() && keybag.dp_iterations > 0;
  if (auto below = version_below(product_version, 10, 2); below && *below) two_step = false;
  if (!two_step) return pbkdf2(pw, keybag.salt, keybag.iterations, Digest::kSha1);
  auto first = pbkdf2(pw, keybag.dp_salt, keybag.dp_iterations, Digest::kSha256);
  if (!first) return first;
  return pbkdf2(first->span(), keybag.salt, keybag.iterations, Digest::kSha1);
}

Result<ClassKeys> unlock_class_keys(const Keybag& keybag, const SecureBytes& passcode_key) {
  ClassKeys keys;
  for (const auto& cls : keybag.classes) {
    if ((cls.wrap & 2u) == 0 || cls.wrapped_key.empty()) continue;
    auto key = aes_unwrap(passcode_key.span(), cls.wrapped_key,
                          "class key " + std::to_string(cls.protection_class));
    if (!key) return tl::unexpected(key.error());
    keys[cls.protection_class] = std::move(*key);
  }
  if (keys.empty()) return malformed("no passcode-wrapped class keys");
  return keys;
}

}  // namespace spyglass::sources::ios_backup
