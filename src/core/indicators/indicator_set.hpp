#pragma once
// The loaded indicators: files, collections (the malware or report each indicator belongs
// to) and indicators. Immutable once built; shared read-only by every thread.
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/indicators/ioc_type.hpp"
#include "support/error.hpp"
#include "support/time.hpp"

namespace spyglass::indicators {

struct SourceFile {
  std::string path;          // as loaded (absolute or as given); host-specific: info.json only
  std::string display_name;  // stable: path relative to the bundled data dir, else file name
  std::string sha256;        // lower-case hex of the file's bytes
  std::uint64_t size = 0;
  bool bundled = false;  // part of spyglass's default set
};

struct Collection {
  std::string stix_id;  // malware--..., report--..., or "" for a file's default collection
  std::string kind;     // "malware", "report" or "default"
  std::string name;
  std::string description;
  std::uint32_t file = 0;  // index into IndicatorSet::files()
};

struct Indicator {
  std::string stix_id;              // indicator--...
  IocType type = IocType::kDomain;  // the effective type (an IP typed as a domain is kIp)
  std::string value;                // normalised for its type (lower-cased where case-insensitive,
                                    // domain trailing dot dropped, IDN as punycode, URL normalised)
  std::string original;             // the value exactly as the pattern wrote it (unescaped)
  std::string pattern;              // the full STIX pattern
  std::uint32_t file = 0;
  std::vector<std::uint32_t> collections;  // indexes into IndicatorSet::collections()
  std::optional<UnixMicros> valid_from;
  std::optional<UnixMicros> valid_until;
};

struct LoadWarning {
  std::string file;          // display name
  std::string indicator_id;  // may be empty
  std::string message;
};

class IndicatorSet {
 public:
  IndicatorSet() = default;
  IndicatorSet(std::vector<SourceFile> files, std::vector<Collection> collections,
               std::vector<Indicator> indicators, std::vector<LoadWarning> warnings)
      : files_(std::move(files)),
        collections_(std::move(collections)),
        indicators_(std::move(indicators)),
        warnings_(std::move(warnings)) {}

  const std::vector<SourceFile>& files() const { return files_; }
  const std::vector<Collection>& collections() const { return collections_; }
  const std::vector<Indicator>& indicators() const { return indicators_; }
  const std::vector<LoadWarning>& warnings() const { return warnings_; }

 private:
  std::vector<SourceFile> files_;
  std::vector<Collection> collections_;
  std::vector<Indicator> indicators_;
  std::vector<LoadWarning> warnings_;
};

// Where indicators come from. Bundled feeds (data/iocs/**/*.stix2) load unless
// no_default is set; `extra` holds --iocs arguments and SPYGLASS_IOCS entries (a file of any
// name, or a folder whose *.stix2 and *.json files load, recursively).
struct LoadOptions {
  bool no_default = false;
  std::vector<std::filesystem::path> extra;
  std::filesystem::path bundled_dir;  // empty: default_bundled_dir()
};

// The bundled feeds folder: $SPYGLASS_DATA_DIR/iocs if set, else <exe dir>/../share/spyglass/iocs
// if present, else the source tree's data/iocs.
std::filesystem::path default_bundled_dir();

// Loads every file. A malformed file or pattern is a warning, never a failure of the whole
// set; an unreadable path given by the user is an error.
Result<IndicatorSet> load_indicators(const LoadOptions& options);

// Parses one STIX 2.1 bundle from memory (used by load_indicators, the fuzzer and tests).
// Appends to the given vectors; `file_index` is the index the SourceFile will have.
void parse_stix_bundle(std::string_view json, std::uint32_t file_index,
                       const std::string& display_name, std::vector<Collection>& collections,
                       std::vector<Indicator>& indicators, std::vector<LoadWarning>& warnings);

}  // namespace spyglass::indicators
