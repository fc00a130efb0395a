#pragma once
// What every scanning command shares: evidence path, output folder, indicator options,
// --json/--quiet/--verbose/--jobs, and how the summary is printed and turned into an exit
// code (1 detected, else 2 incomplete, else 0).
#include <memory>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "ioc_options.hpp"
#include "scan/module.hpp"

namespace spyglass::cli {

struct ScanArgs {
  std::string evidence;
  std::string output;
  bool overwrite = false;
  bool json = false;
  bool quiet = false;
  bool verbose = false;
  bool hashes = false;
  bool fast = false;
  unsigned jobs = 0;
  bool hash_all = false;
  std::string sign_key;
  std::string lang = "en";
  IocOptions iocs;
  std::vector<std::string> argv;  // the command line, for info.json
  // Evidence the command opened once for every module (ScanOptions::source); may be null.
  std::shared_ptr<scan::EvidenceSource> source;
};

// Adds the shared options (the evidence positional is added by each command, it names it).
void add_scan_options(CLI::App& command, ScanArgs& args);

// Loads indicators, runs the modules, prints the summary; returns the exit code.
int run_scan_command(const ScanArgs& args, std::vector<std::unique_ptr<scan::Module>> modules);

}  // namespace spyglass::cli
