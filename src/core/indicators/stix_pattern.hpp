#pragma once
// The subset of the STIX 2.1 patterning language that indicator feeds use: comparison
// expressions `object:path = 'string'` joined by OR, inside one observation expression
// `[a = 'x' OR b = 'y']` or across several `[a = 'x'] OR [b = 'y']`, optionally grouped
// with parentheses. Everything else (AND, FOLLOWEDBY, qualifiers, other operators and
// constant kinds) is reported as an error value, never guessed at: an indicator read
// wrongly is worse than one skipped with a warning.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/indicators/ioc_type.hpp"
#include "support/error.hpp"

namespace spyglass::indicators {

struct PatternComparison {
  // The object path in canonical form: object type and property names lower-case,
  // quoted components unquoted ("file:hashes.sha-256", "domain-name:value").
  std::string object_path;
  std::string value;  // the string constant, unescaped
  // The indicator type of the object path; nullopt when spyglass does not know the path
  // (the caller warns and skips that comparison; the other alternatives still count).
  std::optional<IocType> type;
};

// Every comparison of the pattern, in the order written. Each is an independent
// alternative (the pattern is a disjunction). Errors: kMalformed for bad syntax,
// kUnsupported for valid STIX outside the subset; the message says which construct.
Result<std::vector<PatternComparison>> parse_stix_pattern(std::string_view pattern);

// The indicator type for a canonical object path (as PatternComparison::object_path).
std::optional<IocType> ioc_type_for_object_path(std::string_view canonical_path);

}  // namespace spyglass::indicators
