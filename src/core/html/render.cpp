#include "core/html/render.hpp"

#include <filesystem>

#include <algorithm>
#include <cstdio>
#include <map>
#include <set>

#include <fmt/format.h>

#include "core/html/chart.hpp"
#include "core/html/escape.hpp"
#include "core/manifest/hashing.hpp"
#include "formats/json/json_writer.hpp"
#include "support/time.hpp"

namespace spyglass::html {
namespace fs = std::filesystem;
namespace {

using report::AlertLevel;

// Filters the timeline table. Rows carry data-module and data-alert; the script only reads
// attributes and toggles `hidden`, never builds HTML, so evidence text cannot reach a sink.
// Without script the filter bar stays hidden and every row is shown.
constexpr std::string_view kScript =
    "(function(){var d=document;d.documentElement.setAttribute('data-js','on');"
    "var f=d.getElementById('filters');if(!f)return;f.hidden=false;"
    "var rows=Array.prototype.slice.call(d.querySelectorAll('#timeline tbody tr'));"
    "function apply(){var on={};"
    "Array.prototype.forEach.call(f.querySelectorAll('input[data-module]'),function(c){"
    "on[c.getAttribute('data-module')]=c.checked;});"
    "var ao=d.getElementById('f-alerts').checked;"
    "var q=d.getElementById('f-text').value.toLowerCase();"
    "rows.forEach(function(r){var m=r.getAttribute('data-module');"
    "var show=on[m]!==false&&(!ao||r.hasAttribute('data-alert'))&&"
    "(!q||r.textContent.toLowerCase().indexOf(q)>=0);r.hidden=!show;});}"
    "f.addEventListener('input',apply);f.addEventListener('change',apply);})();";

constexpr std::string_view kStyle = R"css(
:root{--fg:#1a1a1a;--muted:#555;--line:#ccc;--bg:#fff;--crit:#9b1c1c;--high:#c2410c;--med:#a16207;--low:#1d4ed8;--info:#4b5563}
*{box-sizing:border-box}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",sans-serif;color:var(--fg);background:var(--bg)}
main,header .inner,footer{max-width:1100px;margin:0 auto;padding:0 20px}
header.verdict{padding:24px 0;color:#fff}
header.v-known{background:#9b1c1c}header.v-suspicious{background:#b45309}
header.v-incomplete{background:#4b5563}header.v-none{background:#166534}
header h1{margin:4px 0 8px;font-size:1.7em;line-height:1.2}
header p{margin:4px 0;max-width:60em}
.badge{display:inline-block;padding:1px 8px;border-radius:4px;font-size:.85em;font-weight:600;color:#fff;background:var(--info)}
header .badge{background:rgba(0,0,0,.35)}
.l-CRITICAL{background:var(--crit)}.l-HIGH{background:var(--high)}.l-MEDIUM{background:var(--med)}.l-LOW{background:var(--low)}.l-INFORMATIONAL{background:var(--info)}
.skip{color:#fff}
section{margin:28px 0}
h2{font-size:1.3em;border-bottom:2px solid var(--line);padding-bottom:4px}
.next{border:2px solid #1d4ed8;border-radius:8px;padding:8px 20px;background:#eff6ff}
dl.kv{display:grid;grid-template-columns:max-content 1fr;gap:4px 16px;margin:0}
dl.kv dt{font-weight:600;color:var(--muted)}dl.kv dd{margin:0;overflow-wrap:anywhere}
code,.mono{font-family:ui-monospace,"DejaVu Sans Mono",Menlo,monospace;font-size:.9em;overflow-wrap:anywhere}
.ev{white-space:pre-wrap}
article.alert{border:1px solid var(--line);border-left:6px solid var(--info);border-radius:6px;padding:8px 16px;margin:16px 0;break-inside:avoid}
article.a-CRITICAL{border-left-color:var(--crit)}article.a-HIGH{border-left-color:var(--high)}
article.a-MEDIUM{border-left-color:var(--med)}article.a-LOW{border-left-color:var(--low)}
article.alert h3{margin:6px 0;font-size:1.05em;overflow-wrap:anywhere}
table{border-collapse:collapse;width:100%}
th,td{border-bottom:1px solid var(--line);padding:4px 6px;text-align:left;vertical-align:top;overflow-wrap:anywhere}
table.record td:first-child{width:12em;color:var(--muted)}
#timeline td:first-child,#timeline td:nth-child(3){white-space:nowrap}
tr.row-alert{background:#fef2f2}
.chart{width:100%;height:auto}.chart .axis{stroke:#888}.chart text{font-size:11px;fill:#333}
.chart .ylab{text-anchor:end}.chart .xlab{text-anchor:middle}
.chart .alert-mark line{stroke:#c00;stroke-width:1.5}.chart .alert-mark path{fill:#c00}
.legend{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:4px 16px;font-size:.9em}
.sw{display:inline-block;width:12px;height:12px;margin-right:4px;vertical-align:middle}
.filters{display:flex;flex-wrap:wrap;gap:6px 14px;align-items:center;margin:8px 0;padding:6px;background:#f3f4f6}
.muted{color:var(--muted)}
footer{color:var(--muted);font-size:.85em;padding-bottom:30px}
@media print{body{font-size:11pt}header.verdict{-webkit-print-color-adjust:exact;print-color-adjust:exact}
.filters,.skip{display:none}tr[hidden]{display:table-row}article.alert,.next{break-inside:avoid}
a{color:inherit;text-decoration:none}}
)css";

std::string base64(const unsigned char* data, std::size_t n) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  for (std::size_t i = 0; i < n; i += 3) {
    const unsigned v = (unsigned{data[i]} << 16) | (i + 1 < n ? unsigned{data[i + 1]} << 8 : 0U) |
                       (i + 2 < n ? unsigned{data[i + 2]} : 0U);
    out += kAlphabet[(v >> 18) & 63U];
    out += kAlphabet[(v >> 12) & 63U];
    out += i + 1 < n ? kAlphabet[(v >> 6) & 63U] : '=';
    out += i + 2 < n ? kAlphabet[v & 63U] : '=';
  }
  return out;
}

enum class Verdict { kKnown, kSuspicious, kIncomplete, kNone };

Verdict verdict_of(const ReportData& data) {
  bool suspicious = false;
  for (const AlertView& a : data.alerts) {
    if (a.indicator) return Verdict::kKnown;
    if (static_cast<int>(a.level) >= static_cast<int>(AlertLevel::kMedium)) suspicious = true;
  }
  if (suspicious) return Verdict::kSuspicious;
  for (const ModuleRun& m : data.info.modules) {
    if (m.status == "failed") return Verdict::kIncomplete;
  }
  return Verdict::kNone;
}

class Page {
 public:
  Page(const ReportData& data, Lang lang) : data_(data), lang_(lang) {}

  std::string render() {
    collect_modules();
    order_alerts();
    head();
    verdict_header();
    out_ += "<main>";
    next_steps();
    examined();
    indicator_sets();
    chart();
    alerts();
    timeline();
    levels_and_glossary();
    notes();
    out_ += "</main><footer><p>";
    t(Msg::kFooter);
    out_ += "</p></footer>\n<script>";
    out_ += kScript;
    out_ += "</script>\n</body>\n</html>\n";
    return std::move(out_);
  }

 private:
  void t(Msg m) { append_escaped(out_, text(lang_, m)); }
  void e(std::string_view s) { append_escaped_bounded(out_, s); }
  void tf(Msg m, const std::vector<std::string>& args) {
    append_escaped(out_, format(lang_, m, args));
  }

  void collect_modules() {
    std::set<std::string> seen;
    for (const ModuleRun& m : data_.info.modules) {
      if (seen.insert(m.slug).second) modules_.push_back(m.slug);
    }
    std::set<std::string> extra;
    for (const DayCount& d : data_.day_counts) {
      if (!seen.count(d.module)) extra.insert(d.module);
    }
    for (const TimelineEvent& ev : data_.events) {
      if (!seen.count(ev.module)) extra.insert(ev.module);
    }
    for (const AlertView& a : data_.alerts) {
      if (!seen.count(a.module)) extra.insert(a.module);
    }
    modules_.insert(modules_.end(), extra.begin(), extra.end());
  }

  void order_alerts() {
    for (std::size_t i = 0; i < data_.alerts.size(); ++i) order_.push_back(i);
    std::stable_sort(order_.begin(), order_.end(), [&](std::size_t x, std::size_t y) {
      const AlertView& a = data_.alerts[x];
      const AlertView& b = data_.alerts[y];
      if (a.level != b.level) return static_cast<int>(a.level) > static_cast<int>(b.level);
      if (a.indicator != b.indicator) return a.indicator;
      return a.time.value_or(INT64_MAX) < b.time.value_or(INT64_MAX);
    });
    if (order_.size() > kMaxAlertsShown) order_.resize(kMaxAlertsShown);
    for (std::size_t n = 0; n < order_.size(); ++n) anchor_[order_[n]] = n + 1;
  }

  void head() {
    out_ += "<!DOCTYPE html>\n<html lang=\"";
    out_ += lang_code(lang_);
    out_ +=
        "\">\n<head>\n<meta charset=\"utf-8\">\n"
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
        "style-src 'unsafe-inline'; img-src data:; script-src ";
    out_ += report_script_csp_hash();
    out_ +=
        "; base-uri 'none'; form-action 'none'\">\n"
        "<meta name=\"referrer\" content=\"no-referrer\">\n"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>";
    t(Msg::kTitle);
    out_ += "</title>\n<style>";
    out_ += kStyle;
    out_ += "</style>\n</head>\n<body>\n";
  }

  void verdict_header() {
    const Verdict v = verdict_of(data_);
    static constexpr std::string_view kClass[] = {"v-known", "v-suspicious", "v-incomplete",
                                                  "v-none"};
    static constexpr Msg kTitleMsg[] = {Msg::kVerdictKnown, Msg::kVerdictSuspicious,
                                        Msg::kVerdictIncomplete, Msg::kVerdictNone};
    static constexpr Msg kExplain[] = {Msg::kVerdictKnownExplain,
                                       Msg::kVerdictSuspiciousExplain,
                                       Msg::kVerdictIncompleteExplain, Msg::kVerdictNoneExplain};
    const auto i = static_cast<std::size_t>(v);
    out_ += fmt::format("<header class=\"verdict {}\" id=\"verdict\" data-verdict=\"{}\">",
                        kClass[i], kClass[i].substr(2));
    out_ += "<div class=\"inner\"><p>";
    std::string counts;
    for (const AlertLevel l : report::kAllAlertLevels) {
      const auto n = std::count_if(data_.alerts.begin(), data_.alerts.end(),
                                   [&](const AlertView& a) { return a.level == l; });
      if (n == 0) continue;
      if (!counts.empty()) counts += ", ";
      counts += fmt::format("{} {}", n, report::level_name(l));
    }
    out_ += "<span class=\"badge\">";
    tf(Msg::kLevelLabel,
       {counts.empty() ? std::string(text(lang_, Msg::kIndicatorSetsNone)) : counts});
    out_ += "</span></p><h1>";
    t(kTitleMsg[i]);
    out_ += "</h1><p>";
    t(kExplain[i]);
    out_ += "</p>";
    if (data_.indicator_sets.empty() && data_.info.ioc_files.empty()) {
      out_ += "<p>";
      t(Msg::kVerdictNoIndicators);
      out_ += "</p>";
    }
    out_ += "<p><a class=\"skip\" href=\"#alerts\">";
    t(Msg::kSkipToDetails);
    out_ += "</a></p></div></header>\n";
  }

  void next_steps() {
    const Verdict v = verdict_of(data_);
    static constexpr Msg kNext[] = {Msg::kNextKnown, Msg::kNextSuspicious, Msg::kNextIncomplete,
                                    Msg::kNextNone};
    out_ += "<section id=\"next\" class=\"next\"><h2>";
    t(Msg::kNextHeading);
    out_ += "</h2><p><strong>";
    t(kNext[static_cast<std::size_t>(v)]);
    out_ += "</strong></p><p>";
    t(Msg::kNextContacts);
    out_ += "</p><p>";
    t(Msg::kNextDont);
    out_ += "</p><ul>";
    for (const Msg m : {Msg::kNextDontWipe, Msg::kNextDontUpdate, Msg::kNextDontConfront,
                        Msg::kNextDontShare}) {
      out_ += "<li>";
      t(m);
      out_ += "</li>";
    }
    out_ += "</ul><p>";
    t(Msg::kNextKeep);
    out_ += "</p></section>\n";
  }

  void kv(Msg label, std::string_view value) {
    out_ += "<dt>";
    t(label);
    out_ += "</dt><dd>";
    e(value);
    out_ += "</dd>";
  }

  std::string modules_with(std::string_view status) const {
    std::string list;
    for (const ModuleRun& m : data_.info.modules) {
      if (m.status != status) continue;
      if (!list.empty()) list += ", ";
      list += m.slug;
      if (status == "failed" && !m.error.empty()) list += " (" + m.error + ")";
    }
    return list;
  }

  void examined() {
    out_ += "<section id=\"examined\"><h2>";
    t(Msg::kExaminedHeading);
    out_ += "</h2><dl class=\"kv\">";
    std::string device;
    for (const auto& [key, value] : data_.info.device) {
      if (!device.empty()) device += " \u00B7 ";
      device += key + ": " + value;
    }
    kv(Msg::kDevice, device.empty() ? std::string(text(lang_, Msg::kUnknown)) : device);
    std::set<std::string> families;
    for (const ModuleRun& m : data_.info.modules) {
      if (m.status == "ok") families.insert(m.family);
    }
    std::string kinds;
    for (const std::string& f : families) {
      if (!kinds.empty()) kinds += "; ";
      if (f == "ios") kinds += text(lang_, Msg::kFamilyIos);
      else if (f == "android") kinds += text(lang_, Msg::kFamilyAndroid);
      else if (f == "net") kinds += text(lang_, Msg::kFamilyNet);
      else if (f == "text") kinds += text(lang_, Msg::kFamilyText);
      else kinds += f;
    }
    kv(Msg::kEvidenceTypes, kinds.empty() ? std::string(text(lang_, Msg::kUnknown)) : kinds);
    // Only the evidence's own name: absolute paths and the run date are host- and run-specific
    // and live in info.json and manifest.json, so that report.html is byte-identical across runs.
    const std::string evidence_name =
        std::filesystem::path(data_.info.target_path).filename().string();
    kv(Msg::kEvidence,
       evidence_name.empty() ? std::string(text(lang_, Msg::kUnknown)) : evidence_name);
    std::string dates(text(lang_, Msg::kUnknown));
    if (data_.first_time && data_.last_time) {
      dates = format_mvt_time(*data_.first_time).substr(0, 16) + " \u2013 " +
              format_mvt_time(*data_.last_time).substr(0, 16) + " UTC";
    }
    kv(Msg::kDatesCovered, dates);
    if (!data_.info.tool_version.empty()) kv(Msg::kToolVersion, data_.info.tool_version);
    if (const std::string ok = modules_with("ok"); !ok.empty()) kv(Msg::kModulesRun, ok);
    if (const std::string failed = modules_with("failed"); !failed.empty()) {
      kv(Msg::kModulesFailed, failed);
    }
    if (const std::string absent = modules_with("not_present"); !absent.empty()) {
      kv(Msg::kModulesAbsent, absent);
    }
    out_ += "</dl></section>\n";
  }

  void indicator_sets() {
    out_ += "<section id=\"indicators\"><h2>";
    t(Msg::kIndicatorSetsHeading);
    out_ += "</h2>";
    if (!data_.indicator_sets.empty()) {
      out_ += "<table><thead><tr><th>Name</th><th>SHA-256</th><th>Bytes</th></tr></thead><tbody>";
      for (const IndicatorSetInfo& s : data_.indicator_sets) {
        out_ += "<tr><td>";
        e(s.name);
        out_ += "</td><td class=\"mono\">";
        e(s.sha256);
        out_ += fmt::format("</td><td>{}</td></tr>", s.size);
      }
      out_ += "</tbody></table>";
    } else if (!data_.info.ioc_files.empty()) {
      out_ += "<ul>";
      for (const std::string& f : data_.info.ioc_files) {
        out_ += "<li class=\"mono\">";
        e(fs::path(f).filename().string());
        out_ += "</li>";
      }
      out_ += "</ul><p class=\"muted\">";
      t(Msg::kIndicatorSetsFromInfo);
      out_ += "</p>";
    } else {
      out_ += "<p>";
      t(Msg::kIndicatorSetsNone);
      out_ += "</p>";
    }
    std::set<std::pair<std::string, std::string>> collections;
    for (const AlertView& a : data_.alerts) {
      for (const IndicatorCollection& c : a.collections) collections.emplace(c.name, c.file);
      if (a.collections.empty() && a.indicator && !a.ioc_name.empty()) {
        collections.emplace(a.ioc_name, a.ioc_file);
      }
    }
    if (!collections.empty()) {
      out_ += "<h3>";
      t(Msg::kCollectionsMatched);
      out_ += "</h3><ul>";
      for (const auto& [name, file] : collections) {
        out_ += "<li>";
        e(name);
        if (!file.empty()) {
          out_ += " <span class=\"muted mono\">(";
          e(file);
          out_ += ")</span>";
        }
        out_ += "</li>";
      }
      out_ += "</ul>";
    }
    out_ += "</section>\n";
  }

  void chart() {
    out_ += "<section id=\"activity\"><h2>";
    t(Msg::kChartHeading);
    out_ += "</h2>";
    const ChartResult c = render_chart(data_, modules_, lang_);
    if (c.svg.empty()) {
      out_ += "<p>";
      t(Msg::kChartNoEvents);
      out_ += "</p></section>\n";
      return;
    }
    out_ += "<p>";
    tf(Msg::kChartExplain,
       {c.days_per_bar == 1 ? std::string(text(lang_, Msg::kChartBucketDay))
                            : format(lang_, Msg::kChartBucketDays,
                                     {std::to_string(c.days_per_bar)})});
    out_ += "</p>";
    out_ += c.svg;
    std::set<std::string> present;
    for (const DayCount& d : data_.day_counts) present.insert(d.module);
    out_ += "<ul class=\"legend\">";
    // Same colour order as the chart: listed modules first, then the others sorted.
    std::size_t idx = 0;
    std::vector<std::string> order = modules_;
    for (const std::string& m : order) {
      const std::size_t colour = idx++;
      if (!present.count(m)) continue;
      out_ += fmt::format("<li><span class=\"sw\" style=\"background:{}\"></span>",
                          module_colour(colour));
      append_escaped_bounded(out_, m, 200);
      out_ += "</li>";
    }
    if (!data_.alerts.empty()) {
      out_ += "<li><span class=\"sw\" style=\"background:#c00\"></span>";
      t(Msg::kChartAlert);
      out_ += "</li>";
    }
    out_ += "</ul></section>\n";
  }

  void record_table(const json::Value& event) {
    out_ += "<table class=\"record\"><tbody>";
    if (event.is_object()) {
      std::size_t shown = 0;
      for (const json::Member& m : event.as_object()) {
        if (++shown > 100) break;
        out_ += "<tr><td>";
        e(m.key);
        out_ += "</td><td class=\"ev\">";
        e(m.value.is_string() ? m.value.as_string() : json::to_json_line(m.value));
        out_ += "</td></tr>";
      }
    } else if (!event.is_null()) {
      out_ += "<tr><td class=\"ev\">";
      e(json::to_json_line(event));
      out_ += "</td></tr>";
    }
    out_ += "</tbody></table>";
  }

  static Msg why_for(std::string_view type) {
    if (type == "domains") return Msg::kWhyDomain;
    if (type == "urls") return Msg::kWhyUrl;
    if (type == "processes") return Msg::kWhyProcess;
    if (type == "app_ids" || type == "app_cert_hashes") return Msg::kWhyAppId;
    if (type == "file_paths" || type == "file_names") return Msg::kWhyFilePath;
    if (type == "emails") return Msg::kWhyEmail;
    if (type == "ips") return Msg::kWhyIp;
    if (type.substr(0, 6) == "files_") return Msg::kWhyHash;
    return Msg::kWhyOther;
  }
  static Msg fp_for(std::string_view type) {
    if (type == "domains" || type == "urls" || type == "ips" || type == "emails") {
      return Msg::kFpDomain;
    }
    if (type == "processes") return Msg::kFpProcess;
    if (type == "app_ids" || type == "app_cert_hashes") return Msg::kFpAppId;
    if (type == "file_paths" || type == "file_names") return Msg::kFpFilePath;
    return Msg::kFpOther;
  }

  void alert_article(const AlertView& a, std::size_t n) {
    const std::string_view level = report::level_name(a.level);
    out_ += fmt::format("<article class=\"alert a-{0}\" id=\"alert-{1}\" data-level=\"{0}\">",
                        level, n);
    out_ += fmt::format("<p><span class=\"badge l-{0}\">{0}</span> <span class=\"badge\">", level);
    t(a.indicator ? Msg::kAlertKindIndicator : Msg::kAlertKindHeuristic);
    out_ += fmt::format("</span> <span class=\"muted\">#{}</span></p><h3>", n);
    e(a.message);
    out_ += "</h3><dl class=\"kv\">";
    kv(Msg::kEventTime, a.time ? format_mvt_time(*a.time) + " UTC"
                               : std::string(text(lang_, Msg::kUnknown)));
    kv(Msg::kModule, a.family.empty() ? a.module : a.module + " (" + a.family + ")");
    if (a.indicator) {
      kv(Msg::kIndicator, a.ioc_value);
      kv(Msg::kIndicatorType, a.ioc_type);
      if (!a.ioc_match.empty()) kv(Msg::kMatchKind, a.ioc_match);
      if (!a.ioc_observed.empty()) kv(Msg::kObservedValue, a.ioc_observed);
      if (!a.ioc_field.empty()) kv(Msg::kRecordField, a.ioc_field);
      std::string campaigns;
      for (const IndicatorCollection& c : a.collections) {
        if (!campaigns.empty()) campaigns += "; ";
        campaigns += c.name;
        if (!c.kind.empty()) campaigns += " (" + c.kind + ")";
      }
      kv(Msg::kCampaign, campaigns.empty() ? a.ioc_name : campaigns);
      kv(Msg::kIndicatorSource, a.ioc_file);
      if (!a.ioc_id.empty() || !a.ioc_pattern.empty()) {
        out_ += "<dt>";
        t(Msg::kIndicatorId);
        out_ += "</dt><dd class=\"mono\">";
        e(a.ioc_id);
        out_ += "<br>";
        e(a.ioc_pattern);
        out_ += "</dd>";
      }
    } else if (!a.heuristic.empty()) {
      kv(Msg::kHeuristicName, a.heuristic);
    }
    std::string where;
    if (!a.provenance_file.empty() || !a.provenance_locator.empty()) {
      where = a.provenance_file;
      if (!a.provenance_locator.empty()) where += (where.empty() ? "" : " \u00B7 ") + a.provenance_locator;
    } else {
      where = text(lang_, Msg::kProvenanceUnknown);
    }
    kv(Msg::kProvenance, where);
    out_ += "</dl>";
    if (a.outside_validity) {
      out_ += "<p><strong>";
      t(Msg::kOutsideValidity);
      out_ += "</strong></p>";
    }
    out_ += "<h4>";
    t(Msg::kEvidenceRecord);
    out_ += "</h4>";
    record_table(a.event);
    out_ += "<h4>";
    t(Msg::kWhyItMatters);
    out_ += "</h4><p>";
    t(a.indicator ? why_for(a.ioc_type) : Msg::kWhyHeuristic);
    out_ += "</p><h4>";
    t(Msg::kFalsePositive);
    out_ += "</h4><p>";
    if (!a.benign_explanation.empty()) {
      e(a.benign_explanation);
      out_ += " ";
    }
    t(a.indicator ? fp_for(a.ioc_type) : Msg::kFpHeuristic);
    out_ += "</p></article>\n";
  }

  void alerts() {
    out_ += "<section id=\"alerts\"><h2>";
    t(Msg::kAlertsHeading);
    out_ += "</h2>";
    if (data_.alerts.empty()) {
      out_ += "<p>";
      t(Msg::kAlertsNone);
      out_ += "</p>";
    }
    if (data_.alerts.size() > order_.size()) {
      out_ += "<p><strong>";
      tf(Msg::kAlertsTruncated,
         {std::to_string(order_.size()), std::to_string(data_.alerts.size())});
      out_ += "</strong></p>";
    }
    for (std::size_t n = 0; n < order_.size(); ++n) alert_article(data_.alerts[order_[n]], n + 1);
    out_ += "</section>\n";
  }

  void timeline() {
    out_ += "<section id=\"timeline\"><h2>";
    t(Msg::kTimelineHeading);
    out_ += "</h2><p>";
    if (data_.timeline_source.empty() && data_.alerts.empty()) {
      t(Msg::kTimelineEmpty);
      out_ += "</p></section>\n";
      return;
    }
    if (data_.alerts.empty()) {
      tf(Msg::kTimelineNoAlerts, {std::to_string(kMaxEventsWithoutAlerts)});
    } else {
      tf(Msg::kTimelineExplain, {std::to_string(kContextWindowMicros / 3600000000)});
    }
    out_ += "</p>";
    if (data_.total_events > data_.events.size()) {
      out_ += "<p class=\"muted\">";
      tf(Msg::kTimelineTruncated, {std::to_string(data_.events.size()),
                                   std::to_string(data_.total_events), data_.timeline_source});
      out_ += "</p>";
    }
    struct Row {
      UnixMicros time;
      int kind;  // 0 event, 1 alert: alerts follow the events of the same instant
      std::size_t index;
    };
    std::vector<Row> rows;
    for (std::size_t i = 0; i < data_.events.size(); ++i) rows.push_back({data_.events[i].time, 0, i});
    for (std::size_t i = 0; i < data_.alerts.size(); ++i) {
      if (data_.alerts[i].time && anchor_.count(i)) rows.push_back({*data_.alerts[i].time, 1, i});
    }
    std::stable_sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) {
      return a.time != b.time ? a.time < b.time : a.kind < b.kind;
    });
    std::set<std::string> row_modules;
    for (const Row& r : rows) {
      row_modules.insert(r.kind == 0 ? data_.events[r.index].module : data_.alerts[r.index].module);
    }
    // Filter bar: hidden until the script shows it, so the page never offers dead controls.
    out_ += "<div id=\"filters\" class=\"filters\" hidden><span>";
    t(Msg::kFilterModules);
    out_ += "</span>";
    for (const std::string& m : modules_) {
      if (!row_modules.count(m)) continue;
      out_ += "<label><input type=\"checkbox\" checked data-module=\"";
      append_escaped_bounded(out_, m, 200);
      out_ += "\"> ";
      append_escaped_bounded(out_, m, 200);
      out_ += "</label>";
    }
    out_ += "<label><input type=\"checkbox\" id=\"f-alerts\"> ";
    t(Msg::kFilterAlertsOnly);
    out_ += "</label><label>";
    t(Msg::kFilterText);
    out_ += " <input type=\"search\" id=\"f-text\"></label></div>";
    out_ += "<table><thead><tr><th>";
    t(Msg::kColTime);
    out_ += "</th><th>";
    t(Msg::kColModule);
    out_ += "</th><th>";
    t(Msg::kColEvent);
    out_ += "</th><th>";
    t(Msg::kColDetails);
    out_ += "</th><th>";
    t(Msg::kColSource);
    out_ += "</th></tr></thead><tbody>";
    for (const Row& r : rows) {
      if (r.kind == 0) {
        const TimelineEvent& ev = data_.events[r.index];
        out_ += "<tr data-module=\"";
        append_escaped_bounded(out_, ev.module, 200);
        out_ += "\"><td>";
        e(format_mvt_time(ev.time).substr(0, 19));
        out_ += "</td><td>";
        e(ev.module);
        out_ += "</td><td>";
        e(ev.kind);
        out_ += "</td><td class=\"ev\">";
        e(ev.message);
        out_ += "</td><td class=\"mono\">";
        e(ev.provenance_file);
        if (!ev.provenance_locator.empty()) {
          out_ += " \u00B7 ";
          e(ev.provenance_locator);
        }
        out_ += "</td></tr>";
      } else {
        const AlertView& a = data_.alerts[r.index];
        const std::string_view level = report::level_name(a.level);
        out_ += "<tr class=\"row-alert\" data-alert=\"";
        out_ += level;
        out_ += "\" data-module=\"";
        append_escaped_bounded(out_, a.module, 200);
        out_ += "\"><td>";
        e(format_mvt_time(r.time).substr(0, 19));
        out_ += "</td><td>";
        e(a.module);
        out_ += fmt::format("</td><td><span class=\"badge l-{0}\">{0}</span></td><td class=\"ev\">"
                            "<a href=\"#alert-{1}\">",
                            level, anchor_.at(r.index));
        e(a.message);
        out_ += "</a></td><td class=\"mono\">";
        e(a.provenance_file);
        if (!a.provenance_locator.empty()) {
          out_ += " \u00B7 ";
          e(a.provenance_locator);
        }
        out_ += "</td></tr>";
      }
    }
    out_ += "</tbody></table></section>\n";
  }

  void levels_and_glossary() {
    out_ += "<section id=\"levels\"><h2>";
    t(Msg::kLevelsHeading);
    out_ += "</h2><ul>";
    for (const Msg m : {Msg::kLevelCritical, Msg::kLevelHigh, Msg::kLevelMedium, Msg::kLevelLow,
                        Msg::kLevelInformational}) {
      out_ += "<li>";
      t(m);
      out_ += "</li>";
    }
    out_ += "</ul></section>\n<section id=\"glossary\"><h2>";
    t(Msg::kGlossaryHeading);
    out_ += "</h2><ul>";
    for (const Msg m : {Msg::kGlossIndicator, Msg::kGlossStix, Msg::kGlossModule,
                        Msg::kGlossHeuristic, Msg::kGlossFalsePositive, Msg::kGlossTimeline}) {
      out_ += "<li>";
      t(m);
      out_ += "</li>";
    }
    out_ += "</ul></section>\n";
  }

  void notes() {
    if (data_.notes.empty()) return;
    out_ += "<section id=\"notes\"><h2>";
    t(Msg::kNotesHeading);
    out_ += "</h2><ul>";
    for (const std::string& n : data_.notes) {
      out_ += "<li>";
      e(n);
      out_ += "</li>";
    }
    out_ += "</ul></section>\n";
  }

  const ReportData& data_;
  Lang lang_;
  std::string out_;
  std::vector<std::string> modules_;
  std::vector<std::size_t> order_;             // alerts shown, in display order
  std::map<std::size_t, std::size_t> anchor_;  // alert index -> its number on the page
};

}  // namespace

std::string_view report_script() { return kScript; }

std::string report_script_csp_hash() {
  const std::string hex = manifest::sha256_hex(kScript);
  unsigned char digest[32];
  const auto nibble = [](char c) {
    return static_cast<unsigned>(c <= '9' ? c - '0' : c - 'a' + 10);
  };
  for (std::size_t i = 0; i < 32; ++i) {
    digest[i] = static_cast<unsigned char>(nibble(hex[2 * i]) << 4 | nibble(hex[2 * i + 1]));
  }
  return "'sha256-" + base64(digest, sizeof digest) + "'";
}

std::string render_report(const ReportData& data, const RenderOptions& options) {
  return Page(data, options.lang).render();
}

Result<void> write_report(const fs::path& out_dir, const RenderOptions& options,
                          TimelineCollector* timeline) {
  auto data = read_output_folder(out_dir, timeline);
  if (!data) return tl::unexpected(data.error());
  const std::string page = render_report(*data, options);
  const fs::path final_path = out_dir / kReportFileName;
  const fs::path tmp = out_dir / ".report.html.tmp";
  {
    std::FILE* f = std::fopen(tmp.c_str(), "wb");
    if (f == nullptr) return make_error(ErrorCode::kIo, "cannot create " + tmp.string());
    const bool ok = std::fwrite(page.data(), 1, page.size(), f) == page.size();
    const bool closed = std::fclose(f) == 0;
    if (!ok || !closed) {
      std::error_code ec;
      fs::remove(tmp, ec);
      return make_error(ErrorCode::kIo, "cannot write " + tmp.string());
    }
  }
  std::error_code ec;
  fs::rename(tmp, final_path, ec);
  if (ec) {
    fs::remove(tmp, ec);
    return make_error(ErrorCode::kIo, "cannot write " + final_path.string());
  }
  return {};
}

}  // namespace spyglass::html
