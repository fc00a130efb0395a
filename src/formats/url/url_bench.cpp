// Extraction throughput on SMS-like text and URL normalisation rate. The corpus is
// generated at start from a fixed seed, so runs are comparable.
#include <benchmark/benchmark.h>

#include <random>
#include <string>
#include <vector>

#include "formats/url/url.hpp"

namespace {

std::string sms_corpus(std::size_t bytes) {
  static const std::vector<std::string> kWords = {
      "hi",   "are",  "you",    "coming", "tonight",  "ok",   "see",    "thanks", "the",
      "meet", "at",   "12:30",  "e.g.",   "tomorrow", "Mr.",  "call",   "me",     "3.14",
      "dear", "your", "parcel", "is",     "waiting",  "code", "update", "now",    "login"};
  static const std::vector<std::string> kLinks = {"https://track-parcel.example.com/a?id=",
                                                  "www.bank-secure.net/login",
                                                  "http://10.1.2.3:8080/x",
                                                  "support@help.example.org",
                                                  "bit.ly/3xYz",
                                                  "https://t.co/AbC"};
  std::mt19937_64 rng(20240601);
  std::string out;
  out.reserve(bytes + 128);
  while (out.size() < bytes) {
    std::size_t words = 5 + rng() % 20;
    for (std::size_t i = 0; i < words; ++i) {
      out += kWords[rng() % kWords.size()];
      out += ' ';
    }
    if (rng() % 8 == 0) {
      out += kLinks[rng() % kLinks.size()];
      out += std::to_string(rng() % 100000);
    }
    out += ". ";
    if (rng() % 4 == 0) out += '\n';
  }
  return out;
}

void BM_ExtractSmsText(benchmark::State& state) {
  const std::string text = sms_corpus(8 << 20);
  std::vector<spyglass::formats::url::Found> found;
  for (auto _ : state) {
    found.clear();
    spyglass::formats::url::extract(text, found);
    benchmark::DoNotOptimize(found.data());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) *
                          static_cast<std::int64_t>(text.size()));
  state.counters["found"] = static_cast<double>(found.size());
}
BENCHMARK(BM_ExtractSmsText)->Unit(benchmark::kMillisecond);

void BM_NormalizeUrl(benchmark::State& state) {
  const std::vector<std::string> urls = {"HTTPS://Track-Parcel.Example.com:443/a?id=1",
                                         "www.bank-secure.net/login", "http://10.1.2.3:8080/x",
                                         "https://bücher.de/x"};
  std::size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(spyglass::formats::url::normalize_url(urls[i++ % urls.size()]));
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(BM_NormalizeUrl);

}  // namespace
