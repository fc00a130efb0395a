#include "core/indicators/indicator_value.hpp"

#include <fmt/format.h>

#include "formats/url/url.hpp"

namespace spyglass::indicators {
namespace {

namespace url = spyglass::formats::url;

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

std::string ascii_lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

bool is_hex(std::string_view s) {
  for (char c : s) {
    const bool hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    if (!hex) return false;
  }
  return !s.empty();
}

std::optional<IocType> hash_type_for_length(std::size_t n) {
  switch (n) {
    case 32:
      return IocType::kHashMd5;
    case 40:
      return IocType::kHashSha1;
    case 64:
      return IocType::kHashSha256;
    case 128:
      return IocType::kHashSha512;
    default:
      return std::nullopt;
  }
}

std::optional<NormalisedValue> normalise_ip(std::string_view text, std::string& why) {
  std::string_view addr = text;
  // A single-host CIDR is an address; wider ranges need range matching we do not do.
  if (const auto slash = addr.find('/'); slash != std::string_view::npos) {
    const std::string_view prefix = addr.substr(slash + 1);
    const bool v6 = addr.find(':') != std::string_view::npos;
    if (prefix != (v6 ? "128" : "32")) {
      why = fmt::format("CIDR range '{}' is not supported", text);
      return std::nullopt;
    }
    addr = addr.substr(0, slash);
  }
  auto ip = url::canonical_ip(addr);
  if (!ip) {
    why = fmt::format("'{}' is not an IP address", text);
    return std::nullopt;
  }
  return NormalisedValue{IocType::kIp, std::move(*ip), {}};
}

std::optional<NormalisedValue> normalise_domain(std::string_view text, std::string& why) {
  if (auto ip = url::canonical_ip(text)) {
    return NormalisedValue{IocType::kIp, std::move(*ip), "IP address typed as domain-name"};
  }
  // Feeds sometimes write a URL or "host/path" where a domain belongs: keep its host, since
  // that is the part a domain indicator can match.
  if (text.find_first_of("/:?#@") != std::string_view::npos) {
    auto parsed = url::parse_url(text);
    if (!parsed || parsed->host.empty()) {
      why = fmt::format("'{}' is not a domain name", text);
      return std::nullopt;
    }
    std::string note =
        fmt::format("domain-name value '{}' is not a bare host; using '{}'", text, parsed->host);
    return NormalisedValue{parsed->host_is_ip ? IocType::kIp : IocType::kDomain,
                           std::move(parsed->host), std::move(note)};
  }
  if (auto host = url::normalize_host(text)) {
    return NormalisedValue{IocType::kDomain, std::move(*host), {}};
  }
  // Not a DNS name by the book (e.g. an underscore label); it can still appear verbatim in
  // evidence, so keep it in comparison form rather than drop it.
  std::string value = ascii_lower(text);
  if (value.size() > 1 && value.back() == '.') value.pop_back();
  return NormalisedValue{IocType::kDomain, std::move(value),
                         fmt::format("'{}' is not a valid host name; kept as written", text)};
}

}  // namespace

std::optional<NormalisedValue> normalise_value(IocType declared, std::string_view raw,
                                               std::string& why) {
  const bool exact = declared == IocType::kProcess || declared == IocType::kFileName ||
                     declared == IocType::kFilePath;
  // Names and paths are compared byte for byte: a leading space may be part of the name.
  const std::string_view text = exact ? raw : trim(raw);
  if (text.empty()) {
    why = "empty value";
    return std::nullopt;
  }
  switch (declared) {
    case IocType::kDomain:
      return normalise_domain(text, why);
    case IocType::kIp:
      return normalise_ip(text, why);
    case IocType::kUrl: {
      if (auto normal = url::normalize_url(text)) {
        return NormalisedValue{IocType::kUrl, std::move(*normal), {}};
      }
      return NormalisedValue{IocType::kUrl, std::string(text),
                             "URL could not be parsed; compared as written"};
    }
    case IocType::kHashMd5:
    case IocType::kHashSha1:
    case IocType::kHashSha256:
    case IocType::kHashSha512: {
      NormalisedValue out{declared, ascii_lower(text), {}};
      if (!is_hex(text)) {
        out.note = "hash value is not hexadecimal";
      } else if (auto by_length = hash_type_for_length(text.size()); !by_length) {
        out.note = "hash value has an unexpected length";
      } else if (*by_length != declared) {
        // Observed hashes are routed by length; a mislabelled one would never match.
        out.type = *by_length;
        out.note = "hash labelled " + std::string(stats_name(declared)) + " has the length of " +
                   std::string(stats_name(*by_length));
      }
      return out;
    }
    default:
      break;
  }
  if (is_case_insensitive(declared)) return NormalisedValue{declared, ascii_lower(text), {}};
  return NormalisedValue{declared, std::string(text), {}};
}

}  // namespace spyglass::indicators
