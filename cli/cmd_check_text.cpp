// spyglass check-text PATH -o OUT
#include "artifacts/text/text_lines/text_lines.hpp"
#include "commands.hpp"
#include "scan_command.hpp"

namespace spyglass::cli {

void register_check_text(CLI::App& app, int& exit_code, const std::vector<std::string>& argv) {
  auto args = std::make_shared<ScanArgs>();
  args->argv = argv;
  auto* cmd = app.add_subcommand(
      "check-text",
      "Check text files (a chat or SMS export, notes, proxy/DNS/web logs) for URLs, domains, "
      "IP and e-mail addresses of known spyware infrastructure. Exit 1 if anything was "
      "detected, else 2 if the scan was incomplete, else 0.");
  cmd->add_option("PATH", args->evidence, "A text file, or a folder read recursively")
      ->required();
  add_scan_options(*cmd, *args);
  cmd->callback([args, &exit_code] {
    std::vector<std::unique_ptr<scan::Module>> modules;
    modules.push_back(artifacts::text::make_text_lines_module());
    exit_code = run_scan_command(*args, std::move(modules));
  });
}

}  // namespace spyglass::cli
