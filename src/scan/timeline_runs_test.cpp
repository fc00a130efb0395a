#include "scan/timeline_runs.hpp"

#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "core/report/alert.hpp"
#include "scan/timeline_merge.hpp"
#include "support/temp_dir.hpp"

namespace spyglass::scan {
namespace {

struct Row {
  UnixMicros time;
  std::uint64_t seq;
  std::string csv;
  std::string jsonl;
};

std::vector<Row> read_all(const TimelineRuns& runs) {
  std::vector<Row> out;
  auto sources = runs.sources();
  EXPECT_TRUE(sources);
  if (!sources) return out;
  for (auto& s : *sources) {
    UnixMicros last = INT64_MIN;
    while (true) {
      auto more = s->next();
      EXPECT_TRUE(more);
      if (!more || !*more) break;
      EXPECT_GE(s->line().time, last) << "a run is not sorted";
      last = s->line().time;
      out.push_back({s->line().time, s->line().seq, std::string(s->line().csv),
                     std::string(s->line().jsonl)});
    }
  }
  return out;
}

TEST(TimelineRuns, SmallRunsSpillSortedAndReadBackWhole) {
  testing::TempDir tmp;
  TimelineRuns runs(/*run_bytes=*/200);  // a run every few rows
  ASSERT_TRUE(runs.spill_to(tmp / "t.runs"));
  std::mt19937 rng(7);
  std::vector<Row> added;
  for (std::uint64_t i = 0; i < 500; ++i) {
    const UnixMicros t = static_cast<UnixMicros>(rng() % 50) - 10;  // many equal times
    std::string csv = "c" + std::to_string(i) + std::string(rng() % 40, 'x');
    std::string jsonl = "{\"j\": " + std::to_string(i) + "}\n";
    ASSERT_TRUE(runs.add(t, csv, jsonl));
    added.push_back({t, i, csv, jsonl});
  }
  ASSERT_TRUE(runs.finish());
  EXPECT_EQ(runs.size(), 500u);
  std::vector<Row> back = read_all(runs);
  ASSERT_EQ(back.size(), added.size());
  std::sort(back.begin(), back.end(), [](const Row& a, const Row& b) { return a.seq < b.seq; });
  for (std::size_t i = 0; i < added.size(); ++i) {
    EXPECT_EQ(back[i].time, added[i].time);
    EXPECT_EQ(back[i].csv, added[i].csv);
    EXPECT_EQ(back[i].jsonl, added[i].jsonl);
  }
  auto sources = runs.sources();
  ASSERT_TRUE(sources);
  EXPECT_GT(sources->size(), 10u);  // it really spilled
}

TEST(TimelineRuns, WithoutAFileEverythingStaysInOneSortedRun) {
  TimelineRuns runs(/*run_bytes=*/10);
  ASSERT_TRUE(runs.add(5, "b", "B\n"));
  ASSERT_TRUE(runs.add(1, "a", "A\n"));
  ASSERT_TRUE(runs.add(5, "c", "C\n"));
  ASSERT_TRUE(runs.finish());
  const std::vector<Row> back = read_all(runs);
  ASSERT_EQ(back.size(), 3u);
  EXPECT_EQ(back[0].csv, "a");
  EXPECT_EQ(back[1].csv, "b");  // equal times keep emission order
  EXPECT_EQ(back[2].csv, "c");
}

TEST(TimelineRuns, ReadingBeforeFinishIsRefused) {
  TimelineRuns runs;
  ASSERT_TRUE(runs.add(1, "a", "A\n"));
  EXPECT_FALSE(runs.sources());
}

TEST(TimelineMerge, OrderDuplicatesAndAlerts) {
  testing::TempDir tmp;
  // Module 0 spills in tiny runs; module 1 stays in memory.
  TimelineRuns m0(/*run_bytes=*/30);
  ASSERT_TRUE(m0.spill_to(tmp / "m0.runs"));
  TimelineRuns m1;
  ASSERT_TRUE(m0.add(20, "m0 t20 a\r\n", "m0-20a\n"));
  ASSERT_TRUE(m0.add(10, "m0 t10\r\n", "m0-10\n"));
  ASSERT_TRUE(m0.add(20, "m0 t20 b\r\n", "m0-20b\n"));
  ASSERT_TRUE(m0.add(20, "m0 t20 a\r\n", "m0-20a-again\n"));  // duplicate: dropped
  ASSERT_TRUE(m1.add(10, "m1 t10\r\n", "m1-10\n"));
  ASSERT_TRUE(m1.add(20, "m0 t20 a\r\n", "m1-20\n"));  // same text, other module: kept
  ASSERT_TRUE(m0.finish());
  ASSERT_TRUE(m1.finish());

  report::Alert timed;
  timed.module = "m0";
  timed.message = "alert";
  timed.event_time = 10;
  report::Alert untimed;
  untimed.message = "no time";

  TimelineMergeInput in;
  in.modules = {&m0, nullptr, &m1};
  in.alerts = {&timed, &untimed};
  in.alert_module = {0, 2};
  std::vector<std::string> observed;
  auto stats = merge_timelines(in, tmp.path(), [&](std::size_t m, UnixMicros t,
                                                   std::string_view line) -> Result<void> {
    observed.push_back(std::to_string(m) + "@" + std::to_string(t) + ":" + std::string(line));
    return {};
  });
  ASSERT_TRUE(stats) << stats.error().message;
  EXPECT_EQ(stats->events, 5u);
  EXPECT_EQ(stats->duplicates, 1u);
  EXPECT_EQ(stats->alerts, 1u);
  EXPECT_EQ(testing::read_file(tmp / "timeline.csv"),
            "\"UTC Timestamp\",\"Plugin\",\"Event\",\"Description\"\r\n"
            "m0 t10\r\nm1 t10\r\nm0 t20 a\r\nm0 t20 b\r\nm0 t20 a\r\n");
  const std::string jsonl = testing::read_file(tmp / "timeline.jsonl");
  EXPECT_EQ(jsonl.substr(0, jsonl.find('{')), "m0-10\n");  // events before alerts at a time
  EXPECT_NE(jsonl.find("m0-10\n{"), std::string::npos);
  EXPECT_EQ(jsonl.substr(jsonl.find("}\n") + 2), "m1-10\nm0-20a\nm0-20b\nm1-20\n");
  EXPECT_EQ(observed, (std::vector<std::string>{"0@10:m0-10\n", "2@10:m1-10\n", "0@20:m0-20a\n",
                                                "0@20:m0-20b\n", "2@20:m1-20\n"}));
}

TEST(TimelineMerge, LargeGroupsOfOneTimeKeepTheFirstOfEachRow) {
  // Thousands of rows at one time (files restored together): the group grows its table and
  // its chunks, and duplicates far apart in the group are still found.
  testing::TempDir tmp;
  TimelineRuns runs(/*run_bytes=*/64 << 10);
  ASSERT_TRUE(runs.spill_to(tmp / "m.runs"));
  std::string expected_csv = "\"UTC Timestamp\",\"Plugin\",\"Event\",\"Description\"\r\n";
  for (int i = 0; i < 6000; ++i) {
    const int id = i < 5000 ? i : i - 5000;  // the last 1,000 repeat the first 1,000
    const std::string csv = "row " + std::to_string(id) + std::string(id % 700, 'x') + "\r\n";
    ASSERT_TRUE(runs.add(42, csv, "j" + std::to_string(i) + "\n"));
    if (i < 5000) expected_csv += csv;
  }
  ASSERT_TRUE(runs.finish());
  TimelineMergeInput in;
  in.modules = {&runs};
  auto stats = merge_timelines(in, tmp.path());
  ASSERT_TRUE(stats);
  EXPECT_EQ(stats->events, 5000u);
  EXPECT_EQ(stats->duplicates, 1000u);
  EXPECT_EQ(testing::read_file(tmp / "timeline.csv"), expected_csv);
}

TEST(TimelineMerge, NothingToWriteWritesNothing) {
  testing::TempDir tmp;
  TimelineRuns empty;
  ASSERT_TRUE(empty.finish());
  TimelineMergeInput in;
  in.modules = {&empty};
  auto stats = merge_timelines(in, tmp.path());
  ASSERT_TRUE(stats);
  EXPECT_FALSE(std::filesystem::exists(tmp / "timeline.csv"));
  EXPECT_FALSE(std::filesystem::exists(tmp / "timeline.jsonl"));
}

}  // namespace
}  // namespace spyglass::scan
