#include "core/html/chart.hpp"

#include <algorithm>
#include <array>
#include <map>

#include <fmt/format.h>

#include "core/html/escape.hpp"

namespace spyglass::html {
namespace {

constexpr std::array<std::string_view, 12> kModuleColours = {
    "#0072B2", "#E69F00", "#009E73", "#56B4E9", "#CC79A7", "#F0E442",
    "#7F5F00", "#5F5F9F", "#3F7F3F", "#9F5F7F", "#4F4F4F", "#BFBF3F"};

constexpr std::int64_t kMicrosPerDay = std::int64_t{86400} * 1000000;
constexpr int kWidth = 1000;
constexpr int kHeight = 260;
constexpr int kLeft = 56;
constexpr int kRight = 16;
constexpr int kTop = 28;
constexpr int kBottom = 40;

std::int64_t day_of(UnixMicros t) {
  return t >= 0 ? t / kMicrosPerDay : -((-t + kMicrosPerDay - 1) / kMicrosPerDay);
}

std::string date_text(std::int64_t day) { return format_iso_time(day * kMicrosPerDay).substr(0, 10); }

}  // namespace

std::string_view module_colour(std::size_t index) {
  return kModuleColours[index % kModuleColours.size()];
}

ChartResult render_chart(const ReportData& data, const std::vector<std::string>& modules,
                         Lang lang) {
  ChartResult result;
  std::vector<UnixMicros> alert_times;
  for (const AlertView& a : data.alerts) {
    if (a.time) alert_times.push_back(*a.time);
  }
  if (data.day_counts.empty() && alert_times.empty()) return result;

  std::int64_t first = INT64_MAX;
  std::int64_t last = INT64_MIN;
  for (const DayCount& d : data.day_counts) {
    first = std::min(first, d.day);
    last = std::max(last, d.day);
  }
  for (const UnixMicros t : alert_times) {
    first = std::min(first, day_of(t));
    last = std::max(last, day_of(t));
  }
  const std::int64_t span = last - first + 1;
  const std::int64_t per_bar = std::max<std::int64_t>(1, (span + kMaxChartBars - 1) / kMaxChartBars);
  const std::int64_t bars = (span + per_bar - 1) / per_bar;
  result.days_per_bar = per_bar;

  std::map<std::string, std::size_t> colour_of;
  for (const std::string& m : modules) colour_of.emplace(m, colour_of.size());
  // bar -> module colour index -> count; modules stack in colour order.
  std::map<std::int64_t, std::map<std::size_t, std::pair<std::string, std::uint64_t>>> stacks;
  for (const DayCount& d : data.day_counts) {
    const auto [it, inserted] = colour_of.emplace(d.module, colour_of.size());
    auto& slot = stacks[(d.day - first) / per_bar][it->second];
    slot.first = d.module;
    slot.second += d.count;
  }
  std::uint64_t max_total = 1;
  for (const auto& [bar, per_module] : stacks) {
    std::uint64_t total = 0;
    for (const auto& [idx, mc] : per_module) total += mc.second;
    max_total = std::max(max_total, total);
  }

  const double plot_w = kWidth - kLeft - kRight;
  const double plot_h = kHeight - kTop - kBottom;
  const double bar_w = plot_w / static_cast<double>(bars);
  const double gap = bar_w > 4 ? 1.0 : 0.0;
  std::string& s = result.svg;
  const std::string bucket =
      per_bar == 1 ? std::string(text(lang, Msg::kChartBucketDay))
                   : format(lang, Msg::kChartBucketDays, {std::to_string(per_bar)});
  s += fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" viewBox=\"0 0 {} {}\" "
      "role=\"img\" aria-label=\"",
      kWidth, kHeight);
  append_escaped(s, format(lang, Msg::kChartExplain, {bucket}));
  s += "\">";
  // Axes and the y scale (0 and the maximum per bar).
  s += fmt::format(
      "<line x1=\"{0}\" y1=\"{1}\" x2=\"{2}\" y2=\"{1}\" class=\"axis\"/>"
      "<line x1=\"{0}\" y1=\"{3}\" x2=\"{0}\" y2=\"{1}\" class=\"axis\"/>"
      "<text x=\"{4}\" y=\"{1}\" class=\"ylab\">0</text>"
      "<text x=\"{4}\" y=\"{5}\" class=\"ylab\">{6}</text>",
      kLeft, kTop + plot_h, kLeft + plot_w, kTop, kLeft - 6, kTop + 10, max_total);
  for (const auto& [bar, per_module] : stacks) {
    const double x = kLeft + static_cast<double>(bar) * bar_w;
    double y = kTop + plot_h;
    const std::int64_t day0 = first + bar * per_bar;
    for (const auto& [idx, mc] : per_module) {
      const double h = plot_h * static_cast<double>(mc.second) / static_cast<double>(max_total);
      y -= h;
      s += fmt::format(
          "<rect x=\"{:.2f}\" y=\"{:.2f}\" width=\"{:.2f}\" height=\"{:.2f}\" fill=\"{}\"><title>",
          x, y, std::max(bar_w - gap, 0.5), h, module_colour(idx));
      append_escaped(s, date_text(day0));
      if (per_bar > 1) {
        s += " \u2013 ";
        append_escaped(s, date_text(day0 + per_bar - 1));
      }
      s += " \u00B7 ";
      append_escaped_bounded(s, mc.first, 200);
      s += fmt::format(": {}</title></rect>", mc.second);
    }
  }
  // Date labels: about six, on bar boundaries.
  const std::int64_t label_every = std::max<std::int64_t>(1, (bars + 5) / 6);
  for (std::int64_t b = 0; b < bars; b += label_every) {
    const double x = kLeft + (static_cast<double>(b) + 0.5) * bar_w;
    s += fmt::format("<text x=\"{:.2f}\" y=\"{}\" class=\"xlab\">{}</text>", x,
                     kTop + plot_h + 16, date_text(first + b * per_bar));
  }
  // Alerts: one marker per bar holding alerts, at the bar's centre, with the count.
  std::map<std::int64_t, std::size_t> alerts_per_bar;
  for (const UnixMicros t : alert_times) ++alerts_per_bar[(day_of(t) - first) / per_bar];
  for (const auto& [bar, n] : alerts_per_bar) {
    const double x = kLeft + (static_cast<double>(bar) + 0.5) * bar_w;
    s += fmt::format(
        "<g class=\"alert-mark\"><line x1=\"{0:.2f}\" y1=\"{1}\" x2=\"{0:.2f}\" y2=\"{2}\"/>"
        "<path d=\"M{3:.2f} {4} L{5:.2f} {4} L{0:.2f} {1} Z\"/><title>{6} \u00D7 {7} \u00B7 {8}"
        "</title></g>",
        x, kTop, kTop + plot_h, x - 6, kTop - 12, x + 6, n,
        escape(text(lang, Msg::kChartAlert)), date_text(first + bar * per_bar));
  }
  s += "</svg>";
  return result;
}

}  // namespace spyglass::html
