#include "core/html/render.hpp"

#include <gtest/gtest.h>

#include "browser/report_fixture.hpp"
#include "core/html/chart.hpp"
#include "core/manifest/hashing.hpp"
#include "support/temp_dir.hpp"

namespace spyglass::html {
namespace {

namespace fx = testing::report_fixture;
using testing::TempDir;

std::size_t count(const std::string& haystack, std::string_view needle) {
  std::size_t n = 0;
  for (auto p = haystack.find(needle); p != std::string::npos; p = haystack.find(needle, p + 1)) ++n;
  return n;
}

std::string render_case(const fx::Case& c, Lang lang = Lang::kEn, bool manifest = true) {
  TempDir dir;
  fx::write_case(c, dir.path(), manifest);
  const auto data = read_output_folder(dir.path());
  EXPECT_TRUE(data) << data.error().message;
  return data ? render_report(*data, {lang}) : std::string();
}

TEST(Render, InfectedCaseVerdictAlertsAndContext) {
  const std::string page = render_case(fx::infected_case());
  EXPECT_NE(page.find("data-verdict=\"known\""), std::string::npos);
  EXPECT_NE(page.find("Traces of a known spyware campaign were found"), std::string::npos);
  EXPECT_EQ(count(page, "<article class=\"alert "), 3U);
  // The highest alerts come first, indicator matches before heuristics.
  EXPECT_LT(page.find("id=\"alert-1\" data-level=\"CRITICAL\""),
            page.find("id=\"alert-3\" data-level=\"MEDIUM\""));
  EXPECT_NE(page.find("NSO Group Pegasus Indicators of Compromise"), std::string::npos);
  EXPECT_NE(page.find("pegasus.stix2"), std::string::npos);
  EXPECT_NE(page.find("3f0c8c1f1f5b9c2a6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9001122334"),
            std::string::npos);  // indicator set SHA-256 from manifest.json
  EXPECT_NE(page.find("table message, rowid 4242"), std::string::npos);
  EXPECT_NE(page.find("iOS 17.5.1 (21F90)"), std::string::npos);
  EXPECT_NE(page.find("Network traffic or logs"), std::string::npos);
  EXPECT_NE(page.find("A visit to a spyware vendor"), std::string::npos);  // FP guidance
  EXPECT_NE(page.find("<svg"), std::string::npos);
  EXPECT_NE(page.find("class=\"alert-mark\""), std::string::npos);
  EXPECT_NE(page.find("data-alert=\"CRITICAL\""), std::string::npos);
  EXPECT_NE(page.find("data-module=\"dns_log\""), std::string::npos);  // network on the timeline
  EXPECT_NE(page.find("wipe, reset or restore the phone"), std::string::npos);
}

TEST(Render, PlantedEvidenceIsInert) {
  const std::string page = render_case(fx::infected_case());
  EXPECT_EQ(count(page, "<script"), 1U);  // ours only
  EXPECT_EQ(count(page, "<img"), 0U);
  EXPECT_EQ(count(page, "</textarea"), 0U);
  EXPECT_EQ(count(page, "onerror=\""), 0U);  // present only as text: onerror=&quot;
  EXPECT_GT(count(page, "onerror=&quot;"), 0U);
  EXPECT_EQ(page.find("\u202E"), std::string::npos);
  EXPECT_NE(page.find("invoice\u27E8U+202E\u27E9fdp.exe"), std::string::npos);
  EXPECT_NE(page.find("&lt;script&gt;document.title=&#39;PWNED&#39;&lt;/script&gt;"),
            std::string::npos);
  EXPECT_EQ(page.find('\x1b'), std::string::npos);
  EXPECT_EQ(page.find('\x07'), std::string::npos);
  // No link can lead anywhere but inside the page, and nothing is fetched.
  for (const std::string_view attr :
       {" href=\"", " src=\"", " action=\"", " formaction=\"", ":href=\""}) {
    for (auto p = page.find(attr); p != std::string::npos; p = page.find(attr, p + 1)) {
      EXPECT_EQ(page.substr(p + attr.size(), 1), "#") << page.substr(p, 60);
    }
  }
  EXPECT_GT(count(page, " href=\"#alert-"), 0U);  // the scan above looked at real links
  EXPECT_EQ(page.find("javascript:document"), page.find("javascript:document.title=&#39;"));
}

TEST(Render, ContentSecurityPolicyAllowsOnlyOurScript) {
  const std::string page = render_case(fx::clean_case());
  EXPECT_NE(page.find("default-src 'none'"), std::string::npos);
  EXPECT_NE(page.find("script-src " + report_script_csp_hash()), std::string::npos);
  EXPECT_NE(page.find(std::string(report_script())), std::string::npos);
  // Known answer: the CSP hash is base64 of the SHA-256 of the script's bytes.
  EXPECT_EQ(report_script_csp_hash().size(), std::string("'sha256-'").size() + 44);
  EXPECT_NE(manifest::sha256_hex(report_script()), manifest::sha256_hex("x"));
}

TEST(Render, UsableWithoutScript) {
  // Headless Chromium cannot dump the DOM with scripting off, so the static markup is
  // checked here: the filter bar starts hidden (the script shows it) and no row is hidden.
  const std::string page = render_case(fx::infected_case());
  EXPECT_NE(page.find("<div id=\"filters\" class=\"filters\" hidden>"), std::string::npos);
  EXPECT_GT(count(page, "<tr data-module="), 0U);
  EXPECT_EQ(count(page, "<tr hidden"), 0U);
  EXPECT_EQ(count(page, " hidden>"), 1U);
}

TEST(Render, CleanCaseSaysWhatANegativeMeans) {
  const std::string page = render_case(fx::clean_case());
  EXPECT_NE(page.find("data-verdict=\"none\""), std::string::npos);
  EXPECT_NE(page.find("No known indicators were found \u2014 this does not prove the device is "
                      "clean"),
            std::string::npos);
  EXPECT_EQ(count(page, "<article class=\"alert "), 0U);
  EXPECT_NE(page.find("There are no alerts."), std::string::npos);
  EXPECT_NE(page.find("<svg"), std::string::npos);
  EXPECT_EQ(page.find("class=\"alert-mark\""), std::string::npos);
}

TEST(Render, HeuristicOnlyIsSuspiciousAndFailedModuleIsIncomplete) {
  fx::Case c = fx::infected_case();
  c.alerts.erase(c.alerts.begin(), c.alerts.begin() + 2);  // keep the MEDIUM heuristic
  EXPECT_NE(render_case(c).find("data-verdict=\"suspicious\""), std::string::npos);
  c.alerts[0].level = report::AlertLevel::kLow;
  EXPECT_NE(render_case(c).find("data-verdict=\"none\""), std::string::npos);

  TempDir dir;
  fx::write_case(fx::clean_case(), dir.path(), false);
  auto data = read_output_folder(dir.path());
  ASSERT_TRUE(data);
  data->info.modules[0].status = "failed";
  data->info.modules[0].error = "database disk image is malformed";
  const std::string page = render_report(*data, {});
  EXPECT_NE(page.find("data-verdict=\"incomplete\""), std::string::npos);
  EXPECT_NE(page.find("database disk image is malformed"), std::string::npos);
}

TEST(Render, FrenchPage) {
  const std::string page = render_case(fx::clean_case(), Lang::kFr);
  EXPECT_NE(page.find("<html lang=\"fr\">"), std::string::npos);
  EXPECT_NE(page.find("Aucun indicateur connu n&#39;a été trouvé"), std::string::npos);
  EXPECT_EQ(page.find("No known indicators"), std::string::npos);
}

TEST(Render, SameFolderSameBytes) {
  TempDir dir;
  fx::write_case(fx::infected_case(), dir.path(), true);
  ASSERT_TRUE(write_report(dir.path(), {}));
  const std::string first = testing::read_file(dir / "report.html");
  ASSERT_TRUE(write_report(dir.path(), {}));
  EXPECT_EQ(testing::read_file(dir / "report.html"), first);
  EXPECT_FALSE(std::filesystem::exists(dir / ".report.html.tmp"));
  // A different folder content gives a different page (the test can fail).
  testing::write_file(dir / "alerts.json", "[]");
  ASSERT_TRUE(write_report(dir.path(), {}));
  EXPECT_NE(testing::read_file(dir / "report.html"), first);
}

TEST(Render, WriteReportRefusesMalformedFolderAndKeepsOldReport) {
  TempDir dir;
  testing::write_file(dir / "report.html", "old");
  testing::write_file(dir / "info.json", "{not json");
  const auto r = write_report(dir.path(), {});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kMalformed);
  EXPECT_EQ(testing::read_file(dir / "report.html"), "old");
}

TEST(Chart, LongSpansGroupDays) {
  ReportData data;
  data.day_counts = {{0, "sms", 3}, {999, "sms", 1}, {999, "dns_log", 2}};
  const ChartResult c = render_chart(data, {"sms"}, Lang::kEn);
  EXPECT_EQ(c.days_per_bar, 5);  // ceil(1000 / 240)
  EXPECT_EQ(count(c.svg, "<rect"), 3U);
  EXPECT_NE(c.svg.find("1970-01-01"), std::string::npos);
  EXPECT_TRUE(render_chart(ReportData{}, {}, Lang::kEn).svg.empty());
}

TEST(Chart, HostileModuleNamesAreEscaped) {
  ReportData data;
  data.day_counts = {{0, "<script>x</script>", 1}};
  const ChartResult c = render_chart(data, {}, Lang::kEn);
  EXPECT_EQ(c.svg.find("<script"), std::string::npos);
}

}  // namespace
}  // namespace spyglass::html
