// Free-text extraction. One forward pass that jumps from anchor to anchor ('.', ':' and
// '@'; every URL, domain, IP and e-mail address contains one) and looks around each anchor.
// Work stays linear: a region that was examined is never examined again (floor_), and the
// look-arounds that are not followed by a jump (scheme, IPv6, e-mail local part) are
// bounded by the longest valid form.
#include <algorithm>
#include <array>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "formats/url/text_classes.hpp"
#include "formats/url/url.hpp"
#include "formats/url/url_chars.hpp"

namespace spyglass::formats::url {
namespace {

constexpr std::size_t kMaxScheme = 32;
constexpr std::size_t kMaxLocalPart = 64;  // RFC 5321 4.5.3.1.1
constexpr std::size_t kMaxIpv6Text = 45;
constexpr std::size_t kMaxDomainText = 1024;

std::size_t find_anchor(std::string_view t, std::size_t from) {
  const char* data = t.data();
  std::size_t n = t.size();
  std::size_t i = from;
#if defined(__SSE2__)
  const __m128i dot = _mm_set1_epi8('.');
  const __m128i colon = _mm_set1_epi8(':');
  const __m128i at = _mm_set1_epi8('@');
  for (; i + 16 <= n; i += 16) {
    __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(data + i));
    __m128i hit = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, dot), _mm_cmpeq_epi8(v, colon)),
                               _mm_cmpeq_epi8(v, at));
    auto mask = static_cast<unsigned>(_mm_movemask_epi8(hit));
    if (mask != 0) return i + static_cast<std::size_t>(__builtin_ctz(mask));
  }
#endif
  for (; i < n; ++i) {
    char c = data[i];
    if (c == '.' || c == ':' || c == '@') return i;
  }
  return std::string_view::npos;
}

bool is_ascii_word(char c) { return is_alnum(c) || c == '-' || c == '_'; }

bool is_local_char(char c) {
  return is_alnum(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-';
}

bool is_ipv6_char(char c) { return hex_value(c) >= 0 || c == ':' || c == '.'; }

bool is_url_stop(char c) {
  auto u = static_cast<unsigned char>(c);
  return u <= 0x20 || u == 0x7F || c == '"' || c == '\'' || c == '<' || c == '>' || c == '`' ||
         c == '\\';
}

class Extractor {
 public:
  Extractor(std::string_view text, std::vector<Found>& out) : t_(text), out_(out) {}

  void run() {
    std::size_t pos = 0;
    while (true) {
      std::size_t p = find_anchor(t_, pos);
      if (p == std::string_view::npos) break;
      std::size_t next = p + 1;
      if (p >= floor_) {
        switch (t_[p]) {
          case ':':
            next = on_colon(p);
            break;
          case '@':
            next = on_at(p).next;
            break;
          default:
            next = on_dot(p);
            break;
        }
      }
      pos = std::max(next, p + 1);
    }
  }

 private:
  struct AtResult {
    bool found = false;
    std::size_t next = 0;
  };

  void emit(FoundKind kind, std::size_t start, std::size_t end) {
    out_.push_back(Found{kind, start, t_.substr(start, end - start)});
    floor_ = std::max(floor_, end);
  }

  // Is the word character (ASCII or not) that ends just before `end` part of a token?
  bool word_before(std::size_t end) const {
    if (end == 0) return false;
    char c = t_[end - 1];
    if (static_cast<unsigned char>(c) < 0x80) return is_ascii_word(c);
    return detail::is_word_code_point(detail::decode_before(t_, end).value);
  }

  // Start of the run of host characters and dots that ends at `end`, not below floor_.
  std::size_t host_run_start(std::size_t end) const {
    std::size_t s = end;
    while (s > floor_) {
      char c = t_[s - 1];
      if (static_cast<unsigned char>(c) < 0x80) {
        if (!is_ascii_word(c) && c != '.') break;
        --s;
        continue;
      }
      detail::CodePoint cp = detail::decode_before(t_, s);
      if (!detail::is_word_code_point(cp.value) || s - cp.length < floor_) break;
      s -= cp.length;
    }
    return s;
  }

  std::size_t host_run_end(std::size_t start) const {
    std::size_t e = start;
    while (e < t_.size()) {
      char c = t_[e];
      if (static_cast<unsigned char>(c) < 0x80) {
        if (!is_ascii_word(c) && c != '.') break;
        ++e;
        continue;
      }
      detail::CodePoint cp = detail::decode_at(t_, e);
      if (!detail::is_word_code_point(cp.value)) break;
      e += cp.length;
    }
    return e;
  }

  // A URL runs to whitespace, a quote, '<', '>' or a non-word Unicode character; trailing
  // sentence punctuation and unbalanced closing brackets are not part of it.
  std::size_t url_end(std::size_t start, std::size_t from) const {
    std::size_t e = from;
    std::array<std::size_t, 3> opens{}, closes{};
    static constexpr char kOpen[] = "([{";
    static constexpr char kClose[] = ")]}";
    while (e < t_.size()) {
      char c = t_[e];
      if (static_cast<unsigned char>(c) < 0x80) {
        if (is_url_stop(c)) break;
        for (std::size_t k = 0; k < 3; ++k) {
          if (c == kOpen[k]) ++opens[k];
          if (c == kClose[k]) ++closes[k];
        }
        ++e;
        continue;
      }
      detail::CodePoint cp = detail::decode_at(t_, e);
      if (!detail::is_word_code_point(cp.value)) break;
      e += cp.length;
    }
    while (e > start) {
      char c = t_[e - 1];
      if (std::strchr(".,;:!?*", c) != nullptr && c != '\0') {
        --e;
        continue;
      }
      const char* close = c != '\0' ? std::strchr(kClose, c) : nullptr;
      if (close != nullptr) {
        auto k = static_cast<std::size_t>(close - kClose);
        if (closes[k] > opens[k]) {
          --closes[k];
          --e;
          continue;
        }
      }
      break;
    }
    return e;
  }

  // Whether [start, end) names a URL with a valid host; only the authority is parsed.
  bool valid_url_host(std::size_t start, std::size_t authority, std::size_t end) const {
    std::size_t stop = authority;
    while (stop < end && t_[stop] != '/' && t_[stop] != '?' && t_[stop] != '#') ++stop;
    return parse_url(t_.substr(start, stop - start)).has_value();
  }

  std::size_t on_colon(std::size_t p) {
    if (t_.substr(p, 3) == "://") {
      std::size_t s = p;
      while (s > floor_ && p - s <= kMaxScheme && is_scheme_char(t_[s - 1])) --s;
      while (s < p && !is_alpha(t_[s])) ++s;
      if (s < p && p - s <= kMaxScheme) {
        std::size_t e = url_end(s, p + 3);
        if (e > p + 3 && valid_url_host(s, p + 3, e)) {
          emit(FoundKind::kUrl, s, e);
          return e;
        }
      }
      return p + 3;
    }
    return try_ipv6(p);
  }

  std::size_t try_ipv6(std::size_t p) {
    std::size_t s = p;
    while (s > floor_ && p - s <= kMaxIpv6Text && is_ipv6_char(t_[s - 1])) --s;
    std::size_t e = p;
    while (e < t_.size() && e - s <= kMaxIpv6Text && is_ipv6_char(t_[e])) ++e;
    while (e > p && t_[e - 1] == '.') --e;
    if (e - s > kMaxIpv6Text || e <= p + 1) return p + 1;
    bool bounded_left = s == 0 || (!word_before(s) && t_[s - 1] != ':' && t_[s - 1] != '.');
    bool bounded_right = e == t_.size() || !(is_ascii_word(t_[e]) || t_[e] == ':');
    if (!bounded_left || !bounded_right) return p + 1;
    if (std::count(t_.begin() + static_cast<std::ptrdiff_t>(s),
                   t_.begin() + static_cast<std::ptrdiff_t>(e), ':') < 2) {
      return p + 1;
    }
    if (!canonical_ip(t_.substr(s, e - s))) return p + 1;
    emit(FoundKind::kIp, s, e);
    return e;
  }

  AtResult on_at(std::size_t p) {
    std::size_t s = p;
    while (s > floor_ && p - s <= kMaxLocalPart && is_local_char(t_[s - 1])) --s;
    if (p - s > kMaxLocalPart) return {false, p + 1};
    while (s < p && t_[s] == '.') ++s;
    if (s == p) return {false, p + 1};
    std::size_t e = host_run_end(p + 1);
    while (e > p + 1 && (t_[e - 1] == '.' || t_[e - 1] == '-')) --e;
    if (!plausible_domain(t_.substr(p + 1, e - p - 1))) return {false, p + 1};
    emit(FoundKind::kEmail, s, e);
    return {true, e};
  }

  // Cheap shape check of a domain as written in text; the matcher normalises later.
  static bool plausible_domain(std::string_view d) {
    if (d.empty() || d.size() > kMaxDomainText) return false;
    std::size_t labels = 0;
    std::size_t start = 0;
    while (true) {
      std::size_t dot = d.find('.', start);
      std::string_view label =
          d.substr(start, dot == std::string_view::npos ? d.npos : dot - start);
      if (label.empty() || label.front() == '-' || label.back() == '-') return false;
      ++labels;
      if (dot == std::string_view::npos) {
        if (labels < 2 || label.size() > 63) return false;
        std::array<char, 64> lower{};
        bool letter = false;
        for (std::size_t i = 0; i < label.size(); ++i) {
          lower[i] = ascii_lower(label[i]);
          letter = letter || !is_digit(label[i]);
        }
        return letter && detail::is_known_tld(std::string_view(lower.data(), label.size()));
      }
      start = dot + 1;
    }
  }

  bool starts_with_www(std::size_t s, std::size_t e) const {
    if (e - s < 5) return false;
    for (std::size_t i = 0; i < 3; ++i) {
      if (ascii_lower(t_[s + i]) != 'w') return false;
    }
    return t_[s + 3] == '.';
  }

  // A host written without a scheme is read as a URL when a path or port follows it.
  bool continues_as_url(std::size_t e) const {
    if (e >= t_.size()) return false;
    if (t_[e] == '/') return true;
    return t_[e] == ':' && e + 1 < t_.size() && is_digit(t_[e + 1]);
  }

  std::size_t on_dot(std::size_t p) {
    std::size_t s = host_run_start(p);
    std::size_t e = host_run_end(p + 1);
    // "john.doe+x@evil.com": the dot belongs to an e-mail's local part.
    std::size_t at = e;
    while (at < t_.size() && at - s <= kMaxLocalPart && is_local_char(t_[at])) ++at;
    if (at < t_.size() && t_[at] == '@') {
      AtResult r = on_at(at);
      if (r.found) return r.next;
    }
    if (starts_with_www(s, e) && !word_before(s)) {
      std::size_t end = url_end(s, e);
      if (valid_url_host(s, s, end)) {
        emit(FoundKind::kUrl, s, end);
        return end;
      }
    }
    // Candidates are the pieces between runs of dots ("wait..evil.com").
    std::size_t seg = s;
    while (seg < e) {
      while (seg < e && (t_[seg] == '.' || t_[seg] == '-')) ++seg;
      std::size_t seg_end = seg;
      while (seg_end < e && !(t_[seg_end] == '.' && seg_end + 1 < e && t_[seg_end + 1] == '.')) {
        ++seg_end;
      }
      std::size_t trimmed = seg_end;
      while (trimmed > seg && t_[trimmed - 1] == '.') --trimmed;
      if (trimmed > seg) candidate(seg, trimmed, trimmed == e);
      seg = seg_end;
    }
    floor_ = std::max(floor_, e);
    return std::max(e, floor_);
  }

  void candidate(std::size_t s, std::size_t e, bool at_token_end) {
    std::string_view text = t_.substr(s, e - s);
    bool numeric =
        std::all_of(text.begin(), text.end(), [](char c) { return is_digit(c) || c == '.'; });
    FoundKind kind;
    if (numeric) {
      if (!canonical_ip(text)) return;
      kind = FoundKind::kIp;
    } else if (plausible_domain(text)) {
      kind = FoundKind::kDomain;
    } else {
      return;
    }
    if (at_token_end && continues_as_url(e)) {
      std::size_t end = url_end(s, e);
      if (end > e && valid_url_host(s, s, end)) {
        emit(FoundKind::kUrl, s, end);
        return;
      }
    }
    emit(kind, s, e);
  }

  std::string_view t_;
  std::vector<Found>& out_;
  std::size_t floor_ = 0;  // everything before it has been examined
};

}  // namespace

void extract(std::string_view text, std::vector<Found>& out) { Extractor(text, out).run(); }

}  // namespace spyglass::formats::url
