#include "artifacts/text/text_lines/text_lines.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "formats/json/json_writer.hpp"

namespace spyglass::artifacts::text {
namespace {

class CollectingSink final : public scan::RecordSink {
 public:
  void emit(scan::Record record) override { records.push_back(std::move(record)); }
  void alert(scan::StandaloneAlert) override { ++alerts; }
  std::vector<scan::Record> records;
  int alerts = 0;
};

std::vector<std::string> texts(const CollectingSink& sink) {
  std::vector<std::string> out;
  for (const auto& r : sink.records) out.push_back(r.data.find("text")->as_string());
  return out;
}

TEST(TextLines, KeepsOnlyLinesThatMentionNetworkNames) {
  CollectingSink sink;
  scan_text_bytes(
      "hello there\r\n2021-05-02 09:14:11 colis: https://weather4free.com/t/1\n"
      "nothing here\nmail me at someone@example.org\nlast line 104.223.76.220",
      "export.txt", sink);
  ASSERT_EQ(sink.records.size(), 3U);
  EXPECT_EQ(texts(sink)[0], "2021-05-02 09:14:11 colis: https://weather4free.com/t/1");
  const auto& first = sink.records[0];
  EXPECT_EQ(first.provenance.file, "export.txt");
  EXPECT_EQ(first.provenance.locator, "line 2");
  ASSERT_TRUE(first.time.has_value());
  EXPECT_EQ(format_mvt_time(*first.time), "2021-05-02 09:14:11.000000");
  ASSERT_EQ(first.links.size(), 1U);
  EXPECT_EQ(first.links[0], "https://weather4free.com/t/1");
  ASSERT_EQ(first.observables.size(), 1U);
  EXPECT_EQ(first.observables[0].observable.kind, matching::ObservableKind::kText);
  EXPECT_EQ(sink.records[1].provenance.locator, "line 4");
  EXPECT_FALSE(sink.records[1].time.has_value());
  EXPECT_EQ(sink.records[2].provenance.locator, "line 5");  // no trailing newline
}

TEST(TextLines, ChunkBoundariesDoNotChangeRecords) {
  const std::string text =
      "a https://x.example.com/1\nb\nc evil.com and 10.1.1.1\r\n\nd www.example.org/p\n";
  CollectingSink whole;
  scan_text_bytes(text, "f", whole);
  for (std::size_t step = 1; step < text.size(); ++step) {
    CollectingSink chunked;
    LineScanner scanner{"f", chunked};
    for (std::size_t i = 0; i < text.size(); i += step) {
      scanner.feed(std::string_view(text).substr(i, step));
    }
    scanner.finish();
    ASSERT_EQ(texts(chunked), texts(whole)) << "step " << step;
    for (std::size_t i = 0; i < whole.records.size(); ++i) {
      EXPECT_EQ(json::to_json_line(chunked.records[i].data),
                json::to_json_line(whole.records[i].data));
    }
  }
}

TEST(TextLines, EndlessLinesAreCutIntoBoundedPieces) {
  std::string line(kMaxLineBytes * 2 + 100, 'a');
  line.replace(10, 12, " evil.com x ");
  line.replace(kMaxLineBytes + 10, 12, " evil.org x ");
  CollectingSink sink;
  LineScanner scanner{"big.log", sink};
  for (std::size_t i = 0; i < line.size(); i += 4096) {
    scanner.feed(std::string_view(line).substr(i, 4096));
  }
  scanner.finish();
  ASSERT_EQ(sink.records.size(), 2U);
  for (const auto& r : sink.records) {
    EXPECT_LE(r.data.find("text")->as_string().size(), kMaxLineBytes);
    EXPECT_EQ(r.provenance.locator, "line 1");
  }
}

TEST(TextLines, MalformedBytesDoNotBreakScanning) {
  static constexpr char kJunk[] = "\xff\xfe\x00\x01http://\xc3(.com\n\xe2\x80\xae evil.com\n";
  const std::string junk(kJunk, sizeof(kJunk) - 1);  // keeps the embedded NUL
  CollectingSink sink;
  scan_text_bytes(junk, "junk", sink);
  ASSERT_FALSE(sink.records.empty());
  EXPECT_EQ(sink.records.back().provenance.locator, "line 2");
  // Every record's data must serialise (invalid UTF-8 is escaped, not a crash).
  for (const auto& r : sink.records) EXPECT_FALSE(json::to_python_json(r.data).empty());
}

}  // namespace
}  // namespace spyglass::artifacts::text
