#include "core/manifest/verify.hpp"

#include <algorithm>
#include <set>
#include <string_view>
#include <tuple>

#include "core/manifest/hashing.hpp"
#include "core/manifest/manifest.hpp"
#include "core/manifest/signing.hpp"

namespace spyglass::manifest {

namespace fs = std::filesystem;

namespace {

VerifyReport cannot_check(std::string message) {
  VerifyReport report;
  report.exit_code = 2;
  report.error = std::move(message);
  return report;
}

// Compares one listed file with what is on disk now; appends a finding when it differs.
void check_entry(const fs::path& root, const FileEntry& entry, bool is_output,
                 VerifyReport& report) {
  Finding f;
  f.path = entry.path;
  f.expected_sha256 = entry.sha256;
  f.expected_size = entry.size;
  auto digest = sha256_file(root / entry.path, FollowSymlinks::kNo);
  if (!digest) {
    if (digest.error().code == ErrorCode::kNotFound) {
      f.kind = is_output ? Finding::Kind::kOutputMissing : Finding::Kind::kEvidenceMissing;
    } else {
      f.kind = is_output ? Finding::Kind::kOutputUnreadable : Finding::Kind::kEvidenceUnreadable;
      f.detail = digest.error().message;
    }
    report.findings.push_back(std::move(f));
    return;
  }
  if (digest->sha256 != entry.sha256 || digest->size != entry.size) {
    f.kind = is_output ? Finding::Kind::kOutputChanged : Finding::Kind::kEvidenceChanged;
    f.actual_sha256 = digest->sha256;
    f.actual_size = digest->size;
    report.findings.push_back(std::move(f));
  }
}

}  // namespace

const char* to_string(SignatureStatus status) {
  switch (status) {
    case SignatureStatus::kNotPresent:
      return "not signed";
    case SignatureStatus::kNotChecked:
      return "present but not checked (no --pubkey)";
    case SignatureStatus::kValid:
      return "valid";
    case SignatureStatus::kInvalid:
      return "INVALID (manifest.json changed after signing, or signed with another key)";
    case SignatureStatus::kMalformed:
      return "MALFORMED (manifest.json.sig is not a signature)";
    case SignatureStatus::kMissing:
      return "MISSING (--pubkey given, no manifest.json.sig)";
  }
  return "?";
}

const char* to_string(Finding::Kind kind) {
  switch (kind) {
    case Finding::Kind::kOutputChanged:
      return "output changed";
    case Finding::Kind::kOutputMissing:
      return "output missing";
    case Finding::Kind::kOutputAdded:
      return "output added";
    case Finding::Kind::kOutputUnreadable:
      return "output unreadable";
    case Finding::Kind::kEvidenceChanged:
      return "evidence changed";
    case Finding::Kind::kEvidenceMissing:
      return "evidence missing";
    case Finding::Kind::kEvidenceUnreadable:
      return "evidence unreadable";
  }
  return "?";
}

VerifyReport verify_manifest(const fs::path& out_dir, const VerifyOptions& options) {
  std::error_code ec;
  if (!fs::is_directory(out_dir, ec)) {
    return cannot_check(out_dir.string() + ": not a folder");
  }
  // The key is loaded first: a missing or unreadable key means we cannot check, whatever
  // the rest says.
  std::optional<PublicKey> key;
  if (options.public_key) {
    auto loaded = load_public_key(*options.public_key);
    if (!loaded) return cannot_check(loaded.error().message);
    key = *loaded;
  }
  if (options.evidence_root && !fs::exists(*options.evidence_root, ec)) {
    return cannot_check(options.evidence_root->string() + ": evidence not found");
  }
  auto bytes = read_manifest_bytes(out_dir);
  if (!bytes) return cannot_check(bytes.error().message);

  VerifyReport report;
  // The signature is checked on the raw bytes before parsing: a valid signature over a
  // manifest we cannot parse is still worth knowing, and parsing never alters the bytes.
  const fs::path sig_path = out_dir / kSignatureFileName;
  const bool sig_present = fs::exists(fs::symlink_status(sig_path, ec));
  if (key) {
    if (!sig_present) {
      report.signature = SignatureStatus::kMissing;
    } else {
      auto sig_text = read_signature_file(sig_path);
      if (!sig_text) {
        report.signature = SignatureStatus::kMalformed;
      } else {
        switch (verify_detached(*bytes, *sig_text, *key)) {
          case SignatureCheck::kValid:
            report.signature = SignatureStatus::kValid;
            break;
          case SignatureCheck::kInvalid:
            report.signature = SignatureStatus::kInvalid;
            break;
          case SignatureCheck::kMalformed:
            report.signature = SignatureStatus::kMalformed;
            break;
        }
      }
    }
  } else {
    report.signature = sig_present ? SignatureStatus::kNotChecked : SignatureStatus::kNotPresent;
  }

  auto manifest = parse_manifest(*bytes);
  if (!manifest) {
    VerifyReport failed = cannot_check(manifest.error().message);
    failed.signature = report.signature;
    return failed;
  }

  for (const auto& entry : manifest->outputs) {
    if (!entry.error.empty()) continue;  // recorded as unhashable at run time
    check_entry(out_dir, entry, /*is_output=*/true, report);
    ++report.outputs_checked;
  }
  auto on_disk = list_output_files(out_dir);
  if (!on_disk) return cannot_check(on_disk.error().message);
  std::set<std::string_view> listed_paths;
  for (const auto& entry : manifest->outputs) listed_paths.insert(entry.path);
  for (const auto& rel : *on_disk) {
    const bool listed = listed_paths.count(rel) > 0;
    if (!listed) {
      Finding f;
      f.kind = Finding::Kind::kOutputAdded;
      f.path = rel;
      auto digest = sha256_file(out_dir / rel, FollowSymlinks::kNo);
      if (digest) {
        f.actual_sha256 = digest->sha256;
        f.actual_size = digest->size;
      }
      report.findings.push_back(std::move(f));
    }
  }

  if (options.evidence_root) {
    fs::path root = *options.evidence_root;
    // The run recorded a single-file evidence as its folder plus the file name.
    if (fs::is_regular_file(fs::symlink_status(root, ec)) && manifest->evidence.files.size() == 1 &&
        manifest->evidence.files.front().path == root.filename().string()) {
      root = root.parent_path();
      if (root.empty()) root = ".";
    }
    for (const auto& entry : manifest->evidence.files) {
      if (!entry.error.empty()) {
        ++report.evidence_not_checked;
        continue;
      }
      check_entry(root, entry, /*is_output=*/false, report);
      ++report.evidence_checked;
    }
  }

  std::stable_sort(report.findings.begin(), report.findings.end(),
                   [](const Finding& a, const Finding& b) {
                     return std::tie(a.kind, a.path) < std::tie(b.kind, b.path);
                   });
  const bool signature_ok = report.signature == SignatureStatus::kValid ||
                            report.signature == SignatureStatus::kNotChecked ||
                            report.signature == SignatureStatus::kNotPresent;
  report.exit_code = report.findings.empty() && signature_ok ? 0 : 1;
  return report;
}

std::string format_verify_report(const VerifyReport& report) {
  std::string out;
  if (report.exit_code == 2) {
    out += "cannot check: " + report.error + "\n";
    return out;
  }
  out += std::string("signature: ") + to_string(report.signature) + "\n";
  for (const auto& f : report.findings) {
    out += std::string(to_string(f.kind)) + ": " + f.path;
    if (!f.expected_sha256.empty() || !f.actual_sha256.empty()) {
      out += " (";
      if (!f.expected_sha256.empty()) {
        out += "manifest sha256 " + f.expected_sha256;
        if (f.expected_size) out += ", " + std::to_string(*f.expected_size) + " bytes";
      }
      if (!f.expected_sha256.empty() && !f.actual_sha256.empty()) out += "; ";
      if (!f.actual_sha256.empty()) {
        out += "now sha256 " + f.actual_sha256;
        if (f.actual_size) out += ", " + std::to_string(*f.actual_size) + " bytes";
      }
      out += ")";
    }
    if (!f.detail.empty()) out += ": " + f.detail;
    out += "\n";
  }
  out += std::to_string(report.outputs_checked) + " output file(s) checked";
  if (report.evidence_checked || report.evidence_not_checked) {
    out += ", " + std::to_string(report.evidence_checked) + " evidence file(s) checked";
    if (report.evidence_not_checked) {
      out += " (" + std::to_string(report.evidence_not_checked) +
             " not hashable at run time, not checked)";
    }
  }
  out += "\n";
  out += report.exit_code == 0 ? "OK: everything matches the manifest\n"
                               : "FAILED: see the differences above\n";
  return out;
}

}  // namespace spyglass::manifest
