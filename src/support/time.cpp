#include "support/time.hpp"

#include <algorithm>

#include <fmt/format.h>

#include <cctype>
#include <cmath>

namespace spyglass {
namespace {

// Howard Hinnant's days-from-civil; proleptic Gregorian, valid for any int64 day count.
constexpr std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

struct Civil {
  std::int64_t year;
  unsigned month, day, hour, minute, second;
  std::int64_t micros;
};

Civil to_civil(UnixMicros t) {
  std::int64_t secs = t / 1000000;
  std::int64_t micros = t % 1000000;
  if (micros < 0) {
    micros += 1000000;
    secs -= 1;
  }
  std::int64_t days = secs / 86400;
  std::int64_t rem = secs % 86400;
  if (rem < 0) {
    rem += 86400;
    days -= 1;
  }
  days += 719468;
  const std::int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  const auto doe = static_cast<unsigned>(days - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const std::int64_t y = static_cast<std::int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  return Civil{y + (m <= 2), m, d, static_cast<unsigned>(rem / 3600),
               static_cast<unsigned>((rem % 3600) / 60), static_cast<unsigned>(rem % 60), micros};
}

bool read_digits(std::string_view s, size_t& pos, size_t n, int& out) {
  if (pos + n > s.size()) return false;
  int v = 0;
  for (size_t i = 0; i < n; ++i) {
    const char c = s[pos + i];
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  pos += n;
  out = v;
  return true;
}

// Fixed-width digits: timelines format hundreds of thousands of times.
void put_digits(char* at, std::uint64_t v, int width) {
  for (int i = width - 1; i >= 0; --i) {
    at[i] = static_cast<char>('0' + v % 10);
    v /= 10;
  }
}

}  // namespace

std::string format_mvt_time(UnixMicros t) {
  const Civil c = to_civil(t);
  if (c.year >= 0 && c.year <= 9999) {
    std::string out = "0000-00-00 00:00:00.000000";
    put_digits(out.data(), static_cast<std::uint64_t>(c.year), 4);
    put_digits(out.data() + 5, c.month, 2);
    put_digits(out.data() + 8, c.day, 2);
    put_digits(out.data() + 11, c.hour, 2);
    put_digits(out.data() + 14, c.minute, 2);
    put_digits(out.data() + 17, c.second, 2);
    put_digits(out.data() + 20, static_cast<std::uint64_t>(c.micros), 6);
    return out;
  }
  return fmt::format("{:04}-{:02}-{:02} {:02}:{:02}:{:02}.{:06}", c.year, c.month, c.day, c.hour,
                     c.minute, c.second, c.micros);
}

std::string format_iso_time(UnixMicros t) {
  const Civil c = to_civil(t);
  if (c.year >= 0 && c.year <= 9999) {
    std::string out = c.micros == 0 ? "0000-00-00T00:00:00Z" : "0000-00-00T00:00:00.000000Z";
    put_digits(out.data(), static_cast<std::uint64_t>(c.year), 4);
    put_digits(out.data() + 5, c.month, 2);
    put_digits(out.data() + 8, c.day, 2);
    put_digits(out.data() + 11, c.hour, 2);
    put_digits(out.data() + 14, c.minute, 2);
    put_digits(out.data() + 17, c.second, 2);
    if (c.micros != 0) put_digits(out.data() + 20, static_cast<std::uint64_t>(c.micros), 6);
    return out;
  }
  if (c.micros == 0) {
    return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z", c.year, c.month, c.day, c.hour,
                       c.minute, c.second);
  }
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:06}Z", c.year, c.month, c.day, c.hour,
                     c.minute, c.second, c.micros);
}

std::optional<UnixMicros> parse_iso_time(std::string_view s) {
  size_t pos = 0;
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  if (!read_digits(s, pos, 4, year)) return std::nullopt;
  if (pos >= s.size() || s[pos++] != '-') return std::nullopt;
  if (!read_digits(s, pos, 2, month)) return std::nullopt;
  if (pos >= s.size() || s[pos++] != '-') return std::nullopt;
  if (!read_digits(s, pos, 2, day)) return std::nullopt;
  if (pos < s.size() && (s[pos] == 'T' || s[pos] == 't' || s[pos] == ' ')) {
    ++pos;
    if (!read_digits(s, pos, 2, hour)) return std::nullopt;
    if (pos >= s.size() || s[pos++] != ':') return std::nullopt;
    if (!read_digits(s, pos, 2, minute)) return std::nullopt;
    if (pos >= s.size() || s[pos++] != ':') return std::nullopt;
    if (!read_digits(s, pos, 2, second)) return std::nullopt;
  }
  std::int64_t micros = 0;
  if (pos < s.size() && s[pos] == '.') {
    ++pos;
    int digits = 0;
    while (pos < s.size() && std::isdigit(static_cast<unsigned char>(s[pos]))) {
      if (digits < 6) micros = micros * 10 + (s[pos] - '0');
      ++digits;
      ++pos;
    }
    if (digits == 0) return std::nullopt;
    for (int i = digits; i < 6; ++i) micros *= 10;
  }
  std::int64_t offset_seconds = 0;
  if (pos < s.size()) {
    const char z = s[pos];
    if (z == 'Z' || z == 'z') {
      ++pos;
    } else if (z == '+' || z == '-') {
      ++pos;
      int oh = 0, om = 0;
      if (!read_digits(s, pos, 2, oh)) return std::nullopt;
      if (pos < s.size() && s[pos] == ':') ++pos;
      if (!read_digits(s, pos, 2, om)) return std::nullopt;
      offset_seconds = (oh * 3600 + om * 60) * (z == '+' ? 1 : -1);
    } else {
      return std::nullopt;
    }
  }
  if (pos != s.size()) return std::nullopt;
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) {
    return std::nullopt;
  }
  const std::int64_t days =
      days_from_civil(year, static_cast<unsigned>(month), static_cast<unsigned>(day));
  const std::int64_t secs = days * 86400 + hour * 3600 + minute * 60 + second - offset_seconds;
  return secs * 1000000 + micros;
}

UnixMicros from_unix_seconds(double seconds) {
  // Evidence can hold any double: clamp to +-year 9999 so the conversion stays defined.
  constexpr double kMax = 253402300799.0;
  if (!(seconds == seconds)) return 0;  // NaN
  seconds = std::clamp(seconds, -kMax, kMax);
  return static_cast<UnixMicros>(std::llround(seconds * 1e6));
}

UnixMicros from_mac_absolute(double seconds) {
  return from_unix_seconds(seconds + static_cast<double>(kMacEpochOffsetSeconds));
}

}  // namespace spyglass
