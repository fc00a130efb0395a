#include "artifacts/text/text_lines/text_lines.hpp"

#include <algorithm>
#include <cstring>
#include <fstream>
#include <vector>

#include <fmt/core.h>

#include "formats/url/url.hpp"
#include "support/time.hpp"

namespace spyglass::artifacts::text {
namespace {

namespace fs = std::filesystem;
using formats::url::Found;
using formats::url::FoundKind;

// A file with a NUL byte in its first block is binary: not text evidence.
bool looks_binary(std::string_view head) {
  return std::memchr(head.data(), '\0', std::min<std::size_t>(head.size(), 8192)) != nullptr;
}

// Log and export lines often start with a timestamp; when one parses, the line gets a time
// (read as UTC: a text file does not say its zone).
std::optional<UnixMicros> leading_time(std::string_view line) {
  for (const std::size_t len : {32U, 29U, 26U, 25U, 24U, 23U, 20U, 19U, 10U}) {
    if (line.size() < len) continue;
    if (auto t = parse_iso_time(line.substr(0, len))) {
      if (len == 10 && line.size() > 10 && line[10] != ' ' && line[10] != '\t') continue;
      return t;
    }
  }
  return std::nullopt;
}

void emit_line(std::string_view line, std::size_t line_no, std::string_view relative_path,
               std::vector<Found>& found, scan::RecordSink& sink) {
  found.clear();
  formats::url::extract(line, found);
  if (found.empty()) return;
  scan::Record record;
  record.time = leading_time(line);
  record.provenance = {std::string(relative_path), fmt::format("line {}", line_no)};
  json::Value links = json::Value::array();
  for (const auto& f : found) {
    if (f.kind == FoundKind::kUrl) {
      links.push_back(std::string(f.text));
      record.links.emplace_back(f.text);
    }
  }
  record.data.set("file", std::string(relative_path));
  record.data.set("line", static_cast<std::int64_t>(line_no));
  record.data.set("text", std::string(line));
  record.data.set("links", std::move(links));
  if (record.time) {
    record.data.set("isodate", format_mvt_time(*record.time));
    record.timeline.push_back({*record.time, "text_line",
                               fmt::format("{}:{}: {}", relative_path, line_no,
                                           line.substr(0, 200))});
  }
  record.observe(matching::ObservableKind::kText, std::string(line), "text");
  sink.emit(std::move(record));
}

}  // namespace

LineScanner::LineScanner(std::string relative_path, scan::RecordSink& sink)
    : relative_path_(std::move(relative_path)), sink_(sink) {}

void LineScanner::feed(std::string_view bytes) {
  while (!bytes.empty()) {
    const std::size_t nl = bytes.find('\n');
    if (nl == std::string_view::npos) {
      partial_.append(bytes);
      // An endless line must not grow memory without bound: emit it in pieces.
      while (partial_.size() > kMaxLineBytes) {
        emit_line(std::string_view(partial_).substr(0, kMaxLineBytes), line_no_ + 1,
                  relative_path_, found_, sink_);
        partial_.erase(0, kMaxLineBytes);
      }
      return;
    }
    partial_.append(bytes.substr(0, nl));
    bytes.remove_prefix(nl + 1);
    finish_line();
  }
}

void LineScanner::finish() {
  if (!partial_.empty()) finish_line();
}

void LineScanner::finish_line() {
  ++line_no_;
  std::string_view line(partial_);
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  while (line.size() > kMaxLineBytes) {
    emit_line(line.substr(0, kMaxLineBytes), line_no_, relative_path_, found_, sink_);
    line.remove_prefix(kMaxLineBytes);
  }
  emit_line(line, line_no_, relative_path_, found_, sink_);
  partial_.clear();
}

void scan_text_bytes(std::string_view bytes, std::string_view relative_path,
                     scan::RecordSink& sink) {
  LineScanner scanner{std::string(relative_path), sink};
  scanner.feed(bytes);
  scanner.finish();
}

namespace {

class TextLinesModule final : public scan::Module {
 public:
  const scan::ModuleSpec& spec() const override {
    static const scan::ModuleSpec kSpec{
        "text_lines", scan::Family::kText, "TextLines",
        "Lines of text files that mention URLs, domains, IP or e-mail addresses", "", 0};
    return kSpec;
  }

  scan::Status run(scan::ModuleContext& context, scan::RecordSink& sink) override {
    const fs::path& root = context.evidence_root();
    std::error_code ec;
    std::vector<fs::path> files;
    if (fs::is_regular_file(root, ec)) {
      files.push_back(root);
    } else if (fs::is_directory(root, ec)) {
      // Symlinks are not followed: evidence could point anywhere on the analyst's machine.
      for (auto it = fs::recursive_directory_iterator(root, ec);
           !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
        if (it->is_regular_file(ec) && !it->is_symlink(ec)) files.push_back(it->path());
      }
      std::sort(files.begin(), files.end());
    } else {
      return scan::Status::not_present("no text file at " + root.string());
    }
    if (files.empty()) return scan::Status::not_present("no files under " + root.string());

    std::size_t unreadable = 0;
    std::string buffer(1 << 20, '\0');
    for (const auto& path : files) {
      const std::string rel = path == root ? path.filename().string()
                                           : fs::relative(path, root, ec).generic_string();
      std::ifstream in(path, std::ios::binary);
      if (!in) {
        context.log().warning(fmt::format("cannot read {}", rel));
        ++unreadable;
        continue;
      }
      LineScanner scanner{rel, sink};
      bool first = true;
      while (in) {
        in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
        const auto got = static_cast<std::size_t>(in.gcount());
        if (got == 0) break;
        const std::string_view chunk(buffer.data(), got);
        if (first && looks_binary(chunk)) {
          context.log().info(fmt::format("skipped binary file {}", rel));
          break;
        }
        first = false;
        scanner.feed(chunk);
      }
      scanner.finish();
    }
    if (unreadable == files.size()) return scan::Status::failed("no file could be read");
    return scan::Status::ok();
  }
};

}  // namespace

std::unique_ptr<scan::Module> make_text_lines_module() {
  return std::make_unique<TextLinesModule>();
}

}  // namespace spyglass::artifacts::text
