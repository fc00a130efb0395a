#pragma once
// Generated output folders for the report tests: an infected case (indicator matches in an
// iOS SMS and in network DNS logs, a heuristic, and evidence text planted by an attacker)
// and a clean case. Written with the real output writers, so the report reads what a scan
// writes.
#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/manifest/manifest.hpp"
#include "core/report/outputs.hpp"
#include "core/report/timesketch.hpp"
#include "formats/json/json_value.hpp"
#include "formats/json/json_writer.hpp"
#include "support/temp_dir.hpp"
#include "support/time.hpp"

namespace spyglass::testing::report_fixture {

// Planted in SMS bodies, URLs and file names: none of it may execute or break the page.
inline const std::string kPlantedScript = "<script>document.title='PWNED'</script>";
inline const std::string kPlantedTextarea =
    "</textarea></td></tr></table><img src=x onerror=\"document.body.setAttribute('data-pwned',"
    "'1')\">";
inline const std::string kPlantedUrl = "javascript:document.title='PWNED'//https://x.example/";
// "invoice" + RIGHT-TO-LEFT OVERRIDE + "fdp.exe": displays as "invoiceexe.pdf" unless neutralised.
inline const std::string kPlantedFileName = "invoice\u202Efdp.exe";
inline const std::string kPlantedControls = std::string("bell\x07" "esc\x1b[31m nul-ish\x01");

inline constexpr UnixMicros kDay0 = UnixMicros{1718000000} * 1000000;  // 2024-06-10T06:13:20Z
inline constexpr UnixMicros kHour = UnixMicros{3600} * 1000000;
inline constexpr UnixMicros kDay = 24 * kHour;

inline json::Value info_json(const std::vector<std::pair<std::string, std::string>>& modules) {
  json::Value mods = json::Value::array();
  for (const auto& [slug, family] : modules) {
    mods.push_back(json::obj({{"slug", slug},
                              {"family", family},
                              {"status", "ok"},
                              {"records", 3},
                              {"alerts", 0},
                              {"error", nullptr}}));
  }
  return json::obj({{"target_path", "/cases/2024-017/evidence"},
                    {"spyglass_version", "0.1.0"},
                    {"date", "2024-06-25 09:00:00.000000"},
                    {"ioc_files", json::arr({"/iocs/pegasus.stix2"})},
                    {"hashes", json::Value::array()},
                    {"command", "spyglass check-backup -o out /cases/2024-017/evidence"},
                    {"modules", std::move(mods)},
                    {"device", json::obj({{"name", "Alex's iPhone"},
                                          {"model", "iPhone12,1"},
                                          {"os_version", "iOS 17.5.1 (21F90)"}})}});
}

inline json::Value pegasus_indicator(const std::string& value, const std::string& type) {
  return json::obj(
      {{"value", value},
       {"type", type},
       {"name", "NSO Group Pegasus Indicators of Compromise"},
       {"stix2_file_name", "pegasus.stix2"},
       {"id", "indicator--4b1d2f0e-0000-4000-8000-000000000001"},
       {"pattern", "[domain-name:value = '" + value + "']"},
       {"match", "subdomain"},
       {"observed", "free247downloads." + value},
       {"field", "text"},
       {"collections", json::arr({json::obj({{"name", "NSO Group Pegasus Indicators of Compromise"},
                                             {"kind", "malware"},
                                             {"id", "malware--aaaa"},
                                             {"stix2_file_name", "pegasus.stix2"}})})},
       {"valid_from", nullptr},
       {"valid_until", nullptr},
       {"outside_validity", false}});
}

struct Case {
  std::vector<report::Alert> alerts;
  std::vector<report::TimelineEntry> events;
  std::vector<std::pair<std::string, std::string>> modules;
};

inline Case infected_case() {
  Case c;
  c.modules = {{"sms", "ios"}, {"safari_history", "ios"}, {"dns_log", "net"}};
  // Ordinary activity over nine days, so the chart has context around the alerts.
  for (int d = 0; d < 9; ++d) {
    for (int i = 0; i < 2 + d % 3; ++i) {
      c.events.push_back({kDay0 + d * kDay + i * kHour, "sms", "ios", "sms_received",
                          "Message from +41 79 000 00 0" + std::to_string(i),
                          {"private/var/mobile/Library/SMS/sms.db",
                           "table message, rowid " + std::to_string(100 + d * 10 + i)}});
    }
    c.events.push_back({kDay0 + d * kDay + 5 * kHour, "safari_history", "ios", "visit",
                        "https://news.example/article" + std::to_string(d),
                        {"private/var/mobile/Library/Safari/History.db",
                         "table history_visits, id " + std::to_string(d + 1)}});
    c.events.push_back({kDay0 + d * kDay + 6 * kHour, "dns_log", "net", "dns_query",
                        "query news.example A", {"dns.log", "line " + std::to_string(d + 1)}});
  }
  const UnixMicros t_sms = kDay0 + 4 * kDay + 2 * kHour + 17 * 60 * 1000000;
  // The attacker's SMS, with planted markup, controls and a bidi override.
  c.events.push_back({t_sms, "sms", "ios", "sms_received",
                      "Your parcel: https://free247downloads.com/x " + kPlantedScript,
                      {"private/var/mobile/Library/SMS/sms.db", "table message, rowid 4242"}});
  c.events.push_back({t_sms + 60 * 1000000, "safari_history", "ios", "visit", kPlantedUrl,
                      {"private/var/mobile/Library/Safari/History.db",
                       "table history_visits, id " + kPlantedTextarea}});
  c.events.push_back({t_sms + 90 * 1000000, "dns_log", "net", "dns_query",
                      "query free247downloads.com A",
                      {"dns.log", "line 77"}});

  report::Alert sms;
  sms.level = report::AlertLevel::kCritical;
  sms.module = "sms";
  sms.family = "ios";
  sms.message = "Found a known indicator (domain \"free247downloads.com\", collection \"NSO "
                "Group Pegasus Indicators of Compromise\") in SMS: https://free247downloads.com/x";
  sms.event_time = t_sms;
  sms.event = json::obj({{"ROWID", 4242},
                         {"handle", "+44 7700 900123"},
                         {"text", "Your parcel: https://free247downloads.com/x " + kPlantedScript +
                                      " " + kPlantedTextarea + " " + kPlantedControls},
                         {"attachment", kPlantedFileName},
                         {"url", kPlantedUrl}});
  sms.matched_indicator = pegasus_indicator("free247downloads.com", "domains");
  sms.provenance = {"private/var/mobile/Library/SMS/sms.db", "table message, rowid 4242"};
  c.alerts.push_back(sms);

  report::Alert dns;
  dns.level = report::AlertLevel::kCritical;
  dns.module = "dns_log";
  dns.family = "net";
  dns.message = "Found a known indicator (domain \"free247downloads.com\") in DNS log: query "
                "free247downloads.com A";
  dns.event_time = t_sms + 90 * 1000000;
  dns.event = json::obj({{"query", "free247downloads.com"}, {"qtype", "A"}, {"client", "10.0.0.7"}});
  dns.matched_indicator = pegasus_indicator("free247downloads.com", "domains");
  dns.provenance = {"dns.log", "line 77"};
  c.alerts.push_back(dns);

  report::Alert heur;
  heur.level = report::AlertLevel::kMedium;
  heur.module = "safari_history";
  heur.family = "ios";
  heur.message = "Redirect chain through a URL shortener right after an SMS link: " + kPlantedUrl;
  heur.event_time = t_sms + 60 * 1000000;
  heur.event = json::obj({{"url", kPlantedUrl}, {"file", kPlantedFileName}});
  heur.provenance = {kPlantedFileName, "row " + kPlantedScript};
  c.alerts.push_back(heur);
  return c;
}

inline Case clean_case() {
  Case c;
  c.modules = {{"sms", "ios"}, {"safari_history", "ios"}};
  for (int d = 0; d < 14; ++d) {
    c.events.push_back({kDay0 + d * kDay + 3 * kHour, "sms", "ios", "sms_received",
                        "See you at 7", {"private/var/mobile/Library/SMS/sms.db",
                                         "table message, rowid " + std::to_string(d + 1)}});
    if (d % 2 == 0) {
      c.events.push_back({kDay0 + d * kDay + 9 * kHour, "safari_history", "ios", "visit",
                          "https://weather.example/today",
                          {"private/var/mobile/Library/Safari/History.db",
                           "table history_visits, id " + std::to_string(d + 1)}});
    }
  }
  return c;
}

// Writes info.json, alerts.json (when there are alerts), timeline.csv and timeline.jsonl
// into `out`, as a scan does; with `with_manifest`, also manifest.json.
inline void write_case(const Case& c, const std::filesystem::path& out, bool with_manifest) {
  std::filesystem::create_directories(out);
  std::vector<const report::Alert*> alerts;
  for (const report::Alert& a : c.alerts) alerts.push_back(&a);
  std::vector<std::string> order;
  for (const auto& m : c.modules) order.push_back(m.first);
  write_file(out / "info.json", json::to_python_json(info_json(c.modules)));
  if (!alerts.empty()) {
    write_file(out / "alerts.json", json::to_python_json(report::alerts_json(alerts)));
  }
  std::vector<report::TimelineRow> rows;
  for (const report::TimelineEntry& e : c.events) {
    rows.push_back({e.time, e.module, e.event, e.description, e.provenance});
  }
  write_file(out / "timeline.csv", report::timeline_csv(rows));
  write_file(out / "timeline.jsonl", report::timeline_jsonl(c.events, alerts, order));
  if (with_manifest) {
    manifest::ManifestInput in;
    in.argv = {"spyglass", "check-backup", "-o", out.string(), "/cases/2024-017/evidence"};
    in.started = kDay0 + 10 * kDay;
    in.finished = in.started + 2000000;
    in.evidence_root = out.parent_path();
    in.indicators = {{"pegasus", "/iocs/pegasus.stix2", 81234,
                      "3f0c8c1f1f5b9c2a6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9001122334"}};
    auto m = manifest::write_manifest(in, out);
    if (!m) throw std::runtime_error("write_manifest: " + m.error().message);
  }
}

}  // namespace spyglass::testing::report_fixture
