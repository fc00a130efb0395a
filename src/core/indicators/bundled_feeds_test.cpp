// Loads every bundled feed and checks what the loader found against counts this test
// derives on its own from the raw file text (a plain scan of the "pattern" strings), and
// those against the per-file totals published in data/iocs/SOURCES.md.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>
#include <string>

#include "core/indicators/indicator_set.hpp"
#include "core/indicators/stats.hpp"
#include "support/temp_dir.hpp"

namespace spyglass::indicators {
namespace {

namespace fs = std::filesystem;

fs::path bundled_dir() { return spyglass::testing::source_dir() / "data" / "iocs"; }

// Every "pattern" string value in the file, without JSON unescaping (the feeds use none).
std::vector<std::string> raw_patterns(const std::string& text) {
  std::vector<std::string> out;
  const std::string key = "\"pattern\"";
  for (std::size_t pos = text.find(key); pos != std::string::npos; pos = text.find(key, pos)) {
    pos += key.size();
    while (pos < text.size() && (text[pos] == ' ' || text[pos] == ':' || text[pos] == '\n')) ++pos;
    if (pos >= text.size() || text[pos] != '"') continue;
    const std::size_t end = text.find('"', pos + 1);
    if (end == std::string::npos) break;
    out.push_back(text.substr(pos + 1, end - pos - 1));
    pos = end;
  }
  return out;
}

// A plain dotted quad ("1.2.3.4"); std::regex is avoided (GCC 12 warns inside it).
bool is_ipv4_text(const std::string& s) {
  int parts = 0;
  std::size_t i = 0;
  while (i < s.size()) {
    std::size_t digits = 0;
    while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i])) != 0) ++i, ++digits;
    if (digits == 0 || digits > 3) return false;
    ++parts;
    if (i == s.size()) break;
    if (s[i++] != '.' || i == s.size()) return false;
  }
  return parts == 4;
}

// "[object:path = 'value']" (whitespace allowed around the brackets and '='), the only form
// the feeds use; false for anything else.
bool split_simple_pattern(const std::string& pattern, std::string& path, std::string& value) {
  const std::size_t open = pattern.find('[');
  const std::size_t eq = pattern.find('=');
  const std::size_t first_quote = pattern.find('\'', eq);
  const std::size_t last_quote = pattern.rfind('\'');
  const std::size_t close = pattern.rfind(']');
  if (open != 0 || eq == std::string::npos || first_quote == std::string::npos ||
      first_quote < eq || last_quote <= first_quote || close != pattern.size() - 1) {
    return false;
  }
  path = pattern.substr(1, eq - 1);
  path.erase(std::remove(path.begin(), path.end(), ' '), path.end());
  value = pattern.substr(first_quote + 1, last_quote - first_quote - 1);
  return path.find(':') != std::string::npos &&
         pattern.find_first_not_of(' ', last_quote + 1) == close;
}

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// The effective type a STIX object path and value should load as, by this test's reading
// of the spec (docs: iocs-and-network.md §2).
std::string expected_type(const std::string& path, const std::string& value) {
  const std::string p = lower(path);
  if (p == "domain-name:value") return is_ipv4_text(value) ? "ip" : "domain";
  if (p == "ipv4-addr:value" || p == "ipv6-addr:value") return "ip";
  if (p.rfind("file:hashes.", 0) == 0) {
    switch (value.size()) {
      case 32:
        return "hash-md5";
      case 40:
        return "hash-sha1";
      case 64:
        return "hash-sha256";
      case 128:
        return "hash-sha512";
    }
    return "bad-hash";
  }
  static const std::map<std::string, std::string> kByPath = {
      {"url:value", "url"},
      {"process:name", "process"},
      {"email-addr:value", "email"},
      {"file:name", "file-name"},
      {"file:path", "file-path"},
      {"app:id", "app-id"},
      {"app:cert.sha1", "cert"},
      {"app:cert.sha256", "cert"},
      {"app:cert.md5", "cert"},
      {"configuration-profile:id", "profile"},
      {"android-property:name", "android-property"}};
  auto it = kByPath.find(p);
  return it == kByPath.end() ? "unsupported:" + p : it->second;
}

// SOURCES.md rows: "| `path.stix2` | ... (total N) |".
std::map<std::string, int> published_totals() {
  std::map<std::string, int> out;
  const std::string text = spyglass::testing::read_file(bundled_dir() / "SOURCES.md");
  std::size_t line_start = 0;
  while (line_start < text.size()) {
    std::size_t line_end = text.find('\n', line_start);
    if (line_end == std::string::npos) line_end = text.size();
    const std::string line = text.substr(line_start, line_end - line_start);
    line_start = line_end + 1;
    const std::size_t name_end = line.find(".stix2` |");
    const std::size_t total = line.rfind("(total ");
    if (line.rfind("| `", 0) != 0 || name_end == std::string::npos || total == std::string::npos) {
      continue;
    }
    out[line.substr(3, name_end + 6 - 3)] = std::stoi(line.substr(total + 7));
  }
  return out;
}

struct Expected {
  std::map<std::string, std::map<std::string, int>> by_file;  // display name -> type -> n
  std::set<std::pair<std::string, std::string>> unique;       // (type, comparison value)
};

Expected scan_bundled_files() {
  Expected out;
  for (const auto& entry : fs::recursive_directory_iterator(bundled_dir())) {
    if (entry.path().extension() != ".stix2") continue;
    const std::string name = entry.path().lexically_relative(bundled_dir()).generic_string();
    auto& counts = out.by_file[name];
    for (const std::string& pattern : raw_patterns(spyglass::testing::read_file(entry.path()))) {
      std::string path, raw_value;
      if (!split_simple_pattern(pattern, path, raw_value)) {
        ADD_FAILURE() << name << ": pattern outside the simple form: " << pattern;
        continue;
      }
      const std::string type = expected_type(path, raw_value);
      ++counts[type];
      std::string value = raw_value;
      if (type != "process" && type != "file-name" && type != "file-path" && type != "url") {
        value = lower(value);
      }
      if (type == "domain") {
        value = value.substr(0, value.find('/'));
        if (!value.empty() && value.back() == '.') value.pop_back();
      }
      out.unique.emplace(type, value);
    }
  }
  return out;
}

class BundledFeeds : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    LoadOptions options;
    options.bundled_dir = bundled_dir();
    auto loaded = load_indicators(options);
    ASSERT_TRUE(loaded) << loaded.error().message;
    set_ = new IndicatorSet(std::move(*loaded));
    expected_ = new Expected(scan_bundled_files());
  }
  static void TearDownTestSuite() {
    delete set_;
    delete expected_;
  }
  static IndicatorSet* set_;
  static Expected* expected_;
};
IndicatorSet* BundledFeeds::set_ = nullptr;
Expected* BundledFeeds::expected_ = nullptr;

TEST_F(BundledFeeds, RawScanAgreesWithThePublishedTotals) {
  const auto totals = published_totals();
  ASSERT_GE(totals.size(), 17U);
  for (const auto& [path, total] : totals) {
    auto it = expected_->by_file.find(path);
    ASSERT_NE(it, expected_->by_file.end()) << path << " is listed in SOURCES.md but not bundled";
    int scanned = 0;
    for (const auto& [type, n] : it->second) scanned += n;
    EXPECT_EQ(scanned, total) << path;
  }
}

TEST_F(BundledFeeds, EveryFileLoadsWithTheCountsOfTheRawScan) {
  ASSERT_EQ(set_->files().size(), expected_->by_file.size());
  std::map<std::string, std::map<std::string, int>> loaded;
  for (const SourceFile& f : set_->files()) loaded[f.display_name];
  for (const Indicator& i : set_->indicators()) {
    ++loaded[set_->files()[i.file].display_name][std::string(stats_name(i.type))];
  }
  for (const auto& [name, counts] : expected_->by_file) {
    EXPECT_EQ(loaded[name], counts) << name;
  }
  for (const SourceFile& f : set_->files()) {
    EXPECT_TRUE(f.bundled);
    EXPECT_EQ(f.sha256.size(), 64U);
    EXPECT_GT(f.size, 0U);
  }
}

TEST_F(BundledFeeds, OnlyTheKnownQuirksWarn) {
  for (const LoadWarning& w : set_->warnings()) {
    const bool known = w.message.find("IP address typed as domain-name") != std::string::npos ||
                       w.message.find("not a bare host") != std::string::npos ||
                       w.message.find("is not in this file") != std::string::npos;
    EXPECT_TRUE(known) << w.file << " " << w.indicator_id << ": " << w.message;
  }
}

TEST_F(BundledFeeds, StatsCountUniqueValues) {
  const IocStats stats = compute_stats(*set_);
  EXPECT_EQ(stats.total, expected_->unique.size());
  std::map<std::string, std::uint64_t> expected_by_type;
  for (const auto& [type, value] : expected_->unique) ++expected_by_type[type];
  std::map<std::string, std::uint64_t> by_type(stats.by_type.begin(), stats.by_type.end());
  EXPECT_EQ(by_type, expected_by_type);
  ASSERT_EQ(stats.by_file.size(), set_->files().size());
}

TEST_F(BundledFeeds, OurOwnBundleIsThere) {
  const auto it = std::find_if(set_->files().begin(), set_->files().end(), [](const auto& f) {
    return f.display_name == "spyglass/whatsapp-v-nso.stix2";
  });
  ASSERT_NE(it, set_->files().end());
  const auto file = static_cast<std::uint32_t>(it - set_->files().begin());
  std::map<std::string, const Indicator*> by_value;
  for (const Indicator& i : set_->indicators()) {
    if (i.file == file) by_value[i.value] = &i;
  }
  ASSERT_EQ(by_value.size(), 5U);
  const Indicator* ip = by_value.at("104.223.76.220");
  EXPECT_EQ(ip->type, IocType::kIp);
  ASSERT_TRUE(ip->valid_from && ip->valid_until);
  EXPECT_EQ(format_iso_time(*ip->valid_from), "2019-04-01T00:00:00Z");
  EXPECT_EQ(format_iso_time(*ip->valid_until), "2019-05-31T23:59:59Z");
  const Indicator* domain = by_value.at("sip.nsogroup.com");
  EXPECT_EQ(domain->type, IocType::kDomain);
  EXPECT_EQ(format_iso_time(*domain->valid_from), "2019-01-02T00:00:00Z");
  EXPECT_EQ(set_->collections()[domain->collections.at(0)].kind, "malware");
}

}  // namespace
}  // namespace spyglass::indicators
