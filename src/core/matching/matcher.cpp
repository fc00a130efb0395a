// The compiled index. Every indicator value becomes one key of a flat hash table, grouped
// with every other indicator that holds the same (type, value); lookups walk the few keys
// an observable can match (label suffixes of a host, component prefixes of a path) and
// allocate only when a Match is built.
#include "core/matching/matcher.hpp"

#include <algorithm>
#include <array>

#include "core/matching/flat_index.hpp"
#include "formats/url/url.hpp"

namespace spyglass::matching {
namespace {

namespace url = formats::url;
using indicators::Indicator;
using indicators::IocType;

// Scheme-less URL indicators ("evil.com/x") match whatever scheme the evidence used; they
// live under their own key type, keyed without "scheme://".
constexpr std::uint32_t kSchemelessUrl = 1000;
// Hosts of URL indicators: a URL whose host is not one of them cannot match a URL
// indicator, so the (allocating) normalize_url is skipped for it.
constexpr std::uint32_t kUrlHost = 1001;

std::uint32_t key_type(IocType t) { return static_cast<std::uint32_t>(t); }

bool folds_case(IocType t) {
  switch (t) {
    case IocType::kUrl:  // compared in normalize_url form, which keeps path case
    case IocType::kProcess:
    case IocType::kFileName:
    case IocType::kFilePath:
      return false;
    default:
      return true;
  }
}

char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

std::string lowered(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = lower(c);
  return out;
}

std::string_view basename(std::string_view path) {
  std::size_t slash = path.find_last_of('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

std::string_view strip_trailing_slashes(std::string_view p) {
  while (!p.empty() && p.back() == '/') p.remove_suffix(1);
  return p;
}

std::string_view after_scheme(std::string_view normalized_url) {
  std::size_t sep = normalized_url.find("://");
  return sep == std::string_view::npos ? normalized_url : normalized_url.substr(sep + 3);
}

// A host in the comparison form, without allocating for the common case: plain ASCII
// host names are lower-cased into `buffer`; anything else (IDN, escapes) goes through
// normalize_host into `storage`.
std::optional<std::string_view> host_key(std::string_view host, std::array<char, 256>& buffer,
                                         std::string& storage) {
  if (host.size() < buffer.size()) {
    bool simple = !host.empty();
    for (std::size_t i = 0; i < host.size() && simple; ++i) {
      char c = lower(host[i]);
      bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
                (c == '.' && i > 0 && host[i - 1] != '.');
      simple = ok;
      buffer[i] = c;
    }
    if (simple) {
      std::size_t n = host.size();
      if (buffer[n - 1] == '.') --n;
      if (n > 0 && n <= 253) return std::string_view(buffer.data(), n);
    }
  }
  auto normalized = url::normalize_host(host);
  if (!normalized) return std::nullopt;
  storage = std::move(*normalized);
  return std::string_view(storage);
}

// The raw host of a URL-ish text without allocating: after any scheme and userinfo, before
// any port, path, query or fragment. Bracketed IPv6 is returned with its brackets.
std::string_view raw_host(std::string_view text) {
  std::size_t sep = text.find("://");
  if (sep != std::string_view::npos) {
    text.remove_prefix(sep + 3);
  } else if (text.substr(0, 2) == "//") {
    text.remove_prefix(2);
  }
  text = text.substr(0, text.find_first_of("/?#"));
  if (std::size_t at = text.rfind('@'); at != std::string_view::npos) text.remove_prefix(at + 1);
  if (!text.empty() && text.front() == '[') return text.substr(0, text.find(']') + 1);
  return text.substr(0, text.rfind(':'));
}

bool looks_like_ip(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= '0' && c <= '9') || c == '.' || c == ':' || (c >= 'a' && c <= 'f') ||
           (c >= 'A' && c <= 'F') || c == '[' || c == ']';
  }) && (s.find('.') != std::string_view::npos || s.find(':') != std::string_view::npos);
}

std::optional<IocType> hash_type(std::size_t length) {
  switch (length) {
    case 32:
      return IocType::kHashMd5;
    case 40:
      return IocType::kHashSha1;
    case 64:
      return IocType::kHashSha256;
    case 128:
      return IocType::kHashSha512;
    default:
      return std::nullopt;
  }
}

}  // namespace

struct Matcher::Impl {
  struct Group {
    IocType type;
    std::string_view value;  // the normalised indicator value (into keys or the set)
    std::vector<const Indicator*> indicators;
  };

  std::shared_ptr<const indicators::IndicatorSet> set;
  std::vector<std::string> keys;  // one per indicator; views below point into it
  std::vector<Group> groups;
  detail::FlatIndex index;
  std::vector<std::string_view> process_names;  // sorted, for truncated-name prefix lookup
  std::vector<std::string> url_hosts;           // reserved up front: views point into it
  bool has_urls = false;

  void build() {
    const auto& all = set->indicators();
    keys.resize(all.size());
    std::vector<std::uint32_t> types(all.size());
    for (std::size_t i = 0; i < all.size(); ++i) {
      const Indicator& ind = all[i];
      IocType type = ind.type;
      std::string key = folds_case(type) ? lowered(ind.value) : ind.value;
      std::uint32_t kt = key_type(type);
      if (type == IocType::kDomain) {
        if (!key.empty() && key.back() == '.') key.pop_back();
        // Feeds type IP literals as domains; the loader should already have re-typed them.
        if (looks_like_ip(key)) {
          if (auto ip = url::canonical_ip(key)) {
            key = std::move(*ip);
            kt = key_type(IocType::kIp);
          }
        }
      } else if (type == IocType::kIp) {
        if (auto ip = url::canonical_ip(key)) key = std::move(*ip);
      } else if (type == IocType::kUrl) {
        const std::string& written = ind.original.empty() ? ind.value : ind.original;
        bool schemeless = written.find("://") == std::string::npos;
        if (auto n = url::normalize_url(key)) key = std::move(*n);
        if (schemeless) {
          key = std::string(after_scheme(key));
          kt = kSchemelessUrl;
        }
        has_urls = true;
      } else if (type == IocType::kFilePath) {
        key = std::string(strip_trailing_slashes(key));
      } else if (type == IocType::kProcess) {
        key = std::string(basename(key));
      }
      keys[i] = std::move(key);
      types[i] = kt;
    }
    std::size_t url_count = static_cast<std::size_t>(std::count_if(
        all.begin(), all.end(), [](const Indicator& i) { return i.type == IocType::kUrl; }));
    url_hosts.reserve(url_count);
    index.reserve(all.size() + url_count);
    for (std::size_t i = 0; i < all.size(); ++i) {
      if (all[i].type != IocType::kUrl) continue;
      auto parsed = url::parse_url(keys[i]);
      if (!parsed) continue;
      url_hosts.push_back(std::move(parsed->host));
      index.insert(kUrlHost, url_hosts.back(), 0);
    }
    for (std::size_t i = 0; i < all.size(); ++i) {
      if (keys[i].empty()) continue;  // "/" or "" would match everything
      auto id = static_cast<std::uint32_t>(groups.size());
      std::uint32_t got = index.insert(types[i], keys[i], id);
      if (got == id) {
        IocType t = types[i] == kSchemelessUrl ? IocType::kUrl : static_cast<IocType>(types[i]);
        // A scheme-less URL is keyed without its scheme but reported as the loader wrote it.
        std::string_view shown =
            types[i] == kSchemelessUrl ? std::string_view(all[i].value) : std::string_view(keys[i]);
        groups.push_back(Group{t, shown, {}});
        if (t == IocType::kProcess) process_names.push_back(keys[i]);
      }
      groups[got].indicators.push_back(&all[i]);
    }
    std::sort(process_names.begin(), process_names.end());
  }

  const Group* find(std::uint32_t type, std::string_view key) const {
    std::uint32_t id = index.find(type, key);
    return id == detail::FlatIndex::kNone ? nullptr : &groups[id];
  }

  static void add(std::vector<Match>& out, const Group& g, MatchKind kind,
                  std::string_view observed) {
    for (const Match& m : out) {
      if (m.type == g.type && m.matched == g.value) return;
    }
    out.push_back(Match{g.type, kind, std::string(observed), std::string(g.value), g.indicators});
  }

  void ip(std::string_view text, std::string_view observed, std::vector<Match>& out) const {
    auto canonical = url::canonical_ip(text);
    if (!canonical) return;
    if (const Group* g = find(key_type(IocType::kIp), *canonical)) {
      add(out, *g, MatchKind::kExact, observed);
    }
  }

  void domain(std::string_view host, std::string_view observed, std::vector<Match>& out) const {
    if (looks_like_ip(host) && url::canonical_ip(host)) {
      ip(host, observed, out);
      return;
    }
    std::array<char, 256> buffer;
    std::string storage;
    auto key = host_key(host, buffer, storage);
    if (!key) return;
    domain_key(*key, observed, out);
  }

  // `key` is a host in comparison form (host_key).
  void domain_key(std::string_view key, std::string_view observed, std::vector<Match>& out) const {
    if (looks_like_ip(key) && url::canonical_ip(key)) {  // "%31.2.3.4"
      ip(key, observed, out);
      return;
    }
    std::string_view suffix = key;
    MatchKind kind = MatchKind::kExact;
    while (true) {
      if (const Group* g = find(key_type(IocType::kDomain), suffix)) add(out, *g, kind, observed);
      std::size_t dot = suffix.find('.');
      if (dot == std::string_view::npos) break;
      suffix.remove_prefix(dot + 1);
      kind = MatchKind::kSubdomain;
    }
  }

  void url_value(std::string_view text, std::vector<Match>& out) const {
    std::string_view host = raw_host(text);
    bool bracketed = !host.empty() && host.front() == '[';
    std::array<char, 256> buffer;
    std::string storage;
    std::optional<std::string_view> key;
    if (!bracketed) key = host_key(host, buffer, storage);
    bool may_match_url =
        bracketed ||
        (key && (looks_like_ip(*key) || index.find(kUrlHost, *key) != detail::FlatIndex::kNone));
    if (has_urls && may_match_url) {
      if (auto n = url::normalize_url(text)) {
        if (const Group* g = find(key_type(IocType::kUrl), *n))
          add(out, *g, MatchKind::kExact, text);
        if (const Group* g = find(kSchemelessUrl, after_scheme(*n))) {
          add(out, *g, MatchKind::kExact, text);
        }
      }
    }
    if (bracketed) {
      ip(host, text, out);
    } else if (key) {
      domain_key(*key, text, out);
    }
  }

  void process(std::string_view name, CommTruncation truncation, std::vector<Match>& out) const {
    std::string_view base = basename(name);
    if (base.empty()) return;
    if (const Group* g = find(key_type(IocType::kProcess), base)) {
      add(out, *g, MatchKind::kExact, name);
    }
    bool truncated = (base.size() == 16 &&
                      (truncation == CommTruncation::kIos || truncation == CommTruncation::kAny)) ||
                     (base.size() == 15 &&
                      (truncation == CommTruncation::kLinux || truncation == CommTruncation::kAny));
    if (!truncated) return;
    for (auto it = std::upper_bound(process_names.begin(), process_names.end(), base);
         it != process_names.end() && it->substr(0, base.size()) == base; ++it) {
      add(out, *find(key_type(IocType::kProcess), *it), MatchKind::kTruncatedName, name);
    }
  }

  void file_path(std::string_view path, std::vector<Match>& out) const {
    std::string_view p = strip_trailing_slashes(path);
    for (std::size_t slash = p.find('/', 1);; slash = p.find('/', slash + 1)) {
      std::string_view prefix = slash == std::string_view::npos ? p : p.substr(0, slash);
      if (!prefix.empty()) {
        if (const Group* g = find(key_type(IocType::kFilePath), prefix)) {
          add(out, *g, prefix.size() == p.size() ? MatchKind::kExact : MatchKind::kPathPrefix,
              path);
        }
      }
      if (slash == std::string_view::npos) break;
    }
    std::string_view base = basename(p);
    if (!base.empty()) {
      if (const Group* g = find(key_type(IocType::kFileName), base)) {
        add(out, *g, MatchKind::kBasename, path);
      }
    }
  }

  void exact(IocType type, std::string_view value, std::vector<Match>& out) const {
    std::string key = folds_case(type) ? lowered(value) : std::string(value);
    if (const Group* g = find(key_type(type), key)) add(out, *g, MatchKind::kExact, value);
  }

  void email(std::string_view value, std::vector<Match>& out) const {
    exact(IocType::kEmail, value, out);
    std::size_t at = value.rfind('@');
    if (at != std::string_view::npos) domain(value.substr(at + 1), value, out);
  }

  void text(std::string_view t, std::vector<Match>& out) const {
    std::vector<url::Found> found;
    url::extract(t, found);
    std::vector<Match> one;
    for (const url::Found& f : found) {
      one.clear();
      switch (f.kind) {
        case url::FoundKind::kUrl:
          url_value(f.text, one);
          break;
        case url::FoundKind::kDomain:
          domain(f.text, f.text, one);
          break;
        case url::FoundKind::kIp:
          ip(f.text, f.text, one);
          break;
        case url::FoundKind::kEmail:
          email(f.text, one);
          break;
      }
      sort(one);
      for (Match& m : one) {
        bool seen = std::any_of(out.begin(), out.end(), [&](const Match& o) {
          return o.type == m.type && o.matched == m.matched;
        });
        if (!seen) out.push_back(std::move(m));
      }
    }
  }

  static void sort(std::vector<Match>& v) {
    std::sort(v.begin(), v.end(), [](const Match& a, const Match& b) {
      if (a.type != b.type) return a.type < b.type;
      return a.matched < b.matched;
    });
  }
};

Matcher::Matcher(std::shared_ptr<const indicators::IndicatorSet> set)
    : impl_(std::make_unique<Impl>()) {
  impl_->set = set ? std::move(set) : std::make_shared<const indicators::IndicatorSet>();
  impl_->build();
}

Matcher::~Matcher() = default;

const indicators::IndicatorSet& Matcher::indicators() const { return *impl_->set; }

std::vector<Match> Matcher::match_domain(std::string_view host) const {
  std::vector<Match> out;
  std::string_view h = host;
  // A host given with a scheme, port or userinfo is still a host.
  if (h.find_first_of("/:@") != std::string_view::npos && !url::canonical_ip(h)) h = raw_host(h);
  impl_->domain(h, host, out);
  Impl::sort(out);
  return out;
}

std::vector<Match> Matcher::match_url(std::string_view u) const {
  std::vector<Match> out;
  impl_->url_value(u, out);
  Impl::sort(out);
  return out;
}

std::vector<Match> Matcher::match_ip(std::string_view ip) const {
  std::vector<Match> out;
  impl_->ip(ip, ip, out);
  return out;
}

std::vector<Match> Matcher::match_text(std::string_view text) const {
  std::vector<Match> out;
  impl_->text(text, out);
  return out;
}

std::vector<Match> Matcher::match_process(std::string_view name, CommTruncation truncation) const {
  std::vector<Match> out;
  impl_->process(name, truncation, out);
  Impl::sort(out);
  return out;
}

std::vector<Match> Matcher::match_file_path(std::string_view path) const {
  std::vector<Match> out;
  impl_->file_path(path, out);
  Impl::sort(out);
  return out;
}

std::vector<Match> Matcher::match(const Observable& o) const {
  std::vector<Match> out;
  switch (o.kind) {
    case ObservableKind::kUrl:
      return match_url(o.value);
    case ObservableKind::kDomain:
      return match_domain(o.value);
    case ObservableKind::kIp:
      return match_ip(o.value);
    case ObservableKind::kText:
      return match_text(o.value);
    case ObservableKind::kProcess:
      return match_process(o.value, o.truncation);
    case ObservableKind::kFilePath:
      return match_file_path(o.value);
    case ObservableKind::kEmail:
      impl_->email(o.value, out);
      break;
    case ObservableKind::kFileName:
      impl_->exact(IocType::kFileName, o.value, out);
      break;
    case ObservableKind::kHash:
      if (auto t = hash_type(o.value.size())) impl_->exact(*t, o.value, out);
      break;
    case ObservableKind::kAppId:
      impl_->exact(IocType::kAppId, o.value, out);
      break;
    case ObservableKind::kAppCert:
      impl_->exact(IocType::kAppCert, o.value, out);
      break;
    case ObservableKind::kProfileId:
      impl_->exact(IocType::kProfileId, o.value, out);
      break;
    case ObservableKind::kAndroidProperty:
      impl_->exact(IocType::kAndroidProperty, o.value, out);
      break;
  }
  Impl::sort(out);
  return out;
}

}  // namespace spyglass::matching
