#include "core/report/outputs.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>

#include "formats/csv/csv_writer.hpp"
#include "formats/json/json_writer.hpp"

namespace spyglass::report {

Result<void> write_text_file(const std::filesystem::path& path, std::string_view bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) {
    return make_error(ErrorCode::kIo,
                      "cannot create " + path.string() + ": " + std::strerror(errno));
  }
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  out.close();
  if (!out) return make_error(ErrorCode::kIo, "cannot write " + path.string());
  return {};
}

Result<void> write_json_file(const std::filesystem::path& path, const json::Value& value) {
  return write_text_file(path, json::to_python_json(value));
}

std::string timeline_csv(const std::vector<TimelineRow>& rows) {
  std::string out = csv::format_row({"UTC Timestamp", "Plugin", "Event", "Description"});
  for (const TimelineRow& row : rows) {
    out += csv::format_row({format_mvt_time(row.time), row.plugin, row.event, row.description});
  }
  return out;
}

std::string alerts_timeline_csv(const std::vector<const Alert*>& alerts) {
  struct Timed {
    std::string time;
    const Alert* alert;
  };
  std::vector<Timed> timed;
  for (const Alert* a : alerts) {
    if (a->event_time) timed.push_back({format_mvt_time(*a->event_time), a});
  }
  std::stable_sort(timed.begin(), timed.end(),
                   [](const Timed& x, const Timed& y) { return x.time < y.time; });
  std::string out = csv::format_row({"Event Time", "Module", "Message", "Event"});
  for (const Timed& t : timed) {
    out += csv::format_row(
        {t.time, t.alert->module, t.alert->message, json::to_python_repr(t.alert->event)});
  }
  return out;
}

json::Value alerts_json(const std::vector<const Alert*>& alerts) {
  json::Value out = json::Value::array();
  for (const Alert* a : alerts) out.push_back(alert_to_json(*a));
  return out;
}

namespace {
json::Value url_json(const UrlRow& row) {
  return json::obj({{"url", row.url},
                    {"expanded_url", nullptr},
                    {"timestamp",
                     row.time ? json::Value(format_mvt_time(*row.time)) : json::Value(nullptr)},
                    {"source", row.source}});
}
}  // namespace

json::Value urls_json(const std::vector<UrlRow>& rows) {
  json::Value out = json::Value::array();
  for (const UrlRow& row : rows) out.push_back(url_json(row));
  return out;
}

Result<void> write_urls_json(const std::filesystem::path& path, const std::vector<UrlRow>& rows) {
  std::ofstream file(path, std::ios::binary | std::ios::trunc);
  if (!file) return make_error(ErrorCode::kIo, "cannot create " + path.string());
  json::ArrayStreamWriter writer(file);
  for (const UrlRow& row : rows) writer.write(url_json(row));
  writer.close();
  file.close();
  if (!file) return make_error(ErrorCode::kIo, "cannot write " + path.string());
  return {};
}

}  // namespace spyglass::report
