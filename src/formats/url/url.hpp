#pragma once
// URLs, host names and IP addresses as they appear in evidence and in indicator feeds.
// No indicator knowledge here: only the grammar and its normalisation.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace spyglass::formats::url {

// Host name normalisation: ASCII lower-case, one trailing dot dropped, IDN (UTF-8 or
// mixed-case punycode) labels converted to lower-case A-labels ("xn--..."), percent-escapes
// decoded. nullopt when it is not a plausible DNS name (empty label, forbidden bytes,
// label > 63 or name > 253 octets).
std::optional<std::string> normalize_host(std::string_view host);

// Canonical text of an IPv4 or IPv6 address given in any textual form (IPv6 compressed
// per RFC 5952, lower-case; IPv4-mapped IPv6 "::ffff:1.2.3.4" reported as "1.2.3.4";
// brackets allowed around IPv6). nullopt when it is not an IP literal.
std::optional<std::string> canonical_ip(std::string_view text);

struct ParsedUrl {
  std::string scheme;    // lower-case; empty when the text had none
  std::string userinfo;  // as written
  std::string host;      // normalised host name, or canonical IP (no brackets)
  bool host_is_ip = false;
  std::optional<std::uint16_t> port;
  std::string path;      // as written (case kept); "" when absent
  std::string query;     // without '?'; case kept
  bool has_query = false;
  std::string fragment;  // without '#'
};

// Parses an absolute URL ("https://user@Host:8443/p?q#f"), a scheme-relative one
// ("//host/p") or a bare "host[:port][/path]". nullopt when no valid host can be found.
std::optional<ParsedUrl> parse_url(std::string_view text);

// The comparison form of a URL for exact url-indicator matching: scheme and host
// lower-cased, IDN host as punycode, default port (80 http, 443 https, 21 ftp) and the
// host's trailing dot dropped, percent-escapes of unreserved characters decoded, an empty
// path written as "/", path, query and fragment otherwise kept with their case. A text
// without a scheme is read as "http://". nullopt when parse_url fails.
std::optional<std::string> normalize_url(std::string_view text);

// What extract() found in free text.
enum class FoundKind { kUrl, kDomain, kIp, kEmail };

struct Found {
  FoundKind kind;
  std::size_t offset = 0;  // byte offset in the scanned text
  std::string_view text;   // the slice of the scanned text
};

// Finds every URL (with a scheme, or starting "www."), bare domain (labels ending in a
// public suffix known to the Public Suffix List), IP literal and e-mail address in `text`,
// appending them to `out` (not cleared) in order of offset. Fast: a single pass that
// skips text without '.', ':' or '@'.
void extract(std::string_view text, std::vector<Found>& out);

}  // namespace spyglass::formats::url
