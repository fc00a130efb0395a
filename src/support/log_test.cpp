#include "support/log.hpp"

#include <cstdio>
#include <string>
#include <vector>
#include <cctype>

#include <gtest/gtest.h>

#include "support/temp_dir.hpp"

namespace spyglass {
namespace {

using testing::TempDir;

TEST(Log, FileGetsEveryLevelIncludingEarlyLines) {
  TempDir tmp;
  Logger logger({.quiet = true, .verbose = false, .progress = false}, nullptr);
  logger.log(LogLevel::kDebug, "spyglass.early", "before open");
  ASSERT_TRUE(logger.open_file(tmp / "command.log"));
  logger.log(LogLevel::kInfo, "spyglass.sms", "evil\nforged line");
  logger.close_file();
  const std::string text = testing::read_file(tmp / "command.log");
  // Each line: "YYYY-MM-DD HH:MM:SS,mmm - name - LEVEL - message" (std::regex trips a GCC 12
  // false -Wmaybe-uninitialized under the asan preset, so the shape is checked by hand).
  const std::string stamp = "0000-00-00 00:00:00,000";
  const std::vector<std::string> tails = {" - spyglass.early - DEBUG - before open",
                                          " - spyglass.sms - INFO - evil\\x0aforged line"};
  std::size_t pos = 0;
  for (const std::string& tail : tails) {
    const std::size_t end = text.find('\n', pos);
    ASSERT_NE(end, std::string::npos) << text;
    const std::string line = text.substr(pos, end - pos);
    ASSERT_EQ(line.size(), stamp.size() + tail.size()) << line;
    for (std::size_t i = 0; i < stamp.size(); ++i) {
      const bool digit = std::isdigit(static_cast<unsigned char>(line[i])) != 0;
      EXPECT_EQ(digit, stamp[i] == '0') << line;
      if (!digit) {
        EXPECT_EQ(line[i], stamp[i]) << line;
      }
    }
    EXPECT_EQ(line.substr(stamp.size()), tail);
    pos = end + 1;
  }
  EXPECT_EQ(pos, text.size());
}

TEST(Log, ConsoleRespectsQuietAndVerbose) {
  for (const bool quiet : {false, true}) {
    std::FILE* f = std::tmpfile();
    ASSERT_NE(f, nullptr);
    {
      Logger logger({.quiet = quiet, .verbose = false, .progress = false}, f);
      logger.log(LogLevel::kDebug, "n", "dbg");
      logger.log(LogLevel::kInfo, "n", "inf");
      logger.log(LogLevel::kError, "n", "err");
      logger.progress("not a terminal");
    }
    std::rewind(f);
    char buf[256] = {};
    const std::size_t got = std::fread(buf, 1, sizeof buf - 1, f);
    std::fclose(f);
    const std::string out(buf, got);
    EXPECT_EQ(out, quiet ? "error: [n] err\n" : "[n] inf\nerror: [n] err\n");
  }
}

}  // namespace
}  // namespace spyglass
