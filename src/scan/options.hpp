#pragma once
// What the CLI decides for one scan.
#include <filesystem>
#include <memory>
#include <string>

namespace spyglass::scan {

class EvidenceSource;  // scan/module.hpp
}  // namespace spyglass::scan
namespace spyglass::manifest {
class DigestCache;  // core/manifest/digest_cache.hpp
}  // namespace spyglass::manifest
namespace spyglass::scan {

struct ScanOptions {
  std::filesystem::path evidence;  // the target folder or file (read-only)
  std::filesystem::path output;    // -o DIR; empty: nothing written
  bool overwrite = false;          // --overwrite: empty a non-empty output folder first
  unsigned jobs = 0;               // --jobs; 0: hardware threads
  bool hash_evidence = false;      // --hashes: SHA-256 of every evidence file in info.json
  bool fast = false;               // --fast: modules may skip their slowest checks
  std::string command;             // the command line, recorded in info.json
  std::string report_lang = "en";  // --lang: report.html language ("en", "fr")
  // The evidence as the command opened it once for every module (e.g. a decrypted iOS
  // backup); null: modules open options.evidence themselves. Shared read-only by threads.
  std::shared_ptr<EvidenceSource> source;
  // When set, the files that are final once the modules are done (their record files, the
  // evidence they read) are hashed in the background for manifest.json.
  manifest::DigestCache* digest_cache = nullptr;
};

}  // namespace spyglass::scan
