#include "core/report/ioc_alert.hpp"

#include <algorithm>
#include <vector>

#include "core/indicators/ioc_type.hpp"
#include "support/utf8_decode.hpp"

namespace spyglass::report {
namespace {

using indicators::Indicator;
using indicators::IndicatorSet;

// Evidence text in a message must stay on one line and short enough to read in a log.
constexpr std::size_t kMaxEvidenceBytes = 300;

std::string printable_excerpt(std::string_view text) {
  std::string clean = utf8_backslashreplace(text);
  for (char& c : clean) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) c = ' ';
  }
  if (clean.size() <= kMaxEvidenceBytes) return clean;
  std::size_t cut = kMaxEvidenceBytes;
  while (cut > 0 && (static_cast<unsigned char>(clean[cut]) & 0xC0U) == 0x80U) --cut;
  clean.resize(cut);
  clean += "...";
  return clean;
}

// Only a closed window (both bounds) says when infrastructure was in use. Public feeds set
// valid_from alone, to the day the file was generated; judging evidence against that date
// would flag every older infection as "outside validity".
bool within(const Indicator& ind, const std::optional<UnixMicros>& t) {
  if (!t || !ind.valid_from || !ind.valid_until) return true;
  if (ind.valid_from && *t < *ind.valid_from) return false;
  if (ind.valid_until && *t > *ind.valid_until) return false;
  return true;
}

json::Value iso_or_null(const std::optional<UnixMicros>& t) {
  return t ? json::Value(format_iso_time(*t)) : json::Value(nullptr);
}

std::string file_display(const IndicatorSet& set, std::uint32_t file) {
  return file < set.files().size() ? set.files()[file].display_name : std::string();
}

}  // namespace

std::string_view match_kind_name(matching::MatchKind kind) {
  switch (kind) {
    case matching::MatchKind::kExact: return "exact";
    case matching::MatchKind::kSubdomain: return "subdomain";
    case matching::MatchKind::kPathPrefix: return "path_prefix";
    case matching::MatchKind::kTruncatedName: return "truncated_name";
    case matching::MatchKind::kBasename: return "basename";
  }
  return "unknown";
}

IocAlertParts describe_ioc_match(const matching::Match& match, const IndicatorSet& set,
                                 const IocMatchContext& context) {
  const Indicator* primary = nullptr;
  for (const Indicator* ind : match.indicators) {
    if (ind != nullptr && within(*ind, context.event_time)) {
      primary = ind;
      break;
    }
  }
  if (primary == nullptr && !match.indicators.empty()) primary = match.indicators.front();

  std::vector<std::uint32_t> collection_ids;
  for (const Indicator* ind : match.indicators) {
    if (ind == nullptr) continue;
    for (const std::uint32_t c : ind->collections) {
      if (c < set.collections().size() &&
          std::find(collection_ids.begin(), collection_ids.end(), c) == collection_ids.end()) {
        collection_ids.push_back(c);
      }
    }
  }
  std::vector<std::string> names;
  json::Value collections = json::Value::array();
  for (const std::uint32_t c : collection_ids) {
    const indicators::Collection& col = set.collections()[c];
    if (std::find(names.begin(), names.end(), col.name) == names.end()) names.push_back(col.name);
    collections.push_back(json::obj({{"name", col.name},
                                     {"kind", col.kind},
                                     {"id", col.stix_id},
                                     {"stix2_file_name", file_display(set, col.file)}}));
  }
  std::string joined;
  for (const std::string& n : names) {
    if (!joined.empty()) joined += ", ";
    joined += n;
  }

  IocAlertParts parts;
  parts.outside_validity = primary != nullptr && !within(*primary, context.event_time);

  json::Value mi = json::Value::object();
  mi.set("value", match.matched)
      .set("type", indicators::mvt_type_name(match.type))
      .set("name", joined)
      .set("stix2_file_name", primary ? file_display(set, primary->file) : std::string())
      .set("id", primary ? primary->stix_id : std::string())
      .set("pattern", primary ? primary->pattern : std::string())
      .set("match", match_kind_name(match.kind))
      .set("observed", match.observed)
      .set("field", context.field)
      .set("collections", std::move(collections))
      .set("valid_from", primary ? iso_or_null(primary->valid_from) : json::Value())
      .set("valid_until", primary ? iso_or_null(primary->valid_until) : json::Value())
      .set("outside_validity", parts.outside_validity);
  parts.matched_indicator = std::move(mi);

  std::string msg = "Found a known indicator (";
  msg += indicators::cli_name(match.type);
  msg += " \"" + printable_excerpt(match.matched) + "\"";
  if (match.kind != matching::MatchKind::kExact) {
    msg += " via ";
    msg += match_kind_name(match.kind);
    msg += " \"" + printable_excerpt(match.observed) + "\"";
  }
  if (!names.empty()) {
    msg += names.size() == 1 ? ", collection " : ", collections ";
    for (std::size_t i = 0; i < names.size(); ++i) {
      if (i > 0) msg += ", ";
      msg += "\"" + names[i] + "\"";
    }
  }
  msg += ") in ";
  msg += context.module_display_name;
  msg += ": " + printable_excerpt(context.observed_text);
  if (parts.outside_validity) {
    msg += " (event at " + format_mvt_time(*context.event_time) +
           " is outside the indicator's validity: " +
           (primary->valid_from ? format_iso_time(*primary->valid_from) : std::string("-")) +
           " to " +
           (primary->valid_until ? format_iso_time(*primary->valid_until) : std::string("-")) +
           ")";
  }
  parts.message = std::move(msg);
  return parts;
}

}  // namespace spyglass::report
