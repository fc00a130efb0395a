#pragma once
// What a module emits: one evidence item (a message, a history row, a log line) with its
// data for `<slug>.json`, its timeline events, the observables the core must match, and
// where it came from. Modules describe; the core matches and writes.
#include <optional>
#include <string>
#include <vector>

#include "core/matching/observable.hpp"
#include "core/report/alert.hpp"
#include "formats/json/json_value.hpp"
#include "support/time.hpp"

namespace spyglass::scan {

using report::AlertLevel;
using report::Provenance;

struct TimelineEvent {
  UnixMicros time = 0;
  std::string event;        // short kind: "sms_received", "visit"
  std::string description;  // one readable line
};

// An observable and the level an indicator match on it gets (MVT uses HIGH for some, e.g.
// file paths listed in a backup's Manifest).
struct RecordObservable {
  matching::Observable observable;
  AlertLevel level = AlertLevel::kCritical;
};

// A heuristic finding that needs no indicator (e.g. "process name with a trailing space").
struct Heuristic {
  AlertLevel level = AlertLevel::kMedium;
  std::string message;
  std::optional<UnixMicros> time;  // defaults to the record's time when attached to one
};

struct Record {
  std::optional<UnixMicros> time;  // the event time used for alerts and urls.json
  std::vector<TimelineEvent> timeline;
  json::Value data = json::Value::object();  // written to <slug>.json, and as alert "event"
  std::vector<RecordObservable> observables;
  std::vector<std::string> links;  // URLs for urls.json (never resolved)
  std::vector<Heuristic> heuristics;
  // Raised only when one of this record's observables matched an indicator: context a
  // match makes worth an alert of its own (e.g. the redirect chain through a matched
  // domain), which the module cannot decide since it never matches.
  std::vector<Heuristic> on_match;
  Provenance provenance;

  // Convenience for modules: record.observe(ObservableKind::kUrl, url, "url").
  Record& observe(matching::ObservableKind kind, std::string value, std::string field,
                  AlertLevel level = AlertLevel::kCritical) {
    matching::Observable o;
    o.kind = kind;
    o.value = std::move(value);
    o.field = std::move(field);
    observables.push_back({std::move(o), level});
    return *this;
  }
  Record& flag(AlertLevel level, std::string message) {
    heuristics.push_back({level, std::move(message), std::nullopt});
    return *this;
  }
};

// A heuristic alert not tied to one record (e.g. "the backup is not encrypted").
struct StandaloneAlert {
  AlertLevel level = AlertLevel::kMedium;
  std::string message;
  std::optional<UnixMicros> time;
  json::Value event = json::Value::object();
  Provenance provenance;
};

// Where a module's output goes. One module's sink is used by that module's thread only.
class RecordSink {
 public:
  virtual ~RecordSink() = default;
  virtual void emit(Record record) = 0;
  virtual void alert(StandaloneAlert alert) = 0;
};

}  // namespace spyglass::scan
