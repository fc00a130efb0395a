// spyglass report OUT [--lang en|fr] [--sign-key FILE]: re-renders OUT/report.html from an
// existing results folder (alerts.json, info.json, timeline.jsonl or timeline.csv,
// manifest.json) and records the re-render in manifest.json. A signed manifest is only
// updated with the key that signed it: without --sign-key (or with another key) the command
// refuses before it changes anything. Exit 0 written, 2 refused or failed.
#include <chrono>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include <fmt/core.h>
#include <CLI/CLI.hpp>

#include "core/html/render.hpp"
#include "core/manifest/manifest.hpp"
#include "core/manifest/signing.hpp"

namespace spyglass::cli {
namespace {

namespace fs = std::filesystem;

struct ReportArgs {
  std::string out_dir;
  std::string lang = "en";
  std::string sign_key;
};

UnixMicros now_micros() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

int fail(const std::string& message) {
  fmt::print(stderr, "spyglass report: {}\n", message);
  return 2;
}

int run_report(const ReportArgs& args) {
  const auto lang = html::parse_lang(args.lang);
  if (!lang) return fail("unknown --lang \"" + args.lang + "\" (available: en, fr)");
  const fs::path out(args.out_dir);
  std::error_code ec;
  if (!fs::is_directory(out, ec)) return fail(args.out_dir + " is not a results folder");

  std::optional<manifest::SecretKey> key;
  if (!args.sign_key.empty()) {
    auto k = manifest::load_secret_key(args.sign_key);
    if (!k) return fail("cannot load --sign-key: " + k.error().message);
    key = std::move(*k);
  }
  // Every check that could refuse the manifest update runs before report.html changes, so a
  // refusal leaves the folder exactly as it was.
  const bool has_manifest = fs::exists(out / manifest::kManifestFileName, ec);
  if (has_manifest) {
    auto bytes = manifest::read_manifest_bytes(out);
    if (!bytes) return fail(bytes.error().message);
    if (auto parsed = manifest::parse_manifest(*bytes); !parsed) {
      return fail("manifest.json: " + parsed.error().message);
    }
    if (fs::exists(out / manifest::kSignatureFileName, ec)) {
      if (!key) {
        return fail(
            "manifest.json is signed: re-rendering changes report.html, so the manifest must be "
            "re-signed; pass the key that signed it with --sign-key FILE");
      }
      auto sig = manifest::read_signature_file(out / manifest::kSignatureFileName);
      if (!sig) return fail(sig.error().message);
      if (manifest::verify_detached(*bytes, *sig, key->public_key()) !=
          manifest::SignatureCheck::kValid) {
        return fail(
            "the --sign-key given did not sign this manifest, or the manifest was altered "
            "since; refusing to re-sign it");
      }
    }
  } else if (key) {
    fmt::print(stderr, "spyglass report: no manifest.json in {}: --sign-key is not used\n",
               args.out_dir);
  }

  if (auto written = html::write_report(out, {*lang}); !written) {
    return fail(written.error().message);
  }
  fmt::print("wrote {}\n", (out / html::kReportFileName).string());
  if (!has_manifest) return 0;

  manifest::ManifestUpdate update;
  update.action = "report";
  update.at = now_micros();
  update.argv = {"spyglass", "report", args.out_dir, "--lang", args.lang};
  if (!args.sign_key.empty()) {
    update.argv.push_back("--sign-key");
    update.argv.push_back(args.sign_key);
  }
  update.files = {html::kReportFileName};
  update.sign_key = key;
  auto summary = manifest::update_manifest(out, update);
  if (!summary) return fail("report.html was written but manifest.json was not updated: " +
                            summary.error().message);
  fmt::print("updated {}{}\n", summary->manifest_path.string(),
             summary->signature_path ? " (re-signed)" : "");
  return 0;
}

}  // namespace

void register_report(CLI::App& app, int& exit_code) {
  auto* cmd = app.add_subcommand(
      "report",
      "Re-render OUT/report.html from an existing results folder and record it in "
      "manifest.json (a signed manifest needs --sign-key with the key that signed it). "
      "Exit 0 written, 2 refused or failed.");
  auto args = std::make_shared<ReportArgs>();
  cmd->add_option("OUT", args->out_dir, "Results folder of an earlier scan")->required();
  cmd->add_option("--lang", args->lang, "Language of the report: en (default) or fr");
  cmd->add_option("--sign-key", args->sign_key,
                  "Secret key file (from `spyglass keygen`) to re-sign manifest.json");
  cmd->callback([args, &exit_code] { exit_code = run_report(*args); });
}

}  // namespace spyglass::cli
