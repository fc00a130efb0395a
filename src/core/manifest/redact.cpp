#include "core/manifest/redact.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <string_view>

namespace spyglass::manifest {
namespace {

std::string to_lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

bool is_secret_option_name(std::string_view name) {
  const std::string lower = to_lower(name);
  static constexpr std::array<std::string_view, 3> kPathOptions = {"key-file", "sign-key",
                                                                   "pubkey"};
  for (const auto path_option : kPathOptions) {
    if (lower == path_option) return false;
  }
  if (lower.rfind("ask-", 0) == 0 || lower.rfind("no-", 0) == 0) return false;
  static constexpr std::array<std::string_view, 6> kSecretWords = {
      "password", "passwd", "passphrase", "secret", "token", "key"};
  return std::any_of(kSecretWords.begin(), kSecretWords.end(),
                     [&](std::string_view word) { return lower.find(word) != std::string::npos; });
}

}  // namespace

std::vector<std::string> redact_command_line(const std::vector<std::string>& argv) {
  std::vector<std::string> out;
  out.reserve(argv.size());
  bool redact_next = false;
  bool options_ended = false;
  for (std::size_t i = 0; i < argv.size(); ++i) {
    const std::string& arg = argv[i];
    if (i == 0 || options_ended) {
      out.push_back(arg);
      continue;
    }
    if (redact_next) {
      out.emplace_back(kRedacted);
      redact_next = false;
      continue;
    }
    if (arg == "--") {
      options_ended = true;
      out.push_back(arg);
      continue;
    }
    if (arg.size() > 2 && arg.compare(0, 2, "--") == 0) {
      const std::string_view body = std::string_view(arg).substr(2);
      const auto eq = body.find('=');
      const std::string_view name = body.substr(0, eq);
      if (is_secret_option_name(name)) {
        if (eq == std::string_view::npos) {
          out.push_back(arg);
          redact_next = true;
        } else {
          out.push_back("--" + std::string(name) + "=" + kRedacted);
        }
        continue;
      }
      out.push_back(arg);
      continue;
    }
    if (arg == "-p") {
      out.push_back(arg);
      redact_next = true;
      continue;
    }
    if (arg.size() > 2 && arg.compare(0, 2, "-p") == 0) {
      out.push_back(std::string("-p") + kRedacted);
      continue;
    }
    out.push_back(arg);
  }
  return out;
}

}  // namespace spyglass::manifest
