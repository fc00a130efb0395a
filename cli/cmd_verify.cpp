// spyglass verify OUT [--pubkey FILE] [--evidence PATH]: checks a results folder against
// its manifest.json. Exit 0 everything matches, 1 something differs or the signature
// fails, 2 cannot check.
#include <filesystem>
#include <memory>
#include <string>

#include <fmt/core.h>
#include <CLI/CLI.hpp>

#include "core/manifest/verify.hpp"

namespace spyglass::cli {
namespace {

struct VerifyArgs {
  std::string out_dir;
  std::string pubkey;
  std::string evidence;
};

}  // namespace

void register_verify(CLI::App& app, int& exit_code) {
  auto* cmd = app.add_subcommand(
      "verify",
      "Check a results folder against its manifest.json: re-hash every output (changed, "
      "missing and added files), with --evidence re-hash the evidence files it lists, with "
      "--pubkey check manifest.json.sig. Exit 0 all matches, 1 something differs or the "
      "signature fails, 2 cannot check.");
  auto args = std::make_shared<VerifyArgs>();
  cmd->add_option("OUT", args->out_dir, "Results folder holding manifest.json")->required();
  cmd->add_option("--pubkey", args->pubkey,
                  "Public key file (from `spyglass keygen`); requires a valid manifest.json.sig");
  cmd->add_option("--evidence", args->evidence,
                  "Evidence root (folder, or the single evidence file) to re-hash the evidence "
                  "files the manifest lists");
  cmd->callback([args, &exit_code] {
    manifest::VerifyOptions options;
    if (!args->pubkey.empty()) options.public_key = args->pubkey;
    if (!args->evidence.empty()) options.evidence_root = args->evidence;
    const manifest::VerifyReport report = manifest::verify_manifest(args->out_dir, options);
    const std::string text = manifest::format_verify_report(report);
    // "Cannot check" is an error (stderr); a verdict, good or bad, is the command's output.
    fmt::print(report.exit_code == 2 ? stderr : stdout, "{}", text);
    exit_code = report.exit_code;
  });
}

}  // namespace spyglass::cli
