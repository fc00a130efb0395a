#include "core/report/timesketch.hpp"

#include <sstream>

#include <gtest/gtest.h>

#include "formats/csv/csv_writer.hpp"
#include "formats/json/json_value.hpp"
#include "formats/json/json_writer.hpp"

namespace spyglass::report {
namespace {

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

constexpr UnixMicros kT = UnixMicros{1718000000} * 1000000;  // 2024-06-10T06:13:20Z

TEST(Timesketch, RequiredFieldsAndProvenance) {
  const std::string out = timeline_jsonl(
      {{kT, "sms", "ios", "sms_received", "hello", {"sms.db", "table message, rowid 1"}}}, {},
      {"sms"});
  EXPECT_EQ(out,
            "{\"message\": \"hello\", \"datetime\": \"2024-06-10T06:13:20Z\", \"timestamp\": "
            "1718000000000000, \"timestamp_desc\": \"sms_received\", \"module\": \"sms\", "
            "\"family\": \"ios\", \"provenance_file\": \"sms.db\", \"provenance_locator\": "
            "\"table message, rowid 1\"}\n");
}

TEST(Timesketch, DirectLinesEqualTheValueRendering) {
  // The renderers modules use while they run must give the bytes of the JSON-value path.
  const std::vector<TimelineEntry> entries = {
      {kT, "sms", "ios", "sms_received", "hello", {"sms.db", "table message, rowid 1"}},
      {kT + 250, "m", "ios", "M-C-", "a\"b\\c\nd\te\x01\x7F", {"", ""}},
      {-1, "x", "text", "\xC3\xA9v\xFF", "caf\xC3\xA9 \xF0\x9F\x98\x80 \xED\xA0\x80", {"f\"", "l\\"}},
      {UnixMicros{253402300799} * 1000000, "s", "ios", "", "", {"p", "q"}},
  };
  for (const TimelineEntry& e : entries) {
    std::string line;
    append_timeline_event_line(line, e.time, e.event, e.description, e.module, e.family,
                               e.provenance);
    EXPECT_EQ(line, json::to_json_line(timeline_event_json(e)));
    std::string row;
    append_timeline_csv_row(row, e.time, "Plugin \"P\"", e.event, e.description);
    EXPECT_EQ(row, csv::format_row({format_mvt_time(e.time), "Plugin \"P\"", e.event,
                                    e.description}));
  }
}

TEST(Timesketch, SortedByTimeThenModuleOrderThenEmission) {
  std::vector<TimelineEntry> events = {
      {kT + 5, "b", "ios", "e", "b-late", {}},
      {kT, "b", "ios", "e", "b-first", {}},
      {kT, "a", "net", "e", "a-first", {}},
      {kT, "b", "ios", "e", "b-second", {}},
  };
  const auto lines = lines_of(timeline_jsonl(events, {}, {"a", "b"}));
  ASSERT_EQ(lines.size(), 4U);
  EXPECT_NE(lines[0].find("a-first"), std::string::npos);
  EXPECT_NE(lines[1].find("b-first"), std::string::npos);
  EXPECT_NE(lines[2].find("b-second"), std::string::npos);
  EXPECT_NE(lines[3].find("b-late"), std::string::npos);
  // Reversed module order changes the result: the ordering is not accidental.
  const auto reversed = lines_of(timeline_jsonl(events, {}, {"b", "a"}));
  EXPECT_NE(reversed[0].find("b-first"), std::string::npos);
}

TEST(Timesketch, AlertsCarryLevelIndicatorAndCollection) {
  Alert a;
  a.level = AlertLevel::kCritical;
  a.module = "sms";
  a.family = "ios";
  a.message = "Found a known indicator";
  a.event_time = kT;
  a.matched_indicator = json::obj(
      {{"value", "evil.example"},
       {"type", "domains"},
       {"name", "Pegasus"},
       {"collections", json::arr({json::obj({{"name", "Pegasus"}}),
                                  json::obj({{"name", "Other report"}})})}});
  a.provenance = {"sms.db", "rowid 7"};
  Alert untimed = a;
  untimed.event_time.reset();
  Alert heuristic;
  heuristic.level = AlertLevel::kMedium;
  heuristic.module = "sms";
  heuristic.event_time = kT + 1;
  const auto lines = lines_of(timeline_jsonl({}, {&a, &untimed, &heuristic}, {"sms"}));
  ASSERT_EQ(lines.size(), 2U);  // the alert without a time cannot sit on a timeline
  EXPECT_NE(lines[0].find("\"alert_level\": \"CRITICAL\""), std::string::npos);
  EXPECT_NE(lines[0].find("\"indicator\": \"evil.example\""), std::string::npos);
  EXPECT_NE(lines[0].find("\"collection\": \"Pegasus, Other report\""), std::string::npos);
  EXPECT_NE(lines[0].find("\"timestamp_desc\": \"Indicator match\""), std::string::npos);
  EXPECT_NE(lines[0].find("\"provenance_locator\": \"rowid 7\""), std::string::npos);
  EXPECT_NE(lines[1].find("\"timestamp_desc\": \"Heuristic alert\""), std::string::npos);
  EXPECT_NE(lines[1].find("\"indicator\": \"\""), std::string::npos);
}

TEST(Timesketch, HostileTextStaysOnOneLine) {
  const std::string out = timeline_jsonl(
      {{kT, "sms", "ios", "e", "line1\nline2\r\u202E\"}{", {"a\nb", "c"}}}, {}, {});
  const auto lines = lines_of(out);
  ASSERT_EQ(lines.size(), 1U);
  EXPECT_NE(lines[0].find("line1\\nline2\\r\\u202e\\\"}{"), std::string::npos);
}

TEST(Timesketch, EntryFromRowAndWrite) {
  const TimelineEntry e = timeline_entry({kT, "SMS", "sms_received", "d", {}}, "sms", "ios",
                                         {"sms.db", "rowid 1"});
  EXPECT_EQ(e.module, "sms");
  EXPECT_EQ(e.event, "sms_received");
  EXPECT_EQ(e.provenance.locator, "rowid 1");
  EXPECT_FALSE(write_timeline_jsonl("/nonexistent-dir/x/timeline.jsonl", {e}, {}, {}));
  EXPECT_EQ(timeline_jsonl({}, {}, {}), "");
}

}  // namespace
}  // namespace spyglass::report
