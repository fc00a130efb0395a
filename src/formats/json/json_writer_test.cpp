// Expected bytes are what CPython 3.11 prints for the same object (json.dumps(o, indent=4),
// json.dumps(o), repr(o)), written out by hand.
#include "formats/json/json_writer.hpp"

#include <cmath>
#include <limits>
#include <sstream>

#include <gtest/gtest.h>

namespace spyglass::json {
namespace {

TEST(JsonWriter, ScalarsAsPython) {
  EXPECT_EQ(to_python_json(nullptr), "null");
  EXPECT_EQ(to_python_json(true), "true");
  EXPECT_EQ(to_python_json(false), "false");
  EXPECT_EQ(to_python_json(-42), "-42");
  EXPECT_EQ(to_python_json(std::numeric_limits<std::int64_t>::min()), "-9223372036854775808");
  EXPECT_EQ(to_python_json("a/b"), "\"a/b\"");
}

TEST(JsonWriter, NestedObjectIndentedFour) {
  Value v = obj({{"b", 1}, {"a", arr({"x", nullptr, obj({{"k", false}})})}, {"e", Value::array()},
                 {"o", Value::object()}});
  const std::string expected =
      "{\n"
      "    \"b\": 1,\n"
      "    \"a\": [\n"
      "        \"x\",\n"
      "        null,\n"
      "        {\n"
      "            \"k\": false\n"
      "        }\n"
      "    ],\n"
      "    \"e\": [],\n"
      "    \"o\": {}\n"
      "}";
  EXPECT_EQ(to_python_json(v), expected);
}

TEST(JsonWriter, KeysKeepInsertionOrderAndSetReplaces) {
  Value v = Value::object();
  v.set("z", 1).set("a", 2).set("z", 3);
  EXPECT_EQ(to_json_line(v), "{\"z\": 3, \"a\": 2}");
  ASSERT_NE(v.find("a"), nullptr);
  EXPECT_EQ(v.find("a")->as_int(), 2);
  EXPECT_EQ(v.find("missing"), nullptr);
}

TEST(JsonWriter, AddAppendsWithoutLookingForTheKey) {
  Value v;
  v.add("b", 1).add("a", 2);
  EXPECT_EQ(to_json_line(v), "{\"b\": 1, \"a\": 2}");
  v.set("b", 3);  // set still finds and replaces
  EXPECT_EQ(to_json_line(v), "{\"b\": 3, \"a\": 2}");
}

TEST(JsonWriter, EscapesAsciiOnly) {
  // "é" U+00E9, "€" U+20AC, "😀" U+1F600 (surrogate pair), controls, quote, backslash.
  const std::string s = "q\"b\\ \xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80\n\r\t\b\f\x01\x7F";
  EXPECT_EQ(to_python_json(s),
            "\"q\\\"b\\\\ \\u00e9\\u20ac\\ud83d\\ude00\\n\\r\\t\\b\\f\\u0001\\u007f\"");
}

TEST(JsonWriter, EveryAsciiByteEscapedAsPython) {
  // Python's ensure_ascii rule, byte by byte, around plain text (the writer copies plain
  // runs whole and must still stop at each byte that needs an escape).
  for (int c = 0; c < 0x80; ++c) {
    std::string expected;
    switch (c) {
      case '"': expected = "\\\""; break;
      case '\\': expected = "\\\\"; break;
      case '\n': expected = "\\n"; break;
      case '\r': expected = "\\r"; break;
      case '\t': expected = "\\t"; break;
      case '\b': expected = "\\b"; break;
      case '\f': expected = "\\f"; break;
      default:
        if (c < 0x20 || c == 0x7F) {
          constexpr char kHex[] = "0123456789abcdef";
          expected = std::string("\\u00") + kHex[c >> 4] + kHex[c & 0xF];
        } else {
          expected = std::string(1, static_cast<char>(c));
        }
    }
    const std::string text = std::string("ab") + static_cast<char>(c) + "cd";
    EXPECT_EQ(to_python_json(text), "\"ab" + expected + "cd\"") << "byte " << c;
  }
  // Plain text, then non-ASCII, then escapes again after it.
  EXPECT_EQ(to_python_json(std::string("x\ty\xC3\xA9z\"\xFF")),
            "\"x\\ty\\u00e9z\\\"\\\\xff\"");
}

TEST(JsonWriter, InvalidUtf8IsBackslashReplaced) {
  // Python: b"a\xff\xe2\x82b\xed\xa0\x80".decode("utf-8", "backslashreplace") then dumps.
  const std::string s = "a\xFF\xE2\x82" "b\xED\xA0\x80";
  EXPECT_EQ(to_python_json(s), "\"a\\\\xff\\\\xe2\\\\x82b\\\\xed\\\\xa0\\\\x80\"");
  // Overlong encoding of '/' is invalid too.
  EXPECT_EQ(to_python_json(std::string("\xC0\xAF")), "\"\\\\xc0\\\\xaf\"");
}

TEST(JsonWriter, FloatsAsPythonRepr) {
  EXPECT_EQ(to_python_json(1.0), "1.0");
  EXPECT_EQ(to_python_json(0.1), "0.1");
  EXPECT_EQ(to_python_json(-0.0), "-0.0");
  EXPECT_EQ(to_python_json(0.0), "0.0");
  EXPECT_EQ(to_python_json(1e-05), "1e-05");
  EXPECT_EQ(to_python_json(0.0001), "0.0001");
  EXPECT_EQ(to_python_json(1e16), "1e+16");
  EXPECT_EQ(to_python_json(1e15), "1000000000000000.0");
  EXPECT_EQ(to_python_json(123456789.125), "123456789.125");
  EXPECT_EQ(to_python_json(1.5e300), "1.5e+300");
  EXPECT_EQ(to_python_json(5e-324), "5e-324");
  EXPECT_EQ(to_python_json(1.0 / 3.0), "0.3333333333333333");
  EXPECT_EQ(to_python_json(std::nan("")), "NaN");
  EXPECT_EQ(to_python_json(-std::numeric_limits<double>::infinity()), "-Infinity");
}

TEST(JsonWriter, CompactLine) {
  EXPECT_EQ(to_json_line(obj({{"a", arr({1, 2.5})}, {"b", Value::object()}})),
            "{\"a\": [1, 2.5], \"b\": {}}");
}

TEST(JsonWriter, StreamMatchesWholeDocument) {
  const Value items = arr({obj({{"a", 1}}), "two", Value::array()});
  std::ostringstream out;
  {
    ArrayStreamWriter w(out);
    for (const Value& item : items.as_array()) w.write(item);
    EXPECT_EQ(w.count(), 3u);
  }
  EXPECT_EQ(out.str(), to_python_json(items));
}

TEST(JsonWriter, EmptyStreamIsEmptyList) {
  std::ostringstream out;
  ArrayStreamWriter w(out);
  w.close();
  w.close();
  EXPECT_EQ(out.str(), "[]");
}

TEST(PythonRepr, DictOfScalars) {
  Value v = obj({{"key", "value"}, {"n", 1}, {"b", true}, {"x", nullptr}, {"f", 2.0},
                 {"l", arr({false, Value::object()})}});
  EXPECT_EQ(to_python_repr(v),
            "{'key': 'value', 'n': 1, 'b': True, 'x': None, 'f': 2.0, 'l': [False, {}]}");
}

TEST(PythonRepr, QuoteChoiceAndEscapes) {
  EXPECT_EQ(to_python_repr("it's"), "\"it's\"");
  EXPECT_EQ(to_python_repr("say \"hi\""), "'say \"hi\"'");
  EXPECT_EQ(to_python_repr("both ' and \""), "'both \\' and \"'");
  EXPECT_EQ(to_python_repr("a\\b\n\t\r\x01\x7F"), "'a\\\\b\\n\\t\\r\\x01\\x7f'");
}

TEST(PythonRepr, UnicodePrintableStaysLiteral) {
  // repr("é€😀") keeps them; repr("\xa0\u200b\u2028") escapes them.
  EXPECT_EQ(to_python_repr("\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80"),
            "'\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80'");
  EXPECT_EQ(to_python_repr("\xC2\xA0\xE2\x80\x8B\xE2\x80\xA8"), "'\\xa0\\u200b\\u2028'");
  EXPECT_EQ(to_python_repr("\xF3\xB0\x80\x80"), "'\\U000f0000'");
}

TEST(PythonRepr, InvalidBytesAsBackslashReplacedText) {
  EXPECT_EQ(to_python_repr(std::string("x\xFF")), "'x\\\\xff'");
}

TEST(PythonRepr, SpecialFloats) {
  EXPECT_EQ(to_python_repr(std::numeric_limits<double>::infinity()), "inf");
  EXPECT_EQ(to_python_repr(std::nan("")), "nan");
  EXPECT_EQ(to_python_repr(1e-07), "1e-07");
}

}  // namespace
}  // namespace spyglass::json
