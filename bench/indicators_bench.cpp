// Loading the bundled indicator feeds: what every scan pays before it starts.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <string>
#include <vector>

#include "core/indicators/indicator_set.hpp"
#include "core/indicators/stats.hpp"

namespace {

using spyglass::indicators::LoadOptions;

void BM_LoadBundledFeeds(benchmark::State& state) {
  const LoadOptions options;  // the bundled folder, as a scan without --iocs loads it
  std::size_t indicators = 0;
  std::uint64_t bytes = 0;
  for (auto _ : state) {
    auto set = spyglass::indicators::load_indicators(options);
    if (!set) {
      state.SkipWithError(set.error().message.c_str());
      return;
    }
    indicators = set->indicators().size();
    bytes = 0;
    for (const auto& f : set->files()) bytes += f.size;
    benchmark::DoNotOptimize(set);
  }
  state.counters["indicators"] = static_cast<double>(indicators);
  state.SetBytesProcessed(static_cast<std::int64_t>(bytes) * state.iterations());
}
BENCHMARK(BM_LoadBundledFeeds)->Unit(benchmark::kMillisecond);

// The parse alone (no file I/O or hashing), on a synthetic bundle of n domain indicators.
void BM_ParseSyntheticBundle(benchmark::State& state) {
  const auto n = static_cast<int>(state.range(0));
  std::string json = R"({"type":"bundle","id":"bundle--b","objects":[)";
  json += R"({"type":"malware","id":"malware--m","name":"M","is_family":false})";
  for (int i = 0; i < n; ++i) {
    const std::string id = "indicator--" + std::to_string(i);
    json += R"(,{"type":"indicator","spec_version":"2.1","id":")" + id +
            R"(","pattern":"[domain-name:value='host)" + std::to_string(i) +
            R"(.example.com']","pattern_type":"stix","valid_from":"2021-07-18T00:00:00Z"})";
    json += R"(,{"type":"relationship","id":"relationship--)" + std::to_string(i) +
            R"(","relationship_type":"indicates","source_ref":")" + id +
            R"(","target_ref":"malware--m"})";
  }
  json += "]}";
  for (auto _ : state) {
    std::vector<spyglass::indicators::Collection> collections;
    std::vector<spyglass::indicators::Indicator> indicators;
    std::vector<spyglass::indicators::LoadWarning> warnings;
    spyglass::indicators::parse_stix_bundle(json, 0, "synthetic", collections, indicators,
                                            warnings);
    benchmark::DoNotOptimize(indicators);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(json.size()) * state.iterations());
  state.SetItemsProcessed(static_cast<std::int64_t>(n) * state.iterations());
}
BENCHMARK(BM_ParseSyntheticBundle)->Arg(1000)->Arg(10000)->Unit(benchmark::kMillisecond);

void BM_ComputeStats(benchmark::State& state) {
  auto set = spyglass::indicators::load_indicators(LoadOptions{});
  if (!set) {
    state.SkipWithError(set.error().message.c_str());
    return;
  }
  for (auto _ : state) {
    auto stats = spyglass::indicators::compute_stats(*set);
    benchmark::DoNotOptimize(stats);
  }
}
BENCHMARK(BM_ComputeStats)->Unit(benchmark::kMillisecond);

}  // namespace
