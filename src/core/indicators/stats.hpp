#pragma once
// Counts of what an IndicatorSet holds, for `spyglass iocs`-style listings and info.json.
// Every count is of unique (effective type, normalised value) pairs: feeds repeat values
// across collections and files, and a value matched once is one indicator to a user.
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "core/indicators/indicator_set.hpp"

namespace spyglass::indicators {

// (stats_name(type), count) in kAllIocTypes order; types with no values are left out.
using TypeCounts = std::vector<std::pair<std::string, std::uint64_t>>;

struct CollectionStats {
  std::string name;                // key: collections of the same name in several files merge
  std::string kind;                // kind of the first collection of that name
  std::vector<std::string> files;  // display names of the files holding it, in load order
  std::uint64_t count = 0;
};

struct FileStats {
  std::string display_name;
  std::string sha256;
  std::uint64_t count = 0;
  TypeCounts by_type;
};

struct IocStats {
  std::uint64_t total = 0;
  TypeCounts by_type;
  std::vector<CollectionStats> by_collection;  // in order of first appearance
  std::vector<FileStats> by_file;              // in load order
};

IocStats compute_stats(const IndicatorSet& set);

}  // namespace spyglass::indicators
