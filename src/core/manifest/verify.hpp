#pragma once
// `spyglass verify OUT`: re-hash what manifest.json lists and check its signature.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace spyglass::manifest {

struct VerifyOptions {
  std::optional<std::filesystem::path> public_key;     // --pubkey FILE
  std::optional<std::filesystem::path> evidence_root;  // --evidence PATH
};

enum class SignatureStatus {
  kNotPresent,  // no .sig and no --pubkey
  kNotChecked,  // a .sig exists but no --pubkey was given
  kValid,
  kInvalid,    // does not verify: manifest.json changed, or another key signed it
  kMalformed,  // the .sig is not base64 of a 64-byte signature
  kMissing,    // --pubkey given but there is no manifest.json.sig
};

struct Finding {
  enum class Kind {
    kOutputChanged,  // hash or size differs
    kOutputMissing,  // listed, no longer there
    kOutputAdded,    // in OUT, not listed
    kOutputUnreadable,
    kEvidenceChanged,
    kEvidenceMissing,
    kEvidenceUnreadable,
  };
  Kind kind;
  std::string path;  // relative to OUT or to the evidence root
  std::string expected_sha256;
  std::string actual_sha256;
  std::optional<std::uint64_t> expected_size;
  std::optional<std::uint64_t> actual_size;
  std::string detail;  // an error message for the unreadable kinds
};

struct VerifyReport {
  // 0 everything matches, 1 something differs or the signature fails, 2 cannot check.
  int exit_code = 2;
  std::string error;  // why it could not check (exit_code 2)
  SignatureStatus signature = SignatureStatus::kNotPresent;
  std::vector<Finding> findings;
  std::size_t outputs_checked = 0;
  std::size_t evidence_checked = 0;
  std::size_t evidence_not_checked = 0;  // entries the run itself could not hash
};

// Never fails as a call: whatever goes wrong is in the report (exit_code 2 and `error`).
VerifyReport verify_manifest(const std::filesystem::path& out_dir, const VerifyOptions& options);

// Human-readable lines for the CLI, one per finding, then a verdict line.
std::string format_verify_report(const VerifyReport& report);

const char* to_string(SignatureStatus status);
const char* to_string(Finding::Kind kind);

}  // namespace spyglass::manifest
