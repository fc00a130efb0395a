#pragma once
// What an artifact module hands to the core for matching: a typed value seen in evidence.
// Modules never match; they only say what they saw.
#include <cstdint>
#include <string>

namespace spyglass::matching {

enum class ObservableKind {
  kUrl,              // a URL, with or without scheme
  kDomain,           // a host name (or an IP literal: it is routed to IP matching)
  kIp,               // an IPv4/IPv6 address in any textual form
  kText,             // free text: every URL, bare domain, IP and email in it is matched
  kProcess,          // a process name or path (basename is compared)
  kEmail,
  kFileName,
  kFilePath,         // matched against file:path (prefix) and its basename against file:name
  kHash,             // algorithm from the length: 32 md5, 40 sha1, 64 sha256, 128 sha512
  kAppId,
  kAppCert,
  kProfileId,
  kAndroidProperty,
};

// The kernel's process-name truncation: iOS keeps 16 characters (MAXCOMLEN), Linux and
// Android 15 (TASK_COMM_LEN minus the NUL). kAny accepts either length.
enum class CommTruncation : std::uint8_t { kAny = 0, kIos = 16, kLinux = 15, kNone = 255 };

struct Observable {
  ObservableKind kind = ObservableKind::kText;
  std::string value;
  std::string field;  // the record field it came from ("text", "url", "proc_name"): provenance
  CommTruncation truncation = CommTruncation::kAny;  // kProcess only
};

}  // namespace spyglass::matching
