#pragma once
// Reads STIX 2.1 bundles into collections and indicators. parse_stix_bundle() in
// indicator_set.hpp is the one-shot form; BundleParser keeps its buffers between files.
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/indicators/indicator_set.hpp"

namespace spyglass::indicators {

// Larger files are refused: no public feed comes near it (the largest is ~4 MiB) and the
// JSON tape costs several times the input.
inline constexpr std::uint64_t kMaxBundleBytes = std::uint64_t{256} << 20;

// Per file, further warnings are summarised in one line so a hostile file cannot flood
// the report.
inline constexpr std::size_t kMaxWarningsPerFile = 200;

struct BundleOutput {
  std::vector<Collection>& collections;
  std::vector<Indicator>& indicators;
  std::vector<LoadWarning>& warnings;
};

class BundleParser {
 public:
  BundleParser();
  ~BundleParser();
  BundleParser(const BundleParser&) = delete;
  BundleParser& operator=(const BundleParser&) = delete;

  // `json_padded` says whether at least kJsonPadding readable bytes follow `json` in
  // memory (saves a copy of the file).
  void parse(std::string_view json, bool json_padded, std::uint32_t file_index,
             const std::string& display_name, BundleOutput out);

  static std::size_t padding();
  // Sizes the parser's buffers for documents up to `max_bytes`.
  void reserve(std::size_t max_bytes);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace spyglass::indicators
