#pragma once
// The kinds of indicator spyglass understands, with their names in the CLI and in
// MVT-compatible outputs.
#include <array>
#include <optional>
#include <string_view>

namespace spyglass::indicators {

enum class IocType {
  kDomain,           // domain-name:value
  kUrl,              // url:value
  kIp,               // ipv4-addr:value, ipv6-addr:value (and IP literals typed as domains)
  kProcess,          // process:name
  kEmail,            // email-addr:value
  kFileName,         // file:name
  kFilePath,         // file:path
  kHashMd5,          // file:hashes.md5 / 'MD5'
  kHashSha1,         // file:hashes.sha1 / 'SHA-1'
  kHashSha256,       // file:hashes.sha256 / 'SHA-256'
  kHashSha512,       // file:hashes.sha512 / 'SHA-512'
  kAppId,            // app:id (MVT extension)
  kAppCert,          // app:cert.{md5,sha1,sha256} (MVT extension)
  kProfileId,        // configuration-profile:id (MVT extension)
  kAndroidProperty,  // android-property:name (MVT extension)
};

inline constexpr std::array<IocType, 15> kAllIocTypes = {
    IocType::kDomain,     IocType::kUrl,        IocType::kIp,
    IocType::kProcess,    IocType::kEmail,      IocType::kFileName,
    IocType::kFilePath,   IocType::kHashMd5,    IocType::kHashSha1,
    IocType::kHashSha256, IocType::kHashSha512, IocType::kAppId,
    IocType::kAppCert,    IocType::kProfileId,  IocType::kAndroidProperty,
};

// CLI names: domain, url, ip, process, email, file-name, file-path, hash (all four hash
// types), app-id, cert, profile, android-property.
std::string_view cli_name(IocType type);
// Stats names: as cli_name, but hashes keep their algorithm (hash-md5, hash-sha1, ...).
std::string_view stats_name(IocType type);
// MVT collection-type names used in matched_indicator.type ("domains", "processes",
// "files_sha256", ...); types MVT lacks get new names ("ips", "files_sha512").
std::string_view mvt_type_name(IocType type);
// Whether values of this type compare case-insensitively (lower-cased when indexed).
bool is_case_insensitive(IocType type);

}  // namespace spyglass::indicators
