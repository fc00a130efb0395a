#include "scan_command.hpp"

#include <chrono>
#include <filesystem>
#include <optional>

#include <fmt/core.h>

#include "core/matching/matcher.hpp"
#include "formats/json/json_writer.hpp"
#include "core/manifest/manifest.hpp"
#include "core/manifest/redact.hpp"
#include "scan/runner.hpp"
#include "support/log.hpp"

namespace spyglass::cli {

void add_scan_options(CLI::App& command, ScanArgs& args) {
  command.add_option("-o,--output", args.output,
                     "Write the results to this folder (must be absent or empty; never inside "
                     "the evidence)")
      ->type_name("DIR");
  command.add_flag("--overwrite", args.overwrite,
                   "Replace the content of a non-empty output folder");
  command.add_flag("--json", args.json,
                   "Print a JSON summary on stdout (verdict, alert counts by level, modules "
                   "run/absent/failed, output folder)");
  command.add_flag("-q,--quiet", args.quiet, "Only errors on stderr");
  command.add_flag("-v,--verbose", args.verbose, "Debug messages on stderr");
  command.add_flag("-H,--hashes", args.hashes,
                   "Record the SHA-256 of every evidence file in info.json");
  command.add_flag("-f,--fast", args.fast, "Skip the slowest checks");
  command.add_option("-j,--jobs", args.jobs, "Modules run in parallel (default: one per core)")
      ->type_name("N");
  command.add_flag("--hash-all", args.hash_all,
                   "List the SHA-256 of every file of the evidence tree in manifest.json (by "
                   "default: the files the scan read)");
  command.add_option("--sign-key", args.sign_key,
                     "Sign manifest.json with this ed25519 key (from `spyglass keygen`), "
                     "writing manifest.json.sig")
      ->type_name("FILE");
  command.add_option("--lang", args.lang, "Language of report.html: en or fr")
      ->type_name("LANG")
      ->check(CLI::IsMember({"en", "fr"}));
  add_ioc_options(command, args.iocs);
}

namespace {

UnixMicros now_micros() {
  using namespace std::chrono;
  return duration_cast<microseconds>(system_clock::now().time_since_epoch()).count();
}

void print_summary(const scan::ScanSummary& summary) {
  using report::AlertLevel;
  const auto counts = fmt::format(
      "{} critical, {} high, {} medium, {} low, {} informational",
      summary.alerts(AlertLevel::kCritical), summary.alerts(AlertLevel::kHigh),
      summary.alerts(AlertLevel::kMedium), summary.alerts(AlertLevel::kLow),
      summary.alerts(AlertLevel::kInformational));
  if (summary.detected()) {
    fmt::print("DETECTED: {} indicator match(es) or suspicious sign(s) were found ({}).\n",
               summary.indicator_matches, counts);
    fmt::print("Do not wipe or reset the device: keep it as it is and contact an expert "
               "(for example Amnesty Tech's Security Lab or Access Now's Digital Security "
               "Helpline).\n");
  } else {
    fmt::print("No known indicators were found ({}). This does not prove the device is "
               "clean: indicators only cover what is publicly known.\n",
               counts);
  }
  const auto absent = summary.slugs_with(scan::ModuleStatus::kNotPresent);
  const auto failed = summary.slugs_with(scan::ModuleStatus::kFailed);
  fmt::print("Modules: {} run, {} not present, {} failed{}\n", summary.modules.size(),
             absent.size(), failed.size(), failed.empty() ? "" : " (the scan is incomplete)");
  for (const auto& m : summary.modules) {
    if (m.status == scan::ModuleStatus::kFailed) fmt::print("  failed: {}: {}\n", m.slug, m.error);
  }
  for (const auto& e : summary.output_errors) fmt::print("  output error: {}\n", e);
  if (!summary.output.empty()) fmt::print("Outputs: {}\n", summary.output.string());
}

}  // namespace

int run_scan_command(const ScanArgs& args, std::vector<std::unique_ptr<scan::Module>> modules) {
  LogOptions log_options;
  log_options.quiet = args.quiet || args.json;
  log_options.verbose = args.verbose;
  Logger logger(log_options, stderr);

  auto set = load_iocs(args.iocs, args.verbose);
  if (!set) {
    fmt::print(stderr, "error: {}\n", set.error().message);
    return 2;
  }
  const matching::Matcher matcher(*set);
  scan::ScanInputs inputs;
  inputs.indicators = *set;
  inputs.match = [&matcher](const matching::Observable& o) { return matcher.match(o); };

  scan::ScanOptions options;
  options.evidence = args.evidence;
  options.output = args.output;
  options.overwrite = args.overwrite;
  options.jobs = args.jobs;
  options.hash_evidence = args.hashes;
  options.fast = args.fast;
  options.source = args.source;
  for (const auto& a : manifest::redact_command_line(args.argv)) {
    options.command += (options.command.empty() ? "" : " ") + a;
  }

  options.report_lang = args.lang;

  std::optional<manifest::SecretKey> sign_key;
  if (!args.sign_key.empty()) {
    auto key = manifest::load_secret_key(args.sign_key);
    if (!key) {
      fmt::print(stderr, "error: --sign-key: {}\n", key.error().message);
      return 2;
    }
    sign_key = std::move(*key);
  }

  manifest::DigestCache digests;
  options.digest_cache = &digests;
  const UnixMicros started = now_micros();
  auto summary = scan::run_scan(modules, options, inputs, logger);
  if (!summary) {
    fmt::print(stderr, "error: {}\n", summary.error().message);
    return 2;
  }
  if (!summary->output.empty()) {
    // Last of all, so that it lists every output file with its final bytes.
    manifest::ManifestInput in;
    in.argv = args.argv;
    in.started = started;
    in.finished = now_micros();
    in.evidence_root = args.evidence;
    const auto read = args.source ? args.source->files_read() : std::vector<std::string>{};
    // A module family that does not track its reads (text files) read everything it was given.
    std::error_code ec;
    in.hash_all = args.hash_all || (read.empty() && std::filesystem::is_directory(args.evidence, ec));
    for (const auto& f : read) in.evidence_files.emplace_back(f);
    for (const auto& f : (*set)->files()) {
      in.indicators.push_back({f.display_name, f.path, f.size, f.sha256});
    }
    in.sign_key = sign_key;
    in.digests = &digests;
    if (auto m = manifest::write_manifest(in, summary->output); !m) {
      fmt::print(stderr, "error: manifest.json: {}\n", m.error().message);
      summary->output_errors.push_back("manifest.json: " + m.error().message);
    }
  }
  if (args.json) {
    fmt::print("{}\n", json::to_python_json(summary->to_json()));
  } else if (!args.quiet) {
    print_summary(*summary);
  }
  return summary->exit_code();
}

}  // namespace spyglass::cli
