// spyglass iocs match [--type T] [--json] VALUE...
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include <fmt/core.h>

#include "commands.hpp"
#include "core/lookup/detect_kind.hpp"
#include "core/matching/matcher.hpp"
#include "ioc_options.hpp"
#include "support/time.hpp"
#include "formats/json/json_value.hpp"
#include "formats/json/json_writer.hpp"

namespace spyglass::cli {
namespace {

struct MatchArgs {
  IocOptions iocs;
  std::string type;
  bool json = false;
  bool verbose = false;
  std::vector<std::string> values;
};

std::string_view match_kind_name(matching::MatchKind kind) {
  switch (kind) {
    case matching::MatchKind::kExact: return "exact";
    case matching::MatchKind::kSubdomain: return "subdomain";
    case matching::MatchKind::kPathPrefix: return "path_prefix";
    case matching::MatchKind::kTruncatedName: return "truncated_name";
    case matching::MatchKind::kBasename: return "basename";
  }
  return "exact";
}

int run_match(const MatchArgs& args) {
  std::vector<matching::ObservableKind> forced;
  if (!args.type.empty()) {
    forced = lookup::kinds_for_type_name(args.type);
    if (forced.empty()) {
      fmt::print(stderr, "error: unknown --type '{}' (one of: {})\n", args.type,
                 lookup::type_names_help());
      return 2;
    }
  }
  auto set = load_iocs(args.iocs, args.verbose);
  if (!set) {
    fmt::print(stderr, "error: {}\n", set.error().message);
    return 2;
  }
  const matching::Matcher matcher(*set);
  const auto& all = **set;
  bool any = false;
  for (const auto& value : args.values) {
    const auto kinds = forced.empty() ? lookup::detect_kinds(value) : forced;
    std::set<std::tuple<indicators::IocType, std::string>> seen;
    for (const auto kind : kinds) {
      matching::Observable obs;
      obs.kind = kind;
      obs.value = value;
      obs.field = "value";
      for (const auto& m : matcher.match(obs)) {
        if (!seen.emplace(m.type, m.matched).second) continue;
        any = true;
        for (const auto* ind : m.indicators) {
          std::vector<std::string> names;
          for (const auto c : ind->collections) names.push_back(all.collections()[c].name);
          const auto& file = all.files()[ind->file].display_name;
          if (args.json) {
            json::Value line = json::Value::object();
            json::Value cols = json::Value::array();
            for (const auto& n : names) cols.push_back(n);
            line.set("value", value);
            line.set("type", indicators::cli_name(m.type));
            line.set("match", match_kind_name(m.kind));
            line.set("observed", m.observed);
            line.set("matched", m.matched);
            line.set("indicator", ind->stix_id);
            line.set("collections", std::move(cols));
            line.set("stix2_file_name", file);
            line.set("valid_from", ind->valid_from ? json::Value(format_iso_time(*ind->valid_from))
                                                   : json::Value(nullptr));
            line.set("valid_until", ind->valid_until
                                        ? json::Value(format_iso_time(*ind->valid_until))
                                        : json::Value(nullptr));
            fmt::print("{}\n", json::to_json_line(line));
          } else {
            std::string joined;
            for (const auto& n : names) joined += (joined.empty() ? "" : ", ") + n;
            fmt::print("{}\t{}\t{}\t{}\t{}\t{}\t{}\n", value, indicators::cli_name(m.type),
                       match_kind_name(m.kind), m.matched, ind->stix_id, joined, file);
          }
        }
      }
    }
  }
  return any ? 1 : 0;
}

}  // namespace

void register_iocs_match(CLI::App& iocs, int& exit_code) {
  auto args = std::make_shared<MatchArgs>();
  auto* cmd = iocs.add_subcommand(
      "match",
      "Match values against the loaded indicators. Prints one line per match: value, type, "
      "match kind (exact, subdomain, path_prefix, truncated_name, basename), matched "
      "indicator value, indicator id, collection(s), source file; tab-separated, or JSON "
      "lines with --json. Exit 1 if anything matched, 0 if nothing, 2 on error.");
  cmd->add_option("--type", args->type,
                  "Value type: domain, url, ip, process, email, file-name, file-path, hash, "
                  "app-id, cert, android-property, profile, text. Without it the type of each "
                  "value is detected (see docs/matching.md)")
      ->type_name("T");
  cmd->add_flag("--json", args->json, "Print JSON lines");
  cmd->add_flag("-v,--verbose", args->verbose, "Show every indicator load warning");
  add_ioc_options(*cmd, args->iocs);
  cmd->add_option("VALUE", args->values, "Values to look up")->required();
  cmd->callback([args, &exit_code] { exit_code = run_match(*args); });
}

}  // namespace spyglass::cli
