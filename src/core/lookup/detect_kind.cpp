#include "core/lookup/detect_kind.hpp"

#include <algorithm>
#include <cctype>

#include "formats/url/url.hpp"

namespace spyglass::lookup {
namespace {

using matching::ObservableKind;

bool is_hex(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
    return std::isxdigit(static_cast<unsigned char>(c)) != 0;
  });
}

bool is_uuid(std::string_view s) {
  if (s.size() != 36) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash ? s[i] != '-' : std::isxdigit(static_cast<unsigned char>(s[i])) == 0) return false;
  }
  return true;
}

bool has_space(std::string_view s) {
  return std::any_of(s.begin(), s.end(),
                     [](char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; });
}

bool is_email(std::string_view s) {
  const auto at = s.find('@');
  if (at == std::string_view::npos || at == 0 || at + 1 >= s.size()) return false;
  if (s.find('@', at + 1) != std::string_view::npos) return false;
  return s.find('.', at) != std::string_view::npos && !has_space(s);
}

}  // namespace

std::vector<ObservableKind> detect_kinds(std::string_view value) {
  if (value.find("://") != std::string_view::npos) return {ObservableKind::kUrl};
  if (formats::url::canonical_ip(value)) return {ObservableKind::kIp};
  const size_t n = value.size();
  if ((n == 32 || n == 40 || n == 64 || n == 128) && is_hex(value)) return {ObservableKind::kHash};
  if (is_uuid(value)) return {ObservableKind::kProfileId};
  if (is_email(value)) return {ObservableKind::kEmail};
  if (!value.empty() && value.front() == '/') return {ObservableKind::kFilePath};
  if (has_space(value)) return {ObservableKind::kText};
  return {ObservableKind::kDomain, ObservableKind::kAppId, ObservableKind::kAndroidProperty,
          ObservableKind::kProcess, ObservableKind::kFileName};
}

std::vector<ObservableKind> kinds_for_type_name(std::string_view name) {
  if (name == "domain") return {ObservableKind::kDomain};
  if (name == "url") return {ObservableKind::kUrl};
  if (name == "ip") return {ObservableKind::kIp};
  if (name == "process") return {ObservableKind::kProcess};
  if (name == "email") return {ObservableKind::kEmail};
  if (name == "file-name") return {ObservableKind::kFileName};
  if (name == "file-path") return {ObservableKind::kFilePath};
  if (name == "hash") return {ObservableKind::kHash};
  if (name == "app-id") return {ObservableKind::kAppId};
  if (name == "cert") return {ObservableKind::kAppCert};
  if (name == "android-property") return {ObservableKind::kAndroidProperty};
  if (name == "profile") return {ObservableKind::kProfileId};
  if (name == "text") return {ObservableKind::kText};
  return {};
}

std::string_view type_names_help() {
  return "domain, url, ip, process, email, file-name, file-path, hash, app-id, cert, "
         "android-property, profile, text";
}

}  // namespace spyglass::lookup
