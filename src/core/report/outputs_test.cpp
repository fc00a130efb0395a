#include "core/report/outputs.hpp"

#include <gtest/gtest.h>

#include "formats/json/json_writer.hpp"
#include "support/temp_dir.hpp"

namespace spyglass::report {
namespace {

constexpr UnixMicros kT = 1600000000LL * 1000000;  // 2020-09-13 12:26:40 UTC

Alert make_alert(std::string module, std::optional<UnixMicros> t, json::Value event) {
  Alert a;
  a.level = AlertLevel::kHigh;
  a.module = std::move(module);
  a.family = "ios";
  a.message = "msg " + a.module;
  a.event_time = t;
  a.event = std::move(event);
  return a;
}

TEST(Outputs, AlertJsonKeyOrder) {
  Alert a = make_alert("sms", kT, json::obj({{"k", "v"}}));
  a.provenance = {"sms.db", "table message, rowid 3"};
  EXPECT_EQ(json::to_json_line(alert_to_json(a)),
            "{\"level\": \"HIGH\", \"module\": \"sms\", \"message\": \"msg sms\", "
            "\"event_time\": \"2020-09-13 12:26:40.000000\", \"event\": {\"k\": \"v\"}, "
            "\"matched_indicator\": null, \"family\": \"ios\", \"provenance\": "
            "{\"file\": \"sms.db\", \"locator\": \"table message, rowid 3\"}}");
  a.event_time.reset();
  a.provenance = {};
  const json::Value j = alert_to_json(a);
  EXPECT_EQ(j.find("event_time")->as_string(), "");
  EXPECT_TRUE(j.find("provenance")->is_null());
}

TEST(Outputs, AlertsTimelineSkipsUntimedAndSortsStably) {
  const Alert late = make_alert("b", kT + 1, json::obj({{"x", nullptr}}));
  const Alert untimed = make_alert("c", std::nullopt, json::Value::object());
  const Alert early1 = make_alert("d", kT, json::obj({{"ok", true}}));
  const Alert early2 = make_alert("a", kT, json::obj({{"s", "it's"}}));
  const std::string csv = alerts_timeline_csv({&late, &untimed, &early1, &early2});
  EXPECT_EQ(csv,
            "\"Event Time\",\"Module\",\"Message\",\"Event\"\r\n"
            "\"2020-09-13 12:26:40.000000\",\"d\",\"msg d\",\"{'ok': True}\"\r\n"
            "\"2020-09-13 12:26:40.000000\",\"a\",\"msg a\",\"{'s': \"\"it's\"\"}\"\r\n"
            "\"2020-09-13 12:26:40.000001\",\"b\",\"msg b\",\"{'x': None}\"\r\n");
  EXPECT_EQ(alerts_timeline_csv({&untimed}), "\"Event Time\",\"Module\",\"Message\",\"Event\"\r\n");
}

TEST(Outputs, TimelineCsvRows) {
  EXPECT_EQ(timeline_csv({{kT, "SMS", "sms_received", "from \"x\"\nline2", {}}}),
            "\"UTC Timestamp\",\"Plugin\",\"Event\",\"Description\"\r\n"
            "\"2020-09-13 12:26:40.000000\",\"SMS\",\"sms_received\",\"from \"\"x\"\"\nline2\"\r\n");
}

TEST(Outputs, UrlsNeverExpanded) {
  EXPECT_EQ(json::to_python_json(urls_json({{"https://bit.ly/x", kT, "sms"},
                                            {"http://a", std::nullopt, "whatsapp"}})),
            "[\n    {\n        \"url\": \"https://bit.ly/x\",\n        \"expanded_url\": null,\n"
            "        \"timestamp\": \"2020-09-13 12:26:40.000000\",\n"
            "        \"source\": \"sms\"\n    },\n    {\n        \"url\": \"http://a\",\n"
            "        \"expanded_url\": null,\n        \"timestamp\": null,\n"
            "        \"source\": \"whatsapp\"\n    }\n]");
}

TEST(Outputs, UrlsStreamedAsTheWholeDocument) {
  testing::TempDir tmp;
  std::vector<UrlRow> rows;
  for (int i = 0; i < 3000; ++i) {  // past the writer's 1 MiB buffer
    rows.push_back({"https://example.org/" + std::string(400, 'a') + std::to_string(i),
                    i % 2 ? std::optional<UnixMicros>(kT + i) : std::nullopt, "sms"});
  }
  ASSERT_TRUE(write_urls_json(tmp / "urls.json", rows));
  EXPECT_EQ(testing::read_file(tmp / "urls.json"), json::to_python_json(urls_json(rows)));
  ASSERT_TRUE(write_urls_json(tmp / "none.json", {}));
  EXPECT_EQ(testing::read_file(tmp / "none.json"), "[]");
}

}  // namespace
}  // namespace spyglass::report
