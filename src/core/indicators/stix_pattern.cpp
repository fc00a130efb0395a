#include "core/indicators/stix_pattern.hpp"

#include <array>
#include <cstddef>
#include <utility>

namespace spyglass::indicators {
namespace {

// Parentheses nest recursively; hostile patterns must not exhaust the stack.
constexpr int kMaxDepth = 32;

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}
bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_ident(char c) { return is_alpha(c) || is_digit(c) || c == '_' || c == '-'; }
char to_lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

class Parser {
 public:
  explicit Parser(std::string_view text) : text_(text) {}

  Result<std::vector<PatternComparison>> run() {
    skip_space();
    if (at_end()) fail(ErrorCode::kMalformed, "empty pattern");
    if (at_end() || !observation_or(0)) return tl::unexpected(std::move(error_));
    skip_space();
    if (!at_end()) {
      if (!unsupported_keyword_here()) fail(ErrorCode::kMalformed, "unexpected text");
      return tl::unexpected(std::move(error_));
    }
    return std::move(out_);
  }

 private:
  bool at_end() const { return pos_ >= text_.size(); }
  char peek() const { return at_end() ? '\0' : text_[pos_]; }
  void skip_space() {
    while (!at_end() && is_space(text_[pos_])) ++pos_;
  }

  // Records the first error only: later ones are consequences of it.
  bool fail(ErrorCode code, std::string_view what) {
    if (error_.message.empty()) {
      error_ = Error(code, std::string(what) + " at offset " + std::to_string(pos_));
    }
    return false;
  }

  // The upper-case word at the cursor if it is a whole word, without consuming it.
  std::string_view word_here() const {
    std::size_t end = pos_;
    while (end < text_.size() && is_ident(text_[end])) ++end;
    return text_.substr(pos_, end - pos_);
  }
  bool keyword(std::string_view kw) {
    if (word_here() != kw) return false;
    pos_ += kw.size();
    return true;
  }

  // Valid STIX that spyglass refuses: names the construct so the warning is useful.
  bool unsupported_keyword_here() {
    static constexpr std::array<std::string_view, 12> kUnsupported = {
        "AND", "FOLLOWEDBY", "WITHIN", "START",   "STOP",     "REPEATS",
        "NOT", "IN",         "LIKE",   "MATCHES", "ISSUBSET", "ISSUPERSET"};
    const std::string_view w = word_here();
    for (std::string_view kw : kUnsupported) {
      if (w == kw) {
        fail(ErrorCode::kUnsupported, std::string(kw) + " is not supported");
        return true;
      }
    }
    return false;
  }

  bool observation_or(int depth) {
    if (!observation(depth)) return false;
    for (;;) {
      skip_space();
      if (keyword("OR")) {
        if (!observation(depth)) return false;
        continue;
      }
      return true;
    }
  }

  bool observation(int depth) {
    if (depth > kMaxDepth) return fail(ErrorCode::kLimitExceeded, "nesting too deep");
    skip_space();
    if (peek() == '[') {
      ++pos_;
      if (!comparison_or(depth + 1)) return false;
      skip_space();
      if (peek() != ']') return fail(ErrorCode::kMalformed, "expected ']'");
      ++pos_;
    } else if (peek() == '(') {
      ++pos_;
      if (!observation_or(depth + 1)) return false;
      skip_space();
      if (peek() != ')') return fail(ErrorCode::kMalformed, "expected ')'");
      ++pos_;
    } else {
      if (!unsupported_keyword_here()) fail(ErrorCode::kMalformed, "expected '[' or '('");
      return false;
    }
    // A qualifier or AND/FOLLOWEDBY after an observation changes its meaning: refuse.
    skip_space();
    if (unsupported_keyword_here()) return false;
    return true;
  }

  bool comparison_or(int depth) {
    if (!comparison(depth)) return false;
    for (;;) {
      skip_space();
      if (keyword("OR")) {
        if (!comparison(depth)) return false;
        continue;
      }
      if (unsupported_keyword_here()) return false;
      return true;
    }
  }

  bool comparison(int depth) {
    if (depth > kMaxDepth) return fail(ErrorCode::kLimitExceeded, "nesting too deep");
    skip_space();
    if (peek() == '(') {
      ++pos_;
      if (!comparison_or(depth + 1)) return false;
      skip_space();
      if (peek() != ')') return fail(ErrorCode::kMalformed, "expected ')'");
      ++pos_;
      return true;
    }
    if (word_here() == "EXISTS") return fail(ErrorCode::kUnsupported, "EXISTS is not supported");
    PatternComparison cmp;
    if (!object_path(cmp.object_path)) return false;
    skip_space();
    if (!comparison_operator()) return false;
    skip_space();
    if (!string_literal(cmp.value)) return false;
    cmp.type = ioc_type_for_object_path(cmp.object_path);
    out_.push_back(std::move(cmp));
    return true;
  }

  bool comparison_operator() {
    const char c = peek();
    const char next = pos_ + 1 < text_.size() ? text_[pos_ + 1] : '\0';
    if (c == '=' && next != '=') {
      ++pos_;
      return true;
    }
    if (c == '!' || c == '<' || c == '>' || (c == '=' && next == '=')) {
      return fail(ErrorCode::kUnsupported, "only the '=' operator is supported");
    }
    if (!unsupported_keyword_here()) fail(ErrorCode::kMalformed, "expected '='");
    return false;
  }

  // object-type ':' step ('.' step)*, where a step is an identifier or a quoted name.
  bool object_path(std::string& out) {
    const std::size_t start = pos_;
    while (!at_end() && (is_ident(peek()))) out.push_back(to_lower(text_[pos_++]));
    if (pos_ == start) return fail(ErrorCode::kMalformed, "expected an object path");
    if (peek() != ':') return fail(ErrorCode::kMalformed, "expected ':' in object path");
    out.push_back(':');
    ++pos_;
    if (!path_step(out)) return false;
    for (;;) {
      if (peek() == '.') {
        ++pos_;
        out.push_back('.');
        if (!path_step(out)) return false;
      } else if (peek() == '[') {
        return fail(ErrorCode::kUnsupported, "list indexes in object paths are not supported");
      } else {
        return true;
      }
    }
  }

  bool path_step(std::string& out) {
    if (peek() == '\'') {
      ++pos_;
      const std::size_t start = pos_;
      while (!at_end() && peek() != '\'') out.push_back(to_lower(text_[pos_++]));
      if (at_end()) return fail(ErrorCode::kMalformed, "unterminated quoted path step");
      if (pos_ == start) return fail(ErrorCode::kMalformed, "empty quoted path step");
      ++pos_;
      return true;
    }
    const std::size_t start = pos_;
    while (!at_end() && is_ident(peek())) out.push_back(to_lower(text_[pos_++]));
    if (pos_ == start) return fail(ErrorCode::kMalformed, "expected a property name");
    return true;
  }

  // STIX strings allow exactly two escapes: \' and \\.
  bool string_literal(std::string& out) {
    if (peek() != '\'') {
      const char c = peek();
      if (is_digit(c) || c == '-' || c == '+' || is_alpha(c)) {
        return fail(ErrorCode::kUnsupported, "only string constants are supported");
      }
      return fail(ErrorCode::kMalformed, "expected a quoted string");
    }
    ++pos_;
    for (;;) {
      if (at_end()) return fail(ErrorCode::kMalformed, "unterminated string");
      const char c = text_[pos_++];
      if (c == '\'') return true;
      if (c == '\\') {
        const char e = peek();
        if (e != '\'' && e != '\\') return fail(ErrorCode::kMalformed, "invalid escape");
        out.push_back(e);
        ++pos_;
        continue;
      }
      out.push_back(c);
    }
  }

  std::string_view text_;
  std::size_t pos_ = 0;
  std::vector<PatternComparison> out_;
  Error error_{ErrorCode::kMalformed, ""};
};

std::optional<IocType> hash_type(std::string_view alg) {
  if (alg == "md5") return IocType::kHashMd5;
  if (alg == "sha1" || alg == "sha-1") return IocType::kHashSha1;
  if (alg == "sha256" || alg == "sha-256") return IocType::kHashSha256;
  if (alg == "sha512" || alg == "sha-512") return IocType::kHashSha512;
  return std::nullopt;
}

}  // namespace

std::optional<IocType> ioc_type_for_object_path(std::string_view path) {
  static constexpr std::array<std::pair<std::string_view, IocType>, 11> kPaths = {{
      {"domain-name:value", IocType::kDomain},
      {"url:value", IocType::kUrl},
      {"ipv4-addr:value", IocType::kIp},
      {"ipv6-addr:value", IocType::kIp},
      {"process:name", IocType::kProcess},
      {"email-addr:value", IocType::kEmail},
      {"file:name", IocType::kFileName},
      {"file:path", IocType::kFilePath},
      {"app:id", IocType::kAppId},
      {"configuration-profile:id", IocType::kProfileId},
      {"android-property:name", IocType::kAndroidProperty},
  }};
  for (const auto& [name, type] : kPaths) {
    if (name == path) return type;
  }
  constexpr std::string_view kFileHashes = "file:hashes.";
  if (path.substr(0, kFileHashes.size()) == kFileHashes) {
    return hash_type(path.substr(kFileHashes.size()));
  }
  constexpr std::string_view kAppCert = "app:cert.";
  if (path.substr(0, kAppCert.size()) == kAppCert) {
    // MVT keeps every certificate digest in one list; the digest length tells them apart.
    const auto alg = hash_type(path.substr(kAppCert.size()));
    if (alg && *alg != IocType::kHashSha512) return IocType::kAppCert;
  }
  return std::nullopt;
}

Result<std::vector<PatternComparison>> parse_stix_pattern(std::string_view pattern) {
  return Parser(pattern).run();
}

}  // namespace spyglass::indicators
