#pragma once
// The compiled lookup index over an IndicatorSet. Built once, immutable and thread-safe:
// every scanning thread shares one Matcher (as YARA shares compiled rules).
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/indicators/indicator_set.hpp"
#include "core/matching/observable.hpp"

namespace spyglass::matching {

enum class MatchKind {
  kExact,           // same normalised value
  kSubdomain,       // the observed host is a subdomain of an indicator domain
  kPathPrefix,      // the observed path is under an indicator path
  kTruncatedName,   // the observed process name is a kernel-truncated prefix of the indicator
  kBasename,        // a path's basename equals a file-name indicator
};

struct Match {
  indicators::IocType type = indicators::IocType::kDomain;
  MatchKind kind = MatchKind::kExact;
  std::string observed;  // the piece of evidence that matched (the host, URL, name ...)
  std::string matched;   // the normalised indicator value it matched
  // Every indicator (across files and collections) that holds `matched` with this type,
  // in load order. Pointers into the IndicatorSet, which must outlive the Matcher.
  std::vector<const indicators::Indicator*> indicators;
};

class Matcher {
 public:
  explicit Matcher(std::shared_ptr<const indicators::IndicatorSet> set);
  ~Matcher();
  Matcher(const Matcher&) = delete;
  Matcher& operator=(const Matcher&) = delete;

  const indicators::IndicatorSet& indicators() const;

  // All matches for one observable, deduplicated by (type, matched value), in a
  // deterministic order. Empty when nothing matched.
  std::vector<Match> match(const Observable& observable) const;

  // Typed entry points (match() dispatches to these).
  std::vector<Match> match_domain(std::string_view host) const;
  std::vector<Match> match_url(std::string_view url) const;
  std::vector<Match> match_ip(std::string_view ip) const;
  std::vector<Match> match_text(std::string_view text) const;
  std::vector<Match> match_process(std::string_view name,
                                   CommTruncation truncation = CommTruncation::kAny) const;
  std::vector<Match> match_file_path(std::string_view path) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace spyglass::matching
