// spyglass: the command-line front end. Commands live in cmd_*.cpp; this file only wires
// them and turns uncaught failures into exit code 2.
#include <exception>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <fmt/core.h>

#include "commands.hpp"
#include "support/version.hpp"

int main(int argc, char** argv) {
  CLI::App app{
      "spyglass: find traces of mercenary spyware (Pegasus and its kind) in evidence a "
      "device's owner consents to give, by matching it against public indicators of "
      "compromise (STIX 2.1). spyglass never contacts the network."};
  app.set_version_flag("--version", fmt::format("spyglass {} (build {})", spyglass::version(),
                                                spyglass::build_id()));
  app.require_subcommand(1);
  int exit_code = 0;

  auto* iocs = app.add_subcommand("iocs", "Inspect the loaded indicators and look values up");
  iocs->require_subcommand(1);
  spyglass::cli::register_iocs_stats(*iocs, exit_code);
  spyglass::cli::register_iocs_match(*iocs, exit_code);

  const std::vector<std::string> args(argv, argv + argc);
  spyglass::cli::register_check_text(app, exit_code, args);
  spyglass::cli::register_ios(app, exit_code, args);
  spyglass::cli::register_keygen(app, exit_code);
  spyglass::cli::register_verify(app, exit_code);
  spyglass::cli::register_report(app, exit_code);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int rc = app.exit(e);
    // CLI11 returns 0 for --help/--version; usage errors are exit 2 by our contract.
    return rc == 0 ? 0 : 2;
  } catch (const std::exception& e) {
    fmt::print(stderr, "error: {}\n", e.what());
    return 2;
  }
  return exit_code;
}
