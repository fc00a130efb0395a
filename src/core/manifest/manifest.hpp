#pragma once
// OUT/manifest.json: what a run read (evidence, indicators), what it wrote (outputs), with
// SHA-256 and size of each, so a third party can check the results were not altered and
// were produced from the stated evidence. Format and verify procedure: docs/manifest.md.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/manifest/digest_cache.hpp"
#include "core/manifest/signing.hpp"
#include "support/error.hpp"
#include "support/time.hpp"

namespace spyglass::manifest {

inline constexpr int kManifestVersion = 1;
inline constexpr const char* kManifestFileName = "manifest.json";
inline constexpr const char* kSignatureFileName = "manifest.json.sig";
// Hostile-input bound for the parser; a manifest of a million files is about 200 MB.
inline constexpr std::size_t kMaxManifestBytes = std::size_t{512} << 20;

struct ToolInfo {
  std::string name = "spyglass";
  std::string version;
  std::string build_id;
};

struct OsInfo {
  std::string sysname;
  std::string release;
  std::string machine;
};

// The host's uname(2), as recorded in the manifest.
OsInfo current_os_info();
// The tool fields of this build (support/version.hpp).
ToolInfo current_tool_info();

// One hashed file. `path` is relative (forward slashes) for evidence and outputs, as raw
// bytes: a name that is not UTF-8 is written with U+FFFD in "path" and its exact bytes in
// "path_hex". When the file could not be hashed, `error` says why and size/sha256 are absent.
struct FileEntry {
  std::string path;
  std::optional<std::uint64_t> size;
  std::string sha256;  // empty when error is set
  std::string error;
  std::string previous_sha256;  // history entries only: the hash before the rewrite
  friend bool operator==(const FileEntry&, const FileEntry&) = default;
};

struct IndicatorEntry {
  std::string name;  // display name of the indicator set in the report
  std::string path;  // as given to the run
  std::uint64_t size = 0;
  std::string sha256;
  friend bool operator==(const IndicatorEntry&, const IndicatorEntry&) = default;
};

struct EvidenceInfo {
  std::string root;  // absolute path of the evidence root at run time
  bool hash_all = false;
  std::vector<FileEntry> files;
  friend bool operator==(const EvidenceInfo&, const EvidenceInfo&) = default;
};

// A later command that rewrote outputs (`spyglass report OUT` re-rendering report.html).
struct HistoryEntry {
  std::string action;
  std::string at;                    // ISO 8601
  std::vector<std::string> command;  // redacted
  std::vector<FileEntry> files;      // new size/sha256, with previous_sha256
  friend bool operator==(const HistoryEntry&, const HistoryEntry&) = default;
};

struct Manifest {
  int version = kManifestVersion;
  ToolInfo tool;
  std::string started;               // ISO 8601 Z
  std::string finished;              // ISO 8601 Z
  std::vector<std::string> command;  // redacted argv
  OsInfo os;
  EvidenceInfo evidence;
  std::vector<IndicatorEntry> indicators;
  std::vector<FileEntry> outputs;
  std::vector<HistoryEntry> history;
};

bool operator==(const ToolInfo& a, const ToolInfo& b);
bool operator==(const OsInfo& a, const OsInfo& b);
bool operator==(const Manifest& a, const Manifest& b);

// What a run hands to write_manifest.
struct ManifestInput {
  ToolInfo tool = current_tool_info();
  std::vector<std::string> argv;  // raw; redact_command_line is applied by write_manifest
  UnixMicros started = 0;
  UnixMicros finished = 0;
  OsInfo os = current_os_info();
  // Made absolute by write_manifest. When it names a single file (a pcap, an archive), the
  // manifest's root is that file's folder and the file is the one evidence file.
  std::filesystem::path evidence_root;
  // Files the run read, relative to evidence_root. Ignored when hash_all is set.
  std::vector<std::filesystem::path> evidence_files;
  bool hash_all = false;  // --hash-all: every regular file under evidence_root
  std::vector<IndicatorEntry> indicators;
  std::optional<SecretKey> sign_key;  // --sign-key: writes manifest.json.sig
  // Digests computed while the run went on (digest_cache.hpp); files not there, or changed
  // since, are hashed here.
  DigestCache* digests = nullptr;
};

struct ManifestSummary {
  std::filesystem::path manifest_path;
  std::optional<std::filesystem::path> signature_path;
  std::string manifest_sha256;
  std::size_t evidence_files = 0;
  std::size_t evidence_errors = 0;  // listed files that could not be hashed
  std::size_t outputs = 0;
};

// Hashes evidence and every file in out_dir (except manifest.json and its .sig), writes
// out_dir/manifest.json and, with a key, out_dir/manifest.json.sig. A stale .sig from an
// earlier run is removed when no key is given. An unreadable evidence file is recorded
// with an "error" field; only failure to write the manifest is an error.
Result<ManifestSummary> write_manifest(const ManifestInput& input,
                                       const std::filesystem::path& out_dir);

// The canonical bytes of a manifest: 2-space indented JSON, fixed key order, file lists
// sorted by path, ending with a newline. Equal manifests give identical bytes.
std::string serialize_manifest(const Manifest& manifest);

// Strict parser for hostile bytes: kMalformed with a message naming the field for
// anything off-format (including unsafe paths such as "../x" or "/etc/passwd"),
// kUnsupported for a newer manifest version, kLimitExceeded beyond kMaxManifestBytes.
Result<Manifest> parse_manifest(std::string_view bytes);

// The exact bytes of out_dir/manifest.json (what the signature covers), bounded by
// kMaxManifestBytes. kNotFound when absent.
Result<std::string> read_manifest_bytes(const std::filesystem::path& out_dir);
// Reads and parses out_dir/manifest.json.
Result<Manifest> load_manifest(const std::filesystem::path& out_dir);

// Lists every file under dir (recursively, symlinks not followed) as sorted relative paths
// with forward slashes, without manifest.json and manifest.json.sig at the top level.
Result<std::vector<std::string>> list_output_files(const std::filesystem::path& dir);

// A later command rewrote some outputs and records it.
struct ManifestUpdate {
  std::string action = "report";
  UnixMicros at = 0;
  std::vector<std::string> argv;   // raw; redacted here
  std::vector<std::string> files;  // rewritten or new outputs, relative to out_dir
  std::optional<SecretKey> sign_key;
};

// Re-hashes `files`, updates (or adds) their outputs entries and appends a history entry.
// A signed manifest is only updated with the key that signed it: without a key, or when the
// current signature does not verify with the key's public half (another key, or a manifest
// altered since), it refuses with kInvalidArgument and changes nothing. With a key the
// updated manifest is (re-)signed.
Result<ManifestSummary> update_manifest(const std::filesystem::path& out_dir,
                                        const ManifestUpdate& update);

// True when a relative manifest path is safe to join to a root: non-empty, not absolute, no
// "." / ".." / empty components, no NUL.
bool is_safe_relative_path(std::string_view path);

}  // namespace spyglass::manifest
