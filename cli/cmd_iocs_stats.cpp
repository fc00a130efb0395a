// spyglass iocs stats [--json]
#include <fmt/core.h>

#include "commands.hpp"
#include "core/indicators/stats.hpp"
#include "formats/json/json_value.hpp"
#include "formats/json/json_writer.hpp"
#include "ioc_options.hpp"

namespace spyglass::cli {
namespace {

struct StatsArgs {
  IocOptions iocs;
  bool json = false;
  bool verbose = false;
};

json::Value type_counts_json(const indicators::TypeCounts& counts) {
  json::Value out = json::Value::object();
  for (const auto& [name, n] : counts) out.set(name, n);
  return out;
}

json::Value stats_json(const indicators::IocStats& stats) {
  json::Value out = json::Value::object();
  out.set("total", stats.total);
  out.set("by_type", type_counts_json(stats.by_type));
  json::Value collections = json::Value::object();
  for (const auto& c : stats.by_collection) collections.set(c.name, c.count);
  out.set("by_collection", std::move(collections));
  json::Value files = json::Value::array();
  for (const auto& f : stats.by_file) {
    json::Value file = json::Value::object();
    file.set("name", f.display_name);
    file.set("sha256", f.sha256);
    file.set("total", f.count);
    file.set("by_type", type_counts_json(f.by_type));
    files.push_back(std::move(file));
  }
  out.set("files", std::move(files));
  return out;
}

void print_text(const indicators::IocStats& stats) {
  fmt::print("{} unique indicators in {} file(s)\n\nBy type:\n", stats.total, stats.by_file.size());
  for (const auto& [name, n] : stats.by_type) fmt::print("  {:<18} {:>7}\n", name, n);
  fmt::print("\nBy collection:\n");
  for (const auto& c : stats.by_collection) fmt::print("  {:>7}  {}\n", c.count, c.name);
  fmt::print("\nBy file:\n");
  for (const auto& f : stats.by_file) {
    fmt::print("  {:>7}  {}  (sha256 {}…)\n", f.count, f.display_name, f.sha256.substr(0, 16));
  }
}

int run_stats(const StatsArgs& args) {
  auto set = load_iocs(args.iocs, args.verbose);
  if (!set) {
    fmt::print(stderr, "error: {}\n", set.error().message);
    return 2;
  }
  const auto stats = indicators::compute_stats(**set);
  if (args.json) {
    fmt::print("{}\n", json::to_python_json(stats_json(stats)));
  } else {
    print_text(stats);
  }
  return 0;
}

}  // namespace

void register_iocs_stats(CLI::App& iocs, int& exit_code) {
  auto args = std::make_shared<StatsArgs>();
  auto* cmd = iocs.add_subcommand(
      "stats",
      "Count the loaded indicators: unique (type, value) pairs in all, per type, per "
      "collection (the malware or report they indicate) and per file. A value a feed "
      "mistypes (an IP given as a domain) counts under its effective type.");
  cmd->add_flag("--json", args->json,
                "Print one JSON object with total, by_type, by_collection and files");
  cmd->add_flag("-v,--verbose", args->verbose, "Show every indicator load warning");
  add_ioc_options(*cmd, args->iocs);
  cmd->callback([args, &exit_code] { exit_code = run_stats(*args); });
}

}  // namespace spyglass::cli
