#pragma once
// Time in spyglass is UTC microseconds since the Unix epoch. Formats for outputs live here.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace spyglass {

using UnixMicros = std::int64_t;

// "YYYY-MM-DD HH:MM:SS.ffffff", the reference tool's (MVT) format, UTC, no zone suffix.
std::string format_mvt_time(UnixMicros t);
// ISO 8601 with 'Z', microseconds only when non-zero: "2019-04-29T10:00:00Z".
std::string format_iso_time(UnixMicros t);
// Parses RFC 3339 / ISO 8601 timestamps as STIX writes them ("2021-07-18T00:00:00Z",
// "2021-07-18T00:00:00.123Z", "+02:00" offsets). Returns nullopt when malformed.
std::optional<UnixMicros> parse_iso_time(std::string_view text);

// Epoch conversions used by device databases.
inline constexpr std::int64_t kMacEpochOffsetSeconds = 978307200;  // 2001-01-01 - 1970-01-01
UnixMicros from_unix_seconds(double seconds);
UnixMicros from_mac_absolute(double seconds);  // Cocoa/CFAbsoluteTime (seconds since 2001)

}  // namespace spyglass
