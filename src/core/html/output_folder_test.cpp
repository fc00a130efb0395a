#include "core/html/output_folder.hpp"

#include <gtest/gtest.h>

#include "browser/report_fixture.hpp"
#include "formats/csv/csv_writer.hpp"
#include "support/temp_dir.hpp"

namespace spyglass::html {
namespace {

namespace fx = testing::report_fixture;
using testing::TempDir;
using testing::write_file;

TEST(ParseInfo, ReadsFieldsAndDevice) {
  const auto info = parse_info_json(json::to_python_json(fx::info_json({{"sms", "ios"}})));
  ASSERT_TRUE(info) << info.error().message;
  EXPECT_EQ(info->target_path, "/cases/2024-017/evidence");
  ASSERT_EQ(info->modules.size(), 1U);
  EXPECT_EQ(info->modules[0].slug, "sms");
  EXPECT_EQ(info->modules[0].status, "ok");
  ASSERT_EQ(info->device.size(), 3U);
  EXPECT_EQ(info->device[0].second, "Alex's iPhone");
  EXPECT_EQ(info->ioc_files, std::vector<std::string>{"/iocs/pegasus.stix2"});
}

TEST(ParseInfo, RejectsMalformed) {
  EXPECT_EQ(parse_info_json("[]").error().code, ErrorCode::kMalformed);
  EXPECT_EQ(parse_info_json("{\"target_path\": 5}").error().code, ErrorCode::kMalformed);
  EXPECT_EQ(parse_info_json("{\"modules\": [1]}").error().code, ErrorCode::kMalformed);
  EXPECT_EQ(parse_info_json("{\"date\": \"x\"").error().code, ErrorCode::kMalformed);
  EXPECT_EQ(parse_info_json("").error().code, ErrorCode::kMalformed);
  EXPECT_TRUE(parse_info_json("{}"));
}

TEST(ParseAlerts, ReadsWhatTheWriterWrites) {
  const fx::Case c = fx::infected_case();
  std::vector<const report::Alert*> ptrs;
  for (const auto& a : c.alerts) ptrs.push_back(&a);
  const auto alerts = parse_alerts_json(json::to_python_json(report::alerts_json(ptrs)));
  ASSERT_TRUE(alerts) << alerts.error().message;
  ASSERT_EQ(alerts->size(), 3U);
  const AlertView& a = (*alerts)[0];
  EXPECT_EQ(a.level, report::AlertLevel::kCritical);
  EXPECT_TRUE(a.indicator);
  EXPECT_EQ(a.ioc_value, "free247downloads.com");
  EXPECT_EQ(a.ioc_type, "domains");
  ASSERT_EQ(a.collections.size(), 1U);
  EXPECT_EQ(a.collections[0].file, "pegasus.stix2");
  EXPECT_EQ(a.time, c.alerts[0].event_time);
  EXPECT_EQ(a.provenance_locator, "table message, rowid 4242");
  // Evidence text survives the round trip byte for byte (escaping happens at render time).
  EXPECT_EQ(a.event.find("text")->as_string(), c.alerts[0].event.find("text")->as_string());
  EXPECT_FALSE((*alerts)[2].indicator);
}

TEST(ParseAlerts, RejectsMalformed) {
  EXPECT_EQ(parse_alerts_json("{}").error().code, ErrorCode::kMalformed);
  EXPECT_EQ(parse_alerts_json("[1]").error().code, ErrorCode::kMalformed);
  EXPECT_EQ(parse_alerts_json("[{\"level\": \"SEVERE\"}]").error().code, ErrorCode::kMalformed);
  EXPECT_EQ(parse_alerts_json("[{\"level\": \"LOW\", \"event_time\": \"yesterday\"}]")
                .error()
                .code,
            ErrorCode::kMalformed);
  EXPECT_EQ(parse_alerts_json("[{\"level\": \"LOW\", \"matched_indicator\": 3}]").error().code,
            ErrorCode::kMalformed);
  EXPECT_EQ(parse_alerts_json("[{\"level\": \"LOW\"").error().code, ErrorCode::kMalformed);
  EXPECT_TRUE(parse_alerts_json("[{\"level\": \"LOW\", \"provenance\": null}]"));
}

TEST(ParseAlerts, DeepNestingIsCutNotRecursedForever) {
  std::string deep = "[{\"level\": \"LOW\", \"event\": ";
  for (int i = 0; i < 500; ++i) deep += "[";
  for (int i = 0; i < 500; ++i) deep += "]";
  deep += "}]";
  const auto alerts = parse_alerts_json(deep);
  ASSERT_TRUE(alerts) << alerts.error().message;
  const json::Value* v = &(*alerts)[0].event;
  int depth = 0;
  while (v->is_array() && v->size() == 1) {
    v = &v->as_array()[0];
    ++depth;
  }
  EXPECT_LE(depth, kMaxJsonDepth + 1);
  EXPECT_TRUE(v->is_string());
}

TEST(ParseTimelineCsv, RoundTripsTheWriter) {
  std::vector<report::TimelineRow> rows = {
      {fx::kDay0, "SMS", "sms_received", "quote \" backslash \\ comma , newline\nend", {}},
      {fx::kDay0 + 1, "Safari", "visit", "", {}}};
  const auto events = parse_timeline_csv(report::timeline_csv(rows));
  ASSERT_TRUE(events) << events.error().message;
  ASSERT_EQ(events->size(), 2U);
  EXPECT_EQ((*events)[0].time, fx::kDay0);
  EXPECT_EQ((*events)[0].module, "SMS");
  EXPECT_EQ((*events)[0].message, rows[0].description);
  EXPECT_EQ((*events)[1].time, fx::kDay0 + 1);
}

TEST(ParseTimelineCsv, RejectsMalformed) {
  EXPECT_FALSE(parse_timeline_csv("\"a\",\"b\",\"c\",\"d\"\r\n\"x\r\n"));
  EXPECT_FALSE(parse_timeline_csv("\"a\",\"b\",\"c\"\r\n"));
  EXPECT_FALSE(parse_timeline_csv("a,b,c,d\r\n"));
  EXPECT_FALSE(parse_timeline_csv(
      "\"a\",\"b\",\"c\",\"d\"\r\n\"not a time\",\"b\",\"c\",\"d\"\r\n"));
  EXPECT_FALSE(parse_timeline_csv("\"a\",\"b\",\"c\",\"d\"junk\r\n"));
  EXPECT_TRUE(parse_timeline_csv(""));
}

TEST(ParseMvtTime, Forms) {
  EXPECT_EQ(parse_mvt_time("1970-01-01 00:00:01.000000"), 1000000);
  EXPECT_EQ(parse_mvt_time("1970-01-01 00:00:01"), 1000000);
  EXPECT_FALSE(parse_mvt_time("1970-01-01T00:00:01"));
  EXPECT_FALSE(parse_mvt_time("yesterday"));
  EXPECT_FALSE(parse_mvt_time(""));
}

TEST(ParseTimelineJsonl, EventsAlertsAndErrors) {
  const auto ev = parse_timeline_jsonl_line(
      R"({"message": "m", "datetime": "2024-06-10T06:13:20Z", "timestamp_desc": "visit", "module": "sms", "family": "ios", "provenance_file": "f", "provenance_locator": "l"})");
  ASSERT_TRUE(ev) << ev.error().message;
  ASSERT_TRUE(*ev);
  EXPECT_EQ((*ev)->time, fx::kDay0);
  EXPECT_EQ((*ev)->kind, "visit");
  const auto alert = parse_timeline_jsonl_line(
      R"({"message": "m", "datetime": "2024-06-10T06:13:20Z", "alert_level": "HIGH"})");
  ASSERT_TRUE(alert);
  EXPECT_FALSE(*alert);
  EXPECT_FALSE(parse_timeline_jsonl_line(R"({"datetime": "soon"})"));
  EXPECT_FALSE(parse_timeline_jsonl_line(R"({"datetime": 5})"));
  EXPECT_FALSE(parse_timeline_jsonl_line("[]"));
  EXPECT_FALSE(parse_timeline_jsonl_line("{"));
}

TEST(ReadOutputFolder, KeepsEventsNearAlertsAndCountsAll) {
  TempDir dir;
  const fx::Case c = fx::infected_case();
  fx::write_case(c, dir.path(), /*with_manifest=*/true);
  const auto data = read_output_folder(dir.path());
  ASSERT_TRUE(data) << data.error().message;
  EXPECT_TRUE(data->has_info);
  EXPECT_TRUE(data->has_manifest);
  ASSERT_EQ(data->indicator_sets.size(), 1U);
  EXPECT_EQ(data->indicator_sets[0].name, "pegasus");
  EXPECT_EQ(data->timeline_source, "timeline.jsonl");
  EXPECT_EQ(data->total_events, c.events.size());
  EXPECT_EQ(data->alerts.size(), 3U);
  std::uint64_t counted = 0;
  for (const DayCount& d : data->day_counts) counted += d.count;
  EXPECT_EQ(counted, c.events.size());
  EXPECT_LT(data->events.size(), c.events.size());
  ASSERT_FALSE(data->events.empty());
  for (const TimelineEvent& ev : data->events) {
    bool near = false;
    for (const report::Alert& a : c.alerts) {
      near = near || (ev.time >= *a.event_time - kContextWindowMicros &&
                      ev.time <= *a.event_time + kContextWindowMicros);
    }
    EXPECT_TRUE(near) << ev.message;
  }
}

TEST(ReadOutputFolder, FallsBackToTimelineCsvAndToleratesMissingInfo) {
  TempDir dir;
  std::vector<report::TimelineRow> rows = {{fx::kDay0, "SMS", "sms_received", "hi", {}}};
  write_file(dir / "timeline.csv", report::timeline_csv(rows));
  const auto data = read_output_folder(dir.path());
  ASSERT_TRUE(data) << data.error().message;
  EXPECT_EQ(data->timeline_source, "timeline.csv");
  EXPECT_FALSE(data->has_info);
  EXPECT_EQ(data->notes.size(), 1U);
  EXPECT_EQ(data->events.size(), 1U);
}

TEST(ReadOutputFolder, Errors) {
  TempDir dir;
  EXPECT_EQ(read_output_folder(dir / "nope").error().code, ErrorCode::kNotFound);
  write_file(dir / "alerts.json", "[{\"level\": ");
  const auto bad = read_output_folder(dir.path());
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, ErrorCode::kMalformed);
  EXPECT_NE(bad.error().message.find("alerts.json"), std::string::npos);
  std::filesystem::remove(dir / "alerts.json");
  write_file(dir / "timeline.jsonl", "{\"datetime\": \"2024-06-10T06:13:20Z\"}\nnot json\n");
  const auto bad_line = read_output_folder(dir.path());
  ASSERT_FALSE(bad_line);
  EXPECT_NE(bad_line.error().message.find("line 2"), std::string::npos);
  std::filesystem::remove(dir / "timeline.jsonl");
  std::filesystem::create_directory(dir / "info.json");  // not a regular file
  EXPECT_FALSE(read_output_folder(dir.path()));
}

}  // namespace
}  // namespace spyglass::html
