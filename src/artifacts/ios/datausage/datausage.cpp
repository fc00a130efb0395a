#include "artifacts/ios/datausage/datausage.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "artifacts/ios/ios_module.hpp"
#include "formats/json/json_writer.hpp"

namespace spyglass::artifacts::ios {
namespace {

using formats::sqlite::Statement;
using matching::CommTruncation;
using matching::ObservableKind;

constexpr const char* kManipulatedName = "MANIPULATED [process record deleted]";

// Core Data stores NSDate as Mac absolute seconds (REAL); a value beyond 1e12 can only be
// nanoseconds. 0 means "never set".
std::optional<UnixMicros> mac_time(std::optional<double> seconds) {
  if (!seconds || *seconds == 0 || !std::isfinite(*seconds)) return std::nullopt;
  double s = *seconds;
  if (std::fabs(s) > 1e12) s /= 1e9;
  if (std::fabs(s) > 1e11) return std::nullopt;  // beyond year 5000: not a date
  return from_mac_absolute(s);
}

json::Value time_json(std::optional<UnixMicros> t) {
  return t ? json::Value(format_mvt_time(*t)) : json::Value(nullptr);
}

std::optional<double> opt_double(const Statement& s, int col) {
  if (s.is_null(col)) return std::nullopt;
  return s.get_double(col);
}

json::Value number_json(std::optional<double> v) {
  return v ? json::Value(*v) : json::Value(nullptr);
}

// Python's str() of a value as MVT's timeline text shows it ("None", "12.0").
std::string py_text(std::optional<double> v) {
  return v ? json::python_float_repr(*v) : std::string("None");
}
std::string py_text(const std::optional<std::string>& v) { return v ? *v : "None"; }
std::string py_text(std::optional<std::int64_t> v) {
  return v ? std::to_string(*v) : std::string("None");
}

struct Row {
  std::optional<UnixMicros> first;  // ZPROCESS.ZFIRSTTIMESTAMP
  std::optional<UnixMicros> current;  // ZPROCESS.ZTIMESTAMP
  std::optional<std::string> proc_name;
  std::optional<std::string> bundle_id;
  std::optional<std::int64_t> proc_id;  // ZPROCESS.Z_PK (null: no such row)
  std::optional<double> wifi_in, wifi_out, wwan_in, wwan_out;
  std::optional<std::int64_t> live_id;       // ZLIVEUSAGE.Z_PK (null: no live usage)
  std::optional<std::int64_t> live_proc_id;  // ZLIVEUSAGE.ZHASPROCESS
  std::optional<UnixMicros> live;            // ZLIVEUSAGE.ZTIMESTAMP
  std::string locator;
  bool placeholder = false;  // a MISSING/MANIPULATED stand-in, not a real process row
};

std::optional<UnixMicros> live_time(const Row& r) { return r.live ? r.live : r.first; }

json::Value row_json(const Row& r) {
  return json::obj({{"first_isodate", time_json(r.first)},
                    {"isodate", time_json(r.current)},
                    {"proc_name", r.proc_name ? json::Value(*r.proc_name) : json::Value(nullptr)},
                    {"bundle_id", r.bundle_id ? json::Value(*r.bundle_id) : json::Value(nullptr)},
                    {"proc_id", r.proc_id ? json::Value(*r.proc_id) : json::Value(nullptr)},
                    {"wifi_in", number_json(r.wifi_in)},
                    {"wifi_out", number_json(r.wifi_out)},
                    {"wwan_in", number_json(r.wwan_in)},
                    {"wwan_out", number_json(r.wwan_out)},
                    {"live_id", r.live_id ? json::Value(*r.live_id) : json::Value(nullptr)},
                    {"live_proc_id",
                     r.live_proc_id ? json::Value(*r.live_proc_id) : json::Value(nullptr)},
                    {"live_isodate", time_json(live_time(r))}});
}

scan::Record make_record(const Row& r, const IosFile& file) {
  scan::Record rec;
  rec.data = row_json(r);
  rec.provenance = file.provenance(r.locator);
  const std::string who = py_text(r.proc_name) + " (Bundle ID: " + py_text(r.bundle_id) +
                          ", ID: " + py_text(r.proc_id) + ")";
  if (auto t = live_time(r)) {
    rec.timeline.push_back({*t, "live_usage",
                            who + " WWAN IN: " + py_text(r.wwan_in) +
                                ", WWAN OUT: " + py_text(r.wwan_out)});
  }
  if (r.proc_id && r.live_proc_id && !r.placeholder) {
    if (r.first) rec.timeline.push_back({*r.first, "first_usage", who});
    if (r.current) rec.timeline.push_back({*r.current, "current_usage", who});
  }
  // MVT dates an indicator match by the process's first use.
  rec.time = r.proc_id && r.first ? r.first : live_time(r);
  if (r.placeholder) return rec;
  if (r.proc_id && r.proc_name && !r.proc_name->empty()) {
    const std::string& name = *r.proc_name;
    rec.observe(ObservableKind::kProcess, name, "proc_name");
    rec.observables.back().observable.truncation = CommTruncation::kIos;
    // App entries read "<executable>/<bundle id>": the matcher compares the basename (the
    // bundle id), so the executable name is offered on its own too.
    if (auto slash = name.find('/'); slash != std::string::npos && slash > 0) {
      rec.observe(ObservableKind::kProcess, name.substr(0, slash), "proc_name");
      rec.observables.back().observable.truncation = CommTruncation::kIos;
    }
  }
  if (r.proc_id && r.bundle_id && !r.bundle_id->empty()) {
    rec.observe(ObservableKind::kAppId, *r.bundle_id, "bundle_id");
  }
  return rec;
}

Result<void> step_error(const Error& e) { return tl::unexpected(e); }

}  // namespace

Result<void> read_net_usage(const formats::sqlite::Database& db, const IosFile& file,
                            scan::RecordSink& sink) {
  auto process_cols = TableColumns::read(db, "ZPROCESS");
  if (!process_cols) return tl::unexpected(process_cols.error());
  auto live_cols = TableColumns::read(db, "ZLIVEUSAGE");
  if (!live_cols) return tl::unexpected(live_cols.error());
  if (auto ok = require_columns(*process_cols, {"Z_PK", "ZFIRSTTIMESTAMP", "ZTIMESTAMP",
                                                "ZPROCNAME", "ZBUNDLENAME"});
      !ok) {
    return ok;
  }
  if (auto ok = require_columns(*live_cols,
                                {"Z_PK", "ZHASPROCESS", "ZTIMESTAMP", "ZWWANIN", "ZWWANOUT"});
      !ok) {
    return ok;
  }
  // Recent iOS dropped the Wi-Fi counters from ZLIVEUSAGE.
  const bool wifi = live_cols->has("ZWIFIIN") && live_cols->has("ZWIFIOUT");

  std::vector<Row> rows;
  {
    const std::string sql = std::string(
        "SELECT ZPROCESS.ZFIRSTTIMESTAMP, ZPROCESS.ZTIMESTAMP, ZPROCESS.ZPROCNAME, "
        "ZPROCESS.ZBUNDLENAME, ZPROCESS.Z_PK, ") +
        (wifi ? "ZLIVEUSAGE.ZWIFIIN, ZLIVEUSAGE.ZWIFIOUT, " : "NULL, NULL, ") +
        "ZLIVEUSAGE.ZWWANIN, ZLIVEUSAGE.ZWWANOUT, ZLIVEUSAGE.Z_PK, ZLIVEUSAGE.ZHASPROCESS, "
        "ZLIVEUSAGE.ZTIMESTAMP FROM ZLIVEUSAGE LEFT JOIN ZPROCESS ON "
        "ZLIVEUSAGE.ZHASPROCESS = ZPROCESS.Z_PK ORDER BY ZLIVEUSAGE.Z_PK";
    auto stmt = db.prepare(sql);
    if (!stmt) return tl::unexpected(stmt.error());
    while (true) {
      auto more = stmt->step();
      if (!more) return step_error(more.error());
      if (!*more) break;
      Row r;
      r.first = mac_time(opt_double(*stmt, 0));
      r.current = mac_time(opt_double(*stmt, 1));
      r.proc_name = stmt->get_optional_text(2);
      r.bundle_id = stmt->get_optional_text(3);
      r.proc_id = stmt->get_optional_int64(4);
      r.wifi_in = opt_double(*stmt, 5);
      r.wifi_out = opt_double(*stmt, 6);
      r.wwan_in = opt_double(*stmt, 7);
      r.wwan_out = opt_double(*stmt, 8);
      r.live_id = stmt->get_optional_int64(9);
      r.live_proc_id = stmt->get_optional_int64(10);
      r.live = mac_time(opt_double(*stmt, 11));
      r.locator = "ZLIVEUSAGE Z_PK " + py_text(r.live_id);
      rows.push_back(std::move(r));
    }
  }
  {
    // Processes without live usage. NULLs are excluded from the subquery: with MVT's bare
    // NOT IN, one NULL ZHASPROCESS silently hides every such process.
    auto stmt = db.prepare(
        "SELECT ZFIRSTTIMESTAMP, ZTIMESTAMP, ZPROCNAME, ZBUNDLENAME, Z_PK FROM ZPROCESS "
        "WHERE Z_PK NOT IN (SELECT ZHASPROCESS FROM ZLIVEUSAGE WHERE ZHASPROCESS IS NOT NULL) "
        "ORDER BY Z_PK");
    if (!stmt) return tl::unexpected(stmt.error());
    while (true) {
      auto more = stmt->step();
      if (!more) return step_error(more.error());
      if (!*more) break;
      Row r;
      r.first = mac_time(opt_double(*stmt, 0));
      r.current = mac_time(opt_double(*stmt, 1));
      r.proc_name = stmt->get_optional_text(2);
      r.bundle_id = stmt->get_optional_text(3);
      r.proc_id = stmt->get_optional_int64(4);
      r.locator = "ZPROCESS Z_PK " + py_text(r.proc_id);
      rows.push_back(std::move(r));
    }
  }

  // Every ZPROCESS id, for the gap check (the join above may list a process many times).
  std::map<std::int64_t, const Row*> by_proc;
  for (const Row& r : rows) {
    if (r.proc_id && !by_proc.count(*r.proc_id)) by_proc.emplace(*r.proc_id, &r);
  }

  // Live usage whose process row is gone: the database was edited to hide a process.
  std::set<std::int64_t> reported_manipulated;
  std::vector<scan::Record> records;
  records.reserve(rows.size());
  for (Row& r : rows) {
    const bool manipulated = r.live_id && r.live_proc_id && !r.proc_id;
    if (manipulated) {
      r.first = r.current = live_time(r);
      r.proc_name = kManipulatedName;
      r.placeholder = true;
    }
    scan::Record rec = make_record(r, file);
    if (manipulated && reported_manipulated.insert(*r.live_proc_id).second) {
      rec.flag(report::AlertLevel::kHigh,
               "Found manipulated process entry " + std::to_string(*r.live_proc_id) +
                   ". Entry on " + (r.live ? format_mvt_time(*r.live) : std::string()) +
                   ": its ZPROCESS row is gone");
    }
    records.push_back(std::move(rec));
  }

  // Gaps in the ZPROCESS primary keys, and rows deleted after the highest remaining one
  // (Core Data's Z_PRIMARYKEY.Z_MAX keeps the highest id it ever allocated).
  std::optional<std::int64_t> z_max;
  if (auto has = db.has_table("Z_PRIMARYKEY"); has && *has) {
    if (auto stmt = db.prepare("SELECT Z_MAX FROM Z_PRIMARYKEY WHERE Z_NAME = 'Process'")) {
      if (auto more = stmt->step(); more && *more) z_max = stmt->get_optional_int64(0);
    }
  }
  auto report_missing = [&](std::int64_t from, std::int64_t to, const Row& previous,
                            std::string_view why) {
    const std::string prev_first =
        previous.first ? format_mvt_time(*previous.first) : std::string("None");
    const std::string prev_name = py_text(previous.proc_name);
    const std::int64_t count = to - from + 1;
    if (count <= kMaxMissingProcessAlerts) {
      for (std::int64_t id = from; id <= to; ++id) {
        Row placeholder;
        placeholder.first = placeholder.current = previous.first;
        placeholder.proc_name = "MISSING [follows " + prev_name + "]";
        placeholder.proc_id = placeholder.live_proc_id = id;
        placeholder.locator = "ZPROCESS Z_PK " + std::to_string(id) + " (absent)";
        placeholder.placeholder = true;
        scan::Record rec = make_record(placeholder, file);
        rec.flag(report::AlertLevel::kLow, "Missing process " + std::to_string(id) +
                                               ". Previous process at \"" + prev_first +
                                               "\" (" + prev_name + ")" + std::string(why));
        records.push_back(std::move(rec));
      }
      return;
    }
    scan::StandaloneAlert alert;
    alert.level = report::AlertLevel::kLow;
    alert.message = "Missing processes " + std::to_string(from) + " to " + std::to_string(to) +
                    " (" + std::to_string(count) + " ids). Previous process at \"" + prev_first +
                    "\" (" + prev_name + ")" + std::string(why);
    alert.time = previous.first;
    alert.event = row_json(previous);
    alert.provenance = file.provenance("ZPROCESS");
    sink.alert(std::move(alert));
  };
  if (!by_proc.empty()) {
    std::int64_t expected = by_proc.begin()->first;
    const Row* previous = by_proc.begin()->second;
    for (const auto& [id, row] : by_proc) {
      if (id > expected) report_missing(expected, id - 1, *previous, "");
      previous = row;
      expected = id == INT64_MAX ? id : id + 1;
    }
    if (z_max && *z_max > by_proc.rbegin()->first) {
      report_missing(by_proc.rbegin()->first + 1, *z_max, *previous,
                     "; Z_PRIMARYKEY.Z_MAX is " + std::to_string(*z_max));
    }
  }

  for (scan::Record& rec : records) sink.emit(std::move(rec));
  return {};
}

namespace {

class DatausageModule final : public IosModule {
 public:
  DatausageModule() : IosModule(make_spec()) {}

 private:
  static IosModuleSpec make_spec() {
    IosModuleSpec s;
    s.slug = "datausage";
    s.expected_cost = 1;  // large on big backups: scheduled early
    s.display_name = "Datausage";
    s.summary = "Per-process network usage (DataUsage.sqlite): process names, deleted rows";
    s.locator.backup_files = {{"WirelessDomain", "Library/Databases/DataUsage.sqlite"}};
    s.locator.fs_globs = {"private/var/wireless/Library/Databases/DataUsage.sqlite"};
    return s;
  }

  scan::Status run_files(IosRun& run) override {
    for (const IosFile& f : run.files) {
      auto db = run.evidence.open_sqlite(f);
      if (!db) return run.file_failed(f, db.error());
      if (auto ok = read_net_usage(*db, f, run.sink); !ok) return run.file_failed(f, ok.error());
    }
    return scan::Status::ok();
  }
};

}  // namespace

std::unique_ptr<scan::Module> make_datausage_module() {
  return std::make_unique<DatausageModule>();
}

}  // namespace spyglass::artifacts::ios
