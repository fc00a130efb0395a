#pragma once
// The artifact module interface. Adding a module = one class in one folder (see
// docs/outputs.md and module_list.cpp): a ModuleSpec as data and run(), which reads the
// evidence read-only and emits Records into the sink.
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "scan/options.hpp"
#include "scan/record.hpp"
#include "support/error.hpp"
#include "support/log.hpp"

namespace spyglass::scan {

enum class Family { kIos, kAndroid, kNet, kText };
std::string_view family_name(Family family);  // "ios", "android", "net", "text"

struct ModuleSpec {
  std::string slug;          // snake_case, MVT's where it has the module: "sms"
  Family family = Family::kIos;
  std::string display_name;  // MVT's class name, the timeline "Plugin" column: "SMS"
  std::string summary;       // one line for --list-modules
  // The file of the module's records, when "<slug>.json" is taken by a run-level output:
  // MVT's Manifest module writes manifest.json, which here is the evidence manifest.
  std::string data_file;
  // Scheduling hint: modules that can take long on large evidence (SMS, Manifest) start
  // first, so that two cores are not left with one long module at the end. Outputs never
  // depend on it (results are assembled in registry order).
  int expected_cost = 0;
};

// "<slug>.json" unless the spec names another file.
std::string module_data_file(const ModuleSpec& spec);

enum class ModuleStatus { kOk, kNotPresent, kFailed };
std::string_view module_status_name(ModuleStatus status);  // "ok", "not_present", "failed"

struct Status {
  ModuleStatus code = ModuleStatus::kOk;
  std::string message;

  static Status ok() { return {}; }
  // The artifact is absent: reported, not a failure.
  static Status not_present(std::string why) { return {ModuleStatus::kNotPresent, std::move(why)}; }
  // The artifact is present but could not be read: the scan is incomplete.
  static Status failed(std::string why) { return {ModuleStatus::kFailed, std::move(why)}; }
  static Status from_error(const Error& e) {
    return e.code == ErrorCode::kNotFound ? not_present(e.message) : failed(e.message);
  }
};

// An opened piece of evidence shared by every module of a scan (an iOS backup whose
// Manifest.db was decrypted once, later a filesystem dump). Families derive from it; a module
// downcasts to its family's type. Implementations must be safe for concurrent use.
class EvidenceSource {
 public:
  virtual ~EvidenceSource() = default;
  // Files the scan read, relative to the evidence root (forward slashes), for the evidence
  // manifest. Empty means "not tracked": the manifest then hashes the whole evidence tree.
  virtual std::vector<std::string> files_read() const { return {}; }
  // Every module is done: caches and private copies (a backup's Manifest index, its
  // scratch folder of copied or decrypted databases) go now, before the runner writes the
  // timelines, the report and (in the CLI) manifest.json, which must not list them.
  // files_read() still answers afterwards.
  virtual void modules_done() {}
};

// What a running module may use: read-only evidence, a private scratch folder, a logger
// and the scan options. Owned by the runner; valid during run() only.
class ModuleContext {
 public:
  ModuleContext(std::filesystem::path evidence_root, std::filesystem::path scratch,
                LogChannel log, const ScanOptions& options)
      : evidence_root_(std::move(evidence_root)),
        scratch_(std::move(scratch)),
        log_(std::move(log)),
        options_(options) {}

  // The evidence (folder or file) as given; never write below it.
  const std::filesystem::path& evidence_root() const { return evidence_root_; }
  // A folder of this module's own inside the output folder (or a temp folder when there is
  // no output folder); created on first call, removed with its content after run().
  Result<std::filesystem::path> scratch_dir();
  const LogChannel& log() const { return log_; }
  const ScanOptions& options() const { return options_; }
  // The shared opened evidence (ScanOptions::source); nullptr when the command gave none.
  EvidenceSource* source() const { return options_.source.get(); }

 private:
  std::filesystem::path evidence_root_;
  std::filesystem::path scratch_;
  LogChannel log_;
  const ScanOptions& options_;
};

class Module {
 public:
  virtual ~Module() = default;
  virtual const ModuleSpec& spec() const = 0;
  // Runs once per scan on a worker thread. Exceptions are caught by the runner (failed).
  virtual Status run(ModuleContext& context, RecordSink& sink) = 0;
};

using ModuleFactory = std::unique_ptr<Module> (*)();

}  // namespace spyglass::scan
