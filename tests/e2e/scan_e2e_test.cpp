// End-to-end: a scan with test modules over an evidence folder generated here, through the
// real Matcher, the runner and every output writer.
#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>

#include <gtest/gtest.h>

#include "formats/json/json_writer.hpp"
#include "scan/runner.hpp"
#include "scan/scan_inputs.hpp"
#include "support/file_hash.hpp"
#include "support/temp_dir.hpp"

namespace spyglass::scan {
namespace {

namespace fs = std::filesystem;
using report::AlertLevel;
using testing::read_file;
using testing::TempDir;
using testing::write_file;

constexpr UnixMicros kBase = 1600000000LL * 1000000;  // 2020-09-13 12:26:40 UTC

// Reads messages.txt: "<seconds offset>|<sender>|<text>" per line.
class MessagesModule : public Module {
 public:
  const ModuleSpec& spec() const override { return spec_; }
  Status run(ModuleContext& ctx, RecordSink& sink) override {
    const fs::path file = ctx.evidence_root() / "messages.txt";
    std::ifstream in(file);
    if (!in) return Status::not_present("messages.txt not found");
    // Exercise the scratch folder: the runner must remove it.
    auto scratch = ctx.scratch_dir();
    if (!scratch) return Status::failed(scratch.error().message);
    write_file(*scratch / "copy.txt", "scratch");
    std::string line;
    int number = 0;
    while (std::getline(in, line)) {
      ++number;
      const auto a = line.find('|');
      const auto b = line.find('|', a + 1);
      if (a == std::string::npos || b == std::string::npos) continue;
      Record r;
      r.time = kBase + std::stoll(line.substr(0, a)) * 1000000;
      const std::string sender = line.substr(a + 1, b - a - 1);
      const std::string text = line.substr(b + 1);
      r.data.set("isodate", format_mvt_time(*r.time)).set("sender", sender).set("text", text);
      r.timeline.push_back({*r.time, "sms_received", sender + ": " + text});
      r.observe(matching::ObservableKind::kText, text, "text");
      std::istringstream words(text);
      for (std::string w; words >> w;) {
        if (w.rfind("http", 0) == 0) r.links.push_back(w);
      }
      if (sender.empty()) r.flag(AlertLevel::kMedium, "message without a sender");
      r.provenance = {"messages.txt", "line " + std::to_string(number)};
      sink.emit(std::move(r));
    }
    sink.alert({AlertLevel::kInformational, "messages read", std::nullopt,
                json::obj({{"count", number}}), {"messages.txt", ""}});
    return Status::ok();
  }

 private:
  ModuleSpec spec_{"test_messages", Family::kText, "TestMessages", "messages.txt lines", ""};
};

// Looks for an artifact that is never there.
class AbsentModule : public Module {
 public:
  const ModuleSpec& spec() const override { return spec_; }
  Status run(ModuleContext& ctx, RecordSink&) override {
    if (!fs::exists(ctx.evidence_root() / "nothing.db")) return Status::not_present("no db");
    return Status::ok();
  }

 private:
  ModuleSpec spec_{"test_absent", Family::kIos, "TestAbsent", "never present", ""};
};

// Emits one process record, then throws: the runner must keep going.
class ThrowingModule : public Module {
 public:
  const ModuleSpec& spec() const override { return spec_; }
  Status run(ModuleContext& ctx, RecordSink& sink) override {
    if (!fs::exists(ctx.evidence_root() / "procs.txt")) return Status::not_present("no procs");
    Record r;
    r.time = kBase + 5 * 1000000;
    r.data.set("proc_name", "bh");
    r.timeline.push_back({*r.time, "process", "bh"});
    r.observe(matching::ObservableKind::kProcess, "bh", "proc_name", AlertLevel::kHigh);
    sink.emit(std::move(r));
    throw std::runtime_error("corrupt procs table");
  }

 private:
  ModuleSpec spec_{"test_procs", Family::kAndroid, "TestProcs", "process list", ""};
};

std::vector<std::unique_ptr<Module>> all_modules() {
  std::vector<std::unique_ptr<Module>> m;
  m.push_back(std::make_unique<MessagesModule>());
  m.push_back(std::make_unique<AbsentModule>());
  m.push_back(std::make_unique<ThrowingModule>());
  return m;
}

std::shared_ptr<const indicators::IndicatorSet> make_indicators() {
  std::vector<indicators::SourceFile> files(1);
  files[0].path = "/iocs/pegasus.stix2";
  files[0].display_name = "pegasus.stix2";
  std::vector<indicators::Collection> cols = {{"malware--1", "malware", "Pegasus", "", 0},
                                              {"report--2", "report", "Report A", "", 0}};
  std::vector<indicators::Indicator> inds(2);
  inds[0].stix_id = "indicator--d";
  inds[0].type = indicators::IocType::kDomain;
  inds[0].value = inds[0].original = "evil.com";
  inds[0].pattern = "[domain-name:value = 'evil.com']";
  inds[0].collections = {0, 1};
  inds[1].stix_id = "indicator--p";
  inds[1].type = indicators::IocType::kProcess;
  inds[1].value = inds[1].original = "bh";
  inds[1].pattern = "[process:name = 'bh']";
  inds[1].collections = {0};
  return std::make_shared<indicators::IndicatorSet>(std::move(files), std::move(cols),
                                                    std::move(inds),
                                                    std::vector<indicators::LoadWarning>{});
}

void write_evidence(const fs::path& root, bool with_ioc, bool with_procs) {
  std::string messages =
      "30|+15550100|lunch at noon?\n"
      "10||see https://bit.ly/abc \"now\"\n";
  if (with_ioc) messages += "20|+15550199|update: https://x.evil.com/a\\b\n";
  write_file(root / "messages.txt", messages);
  if (with_procs) write_file(root / "procs.txt", "bh\n");
}

struct ScanRun {
  Result<ScanSummary> summary;
  fs::path out;
};

ScanRun scan(const fs::path& evidence, const fs::path& out, unsigned jobs = 2,
         bool overwrite = false, bool hashes = false,
         std::vector<std::unique_ptr<Module>> modules = all_modules()) {
  ScanOptions options;
  options.evidence = evidence;
  options.output = out;
  options.jobs = jobs;
  options.overwrite = overwrite;
  options.hash_evidence = hashes;
  options.command = "spyglass scan test";
  Logger logger({.quiet = true, .verbose = false, .progress = false}, nullptr);
  const ScanInputs inputs = make_scan_inputs(make_indicators());
  return {run_scan(modules, options, inputs, logger), out};
}

std::map<std::string, std::string> read_outputs(const fs::path& dir) {
  std::map<std::string, std::string> files;
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    if (e.is_regular_file()) files[fs::relative(e.path(), dir).string()] = read_file(e.path());
  }
  return files;
}

TEST(ScanE2E, DetectsReportsAndWritesMvtOutputs) {
  TempDir tmp;
  write_evidence(tmp / "ev", true, true);
  const ScanRun run = scan(tmp / "ev", tmp / "out");
  ASSERT_TRUE(run.summary) << run.summary.error().message;
  const ScanSummary& s = *run.summary;
  EXPECT_EQ(s.exit_code(), 1);
  EXPECT_EQ(s.indicator_matches, 2u);  // evil.com in a message, bh before the throw
  EXPECT_EQ(s.slugs_with(ModuleStatus::kOk), std::vector<std::string>{"test_messages"});
  EXPECT_EQ(s.slugs_with(ModuleStatus::kNotPresent), std::vector<std::string>{"test_absent"});
  EXPECT_EQ(s.slugs_with(ModuleStatus::kFailed), std::vector<std::string>{"test_procs"});
  EXPECT_NE(s.modules[2].error.find("corrupt procs table"), std::string::npos);

  const auto files = read_outputs(tmp / "out");
  for (const char* name : {"test_messages.json", "test_messages_detected.json",
                           "test_procs.json", "test_procs_detected.json", "alerts.json",
                           "timeline.csv", "alerts_timeline.csv", "urls.json", "info.json",
                           "command.log"}) {
    EXPECT_TRUE(files.count(name)) << name;
  }
  EXPECT_FALSE(files.count("test_absent.json"));
  EXPECT_FALSE(fs::exists(tmp / "out/.scratch"));

  // Timeline: sorted by time across modules, the Plugin column is the display name.
  EXPECT_EQ(files.at("timeline.csv"),
            "\"UTC Timestamp\",\"Plugin\",\"Event\",\"Description\"\r\n"
            "\"2020-09-13 12:26:45.000000\",\"TestProcs\",\"process\",\"bh\"\r\n"
            "\"2020-09-13 12:26:50.000000\",\"TestMessages\",\"sms_received\","
            "\": see https://bit.ly/abc \"\"now\"\"\"\r\n"
            "\"2020-09-13 12:27:00.000000\",\"TestMessages\",\"sms_received\","
            "\"+15550199: update: https://x.evil.com/a\\\\b\"\r\n"
            "\"2020-09-13 12:27:10.000000\",\"TestMessages\",\"sms_received\","
            "\"+15550100: lunch at noon?\"\r\n");

  // alerts.json: the IOC alert names both collections and carries provenance.
  const std::string& alerts = files.at("alerts.json");
  EXPECT_NE(alerts.find("\"name\": \"Pegasus, Report A\""), std::string::npos);
  EXPECT_NE(alerts.find("\"locator\": \"line 3\""), std::string::npos);
  EXPECT_NE(alerts.find("collection \\\"Pegasus\\\""), std::string::npos);
  EXPECT_NE(alerts.find("\"message\": \"message without a sender\""), std::string::npos);
  EXPECT_NE(alerts.find("\"level\": \"INFORMATIONAL\""), std::string::npos);
  EXPECT_NE(alerts.find("\"type\": \"processes\""), std::string::npos);
  // The first record's alert comes first: module registry order, then emission order.
  EXPECT_LT(alerts.find("message without a sender"), alerts.find("x.evil.com"));
  EXPECT_LT(alerts.find("x.evil.com"), alerts.find("\"module\": \"test_procs\""));

  // alerts_timeline.csv: timed alerts only (not the untimed INFORMATIONAL), sorted.
  const std::string& at = files.at("alerts_timeline.csv");
  EXPECT_EQ(at.find("messages read"), std::string::npos);
  EXPECT_NE(at.find("\"2020-09-13 12:26:45.000000\",\"test_procs\""), std::string::npos);
  EXPECT_LT(at.find("test_procs"), at.find("without a sender"));
  EXPECT_NE(at.find("{'isodate': '2020-09-13 12:27:00.000000', 'sender': '+15550199', "
                    "'text': 'update: https://x.evil.com/a\\\\\\\\b'}"),
            std::string::npos);

  EXPECT_NE(files.at("urls.json").find("\"expanded_url\": null"), std::string::npos);
  EXPECT_NE(files.at("urls.json").find("https://bit.ly/abc"), std::string::npos);
  EXPECT_NE(files.at("info.json").find("\"status\": \"failed\""), std::string::npos);
  EXPECT_NE(files.at("info.json").find("\"ioc_files\": [\n        \"/iocs/pegasus.stix2\""),
            std::string::npos);
  EXPECT_NE(files.at("command.log").find("corrupt procs table"), std::string::npos);
}

TEST(ScanE2E, FailedModuleWithoutDetectionExitsTwo) {
  TempDir tmp;
  write_evidence(tmp / "ev", false, true);
  std::vector<std::unique_ptr<Module>> modules;
  modules.push_back(std::make_unique<AbsentModule>());
  modules.push_back(std::make_unique<ThrowingModule>());
  ScanOptions options;
  options.evidence = tmp / "ev";
  options.jobs = 1;
  Logger logger({.quiet = true, .verbose = false, .progress = false}, nullptr);
  // No indicators: the process record cannot match, the throw makes the scan incomplete.
  const auto s = run_scan(modules, options, make_scan_inputs(nullptr), logger);
  ASSERT_TRUE(s);
  EXPECT_EQ(s->exit_code(), 2);
  EXPECT_EQ(s->verdict(), "incomplete");
}

TEST(ScanE2E, CleanEvidenceExitsZero) {
  TempDir tmp;
  write_file(tmp / "ev/messages.txt", "1|+15550100|hello\n");
  std::vector<std::unique_ptr<Module>> modules;
  modules.push_back(std::make_unique<MessagesModule>());
  modules.push_back(std::make_unique<AbsentModule>());
  const ScanRun run = scan(tmp / "ev", tmp / "out", 2, false, false, std::move(modules));
  ASSERT_TRUE(run.summary);
  EXPECT_EQ(run.summary->exit_code(), 0);
  EXPECT_EQ(run.summary->alerts_informational, 1u);
  const auto files = read_outputs(tmp / "out");
  EXPECT_TRUE(files.count("test_messages_detected.json"));  // the INFORMATIONAL alert
  EXPECT_EQ(files.at("alerts_timeline.csv"), "\"Event Time\",\"Module\",\"Message\",\"Event\"\r\n");
  EXPECT_FALSE(files.count("urls.json"));
}

TEST(ScanE2E, OutputsAreByteIdenticalAcrossRunsAndThreadCounts) {
  TempDir tmp;
  write_evidence(tmp / "ev", true, true);
  ASSERT_TRUE(scan(tmp / "ev", tmp / "a", 1).summary);
  ASSERT_TRUE(scan(tmp / "ev", tmp / "b", 4).summary);
  auto a = read_outputs(tmp / "a");
  auto b = read_outputs(tmp / "b");
  for (auto* files : {&a, &b}) {
    files->erase("info.json");
    files->erase("command.log");
  }
  EXPECT_EQ(a.size(), 10u);  // 8 MVT-style files + timeline.jsonl + report.html
  EXPECT_EQ(a, b);
}

TEST(ScanE2E, OutputFolderRules) {
  TempDir tmp;
  write_evidence(tmp / "ev", true, false);
  write_file(tmp / "out/old.txt", "old");
  const ScanRun refused = scan(tmp / "ev", tmp / "out");
  ASSERT_FALSE(refused.summary);
  EXPECT_TRUE(fs::exists(tmp / "out/old.txt"));

  const ScanRun replaced = scan(tmp / "ev", tmp / "out", 2, true);
  ASSERT_TRUE(replaced.summary) << replaced.summary.error().message;
  EXPECT_FALSE(fs::exists(tmp / "out/old.txt"));
  EXPECT_TRUE(fs::exists(tmp / "out/info.json"));

  const ScanRun inside = scan(tmp / "ev", tmp / "ev/out", 2, true);
  ASSERT_FALSE(inside.summary);
  EXPECT_NE(inside.summary.error().message.find("inside the evidence"), std::string::npos);
  EXPECT_FALSE(fs::exists(tmp / "ev/out"));

  const ScanRun missing = scan(tmp / "no-such-evidence", tmp / "out2");
  ASSERT_FALSE(missing.summary);
  EXPECT_EQ(missing.summary.error().code, ErrorCode::kNotFound);
}

TEST(ScanE2E, EvidenceIsNeverWritten) {
  TempDir tmp;
  write_evidence(tmp / "ev", true, true);
  const auto before = sha256_tree(tmp / "ev");
  ASSERT_TRUE(before);
  std::vector<std::pair<std::string, fs::file_time_type>> times;
  for (const auto& e : fs::recursive_directory_iterator(tmp / "ev")) {
    times.emplace_back(e.path().string(), fs::last_write_time(e.path()));
  }
  const ScanRun run = scan(tmp / "ev", tmp / "out", 2, false, true);
  ASSERT_TRUE(run.summary);
  const auto after = sha256_tree(tmp / "ev");
  ASSERT_TRUE(after);
  ASSERT_EQ(before->size(), after->size());
  for (std::size_t i = 0; i < before->size(); ++i) {
    EXPECT_EQ((*before)[i].path, (*after)[i].path);
    EXPECT_EQ((*before)[i].sha256, (*after)[i].sha256);
  }
  std::size_t entries = 0;
  for (const auto& e : fs::recursive_directory_iterator(tmp / "ev")) {
    ++entries;
    EXPECT_NE(std::find(times.begin(), times.end(),
                        std::make_pair(e.path().string(), fs::last_write_time(e.path()))),
              times.end());
  }
  EXPECT_EQ(entries, times.size());
  // --hashes lists every evidence file in info.json.
  const std::string info = read_file(tmp / "out/info.json");
  EXPECT_NE(info.find((*before)[0].sha256), std::string::npos);
  EXPECT_NE(info.find((*before)[1].sha256), std::string::npos);
}

}  // namespace
}  // namespace spyglass::scan
