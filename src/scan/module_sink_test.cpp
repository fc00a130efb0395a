#include "scan/module_sink.hpp"

#include <gtest/gtest.h>

#include "formats/json/json_writer.hpp"
#include "support/temp_dir.hpp"

namespace spyglass::scan {
namespace {

using indicators::IocType;

std::shared_ptr<const indicators::IndicatorSet> make_set() {
  std::vector<indicators::SourceFile> files(1);
  files[0].display_name = "pegasus.stix2";
  std::vector<indicators::Collection> cols = {{"malware--1", "malware", "Pegasus", "", 0}};
  std::vector<indicators::Indicator> inds(1);
  inds[0].stix_id = "indicator--a";
  inds[0].type = IocType::kDomain;
  inds[0].value = "evil.com";
  inds[0].collections = {0};
  return std::make_shared<indicators::IndicatorSet>(std::move(files), std::move(cols),
                                                    std::move(inds),
                                                    std::vector<indicators::LoadWarning>{});
}

// A stand-in for the Matcher: any observable containing "evil.com" matches it.
ScanInputs fake_inputs() {
  ScanInputs in;
  in.indicators = make_set();
  const indicators::Indicator* ind = &in.indicators->indicators()[0];
  in.match = [ind](const matching::Observable& o) {
    std::vector<matching::Match> out;
    if (o.value.find("evil.com") != std::string::npos) {
      matching::Match m;
      m.type = IocType::kDomain;
      m.observed = "evil.com";
      m.matched = "evil.com";
      m.indicators = {ind};
      out.push_back(m);
    }
    return out;
  };
  return in;
}

const ModuleSpec kSpec{"sms", Family::kIos, "SMS", "messages", "", 0};

TEST(ModuleSink, OneAlertPerRecordAndValueAtHighestLevel) {
  const ScanInputs inputs = fake_inputs();
  ModuleSink sink(kSpec, inputs, {});
  Record r;
  r.time = 1000000;
  r.data.set("text", "go to https://evil.com/x");
  r.observe(matching::ObservableKind::kText, "https://evil.com/x", "text",
            AlertLevel::kHigh);
  r.observe(matching::ObservableKind::kUrl, "http://evil.com", "link", AlertLevel::kCritical);
  r.observe(matching::ObservableKind::kUrl, "http://good.org", "link");
  sink.emit(r);
  Record clean;
  clean.observe(matching::ObservableKind::kUrl, "https://good.org", "url");
  sink.emit(clean);
  const ModuleOutcome o = sink.finish();
  EXPECT_EQ(o.records, 2u);
  ASSERT_EQ(o.alerts.size(), 1u);
  EXPECT_EQ(o.alerts[0].level, AlertLevel::kCritical);
  EXPECT_EQ(o.alerts[0].event, r.data);
  EXPECT_EQ(o.alerts[0].event_time, r.time);
  EXPECT_EQ(o.alerts[0].matched_indicator.find("name")->as_string(), "Pegasus");
  EXPECT_EQ(o.alerts[0].matched_indicator.find("field")->as_string(), "text");
}

TEST(ModuleSink, NoIndicatorsMeansHeuristicsOnly) {
  const ScanInputs none;
  ModuleSink sink(kSpec, none, {});
  Record r;
  r.time = 5;
  r.observe(matching::ObservableKind::kUrl, "https://evil.com", "url");
  r.flag(AlertLevel::kMedium, "odd sender");
  sink.emit(r);
  sink.alert({AlertLevel::kLow, "standalone", std::nullopt, json::Value::object(), {}});
  const ModuleOutcome o = sink.finish();
  ASSERT_EQ(o.alerts.size(), 2u);
  EXPECT_FALSE(o.alerts[0].is_indicator_match());
  EXPECT_EQ(o.alerts[0].event_time, 5);
  EXPECT_EQ(o.alerts[1].message, "standalone");
}

TEST(ModuleSink, OnMatchHeuristicsOnlyWhenAnObservableMatched) {
  const ScanInputs inputs = fake_inputs();
  ModuleSink sink(kSpec, inputs, {});
  Record hit;
  hit.time = 9;
  hit.observe(matching::ObservableKind::kDomain, "evil.com", "origin");
  hit.on_match.push_back({AlertLevel::kHigh, "chain a -> evil.com", std::nullopt});
  sink.emit(hit);
  Record miss;
  miss.observe(matching::ObservableKind::kDomain, "good.org", "origin");
  miss.on_match.push_back({AlertLevel::kHigh, "chain b -> good.org", std::nullopt});
  sink.emit(miss);
  const ScanInputs none;
  ModuleSink no_iocs(kSpec, none, {});
  no_iocs.emit(hit);
  const ModuleOutcome o = sink.finish();
  ASSERT_EQ(o.alerts.size(), 2u);
  EXPECT_TRUE(o.alerts[0].is_indicator_match());
  EXPECT_EQ(o.alerts[1].level, AlertLevel::kHigh);
  EXPECT_EQ(o.alerts[1].message, "chain a -> evil.com");
  EXPECT_EQ(o.alerts[1].event_time, 9);
  EXPECT_TRUE(no_iocs.finish().alerts.empty());
}

TEST(ModuleSink, StreamsDataAndRendersTimeline) {
  testing::TempDir tmp;
  const ScanInputs none;
  ModuleSink sink(kSpec, none, tmp / "sms.json");
  json::Value all = json::Value::array();
  for (int i = 0; i < 3; ++i) {
    Record r;
    r.data.set("i", i).set("s", "\xC3\xA9");
    r.timeline.push_back({7, "sms", "same"});
    r.links.push_back("https://l/" + std::to_string(i));
    all.push_back(r.data);
    sink.emit(std::move(r));
  }
  const ModuleOutcome o = sink.finish();
  EXPECT_EQ(testing::read_file(tmp / "sms.json"), json::to_python_json(all));
  // Every row is kept here; duplicates go when the runner merges (timeline_runs_test).
  ASSERT_EQ(o.timeline->size(), 3u);
  auto sources = o.timeline->sources();
  ASSERT_TRUE(sources);
  ASSERT_EQ(sources->size(), 1u);
  TimelineLineSource& src = *sources->front();
  ASSERT_TRUE(*src.next());
  EXPECT_EQ(src.line().time, 7);
  EXPECT_EQ(src.line().csv,
            "\"1970-01-01 00:00:00.000007\",\"SMS\",\"sms\",\"same\"\r\n");
  EXPECT_EQ(src.line().jsonl,
            "{\"message\": \"same\", \"datetime\": \"1970-01-01T00:00:00.000007Z\", "
            "\"timestamp\": 7, \"timestamp_desc\": \"sms\", \"module\": \"sms\", \"family\": "
            "\"ios\", \"provenance_file\": \"\", \"provenance_locator\": \"\"}\n");
  EXPECT_EQ(o.urls.size(), 3u);
  EXPECT_TRUE(o.output_errors.empty());
}

TEST(ModuleSink, NoRecordsNoFile) {
  testing::TempDir tmp;
  const ScanInputs none;
  ModuleSink sink(kSpec, none, tmp / "sms.json");
  sink.finish();
  EXPECT_FALSE(std::filesystem::exists(tmp / "sms.json"));
}

}  // namespace
}  // namespace spyglass::scan
