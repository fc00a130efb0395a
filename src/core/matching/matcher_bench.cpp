// Matcher lookup rate and build time over a synthetic indicator set the size of the bundled
// feeds (~16k indicators, mostly domains). Inputs come from a fixed seed.
#include <benchmark/benchmark.h>

#include <random>
#include <string>
#include <vector>

#include "core/matching/matcher.hpp"

namespace {

using spyglass::indicators::Indicator;
using spyglass::indicators::IndicatorSet;
using spyglass::indicators::IocType;

std::string random_label(std::mt19937_64& rng, std::size_t min, std::size_t max) {
  std::size_t n = min + rng() % (max - min + 1);
  std::string s;
  for (std::size_t i = 0; i < n; ++i) s += static_cast<char>('a' + rng() % 26);
  return s;
}

std::shared_ptr<const IndicatorSet> synthetic_set(std::vector<std::string>& domains) {
  std::mt19937_64 rng(16000);
  static const char* kTlds[] = {"com", "net", "org", "info", "xyz", "co.uk"};
  std::vector<Indicator> out;
  auto add = [&](IocType type, std::string value) {
    Indicator ind;
    ind.stix_id = "indicator--" + std::to_string(out.size());
    ind.type = type;
    ind.original = value;
    ind.value = std::move(value);
    out.push_back(std::move(ind));
  };
  for (int i = 0; i < 12000; ++i) {
    std::string d = random_label(rng, 5, 14) + "." + kTlds[rng() % 6];
    domains.push_back(d);
    add(IocType::kDomain, d);
  }
  for (int i = 0; i < 3000; ++i)
    add(IocType::kHashSha256, std::string(64, "0123456789abcdef"[rng() % 16]) + std::to_string(i));
  for (int i = 0; i < 600; ++i) add(IocType::kAppId, "com." + random_label(rng, 4, 10) + ".app");
  for (int i = 0; i < 100; ++i) add(IocType::kProcess, random_label(rng, 4, 20));
  for (int i = 0; i < 100; ++i)
    add(IocType::kIp, "10.0." + std::to_string(i / 250) + "." + std::to_string(i % 250));
  for (int i = 0; i < 100; ++i)
    add(IocType::kUrl,
        "https://" + domains[static_cast<std::size_t>(i)] + "/p" + std::to_string(i));
  return std::make_shared<const IndicatorSet>(std::vector<spyglass::indicators::SourceFile>{},
                                              std::vector<spyglass::indicators::Collection>{},
                                              std::move(out),
                                              std::vector<spyglass::indicators::LoadWarning>{});
}

std::vector<std::string> observed_hosts(const std::vector<std::string>& domains) {
  // Mostly misses (as in real evidence), some subdomain hits.
  std::mt19937_64 rng(7);
  std::vector<std::string> hosts;
  for (int i = 0; i < 4096; ++i) {
    if (i % 16 == 0) {
      hosts.push_back("www." + domains[rng() % domains.size()]);
    } else {
      hosts.push_back(random_label(rng, 3, 8) + "." + random_label(rng, 5, 12) + ".com");
    }
  }
  return hosts;
}

void BM_MatcherBuild(benchmark::State& state) {
  std::vector<std::string> domains;
  auto set = synthetic_set(domains);
  for (auto _ : state) {
    spyglass::matching::Matcher m(set);
    benchmark::DoNotOptimize(&m);
  }
  state.counters["indicators"] = static_cast<double>(set->indicators().size());
}
BENCHMARK(BM_MatcherBuild)->Unit(benchmark::kMillisecond);

void BM_MatchDomain(benchmark::State& state) {
  std::vector<std::string> domains;
  spyglass::matching::Matcher m(synthetic_set(domains));
  auto hosts = observed_hosts(domains);
  std::size_t i = 0, hits = 0;
  for (auto _ : state) {
    auto r = m.match_domain(hosts[i++ & 4095]);
    hits += r.size();
    benchmark::DoNotOptimize(r);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
  state.counters["hits"] = static_cast<double>(hits);
}
BENCHMARK(BM_MatchDomain);

void BM_MatchUrl(benchmark::State& state) {
  std::vector<std::string> domains;
  spyglass::matching::Matcher m(synthetic_set(domains));
  std::vector<std::string> urls;
  for (const std::string& h : observed_hosts(domains))
    urls.push_back("https://" + h + "/index.html?x=1");
  std::size_t i = 0;
  for (auto _ : state) {
    auto r = m.match_url(urls[i++ & 4095]);
    benchmark::DoNotOptimize(r);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(BM_MatchUrl);

}  // namespace
