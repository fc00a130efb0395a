// spyglass keygen NAME: an ed25519 key pair for signing manifests (NAME.key, NAME.pub).
#include <memory>
#include <string>

#include <fmt/core.h>
#include <CLI/CLI.hpp>

#include "core/manifest/signing.hpp"

namespace spyglass::cli {

void register_keygen(CLI::App& app, int& exit_code) {
  auto* cmd = app.add_subcommand(
      "keygen",
      "Create an ed25519 key pair for signing evidence manifests: NAME.key (secret, mode 0600; "
      "keep it private) and NAME.pub (give it to whoever verifies). Never overwrites a key.");
  auto name = std::make_shared<std::string>();
  cmd->add_option("NAME", *name, "Path and base name of the key files (without extension)")
      ->required();
  cmd->callback([name, &exit_code] {
    auto files = manifest::generate_key_files(*name);
    if (!files) {
      fmt::print(stderr, "error: {}\n", files.error().message);
      exit_code = 2;
      return;
    }
    fmt::print("secret key: {} (mode 0600; keep it private)\n", files->secret_key.string());
    fmt::print("public key: {}\n", files->public_key.string());
    fmt::print("public key value: {}\n", files->public_key_value.hex());
    exit_code = 0;
  });
}

}  // namespace spyglass::cli
