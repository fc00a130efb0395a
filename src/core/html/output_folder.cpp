#include "core/html/output_folder.hpp"

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <map>

#include <simdjson.h>

#include "core/manifest/manifest.hpp"

namespace spyglass::html {
namespace fs = std::filesystem;
namespace {

using simdjson::dom::element;
using simdjson::dom::element_type;

Error malformed(std::string_view file, std::string_view what) {
  return Error(ErrorCode::kMalformed, std::string(file) + ": " + std::string(what));
}

// The whole file, refusing anything larger than `limit` or not a regular file.
Result<std::string> read_bounded(const fs::path& path, std::size_t limit) {
  std::error_code ec;
  const fs::file_status st = fs::symlink_status(path, ec);
  if (ec || !fs::exists(st)) return make_error(ErrorCode::kNotFound, path.string() + " not found");
  if (!fs::is_regular_file(st)) {
    return make_error(ErrorCode::kUnsupported, path.string() + " is not a regular file");
  }
  const auto size = fs::file_size(path, ec);
  if (ec) return make_error(ErrorCode::kIo, "cannot read " + path.string());
  if (size > limit) {
    return make_error(ErrorCode::kLimitExceeded,
                      path.string() + " is larger than " + std::to_string(limit) + " bytes");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return make_error(ErrorCode::kIo, "cannot open " + path.string() + ": " + std::strerror(errno));
  std::string bytes(static_cast<std::size_t>(size), '\0');
  in.read(bytes.data(), static_cast<std::streamsize>(size));
  if (static_cast<std::uint64_t>(in.gcount()) != size) {
    return make_error(ErrorCode::kIo, "short read on " + path.string());
  }
  return bytes;
}

json::Value to_value(element e, int depth) {
  if (depth > kMaxJsonDepth) return json::Value("\u2026");
  switch (e.type()) {
    case element_type::ARRAY: {
      json::Value out = json::Value::array();
      // Named, not a temporary: the range must outlive the loop.
      const simdjson::dom::array items = e.get_array().value_unsafe();
      for (element item : items) out.push_back(to_value(item, depth + 1));
      return out;
    }
    case element_type::OBJECT: {
      json::Value out = json::Value::object();
      const simdjson::dom::object fields = e.get_object().value_unsafe();
      for (auto field : fields) {
        // Duplicate keys keep the last value; set() replaces.
        out.set(field.key, to_value(field.value, depth + 1));
      }
      return out;
    }
    case element_type::INT64: return json::Value(e.get_int64().value_unsafe());
    case element_type::UINT64: return json::Value(static_cast<double>(e.get_uint64().value_unsafe()));
    case element_type::DOUBLE: return json::Value(e.get_double().value_unsafe());
    case element_type::STRING: return json::Value(e.get_string().value_unsafe());
    case element_type::BOOL: return json::Value(e.get_bool().value_unsafe());
    case element_type::NULL_VALUE: return json::Value(nullptr);
  }
  return json::Value(nullptr);
}

// A string member, "" when absent or null; an error when of another type.
Result<std::string> str_field(simdjson::dom::object o, std::string_view key,
                              std::string_view where) {
  element v;
  if (o.at_key(key).get(v) != simdjson::SUCCESS || v.is_null()) return std::string();
  std::string_view s;
  if (v.get_string().get(s) != simdjson::SUCCESS) {
    return tl::unexpected(malformed(where, "\"" + std::string(key) + "\" must be a string"));
  }
  return std::string(s);
}

std::optional<report::AlertLevel> parse_level(std::string_view name) {
  for (const report::AlertLevel l : report::kAllAlertLevels) {
    if (report::level_name(l) == name) return l;
  }
  return std::nullopt;
}

Result<element> parse_doc(simdjson::dom::parser& parser, const simdjson::padded_string& padded,
                          std::string_view file) {
  element root;
  if (const auto err = parser.parse(padded).get(root); err != simdjson::SUCCESS) {
    return tl::unexpected(
        malformed(file, std::string("not valid JSON (") + simdjson::error_message(err) + ")"));
  }
  return root;
}

std::int64_t floor_day(UnixMicros t) {
  constexpr std::int64_t kDay = std::int64_t{86400} * 1000000;
  return t >= 0 ? t / kDay : -((-t + kDay - 1) / kDay);
}

}  // namespace

Result<ScanInfo> parse_info_json(std::string_view bytes) {
  constexpr std::string_view kFile = "info.json";
  if (bytes.size() > kMaxInfoBytes) return tl::unexpected(malformed(kFile, "too large"));
  simdjson::dom::parser parser;
  const simdjson::padded_string padded(bytes);
  auto root = parse_doc(parser, padded, kFile);
  if (!root) return tl::unexpected(root.error());
  simdjson::dom::object o;
  if (root->get_object().get(o) != simdjson::SUCCESS) {
    return tl::unexpected(malformed(kFile, "must be a JSON object"));
  }
  ScanInfo info;
  for (auto [key, dest] : {std::pair<std::string_view, std::string*>{"target_path", &info.target_path},
                           {"spyglass_version", &info.tool_version},
                           {"date", &info.date},
                           {"command", &info.command}}) {
    auto s = str_field(o, key, kFile);
    if (!s) return tl::unexpected(s.error());
    *dest = std::move(*s);
  }
  simdjson::dom::array arr;
  if (o.at_key("ioc_files").get_array().get(arr) == simdjson::SUCCESS) {
    for (element f : arr) {
      std::string_view s;
      if (f.get_string().get(s) != simdjson::SUCCESS) {
        return tl::unexpected(malformed(kFile, "\"ioc_files\" must hold strings"));
      }
      info.ioc_files.emplace_back(s);
    }
  }
  if (o.at_key("modules").get_array().get(arr) == simdjson::SUCCESS) {
    for (element m : arr) {
      simdjson::dom::object mo;
      if (m.get_object().get(mo) != simdjson::SUCCESS) {
        return tl::unexpected(malformed(kFile, "\"modules\" must hold objects"));
      }
      ModuleRun run;
      for (auto [key, dest] : {std::pair<std::string_view, std::string*>{"slug", &run.slug},
                               {"family", &run.family},
                               {"status", &run.status},
                               {"error", &run.error}}) {
        auto s = str_field(mo, key, kFile);
        if (!s) return tl::unexpected(s.error());
        *dest = std::move(*s);
      }
      std::int64_t n = 0;
      if (mo.at_key("records").get_int64().get(n) == simdjson::SUCCESS) run.records = n;
      info.modules.push_back(std::move(run));
    }
  }
  simdjson::dom::object device;
  if (o.at_key("device").get_object().get(device) == simdjson::SUCCESS) {
    for (auto field : device) {
      std::string_view s;
      if (field.value.get_string().get(s) == simdjson::SUCCESS) {
        info.device.emplace_back(std::string(field.key), std::string(s));
      }
    }
  }
  return info;
}

Result<std::vector<AlertView>> parse_alerts_json(std::string_view bytes) {
  constexpr std::string_view kFile = "alerts.json";
  if (bytes.size() > kMaxAlertsBytes) return tl::unexpected(malformed(kFile, "too large"));
  simdjson::dom::parser parser(std::max<std::size_t>(bytes.size(), 4096));
  const simdjson::padded_string padded(bytes);
  auto root = parse_doc(parser, padded, kFile);
  if (!root) return tl::unexpected(root.error());
  simdjson::dom::array arr;
  if (root->get_array().get(arr) != simdjson::SUCCESS) {
    return tl::unexpected(malformed(kFile, "must be a JSON array"));
  }
  std::vector<AlertView> out;
  std::size_t index = 0;
  for (element item : arr) {
    const std::string where = std::string(kFile) + " alert " + std::to_string(index++);
    simdjson::dom::object o;
    if (item.get_object().get(o) != simdjson::SUCCESS) {
      return tl::unexpected(malformed(where, "must be an object"));
    }
    AlertView a;
    auto level = str_field(o, "level", where);
    if (!level) return tl::unexpected(level.error());
    const auto parsed_level = parse_level(*level);
    if (!parsed_level) return tl::unexpected(malformed(where, "unknown level"));
    a.level = *parsed_level;
    for (auto [key, dest] : {std::pair<std::string_view, std::string*>{"module", &a.module},
                             {"family", &a.family},
                             {"message", &a.message},
                             {"heuristic", &a.heuristic},
                             {"benign_explanation", &a.benign_explanation}}) {
      auto s = str_field(o, key, where);
      if (!s) return tl::unexpected(s.error());
      *dest = std::move(*s);
    }
    auto time_text = str_field(o, "event_time", where);
    if (!time_text) return tl::unexpected(time_text.error());
    if (!time_text->empty()) {
      a.time = parse_mvt_time(*time_text);
      if (!a.time) return tl::unexpected(malformed(where, "bad \"event_time\""));
    }
    element ev;
    a.event = o.at_key("event").get(ev) == simdjson::SUCCESS ? to_value(ev, 0) : json::Value();
    element mi;
    if (o.at_key("matched_indicator").get(mi) == simdjson::SUCCESS && !mi.is_null()) {
      simdjson::dom::object mo;
      if (mi.get_object().get(mo) != simdjson::SUCCESS) {
        return tl::unexpected(malformed(where, "\"matched_indicator\" must be an object"));
      }
      a.indicator = true;
      for (auto [key, dest] : {std::pair<std::string_view, std::string*>{"value", &a.ioc_value},
                               {"type", &a.ioc_type},
                               {"name", &a.ioc_name},
                               {"stix2_file_name", &a.ioc_file},
                               {"id", &a.ioc_id},
                               {"pattern", &a.ioc_pattern},
                               {"match", &a.ioc_match},
                               {"observed", &a.ioc_observed},
                               {"field", &a.ioc_field}}) {
        auto s = str_field(mo, key, where);
        if (!s) return tl::unexpected(s.error());
        *dest = std::move(*s);
      }
      bool outside = false;
      if (mo.at_key("outside_validity").get_bool().get(outside) == simdjson::SUCCESS) {
        a.outside_validity = outside;
      }
      simdjson::dom::array cols;
      if (mo.at_key("collections").get_array().get(cols) == simdjson::SUCCESS) {
        for (element c : cols) {
          simdjson::dom::object co;
          if (c.get_object().get(co) != simdjson::SUCCESS) continue;
          IndicatorCollection col;
          for (auto [key, dest] : {std::pair<std::string_view, std::string*>{"name", &col.name},
                                   {"kind", &col.kind},
                                   {"id", &col.id},
                                   {"stix2_file_name", &col.file}}) {
            auto s = str_field(co, key, where);
            if (!s) return tl::unexpected(s.error());
            *dest = std::move(*s);
          }
          a.collections.push_back(std::move(col));
        }
      }
    }
    element prov;
    if (o.at_key("provenance").get(prov) == simdjson::SUCCESS && !prov.is_null()) {
      simdjson::dom::object po;
      if (prov.get_object().get(po) != simdjson::SUCCESS) {
        return tl::unexpected(malformed(where, "\"provenance\" must be an object or null"));
      }
      auto f = str_field(po, "file", where);
      auto l = str_field(po, "locator", where);
      if (!f) return tl::unexpected(f.error());
      if (!l) return tl::unexpected(l.error());
      a.provenance_file = std::move(*f);
      a.provenance_locator = std::move(*l);
    }
    out.push_back(std::move(a));
  }
  return out;
}

Result<std::optional<TimelineEvent>> parse_timeline_jsonl_line(std::string_view line) {
  constexpr std::string_view kFile = "timeline.jsonl";
  if (line.size() > kMaxTimelineLineBytes) {
    return tl::unexpected(malformed(kFile, "line too long"));
  }
  simdjson::dom::parser parser;
  const simdjson::padded_string padded(line);
  auto root = parse_doc(parser, padded, kFile);
  if (!root) return tl::unexpected(root.error());
  simdjson::dom::object o;
  if (root->get_object().get(o) != simdjson::SUCCESS) {
    return tl::unexpected(malformed(kFile, "a line must be a JSON object"));
  }
  element level;
  if (o.at_key("alert_level").get(level) == simdjson::SUCCESS) return std::nullopt;
  TimelineEvent ev;
  auto datetime = str_field(o, "datetime", kFile);
  if (!datetime) return tl::unexpected(datetime.error());
  const auto t = parse_iso_time(*datetime);
  if (!t) return tl::unexpected(malformed(kFile, "bad \"datetime\""));
  ev.time = *t;
  for (auto [key, dest] : {std::pair<std::string_view, std::string*>{"module", &ev.module},
                           {"family", &ev.family},
                           {"timestamp_desc", &ev.kind},
                           {"message", &ev.message},
                           {"provenance_file", &ev.provenance_file},
                           {"provenance_locator", &ev.provenance_locator}}) {
    auto s = str_field(o, key, kFile);
    if (!s) return tl::unexpected(s.error());
    *dest = std::move(*s);
  }
  return std::optional<TimelineEvent>(std::move(ev));
}

std::optional<UnixMicros> parse_mvt_time(std::string_view text) {
  // Fixed layout: YYYY-MM-DD HH:MM:SS then optionally .f{1,6}.
  if (text.size() < 19 || text[4] != '-' || text[7] != '-' || text[10] != ' ' ||
      text[13] != ':' || text[16] != ':') {
    return std::nullopt;
  }
  std::string iso(text);
  iso[10] = 'T';
  iso += 'Z';
  return parse_iso_time(iso);
}

Result<std::vector<TimelineEvent>> parse_timeline_csv(std::string_view bytes) {
  constexpr std::string_view kFile = "timeline.csv";
  std::vector<TimelineEvent> out;
  std::vector<std::string> row;
  std::string field;
  std::size_t pos = 0;
  bool header = true;
  std::size_t line = 1;
  while (pos < bytes.size()) {
    row.clear();
    // One row: quoted fields separated by commas, ending with \r\n or \n.
    while (true) {
      if (pos >= bytes.size() || bytes[pos] != '"') {
        return tl::unexpected(malformed(kFile, "line " + std::to_string(line) +
                                                   ": expected a quoted field"));
      }
      ++pos;
      field.clear();
      bool closed = false;
      while (pos < bytes.size()) {
        const char c = bytes[pos];
        if (c == '\\' && pos + 1 < bytes.size()) {
          field += bytes[pos + 1];
          pos += 2;
        } else if (c == '"') {
          if (pos + 1 < bytes.size() && bytes[pos + 1] == '"') {
            field += '"';
            pos += 2;
          } else {
            ++pos;
            closed = true;
            break;
          }
        } else {
          if (c == '\n') ++line;
          field += c;
          ++pos;
        }
      }
      if (!closed) return tl::unexpected(malformed(kFile, "unterminated quoted field"));
      row.push_back(field);
      if (pos < bytes.size() && bytes[pos] == ',') {
        ++pos;
        continue;
      }
      if (pos < bytes.size() && bytes[pos] == '\r') ++pos;
      if (pos < bytes.size() && bytes[pos] != '\n') {
        return tl::unexpected(
            malformed(kFile, "line " + std::to_string(line) + ": junk after a field"));
      }
      ++pos;
      ++line;
      break;
    }
    if (row.size() != 4) {
      return tl::unexpected(malformed(kFile, "line " + std::to_string(line - 1) +
                                                 ": expected 4 fields"));
    }
    if (header) {
      header = false;
      continue;
    }
    const auto t = parse_mvt_time(row[0]);
    if (!t) {
      return tl::unexpected(malformed(kFile, "line " + std::to_string(line - 1) + ": bad time"));
    }
    TimelineEvent ev;
    ev.time = *t;
    ev.module = std::move(row[1]);
    ev.kind = std::move(row[2]);
    ev.message = std::move(row[3]);
    out.push_back(std::move(ev));
  }
  return out;
}

TimelineCollector::TimelineCollector(std::vector<UnixMicros> alert_times)
    : alert_times_(std::move(alert_times)) {
  std::sort(alert_times_.begin(), alert_times_.end());
}

bool TimelineCollector::keep(UnixMicros t) const {
  if (alert_times_.empty()) return events_.size() < kMaxEventsWithoutAlerts;
  if (events_.size() >= kMaxContextEvents) return false;
  const auto it =
      std::lower_bound(alert_times_.begin(), alert_times_.end(), t - kContextWindowMicros);
  return it != alert_times_.end() && *it <= t + kContextWindowMicros;
}

void TimelineCollector::count(UnixMicros t, std::string_view module) {
  ++total_;
  if (!first_time_ || t < *first_time_) first_time_ = t;
  if (!last_time_ || t > *last_time_) last_time_ = t;
  const std::int64_t day = floor_day(t);
  // Lines come mostly in time order, runs of one module: the last counter usually serves.
  if (last_count_ == nullptr || day != last_day_ || module != last_module_) {
    last_count_ = &counts_[{day, std::string(module)}];
    last_day_ = day;
    last_module_ = module;
  }
  ++*last_count_;
}

void TimelineCollector::add(TimelineEvent ev) {
  count(ev.time, ev.module);
  if (keep(ev.time)) events_.push_back(std::move(ev));
}

Result<void> TimelineCollector::add_line(UnixMicros time, std::string_view slug,
                                         std::string_view line) {
  if (!keep(time)) {
    count(time, slug);
    return {};
  }
  auto ev = parse_timeline_jsonl_line(line);
  if (!ev) return tl::unexpected(ev.error());
  if (*ev) add(std::move(**ev));
  return {};
}

void TimelineCollector::finish_into(ReportData& data) {
  data.total_events += total_;
  if (first_time_ && (!data.first_time || *first_time_ < *data.first_time)) {
    data.first_time = first_time_;
  }
  if (last_time_ && (!data.last_time || *last_time_ > *data.last_time)) {
    data.last_time = last_time_;
  }
  for (const auto& [key, n] : counts_) data.day_counts.push_back({key.first, key.second, n});
  std::stable_sort(events_.begin(), events_.end(),
                   [](const TimelineEvent& a, const TimelineEvent& b) { return a.time < b.time; });
  for (TimelineEvent& ev : events_) data.events.push_back(std::move(ev));
  events_.clear();
  counts_.clear();
  last_count_ = nullptr;
}

namespace {

Result<void> read_timeline_jsonl(const fs::path& path, TimelineCollector& collector) {
  std::error_code ec;
  const auto size = fs::file_size(path, ec);
  if (ec) return make_error(ErrorCode::kIo, "cannot read " + path.string());
  if (size > kMaxTimelineBytes) {
    return make_error(ErrorCode::kLimitExceeded, path.string() + " is too large");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return make_error(ErrorCode::kIo, "cannot open " + path.string());
  std::string pending;
  std::array<char, 1 << 16> chunk{};
  std::size_t line_no = 0;
  const auto take_line = [&](std::string_view line) -> Result<void> {
    ++line_no;
    if (line.empty()) return {};
    auto ev = parse_timeline_jsonl_line(line);
    if (!ev) {
      return make_error(ev.error().code,
                        ev.error().message + " (line " + std::to_string(line_no) + ")");
    }
    if (*ev) collector.add(std::move(**ev));
    return {};
  };
  while (in) {
    in.read(chunk.data(), static_cast<std::streamsize>(chunk.size()));
    const auto got = static_cast<std::size_t>(in.gcount());
    if (got == 0) break;
    std::size_t start = 0;
    for (std::size_t i = 0; i < got; ++i) {
      if (chunk[i] != '\n') continue;
      pending.append(chunk.data() + start, i - start);
      if (auto r = take_line(pending); !r) return r;
      pending.clear();
      start = i + 1;
    }
    pending.append(chunk.data() + start, got - start);
    if (pending.size() > kMaxTimelineLineBytes) {
      return make_error(ErrorCode::kLimitExceeded, "timeline.jsonl: line too long");
    }
  }
  if (in.bad()) return make_error(ErrorCode::kIo, "cannot read " + path.string());
  return take_line(pending);
}

}  // namespace

Result<ReportData> read_output_folder(const fs::path& out_dir, TimelineCollector* timeline) {
  std::error_code ec;
  if (!fs::is_directory(out_dir, ec)) {
    return make_error(ErrorCode::kNotFound, out_dir.string() + " is not a folder");
  }
  ReportData data;
  if (auto bytes = read_bounded(out_dir / "info.json", kMaxInfoBytes); bytes) {
    auto info = parse_info_json(*bytes);
    if (!info) return tl::unexpected(info.error());
    data.info = std::move(*info);
    data.has_info = true;
  } else if (bytes.error().code == ErrorCode::kNotFound) {
    data.notes.push_back("info.json is missing");
  } else {
    return tl::unexpected(bytes.error());
  }

  if (auto bytes = read_bounded(out_dir / "alerts.json", kMaxAlertsBytes); bytes) {
    auto alerts = parse_alerts_json(*bytes);
    if (!alerts) return tl::unexpected(alerts.error());
    data.alerts = std::move(*alerts);
  } else if (bytes.error().code != ErrorCode::kNotFound) {
    return tl::unexpected(bytes.error());
  }

  std::vector<UnixMicros> alert_times;
  for (const AlertView& a : data.alerts) {
    if (a.time) alert_times.push_back(*a.time);
  }
  TimelineCollector collector(std::move(alert_times));
  const fs::path jsonl = out_dir / "timeline.jsonl";
  const fs::path csv = out_dir / "timeline.csv";
  if (timeline != nullptr && timeline->alert_times() == collector.alert_times() &&
      fs::is_regular_file(fs::symlink_status(jsonl, ec))) {
    timeline->finish_into(data);
    data.timeline_source = "timeline.jsonl";
  } else if (fs::is_regular_file(fs::symlink_status(jsonl, ec))) {
    if (auto r = read_timeline_jsonl(jsonl, collector); !r) return tl::unexpected(r.error());
    data.timeline_source = "timeline.jsonl";
  } else if (auto bytes = read_bounded(csv, kMaxTimelineBytes / 8); bytes) {
    auto rows = parse_timeline_csv(*bytes);
    if (!rows) return tl::unexpected(rows.error());
    for (TimelineEvent& ev : *rows) collector.add(std::move(ev));
    data.timeline_source = "timeline.csv";
  } else if (bytes.error().code != ErrorCode::kNotFound) {
    return tl::unexpected(bytes.error());
  }
  collector.finish_into(data);
  for (const AlertView& a : data.alerts) {
    if (!a.time) continue;
    if (!data.first_time || *a.time < *data.first_time) data.first_time = a.time;
    if (!data.last_time || *a.time > *data.last_time) data.last_time = a.time;
  }

  if (fs::exists(out_dir / manifest::kManifestFileName, ec)) {
    auto m = manifest::load_manifest(out_dir);
    if (m) {
      data.has_manifest = true;
      for (const manifest::IndicatorEntry& e : m->indicators) {
        data.indicator_sets.push_back({e.name, e.sha256, e.size});
      }
    } else {
      data.notes.push_back("manifest.json could not be read: " + m.error().message);
    }
  }
  return data;
}

}  // namespace spyglass::html
