#include "artifacts/ios/webkit_session_resource_log/webkit_session_resource_log.hpp"

#include <gtest/gtest.h>

#include "artifacts/ios/ios_test_support.hpp"
#include "formats/json/json_writer.hpp"
#include "formats/plist/value.hpp"
#include "support/ios_backup_builder.hpp"
#include "support/ios_fixtures_module_run.hpp"
#include "support/ios_fixtures_preferences.hpp"
#include "support/ios_fixtures_webkit.hpp"
#include "support/temp_dir.hpp"

namespace spyglass::artifacts::ios {
namespace {

namespace fs = std::filesystem;
namespace st = spyglass::testing;
namespace plist = formats::plist;
using matching::ObservableKind;
using spyglass::testing::CollectingSink;
using spyglass::testing::SessionResourceStatistic;
using spyglass::testing::TempDir;

constexpr double kT0 = 1626249600.0;  // 2021-07-14 08:00:00 UTC, Unix seconds
constexpr const char* kRelPath =
    "Library/WebKit/WebsiteData/ResourceLoadStatistics/full_browsing_session_resourceLog.plist";

IosFile backup_file() {
  IosFile f;
  f.domain = "AppDomain-com.apple.mobilesafari";
  f.relative_path = kRelPath;
  f.file_id = st::IosBackupBuilder::file_id(f.domain, kRelPath);
  f.evidence_path = f.file_id.substr(0, 2) + "/" + f.file_id;
  return f;
}

struct Parsed {
  Result<void> result;
  CollectingSink sink;
};

Parsed parse(const std::string& bytes, const IosFile& file = backup_file()) {
  Parsed out;
  out.result = read_session_resource_log(bytes, file, out.sink);
  return out;
}

std::vector<SessionResourceStatistic> stats() {
  SessionResourceStatistic chain;
  chain.origin = "landing.example";
  chain.last_seen = kT0;
  chain.had_user_interaction = true;
  chain.most_recent_user_interaction = kT0 - 60;
  chain.redirects_from = {"news.example.com"};
  chain.redirects_to = {"payload.example", "cdn.example.net"};
  chain.subframe_under = {"frame.example"};
  chain.subresource_under = {"sub.example"};
  chain.subresource_redirects_to = {"tracker.example"};
  SessionResourceStatistic plain;
  plain.origin = "quiet.example";
  plain.last_seen = kT0 + 86400;
  return {chain, plain};
}

TEST(WebkitSessionResourceLog, EntriesFieldsAndObservables) {
  auto p = parse(st::webkit_session_resource_log(stats()));
  ASSERT_TRUE(p.result) << p.result.error().message;
  ASSERT_EQ(p.sink.records.size(), 2U);
  const scan::Record& r = p.sink.records[0];
  EXPECT_EQ(json::to_json_line(r.data),
            "{\"origin\": \"landing.example\", "
            "\"redirect_source\": [{\"origin\": \"news.example.com\", \"count\": 1}], "
            "\"redirect_destination\": [{\"origin\": \"payload.example\", \"count\": 1}, "
            "{\"origin\": \"cdn.example.net\", \"count\": 1}], "
            "\"subframe_under_origin\": [{\"origin\": \"frame.example\", \"count\": 1}], "
            "\"subresource_under_origin\": [{\"origin\": \"sub.example\", \"count\": 1}], "
            "\"user_interaction\": true, "
            "\"most_recent_interaction\": \"2021-07-14 07:59:00.000000\", "
            "\"last_seen\": \"2021-07-14 08:00:00.000000\", "
            "\"subresource_unique_redirects_to\": [{\"origin\": \"tracker.example\", "
            "\"count\": 1}], \"subresource_unique_redirects_from\": \"\", "
            "\"file\": \"" +
                backup_file().evidence_path +
                "\", "
                "\"domain\": \"AppDomain-com.apple.mobilesafari\", "
                "\"path\": \"" +
                std::string(kRelPath) + "\", \"container\": null}");
  ASSERT_TRUE(r.time);
  EXPECT_EQ(format_mvt_time(*r.time), "2021-07-14 08:00:00.000000");
  EXPECT_TRUE(r.timeline.empty());  // as MVT: this module has no timeline
  EXPECT_EQ(st::observed(r, ObservableKind::kDomain),
            (std::vector<std::string>{"landing.example", "news.example.com", "payload.example",
                                      "cdn.example.net", "frame.example", "sub.example",
                                      "tracker.example"}));
  for (const auto& o : r.observables) EXPECT_EQ(o.level, report::AlertLevel::kCritical);
  EXPECT_TRUE(r.heuristics.empty());  // nothing without a match
  ASSERT_EQ(r.on_match.size(), 1U);
  EXPECT_EQ(r.on_match[0].level, report::AlertLevel::kHigh);
  EXPECT_EQ(r.on_match[0].message,
            "Top-frame redirect chain through a domain that matched an indicator: FROM "
            "\"news.example.com\" -> ORIGIN \"landing.example\" -> TO \"payload.example\", "
            "\"cdn.example.net\"");
  EXPECT_NE(r.provenance.locator.find("browsingStatistics[0]"), std::string::npos);

  const scan::Record& quiet = p.sink.records[1];
  EXPECT_EQ(st::data_text(quiet, "redirect_source"), "");  // absent set, as MVT
  EXPECT_FALSE(quiet.data.find("user_interaction")->as_bool());
  EXPECT_TRUE(quiet.data.find("most_recent_interaction")->is_null());  // 0: never
  EXPECT_TRUE(quiet.on_match.empty());  // no redirect, no chain to describe
}

TEST(WebkitSessionResourceLog, NewerModelAndXmlPlists) {
  auto p = parse(st::webkit_session_resource_log(stats(), 16, /*xml=*/true));
  ASSERT_TRUE(p.result) << p.result.error().message;
  ASSERT_EQ(p.sink.records.size(), 2U);
  const scan::Record& r = p.sink.records[0];
  EXPECT_EQ(st::data_text(r, "origin"), "landing.example");
  EXPECT_EQ(json::to_json_line(*r.data.find("subframe_under_origin")),
            "[{\"domain\": \"frame.example\"}]");
  EXPECT_EQ(st::observed(r, ObservableKind::kDomain).size(), 7U);
}

TEST(WebkitSessionResourceLog, FilesystemDumpAndOddEntries) {
  IosFile f;
  f.source = IosSourceKind::kFilesystem;
  f.relative_path =
      "private/var/mobile/Library/WebClips/ABC.webclip/Storage/"
      "full_browsing_session_resourceLog.plist";
  f.evidence_path = f.relative_path;
  plist::Dict good;
  good.set("PrevalentResourceOrigin", "ok.example");
  good.set("lastSeen", plist::Date::from_unix(kT0));  // a date instead of a real
  good.set("topFrameUniqueRedirectsTo",
           plist::Array{plist::Value("bare.example"), plist::Value(5), plist::Dict{}});
  plist::Dict odd;
  odd.set("PrevalentResourceOrigin", 12);
  plist::Dict root;
  root.set("browsingStatistics",
           plist::Array{plist::Value("x"), plist::Value(odd), plist::Value(good)});
  auto p = parse(st::binary_plist(plist::Value(root)), f);
  ASSERT_TRUE(p.result) << p.result.error().message;
  ASSERT_EQ(p.sink.records.size(), 1U);
  const auto& r = p.sink.records[0];
  EXPECT_EQ(st::data_text(r, "domain"), "");
  EXPECT_TRUE(r.data.find("container")->is_null());
  EXPECT_EQ(st::data_text(r, "last_seen"), "2021-07-14 08:00:00.000000");
  EXPECT_EQ(st::observed(r, ObservableKind::kDomain),
            (std::vector<std::string>{"ok.example", "bare.example"}));
  EXPECT_NE(r.provenance.locator.find("browsingStatistics[2]"), std::string::npos);

  // Long chains are cut in the message.
  SessionResourceStatistic wide;
  wide.origin = "hub.example";
  for (int i = 0; i < 40; ++i) wide.redirects_to.push_back("d" + std::to_string(i) + ".example");
  p = parse(st::webkit_session_resource_log({wide}));
  ASSERT_TRUE(p.result);
  ASSERT_EQ(p.sink.records[0].on_match.size(), 1U);
  EXPECT_NE(p.sink.records[0].on_match[0].message.find("\"d15.example\" and 24 more"),
            std::string::npos);
  EXPECT_EQ(p.sink.records[0].observables.size(), 41U);

  // An empty log is fine.
  EXPECT_TRUE(parse(st::webkit_session_resource_log({})).result);
}

TEST(WebkitSessionResourceLog, UnknownSchemaAndCorruptFilesFail) {
  auto p = parse(st::binary_plist(plist::Value(plist::Array{})));
  ASSERT_FALSE(p.result);
  EXPECT_NE(p.result.error().message.find("unknown schema"), std::string::npos);

  plist::Dict other;
  other.set("statistics", plist::Array{});
  other.set("version", 14);
  p = parse(st::binary_plist(plist::Value(other)));
  ASSERT_FALSE(p.result);
  EXPECT_NE(p.result.error().message.find("browsingStatistics"), std::string::npos);
  EXPECT_NE(p.result.error().message.find("statistics, version"), std::string::npos)
      << p.result.error().message;

  plist::Dict entry;
  entry.set("Origin", "renamed.example");
  plist::Dict renamed;
  renamed.set("browsingStatistics", plist::Array{plist::Value(entry)});
  p = parse(st::binary_plist(plist::Value(renamed)));
  ASSERT_FALSE(p.result);
  EXPECT_NE(p.result.error().message.find("PrevalentResourceOrigin"), std::string::npos);

  EXPECT_FALSE(parse("").result);
  EXPECT_FALSE(parse("not a plist at all").result);
  const std::string good = st::webkit_session_resource_log(stats());
  for (std::size_t cut = 8; cut < good.size(); cut += 41) {
    EXPECT_FALSE(parse(good.substr(0, cut)).result) << cut;  // the trailer is cut
  }
}

std::vector<std::unique_ptr<scan::Module>> module() {
  std::vector<std::unique_ptr<scan::Module>> m;
  m.push_back(make_webkit_session_resource_log_module());
  return m;
}

TEST(WebkitSessionResourceLog, MatchedDomainAlertsCriticalPlusTheChainAtHigh) {
  TempDir tmp;
  st::IosBackupBuilder b;
  auto entries = stats();
  entries[0].redirects_to = {"payload.evil.example"};  // a subdomain of the indicator
  // Lookalikes of the indicator on an entry with redirects: nothing.
  SessionResourceStatistic lookalike;
  lookalike.origin = "notevil.example";
  lookalike.redirects_to = {"evil.example.net", "evil-example.com"};
  entries.push_back(lookalike);
  b.add_file("AppDomain-com.apple.mobilesafari", kRelPath,
             st::webkit_session_resource_log(entries));
  const fs::path stix =
      testing::write_stix(tmp / "i.stix2", {{"domain-name:value", "evil.example"}});
  auto run = testing::run_ios_scan(module(), b.write(tmp / "backup"), tmp / "out", stix);
  ASSERT_TRUE(run.summary) << run.summary.error().message;
  const auto& s = *run.summary;
  EXPECT_EQ(s.modules[0].status, scan::ModuleStatus::kOk) << s.modules[0].error;
  EXPECT_EQ(s.modules[0].records, 3U);
  EXPECT_EQ(s.alerts_critical, 1U);
  EXPECT_EQ(s.alerts_high, 1U);
  const std::string detected =
      st::read_file(tmp / "out" / "webkit_session_resource_log_detected.json");
  EXPECT_NE(detected.find("ORIGIN \\\"landing.example\\\" -> TO \\\"payload.evil.example\\\""),
            std::string::npos)
      << detected;
  EXPECT_EQ(detected.find("notevil"), std::string::npos);
  const std::string json = st::read_file(tmp / "out" / "webkit_session_resource_log.json");
  EXPECT_NE(json.find("\"origin\": \"quiet.example\""), std::string::npos);

  // Without indicators: records, no alert at all.
  auto clean = testing::run_ios_scan(module(), tmp / "backup", tmp / "out2");
  ASSERT_TRUE(clean.summary);
  EXPECT_EQ(clean.summary->modules[0].records, 3U);
  EXPECT_EQ(clean.summary->alerts_critical + clean.summary->alerts_high, 0U);
}

TEST(WebkitSessionResourceLog, AbsentAndBrokenFiles) {
  TempDir tmp;
  auto m = make_webkit_session_resource_log_module();
  EXPECT_EQ(m->spec().slug, "webkit_session_resource_log");
  st::IosBackupBuilder none;
  none.add_file("HomeDomain", "Library/SMS/sms.db", "x");
  auto absent = st::run_module_on(*m, none.write(tmp / "none"));
  EXPECT_EQ(absent.status.code, scan::ModuleStatus::kNotPresent) << absent.status.message;

  st::IosBackupBuilder bad;
  const std::string good = st::webkit_session_resource_log(stats());
  bad.add_file("AppDomain-com.example.a", kRelPath, good.substr(0, good.size() - 10));
  bad.add_file("AppDomain-com.example.b", kRelPath, good);
  auto failed = st::run_module_on(*m, bad.write(tmp / "bad"));
  EXPECT_EQ(failed.status.code, scan::ModuleStatus::kFailed);
  EXPECT_NE(failed.status.message.find("full_browsing_session_resourceLog.plist"),
            std::string::npos)
      << failed.status.message;
  EXPECT_EQ(failed.sink.records.size(), 2U);  // the good file is still read
}

}  // namespace
}  // namespace spyglass::artifacts::ios
