#pragma once
// Lines of text files (chat exports, notes, proxy/DNS/web logs) that mention a URL, domain,
// IP address or e-mail address. The core matches each such line as free text.
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "formats/url/url.hpp"
#include "scan/module.hpp"

namespace spyglass::artifacts::text {

std::unique_ptr<scan::Module> make_text_lines_module();

// Longest line kept as one record; longer lines are cut into pieces of this size.
inline constexpr std::size_t kMaxLineBytes = 64 * 1024;

// Turns a file's bytes, fed in chunks of any size, into one record per line that mentions
// a URL, domain, IP or e-mail address. Memory stays bounded by kMaxLineBytes.
class LineScanner {
 public:
  LineScanner(std::string relative_path, scan::RecordSink& sink);
  void feed(std::string_view bytes);
  void finish();  // the last line, when the file does not end with a newline

 private:
  void finish_line();

  std::string relative_path_;
  scan::RecordSink& sink_;
  std::string partial_;
  std::size_t line_no_ = 0;
  std::vector<formats::url::Found> found_;
};

// The whole of one file at once (tests and the fuzzer).
void scan_text_bytes(std::string_view bytes, std::string_view relative_path,
                     scan::RecordSink& sink);

}  // namespace spyglass::artifacts::text
