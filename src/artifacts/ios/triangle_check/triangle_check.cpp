#include "artifacts/ios/triangle_check/triangle_check.hpp"

#include <algorithm>
#include <array>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <utility>

#include "artifacts/ios/datausage/datausage.hpp"
#include "artifacts/ios/ios_module.hpp"
#include "artifacts/ios/locationd_clients/locationd_clients.hpp"
#include "artifacts/ios/os_analytics_ad_daily/os_analytics_ad_daily.hpp"

namespace spyglass::artifacts::ios {

std::string_view triangle_class_name(TriangleClass c) {
  switch (c) {
    case TriangleClass::kSmsAttachmentDir:
      return "sms_attachment_dir";
    case TriangleClass::kSmsAttachment:
      return "sms_attachment";
    case TriangleClass::kFile:
      return "file";
    case TriangleClass::kNet:
      return "net";
    case TriangleClass::kLocation:
      return "location";
  }
  return "?";
}

std::string_view triangle_kind_name(TriangleKind k) {
  switch (k) {
    case TriangleKind::kModified:
      return "file_modified";
    case TriangleKind::kStatusChanged:
      return "file_status_changed";
    case TriangleKind::kBirth:
      return "file_birth";
    case TriangleKind::kNetFirst:
      return "net_first_usage";
    case TriangleKind::kNetLast:
      return "net_last_usage";
    case TriangleKind::kNetLive:
      return "net_live_usage";
    case TriangleKind::kNetBaseline:
      return "net_usage_baseline";
    case TriangleKind::kLocationStopped:
      return "location_stopped";
  }
  return "?";
}

void sort_triangle_events(std::vector<TriangleEvent>& events) {
  // Sorted as indices, then moved once: events carry five strings each, and a backup gives
  // hundreds of thousands of them.
  std::vector<std::uint32_t> order(events.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = static_cast<std::uint32_t>(i);
  std::sort(order.begin(), order.end(), [&](std::uint32_t x, std::uint32_t y) {
    const TriangleEvent& a = events[x];
    const TriangleEvent& b = events[y];
    if (a.time != b.time) return a.time < b.time;
    if (a.cls != b.cls) return a.cls < b.cls;
    if (a.description != b.description) return a.description < b.description;
    if (a.kind != b.kind) return a.kind < b.kind;
    // Equal events from different rows (a hostile Manifest.db can list a path twice):
    // ordered by where they come from, so the result never depends on reading order.
    return a.provenance.locator < b.provenance.locator;
  });
  // Applied in place, cycle by cycle: a second vector of events would double the peak.
  for (std::size_t start = 0; start < order.size(); ++start) {
    if (order[start] == start) continue;
    TriangleEvent held = std::move(events[start]);
    std::size_t at = start;
    while (order[at] != start) {
      const std::size_t from = order[at];
      events[at] = std::move(events[from]);
      order[at] = static_cast<std::uint32_t>(at);
      at = from;
    }
    events[at] = std::move(held);
    order[at] = static_cast<std::uint32_t>(at);
  }
}

namespace {

constexpr std::string_view kSmsAttachmentsPrefix = "Library/SMS/Attachments/";

// Which classes a window holds, or nullopt when the window must not be reported.
std::optional<std::set<TriangleClass>> window_classes(const std::vector<TriangleEvent>& events,
                                                      std::size_t first, std::size_t last) {
  std::set<TriangleClass> classes;
  // Per folder: seen modified, seen status-changed. A folder only modified (or only
  // created) is ordinary activity; the infection's cleanup leaves both.
  std::map<std::string_view, std::pair<bool, bool>> folders;
  for (std::size_t i = first; i < last; ++i) {
    const TriangleEvent& e = events[i];
    switch (e.cls) {
      case TriangleClass::kSmsAttachment:
        return std::nullopt;
      case TriangleClass::kSmsAttachmentDir: {
        auto& mc = folders[e.subject];
        if (e.kind == TriangleKind::kModified) mc.first = true;
        if (e.kind == TriangleKind::kStatusChanged) mc.second = true;
        break;
      }
      default:
        classes.insert(e.cls);
    }
  }
  for (const auto& folder : folders) {
    if (!folder.second.first || !folder.second.second) return std::nullopt;
  }
  if (!folders.empty()) classes.insert(TriangleClass::kSmsAttachmentDir);
  return classes;
}

}  // namespace

std::vector<TriangleWindow> find_triangle_windows(const std::vector<TriangleEvent>& events) {
  std::vector<TriangleWindow> out;
  std::size_t reported_end = 0;
  for (std::size_t i = 0; i < events.size(); ++i) {
    std::size_t end = i;
    while (end < events.size() && end - i < kTriangleWindowEvents &&
           events[end].time - events[i].time <= kTriangleWindowMicros) {
      ++end;
    }
    // One alert per cluster: a window overlapping a reported one repeats its events.
    if (i < reported_end) continue;
    auto classes = window_classes(events, i, end);
    if (!classes || classes->size() < 2) continue;
    out.push_back({i, end, std::vector<TriangleClass>(classes->begin(), classes->end())});
    reported_end = end;
  }
  return out;
}

bool is_sms_attachment_dir(std::string_view relative_path) {
  if (relative_path.size() <= kSmsAttachmentsPrefix.size() ||
      relative_path.substr(0, kSmsAttachmentsPrefix.size()) != kSmsAttachmentsPrefix ||
      relative_path.back() == '/') {
    return false;
  }
  const auto slashes = std::count(relative_path.begin(), relative_path.end(), '/');
  return slashes == 3 || slashes == 4;
}

namespace {

namespace ib = sources::ios_backup;

// Network usage by this process name (exactly) is Triangulation's implant: iOS's own backup
// daemon is BackupAgent2.
constexpr std::string_view kExactProcess = "BackupAgent";
// Processes whose traffic accompanies the exploitation chain (timeline events only).
constexpr std::array<std::string_view, 4> kImplicitProcesses = {
    "nehelper", "com.apple.WebKit.WebContent", "powerd/com.apple.datausage.diagnostics",
    "lockdownd/com.apple.datausage.security"};
constexpr std::array<std::string_view, 2> kLocationClients = {
    "com.apple.locationd.bundle-/System/Library/LocationBundles/IonosphereHarvest.bundle",
    "com.apple.locationd.bundle-/System/Library/LocationBundles/WRMLinkSelection.bundle"};

struct WatchedFile {
  const char* domain;
  const char* relative_path;
};
constexpr std::array<WatchedFile, 3> kWatchedFiles = {{
    {"RootDomain", "Library/Preferences/com.apple.ImageIO.plist"},
    {"HomeDomain", "Library/Preferences/com.apple.locationd.StatusBarIconManager.plist"},
    {"HomeDomain", "Library/Preferences/com.apple.imservice.ids.FaceTime.plist"},
}};

constexpr WatchedFile kDataUsage = {"WirelessDomain", "Library/Databases/DataUsage.sqlite"};
constexpr WatchedFile kAdDaily = {"HomeDomain",
                                  "Library/Preferences/com.apple.osanalytics.addaily.plist"};
constexpr WatchedFile kLocationdClients = {"RootDomain", "Library/Caches/locationd/clients.plist"};

// Three events per Manifest row: a hostile Manifest listing millions of attachment rows
// must not grow the timeline without bound.
constexpr std::size_t kMaxEvents = 500'000;
// Times beyond year ~5000 either way are not dates; the bound also keeps the window
// arithmetic (and seconds -> microseconds) far from overflow.
constexpr std::int64_t kMaxAbsSeconds = 100'000'000'000LL;

bool is_watched_process(std::string_view name) {
  return name == kExactProcess || std::find(kImplicitProcesses.begin(), kImplicitProcesses.end(),
                                            name) != kImplicitProcesses.end();
}

bool plausible(UnixMicros t) {
  return t <= kMaxAbsSeconds * 1'000'000 && t >= -kMaxAbsSeconds * 1'000'000;
}

// Every record a reused parser emits goes to a callback; the parsers' own alerts belong to
// their own modules and are dropped here.
class CallbackSink final : public scan::RecordSink {
 public:
  explicit CallbackSink(std::function<void(const scan::Record&)> on_record)
      : on_record_(std::move(on_record)) {}
  void emit(scan::Record record) override { on_record_(record); }
  void alert(scan::StandaloneAlert /*alert*/) override {}

 private:
  std::function<void(const scan::Record&)> on_record_;
};

// BackupAgent's traffic as one source shows it: one CRITICAL alert per source.
struct ExactHit {
  std::optional<UnixMicros> first_seen;
  std::optional<UnixMicros> last_seen;
  std::size_t entries = 0;
  report::Provenance provenance;
};

struct State {
  std::vector<TriangleEvent> events;
  std::map<std::string, ExactHit> exact;  // by source
  std::vector<std::string> problems;      // inputs present but unreadable
  std::vector<std::string> absent;        // inputs not in this backup
  std::size_t inputs = 0;
  std::size_t undecodable_rows = 0;
  std::size_t implausible_times = 0;
  bool truncated = false;

  void add(UnixMicros time, TriangleClass cls, TriangleKind kind, std::string subject,
           std::string description, std::string source, report::Provenance provenance) {
    if (!plausible(time)) {
      ++implausible_times;
      return;
    }
    if (events.size() >= kMaxEvents) {
      truncated = true;
      return;
    }
    events.push_back({time, cls, kind, std::move(subject), std::move(description),
                      std::move(source), std::move(provenance)});
  }

  // One entry (a DataUsage row, a baseline entry) with its times.
  void exact_hit(const std::string& source, const std::vector<std::optional<UnixMicros>>& times,
                 const report::Provenance& provenance) {
    ExactHit& hit = exact[source];
    if (hit.entries++ == 0) hit.provenance = provenance;
    for (const auto& t : times) {
      if (!t || !plausible(*t)) continue;
      if (!hit.first_seen || *t < *hit.first_seen) {
        hit.first_seen = t;
        hit.provenance = provenance;
      }
      if (!hit.last_seen || *t > *hit.last_seen) hit.last_seen = t;
    }
  }
};

std::optional<UnixMicros> data_time(const scan::Record& r, std::string_view key) {
  const json::Value* v = r.data.find(key);
  if (v == nullptr || !v->is_string()) return std::nullopt;
  // The parser's record holds its times as MVT strings (microsecond precision): read back.
  return parse_iso_time(v->as_string());
}

std::string data_string(const scan::Record& r, std::string_view key) {
  const json::Value* v = r.data.find(key);
  return v != nullptr && v->is_string() ? v->as_string() : std::string();
}

class TriangleCheckModule final : public IosModule {
 public:
  TriangleCheckModule() : IosModule(make_spec()) {}

 private:
  static IosModuleSpec make_spec() {
    IosModuleSpec s;
    s.slug = "triangle_check";
    s.expected_cost = 2;  // large on big backups: scheduled early
    s.display_name = "TriangleCheck";
    s.summary =
        "Operation Triangulation (Kaspersky triangle_check): BackupAgent traffic and "
        "coinciding SMS-attachment, file, network and location events";
    // Reads Manifest.db metadata (file times) itself: a backup-only module.
    s.sources = IosSources::kBackupOnly;
    return s;
  }

  scan::Status run_files(IosRun& run) override {
    BackupEvidence* backup = run.backup();
    if (backup == nullptr) return scan::Status::not_present("reads iTunes/Finder backups only");
    State st;
    if (auto r = read_manifest(*backup, st); !r) {
      return scan::Status::failed("Manifest.db: " + r.error().message);
    }
    read_datausage(run, st);
    read_ad_daily(run, st);
    read_locationd(run, st);

    if (st.inputs == 0 && st.problems.empty()) {
      return scan::Status::not_present(
          "no SMS attachment folders, watched preference files, DataUsage.sqlite, "
          "osanalytics addaily or locationd clients.plist in this backup");
    }
    const LogChannel& log = run.context.log();
    if (!st.absent.empty()) {
      std::string list;
      for (const std::string& a : st.absent) list += (list.empty() ? "" : ", ") + a;
      log.info("absent from this backup (checked without them): " + list);
    }
    if (st.undecodable_rows != 0) {
      log.warning(std::to_string(st.undecodable_rows) +
                  " Manifest.db row(s) with an undecodable file blob have no times");
    }
    if (st.implausible_times != 0) {
      log.warning(std::to_string(st.implausible_times) +
                  " time(s) outside years 1-5000 left out of the timeline");
    }

    sort_triangle_events(st.events);
    // The same row read twice (e.g. a process with several live-usage rows) must not fill
    // the 10-event window with copies.
    st.events.erase(std::unique(st.events.begin(), st.events.end(),
                                [](const TriangleEvent& a, const TriangleEvent& b) {
                                  return a.time == b.time && a.cls == b.cls && a.kind == b.kind &&
                                         a.description == b.description;
                                }),
                    st.events.end());

    emit_exact(st, run.sink);
    for (const TriangleWindow& w : find_triangle_windows(st.events)) {
      run.sink.alert(window_alert(st.events, w));
    }
    for (const TriangleEvent& e : st.events) {
      if (e.cls == TriangleClass::kSmsAttachment) continue;  // the manifest module lists them
      run.sink.emit(event_record(e));
    }

    std::vector<std::string> problems = st.problems;
    if (st.truncated) {
      problems.push_back("more than " + std::to_string(kMaxEvents) +
                         " events: the timeline was cut, later events not checked");
    }
    if (!problems.empty()) {
      std::string message;
      for (const std::string& p : problems) message += (message.empty() ? "" : "; ") + p;
      // Detections from the readable inputs are reported; the check is still incomplete.
      return scan::Status::failed(message + " (the other inputs were checked)");
    }
    return scan::Status::ok();
  }

  static Result<void> read_manifest(BackupEvidence& backup, State& st) {
    auto visit = [&](const ib::ManifestEntry& e) -> Result<void> {
      const bool sms = e.domain == "MediaDomain";
      if (sms && e.relative_path.rfind(kSmsAttachmentsPrefix, 0) != 0) {
        return {};  // LIKE is case-insensitive; the device's path is not
      }
      ++st.inputs;
      if (!e.file) {
        ++st.undecodable_rows;
        return {};
      }
      const TriangleClass cls = !sms ? TriangleClass::kFile
                                : is_sms_attachment_dir(e.relative_path)
                                    ? TriangleClass::kSmsAttachmentDir
                                    : TriangleClass::kSmsAttachment;
      // A real attachment only vetoes the windows it falls in: it is never reported, never
      // emitted (the manifest module lists it) and never a window's first event. Its subject
      // and provenance would cost two strings per event for nothing, and a backup can hold
      // hundreds of thousands: only its description (which tells rows apart) is kept.
      const bool kept_whole = cls != TriangleClass::kSmsAttachment;
      report::Provenance prov;
      prov.file = "Manifest.db";
      if (kept_whole) {
        prov.locator = "Files fileID " + e.file_id + " (" + e.domain + "/" + e.relative_path + ")";
      }
      const std::string where = e.relative_path + " (" + e.domain + ")";
      const std::array<std::tuple<std::optional<std::int64_t>, TriangleKind, const char*>, 3>
          times = {{{e.file->last_modified, TriangleKind::kModified, "file modification: "},
                    {e.file->last_status_change, TriangleKind::kStatusChanged,
                     "file attribute change: "},
                    {e.file->birth, TriangleKind::kBirth, "file birth: "}}};
      for (const auto& [seconds, kind, label] : times) {
        if (!seconds) continue;
        if (*seconds > kMaxAbsSeconds || *seconds < -kMaxAbsSeconds) {
          ++st.implausible_times;
          continue;
        }
        st.add(*seconds * 1'000'000, cls, kind, kept_whole ? e.relative_path : std::string(),
               label + where, "Manifest.db",
               prov);
      }
      return {};
    };
    // Table order: the events are sorted afterwards (sort_triangle_events), and reading in
    // fileID order would cost an index seek per row.
    ib::ManifestQuery sms;
    sms.any_order = true;
    sms.domain = "MediaDomain";
    sms.relative_path_like = std::string(kSmsAttachmentsPrefix) + "%";
    if (auto r = backup.for_each_manifest_entry(visit, sms); !r) return r;
    for (const WatchedFile& w : kWatchedFiles) {
      ib::ManifestQuery q;
      q.any_order = true;
      q.domain = w.domain;
      q.relative_path = w.relative_path;
      if (auto r = backup.for_each_manifest_entry(visit, q); !r) return r;
    }
    return {};
  }

  // The files of `w` in this backup; absent and unreadable inputs are noted in `st`.
  static std::vector<IosFile> locate(IosRun& run, State& st, const WatchedFile& w,
                                     std::string_view label) {
    IosLocator locator;
    locator.backup_files = {{w.domain, w.relative_path}};
    auto found = run.evidence.find(locator);
    if (!found) {
      st.problems.push_back(std::string(label) + ": " + found.error().message);
      return {};
    }
    if (found->empty()) st.absent.emplace_back(label);
    st.inputs += found->size();
    return std::move(*found);
  }

  static void read_datausage(IosRun& run, State& st) {
    for (const IosFile& f : locate(run, st, kDataUsage, "DataUsage.sqlite")) {
      auto db = run.evidence.open_sqlite(f);
      if (!db) {
        st.problems.push_back(f.display_name() + ": " + db.error().message);
        continue;
      }
      CallbackSink sink([&](const scan::Record& r) {
        const std::string name = data_string(r, "proc_name");
        if (!is_watched_process(name)) return;
        const json::Value* live_id = r.data.find("live_id");
        const bool live = live_id != nullptr && !live_id->is_null();
        const std::array<std::tuple<const char*, TriangleKind, const char*>, 3> fields = {{
            {"first_isodate", TriangleKind::kNetFirst, " (DataUsage.sqlite first use)"},
            {"isodate", TriangleKind::kNetLast, " (DataUsage.sqlite last use)"},
            {"live_isodate", TriangleKind::kNetLive, " (DataUsage.sqlite live usage)"},
        }};
        std::vector<std::optional<UnixMicros>> times;
        for (const auto& [key, kind, label] : fields) {
          if (kind == TriangleKind::kNetLive && !live) continue;  // the parser's fallback
          auto t = data_time(r, key);
          times.push_back(t);
          if (!t) continue;
          st.add(*t, TriangleClass::kNet, kind, name, "traffic by process " + name + label,
                 "DataUsage.sqlite", r.provenance);
        }
        if (name == kExactProcess) st.exact_hit("DataUsage.sqlite", times, r.provenance);
      });
      if (auto ok = read_net_usage(*db, f, sink); !ok) {
        st.problems.push_back(f.display_name() + ": " + ok.error().message);
      }
    }
  }

  static void read_ad_daily(IosRun& run, State& st) {
    for (const IosFile& f : locate(run, st, kAdDaily, "com.apple.osanalytics.addaily.plist")) {
      auto bytes = run.evidence.read_file(f);
      if (!bytes) {
        st.problems.push_back(f.display_name() + ": " + bytes.error().message);
        continue;
      }
      CallbackSink sink([&](const scan::Record& r) {
        const std::string name = data_string(r, "package");
        if (!is_watched_process(name)) return;
        if (name == kExactProcess) st.exact_hit("netUsageBaseline", {r.time}, r.provenance);
        if (!r.time) return;
        st.add(*r.time, TriangleClass::kNet, TriangleKind::kNetBaseline, name,
               "traffic by process " + name + " (osanalytics netUsageBaseline)",
               "com.apple.osanalytics.addaily.plist", r.provenance);
      });
      if (auto ok = read_os_analytics_ad_daily(*bytes, f, sink); !ok) {
        st.problems.push_back(f.display_name() + ": " + ok.error().message);
      }
    }
  }

  static void read_locationd(IosRun& run, State& st) {
    for (const IosFile& f : locate(run, st, kLocationdClients, "locationd clients.plist")) {
      auto bytes = run.evidence.read_file(f);
      if (!bytes) {
        st.problems.push_back(f.display_name() + ": " + bytes.error().message);
        continue;
      }
      CallbackSink sink([&](const scan::Record& r) {
        std::string client = data_string(r, "package");
        // Newer clients.plist keys carry a type prefix ("i<bundle key>:"; the parser drops
        // the colon).
        if (client.rfind("icom.apple.locationd.bundle-", 0) == 0) client.erase(0, 1);
        if (std::find(kLocationClients.begin(), kLocationClients.end(), client) ==
            kLocationClients.end()) {
          return;
        }
        for (const scan::TimelineEvent& t : r.timeline) {
          if (t.event != "LocationTimeStopped") continue;
          st.add(t.time, TriangleClass::kLocation, TriangleKind::kLocationStopped, client,
                 "location service stopped: " + client, "clients.plist", r.provenance);
        }
      });
      if (auto ok = read_locationd_clients(*bytes, f, sink); !ok) {
        st.problems.push_back(f.display_name() + ": " + ok.error().message);
      }
    }
  }

  static json::Value time_json(std::optional<UnixMicros> t) {
    return t ? json::Value(format_mvt_time(*t)) : json::Value(nullptr);
  }

  static json::Value event_json(const TriangleEvent& e) {
    return json::obj({{"isodate", json::Value(format_mvt_time(e.time))},
                      {"event_class", json::Value(triangle_class_name(e.cls))},
                      {"event", json::Value(triangle_kind_name(e.kind))},
                      {"subject", json::Value(e.subject)},
                      {"source", json::Value(e.source)},
                      {"description", json::Value(e.description)}});
  }

  static scan::Record event_record(const TriangleEvent& e) {
    scan::Record r;
    r.time = e.time;
    r.data = event_json(e);
    r.timeline.push_back({e.time, std::string(triangle_kind_name(e.kind)), e.description});
    r.provenance = e.provenance;
    return r;
  }

  static void emit_exact(const State& st, scan::RecordSink& sink) {
    for (const auto& [source, hit] : st.exact) {
      scan::StandaloneAlert a;
      a.level = report::AlertLevel::kCritical;
      a.message = "BackupAgent network usage: Operation Triangulation (" + source + ", " +
                  std::to_string(hit.entries) + " entr" + (hit.entries == 1 ? "y" : "ies") +
                  (hit.first_seen ? ", first seen " + format_mvt_time(*hit.first_seen) : "") + ")";
      a.time = hit.first_seen;
      a.event = json::obj({{"process", json::Value(kExactProcess)},
                           {"source", json::Value(source)},
                           {"entries", json::Value(hit.entries)},
                           {"first_seen", time_json(hit.first_seen)},
                           {"last_seen", time_json(hit.last_seen)}});
      a.provenance = hit.provenance;
      sink.alert(std::move(a));
    }
  }

  static scan::StandaloneAlert window_alert(const std::vector<TriangleEvent>& events,
                                            const TriangleWindow& w) {
    scan::StandaloneAlert a;
    a.level = report::AlertLevel::kHigh;
    std::string classes;
    json::Value class_list = json::Value::array();
    for (TriangleClass c : w.classes) {
      classes += (classes.empty() ? "" : ", ") + std::string(triangle_class_name(c));
      class_list.push_back(json::Value(triangle_class_name(c)));
    }
    std::string named;
    json::Value list = json::Value::array();
    for (std::size_t i = w.first; i < w.last; ++i) {
      named += (named.empty() ? "" : "; ") + format_mvt_time(events[i].time) + " " +
               events[i].description;
      list.push_back(event_json(events[i]));
    }
    a.message = "Suspicious combination of events (Operation Triangulation heuristic): " + classes +
                " within 5 minutes: " + named;
    a.time = events[w.first].time;
    a.event = json::obj({{"classes", std::move(class_list)}, {"events", std::move(list)}});
    a.provenance = events[w.first].provenance;
    return a;
  }
};

}  // namespace

std::unique_ptr<scan::Module> make_triangle_check_module() {
  return std::make_unique<TriangleCheckModule>();
}

}  // namespace spyglass::artifacts::ios
