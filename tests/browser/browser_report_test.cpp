// Opens generated report.html files in headless Chromium and checks the page as the browser
// built it (--dump-dom, after scripts ran): verdict, alert sections, our filter script
// working under the CSP, and none of the markup planted in the evidence executing. Also
// takes screenshots; with SPYGLASS_UPDATE_SCREENSHOTS=1 they are written to docs/img/.
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>

#include <gtest/gtest.h>

#include "browser/report_fixture.hpp"
#include "core/html/render.hpp"
#include "support/temp_dir.hpp"

namespace spyglass {
namespace {

namespace fs = std::filesystem;
namespace fx = testing::report_fixture;
using testing::TempDir;

constexpr const char* kChromium = "/usr/bin/chromium";

std::size_t count(const std::string& haystack, std::string_view needle) {
  std::size_t n = 0;
  for (auto p = haystack.find(needle); p != std::string::npos; p = haystack.find(needle, p + 1)) ++n;
  return n;
}

// Runs Chromium on a local file with networking features off and a fresh profile.
// `mode` is "--dump-dom" or "--screenshot=<png> --window-size=1200,2000".
std::string chromium(const TempDir& tmp, const fs::path& page, const std::string& mode) {
  static int run = 0;
  const fs::path profile = tmp / ("profile-" + std::to_string(run++));
  const fs::path out = tmp / ("stdout-" + std::to_string(run));
  const std::string cmd =
      std::string("timeout 120 ") + kChromium +
      " --headless --no-sandbox --disable-gpu --disable-quic --no-first-run"
      " --disable-background-networking --disable-component-update --disable-sync"
      " --hide-scrollbars --host-resolver-rules='MAP * ~NOTFOUND' --user-data-dir='" +
      profile.string() + "' " + mode + " 'file://" + page.string() + "' >'" +
      out.string() + "' 2>/dev/null";
  const int rc = std::system(cmd.c_str());
  EXPECT_EQ(rc, 0) << cmd;
  return testing::read_file(out);
}

class BrowserReport : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!fs::exists(kChromium)) GTEST_SKIP() << kChromium << " not installed (scripts/install-deps)";
  }
  fs::path make(const fx::Case& c, const std::string& name) {
    const fs::path out = tmp_ / name;
    fx::write_case(c, out, /*with_manifest=*/true);
    const auto written = html::write_report(out, {});
    EXPECT_TRUE(written) << (written ? "" : written.error().message);
    return out / "report.html";
  }
  void screenshot(const fs::path& page, const std::string& doc_name) {
    const fs::path png = tmp_ / (doc_name + ".png");
    chromium(tmp_, page, "--screenshot='" + png.string() + "' --window-size=1200,2000");
    const std::string bytes = testing::read_file(png);
    ASSERT_GT(bytes.size(), 20000U);
    ASSERT_EQ(bytes.substr(0, 8), "\x89PNG\r\n\x1a\n");
    const auto be32 = [&](std::size_t at) {
      return (unsigned{static_cast<unsigned char>(bytes[at])} << 24) |
             (unsigned{static_cast<unsigned char>(bytes[at + 1])} << 16) |
             (unsigned{static_cast<unsigned char>(bytes[at + 2])} << 8) |
             unsigned{static_cast<unsigned char>(bytes[at + 3])};
    };
    EXPECT_EQ(be32(16), 1200U);  // IHDR width
    EXPECT_EQ(be32(20), 2000U);  // IHDR height
    if (const char* update = std::getenv("SPYGLASS_UPDATE_SCREENSHOTS");
        update != nullptr && std::string(update) == "1") {
      fs::copy_file(png, testing::source_dir() / "docs" / "img" / (doc_name + ".png"),
                    fs::copy_options::overwrite_existing);
    }
  }
  TempDir tmp_;
};

TEST_F(BrowserReport, InfectedCaseRendersAndPlantedMarkupIsInert) {
  const fs::path page = make(fx::infected_case(), "infected");
  const std::string dom = chromium(tmp_, page, "--dump-dom");
  ASSERT_FALSE(dom.empty());
  EXPECT_NE(dom.find("Traces of a known spyware campaign were found"), std::string::npos);
  EXPECT_EQ(count(dom, "<article class=\"alert "), 3U);
  // Our script ran (the CSP hash is right) and showed the filter bar...
  EXPECT_NE(dom.find("data-js=\"on\""), std::string::npos);
  EXPECT_NE(dom.find("<div id=\"filters\" class=\"filters\">"), std::string::npos);
  // ...and nothing planted in the evidence ran or became an element.
  EXPECT_NE(dom.find("<title>spyglass report</title>"), std::string::npos);
  EXPECT_EQ(dom.find("PWNED</title>"), std::string::npos);
  EXPECT_EQ(dom.find("data-pwned=\"1\""), std::string::npos);  // only as text
  EXPECT_EQ(count(dom, "<script"), 1U);
  EXPECT_EQ(count(dom, "<img"), 0U);
  EXPECT_EQ(count(dom, "<textarea"), 0U);
  // The planted table-closing markup did not break the page: every section is still there,
  // after the alerts, in order.
  const auto alerts = dom.find("id=\"alerts\"");
  const auto timeline = dom.find("id=\"timeline\"");
  const auto glossary = dom.find("id=\"glossary\"");
  ASSERT_NE(alerts, std::string::npos);
  EXPECT_LT(alerts, timeline);
  EXPECT_LT(timeline, glossary);
  EXPECT_NE(dom.find("invoice\u27E8U+202E\u27E9fdp.exe"), std::string::npos);
  EXPECT_EQ(dom.find("\u202E"), std::string::npos);
  EXPECT_EQ(dom.find("href=\"javascript"), std::string::npos);
  screenshot(page, "report-infected");
}

TEST_F(BrowserReport, CleanCase) {
  const fs::path page = make(fx::clean_case(), "clean");
  const std::string dom = chromium(tmp_, page, "--dump-dom");
  EXPECT_NE(dom.find("No known indicators were found \u2014 this does not prove the device is "
                     "clean"),
            std::string::npos);
  EXPECT_EQ(count(dom, "<article class=\"alert "), 0U);
  EXPECT_NE(dom.find("<svg"), std::string::npos);
  screenshot(page, "report-clean");
}

}  // namespace
}  // namespace spyglass
