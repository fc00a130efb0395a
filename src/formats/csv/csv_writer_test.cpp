// Expected bytes are what CPython's csv.writer(f, quoting=csv.QUOTE_ALL, escapechar="\\")
// writes for the same rows.
#include "formats/csv/csv_writer.hpp"

#include <sstream>

#include <gtest/gtest.h>

namespace spyglass::csv {
namespace {

TEST(CsvWriter, QuotesEveryField) {
  EXPECT_EQ(format_row({"UTC Timestamp", "Plugin", "Event", "Description"}),
            "\"UTC Timestamp\",\"Plugin\",\"Event\",\"Description\"\r\n");
}

TEST(CsvWriter, DoublesQuotesEscapesBackslash) {
  EXPECT_EQ(format_row({"say \"hi\"", "C:\\dir\\"}),
            "\"say \"\"hi\"\"\",\"C:\\\\dir\\\\\"\r\n");
}

TEST(CsvWriter, NewlinesStayRawAndNoneIsEmpty) {
  EXPECT_EQ(format_row({"a\nb\r\nc", std::nullopt, "", "x,y"}),
            "\"a\nb\r\nc\",\"\",\"\",\"x,y\"\r\n");
}

TEST(CsvWriter, KeepsUtf8AndReplacesInvalidBytes) {
  EXPECT_EQ(format_row({"\xC3\xA9", std::string("\xFF")}), "\"\xC3\xA9\",\"\\\\xff\"\r\n");
}

TEST(CsvWriter, WriterStreamsRows) {
  std::ostringstream out;
  Writer w(out);
  w.write_row({"a"});
  w.write_row({});
  w.write_row({"b", "c"});
  EXPECT_EQ(out.str(), "\"a\"\r\n\r\n\"b\",\"c\"\r\n");
}

}  // namespace
}  // namespace spyglass::csv
