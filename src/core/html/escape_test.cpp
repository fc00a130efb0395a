#include "core/html/escape.hpp"

#include <gtest/gtest.h>

namespace spyglass::html {
namespace {

TEST(Escape, PlainTextIsUnchanged) {
  EXPECT_EQ(escape("Hello, world 123 \u00E9\u4E2D\U0001F600"), "Hello, world 123 \u00E9\u4E2D\U0001F600");
}

TEST(Escape, MarkupCharactersBecomeReferences) {
  EXPECT_EQ(escape("<script>alert(\"x\")</script>"),
            "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;");
  EXPECT_EQ(escape("a & b 'c'"), "a &amp; b &#39;c&#39;");
  const std::string out = escape("</textarea><img src=x onerror=alert(1)>");
  EXPECT_EQ(out.find('<'), std::string::npos);
  EXPECT_EQ(out.find('>'), std::string::npos);
}

TEST(Escape, BidiAndInvisibleCharactersAreShown) {
  EXPECT_EQ(escape("invoice\u202Efdp.exe"), "invoice\u27E8U+202E\u27E9fdp.exe");
  EXPECT_EQ(escape("\u2066x\u2069"), "\u27E8U+2066\u27E9x\u27E8U+2069\u27E9");
  EXPECT_EQ(escape("a\u200Bb\uFEFF"), "a\u27E8U+200B\u27E9b\u27E8U+FEFF\u27E9");
  EXPECT_EQ(escape("\u061C\u200F"), "\u27E8U+061C\u27E9\u27E8U+200F\u27E9");
}

TEST(Escape, ControlCharactersAreShownButLineBreaksKept) {
  EXPECT_EQ(escape(std::string("a\x01" "b\x1b" "c\x7f", 6)),
            "a\u27E8U+0001\u27E9b\u27E8U+001B\u27E9c\u27E8U+007F\u27E9");
  EXPECT_EQ(escape(std::string("a\0b", 3)), "a\u27E8U+0000\u27E9b");
  EXPECT_EQ(escape("\u0085"), "\u27E8U+0085\u27E9");
  EXPECT_EQ(escape("line1\r\nline2\tx"), "line1\u27E8U+000D\u27E9\nline2\tx");
}

TEST(Escape, InvalidUtf8BytesAreShownAsHex) {
  EXPECT_EQ(escape("a\xff" "b\xc3"), "a\u27E80xFF\u27E9b\u27E80xC3\u27E9");
  // An overlong '<' must not come back as a real '<'.
  EXPECT_EQ(escape("\xc0\xbc"), "\u27E80xC0\u27E9\u27E80xBC\u27E9");
}

TEST(Escape, BoundedCutsAtCharacterBoundary) {
  std::string out;
  append_escaped_bounded(out, "\u00E9\u00E9\u00E9", 3);  // 6 bytes, cut after one char
  EXPECT_EQ(out, "\u00E9\u2026 [+4 bytes]");
  out.clear();
  append_escaped_bounded(out, "short", 10);
  EXPECT_EQ(out, "short");
}

}  // namespace
}  // namespace spyglass::html
