#pragma once
// Turns one indicator match into the parts of an alert: a readable message and the
// matched_indicator object (MVT's keys first, then the full attribution).
#include <optional>
#include <string>
#include <string_view>

#include "core/indicators/indicator_set.hpp"
#include "core/matching/matcher.hpp"
#include "formats/json/json_value.hpp"

namespace spyglass::report {

struct IocMatchContext {
  std::string_view module_display_name;  // "SMS": where it was found
  std::string_view observed_text;        // the observable's full value (URL, path ...)
  std::string_view field;                // the record field it came from
  std::optional<UnixMicros> event_time;
};

struct IocAlertParts {
  std::string message;
  json::Value matched_indicator;
  bool outside_validity = false;
};

// "exact", "subdomain", "path_prefix", "truncated_name", "basename".
std::string_view match_kind_name(matching::MatchKind kind);

// The primary indicator is the first one (in load order) whose validity window holds the
// event time, else the first one: its id, pattern and window are reported, and
// outside_validity says the event lies outside that window. "name" joins the distinct
// collection names of every indicator holding the value.
IocAlertParts describe_ioc_match(const matching::Match& match,
                                 const indicators::IndicatorSet& set,
                                 const IocMatchContext& context);

}  // namespace spyglass::report
