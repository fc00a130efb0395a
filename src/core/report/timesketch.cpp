#include "core/report/timesketch.hpp"

#include <algorithm>
#include <charconv>
#include <map>

#include "formats/csv/csv_writer.hpp"
#include "formats/json/json_writer.hpp"

namespace spyglass::report {
namespace {

struct Line {
  UnixMicros time;
  std::size_t module_rank;
  std::size_t emission;
  json::Value value;
};

std::string str_member(const json::Value& v, std::string_view key) {
  const json::Value* m = v.is_object() ? v.find(key) : nullptr;
  return m != nullptr && m->is_string() ? m->as_string() : std::string();
}

}  // namespace

TimelineEntry timeline_entry(const TimelineRow& row, std::string_view slug,
                             std::string_view family, Provenance provenance) {
  return {row.time,      std::string(slug),  std::string(family),
          row.event,     row.description,    std::move(provenance)};
}

json::Value timeline_event_json(const TimelineEntry& e) {
  return json::obj({{"message", e.description},
                    {"datetime", format_iso_time(e.time)},
                    {"timestamp", e.time},
                    {"timestamp_desc", e.event},
                    {"module", e.module},
                    {"family", e.family},
                    {"provenance_file", e.provenance.file},
                    {"provenance_locator", e.provenance.locator}});
}

void append_timeline_event_line(std::string& out, UnixMicros time, std::string_view event,
                                std::string_view description, std::string_view module,
                                std::string_view family, const Provenance& provenance) {
  out += "{\"message\": ";
  json::append_json_string(out, description);
  out += ", \"datetime\": \"";
  out += format_iso_time(time);  // digits and punctuation only: nothing to escape
  out += "\", \"timestamp\": ";
  char digits[24];
  const auto end = std::to_chars(digits, digits + sizeof digits, time).ptr;
  out.append(digits, end);
  out += ", \"timestamp_desc\": ";
  json::append_json_string(out, event);
  out += ", \"module\": ";
  json::append_json_string(out, module);
  out += ", \"family\": ";
  json::append_json_string(out, family);
  out += ", \"provenance_file\": ";
  json::append_json_string(out, provenance.file);
  out += ", \"provenance_locator\": ";
  json::append_json_string(out, provenance.locator);
  out += '}';
}

void append_timeline_csv_row(std::string& out, UnixMicros time, std::string_view plugin,
                             std::string_view event, std::string_view description) {
  csv::append_field(out, format_mvt_time(time));
  out.push_back(',');
  csv::append_field(out, plugin);
  out.push_back(',');
  csv::append_field(out, event);
  out.push_back(',');
  csv::append_field(out, description);
  out += "\r\n";
}

std::optional<json::Value> timeline_alert_json(const Alert& a) {
  if (!a.event_time) return std::nullopt;
  std::string collection;
  if (const json::Value* cols = a.matched_indicator.is_object()
                                    ? a.matched_indicator.find("collections")
                                    : nullptr;
      cols != nullptr && cols->is_array()) {
    for (const json::Value& c : cols->as_array()) {
      const std::string name = str_member(c, "name");
      if (name.empty()) continue;
      if (!collection.empty()) collection += ", ";
      collection += name;
    }
  }
  if (collection.empty()) collection = str_member(a.matched_indicator, "name");
  return json::obj(
      {{"message", a.message},
       {"datetime", format_iso_time(*a.event_time)},
       {"timestamp", *a.event_time},
       {"timestamp_desc", a.is_indicator_match() ? "Indicator match" : "Heuristic alert"},
       {"module", a.module},
       {"family", a.family},
       {"provenance_file", a.provenance.file},
       {"provenance_locator", a.provenance.locator},
       {"alert_level", level_name(a.level)},
       {"indicator", str_member(a.matched_indicator, "value")},
       {"indicator_type", str_member(a.matched_indicator, "type")},
       {"collection", collection}});
}

std::string timeline_jsonl(const std::vector<TimelineEntry>& events,
                           const std::vector<const Alert*>& alerts,
                           const std::vector<std::string>& module_order) {
  std::map<std::string, std::size_t> rank;
  for (const std::string& m : module_order) rank.emplace(m, rank.size());
  const auto rank_of = [&](const std::string& m) {
    return rank.emplace(m, rank.size()).first->second;
  };
  std::vector<Line> lines;
  lines.reserve(events.size() + alerts.size());
  for (const TimelineEntry& e : events) {
    lines.push_back({e.time, rank_of(e.module), lines.size(), timeline_event_json(e)});
  }
  for (const Alert* a : alerts) {
    if (a == nullptr) continue;
    auto v = timeline_alert_json(*a);
    if (!v) continue;
    lines.push_back({*a->event_time, rank_of(a->module), lines.size(), std::move(*v)});
  }
  std::sort(lines.begin(), lines.end(), [](const Line& x, const Line& y) {
    if (x.time != y.time) return x.time < y.time;
    if (x.module_rank != y.module_rank) return x.module_rank < y.module_rank;
    return x.emission < y.emission;
  });
  std::string out;
  for (const Line& l : lines) {
    out += json::to_json_line(l.value);
    out += '\n';
  }
  return out;
}

Result<void> write_timeline_jsonl(const std::filesystem::path& path,
                                  const std::vector<TimelineEntry>& events,
                                  const std::vector<const Alert*>& alerts,
                                  const std::vector<std::string>& module_order) {
  return write_text_file(path, timeline_jsonl(events, alerts, module_order));
}

}  // namespace spyglass::report
