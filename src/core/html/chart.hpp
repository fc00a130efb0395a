#pragma once
// The picture before the details: an inline SVG of evidence events over time (stacked bars
// per day, or per N days for long spans, coloured by module) with the alerts marked, so a
// reader sees at a glance when the suspicious activity happened and what surrounded it.
#include <string>
#include <vector>

#include "core/html/i18n.hpp"
#include "core/html/output_folder.hpp"

namespace spyglass::html {

// At most this many bars; longer spans group several days per bar.
inline constexpr std::int64_t kMaxChartBars = 240;

// A fixed palette (Okabe-Ito, colour-blind safe, then darker extras); module i gets
// kModuleColours[i % size].
std::string_view module_colour(std::size_t index);

struct ChartResult {
  std::string svg;                  // "" when there is nothing to draw
  std::int64_t days_per_bar = 1;
};

// `modules` gives the colour order; a module in day_counts but not in `modules` gets the
// colour after the listed ones, in first-seen order. Deterministic for the same input.
ChartResult render_chart(const ReportData& data, const std::vector<std::string>& modules,
                         Lang lang);

}  // namespace spyglass::html
