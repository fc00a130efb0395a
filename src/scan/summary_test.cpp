#include "scan/summary.hpp"

#include <gtest/gtest.h>

#include "formats/json/json_writer.hpp"

namespace spyglass::scan {
namespace {

using report::AlertLevel;

ScanSummary with_modules(std::initializer_list<ModuleStatus> statuses) {
  ScanSummary s;
  int i = 0;
  for (const ModuleStatus st : statuses) {
    s.modules.push_back({"m" + std::to_string(i++), "ios", st, "", 0, 0});
  }
  return s;
}

TEST(Summary, CleanIsZero) {
  ScanSummary s = with_modules({ModuleStatus::kOk, ModuleStatus::kNotPresent});
  s.count_alert(AlertLevel::kLow);
  s.count_alert(AlertLevel::kInformational);
  EXPECT_EQ(s.exit_code(), 0);
  EXPECT_EQ(s.verdict(), "clean");
}

TEST(Summary, FailedModuleIsTwo) {
  ScanSummary s = with_modules({ModuleStatus::kOk, ModuleStatus::kFailed});
  EXPECT_EQ(s.exit_code(), 2);
  EXPECT_EQ(s.verdict(), "incomplete");
  ScanSummary w = with_modules({ModuleStatus::kOk});
  w.output_errors.push_back("cannot write x");
  EXPECT_EQ(w.exit_code(), 2);
}

TEST(Summary, DetectionWinsOverIncomplete) {
  ScanSummary s = with_modules({ModuleStatus::kFailed});
  s.count_alert(AlertLevel::kMedium);
  EXPECT_EQ(s.exit_code(), 1);
  ScanSummary m = with_modules({ModuleStatus::kOk});
  m.indicator_matches = 1;  // even an indicator match reported at a low level
  EXPECT_EQ(m.exit_code(), 1);
}

TEST(Summary, JsonShape) {
  ScanSummary s = with_modules({ModuleStatus::kOk, ModuleStatus::kNotPresent,
                                ModuleStatus::kFailed});
  s.count_alert(AlertLevel::kCritical);
  s.count_alert(AlertLevel::kCritical);
  s.output = "/out";
  EXPECT_EQ(json::to_json_line(s.to_json()),
            "{\"verdict\": \"detected\", \"alerts\": {\"CRITICAL\": 2, \"HIGH\": 0, "
            "\"MEDIUM\": 0, \"LOW\": 0, \"INFORMATIONAL\": 0}, \"modules\": {\"run\": [\"m0\"], "
            "\"absent\": [\"m1\"], \"failed\": [\"m2\"]}, \"output\": \"/out\"}");
}

}  // namespace
}  // namespace spyglass::scan
