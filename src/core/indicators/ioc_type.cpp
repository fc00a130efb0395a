#include "core/indicators/ioc_type.hpp"

namespace spyglass::indicators {

std::string_view cli_name(IocType type) {
  switch (type) {
    case IocType::kDomain:
      return "domain";
    case IocType::kUrl:
      return "url";
    case IocType::kIp:
      return "ip";
    case IocType::kProcess:
      return "process";
    case IocType::kEmail:
      return "email";
    case IocType::kFileName:
      return "file-name";
    case IocType::kFilePath:
      return "file-path";
    case IocType::kHashMd5:
    case IocType::kHashSha1:
    case IocType::kHashSha256:
    case IocType::kHashSha512:
      return "hash";
    case IocType::kAppId:
      return "app-id";
    case IocType::kAppCert:
      return "cert";
    case IocType::kProfileId:
      return "profile";
    case IocType::kAndroidProperty:
      return "android-property";
  }
  return "unknown";
}

std::string_view stats_name(IocType type) {
  switch (type) {
    case IocType::kHashMd5:
      return "hash-md5";
    case IocType::kHashSha1:
      return "hash-sha1";
    case IocType::kHashSha256:
      return "hash-sha256";
    case IocType::kHashSha512:
      return "hash-sha512";
    default:
      return cli_name(type);
  }
}

std::string_view mvt_type_name(IocType type) {
  switch (type) {
    case IocType::kDomain:
      return "domains";
    case IocType::kUrl:
      return "urls";
    case IocType::kIp:
      return "ips";
    case IocType::kProcess:
      return "processes";
    case IocType::kEmail:
      return "emails";
    case IocType::kFileName:
      return "file_names";
    case IocType::kFilePath:
      return "file_paths";
    case IocType::kHashMd5:
      return "files_md5";
    case IocType::kHashSha1:
      return "files_sha1";
    case IocType::kHashSha256:
      return "files_sha256";
    case IocType::kHashSha512:
      return "files_sha512";
    case IocType::kAppId:
      return "app_ids";
    case IocType::kAppCert:
      return "app_cert_hashes";
    case IocType::kProfileId:
      return "ios_profile_ids";
    case IocType::kAndroidProperty:
      return "android_property_names";
  }
  return "unknown";
}

bool is_case_insensitive(IocType type) {
  switch (type) {
    // URL hosts are lower-cased by URL normalisation; paths and queries keep their case.
    case IocType::kUrl:
    // Process names, file names and paths are case-sensitive on Linux/Android and on
    // iOS's case-sensitive APFS system volume.
    case IocType::kProcess:
    case IocType::kFileName:
    case IocType::kFilePath:
      return false;
    default:
      return true;
  }
}

}  // namespace spyglass::indicators
