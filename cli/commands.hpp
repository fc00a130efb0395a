#pragma once
// Each command registers itself on its parent and stores its exit code when it runs.
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

namespace spyglass::cli {

void register_iocs_stats(CLI::App& iocs, int& exit_code);
void register_iocs_match(CLI::App& iocs, int& exit_code);
void register_keygen(CLI::App& app, int& exit_code);
void register_verify(CLI::App& app, int& exit_code);
void register_report(CLI::App& app, int& exit_code);
void register_ios(CLI::App& app, int& exit_code, const std::vector<std::string>& argv);
void register_check_text(CLI::App& app, int& exit_code, const std::vector<std::string>& argv);

}  // namespace spyglass::cli
