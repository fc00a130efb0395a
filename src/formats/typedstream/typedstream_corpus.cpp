// Writes the typedstream fuzzer's seed corpus (valid archives of each shape and a few broken
// ones) into the folder given, from our own encoder.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <utility>
#include <vector>

#include "support/typedstream_builder.hpp"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: typedstream_corpus <dir>\n");
    return 2;
  }
  namespace fs = std::filesystem;
  using spyglass::testing::AttributedBodyOptions;
  using spyglass::testing::make_attributed_body;
  const fs::path dir = argv[1];
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) {
    std::fprintf(stderr, "typedstream_corpus: %s\n", ec.message().c_str());
    return 1;
  }
  AttributedBodyOptions mut;
  mut.mutable_attributed = true;
  mut.mutable_string = true;
  AttributedBodyOptions big;
  big.big_endian = true;
  AttributedBodyOptions bare;
  bare.attributes = false;
  const std::string long_text(300, 'x');
  std::vector<std::pair<std::string, std::string>> seeds = {
      {"short", make_attributed_body("Your parcel: https://evil.example/t")},
      {"empty", make_attributed_body("")},
      {"utf8", make_attributed_body("Caf\xc3\xa9 \xf0\x9f\x93\xa6 https://x.example")},
      {"mutable", make_attributed_body("mutable text", mut)},
      {"big_endian", make_attributed_body("big endian", big)},
      {"no_attributes", make_attributed_body("no attributes", bare)},
      {"long_2byte_length", make_attributed_body(long_text)},
      {"long_4byte_length", make_attributed_body(std::string(40000, 'y'))},
  };
  std::string truncated = seeds[0].second;
  truncated.resize(truncated.size() / 2);
  seeds.emplace_back("truncated", truncated);
  for (const auto& [name, bytes] : seeds) {
    std::ofstream out(dir / (name + ".typedstream"), std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    if (!out) {
      std::fprintf(stderr, "typedstream_corpus: cannot write %s\n", name.c_str());
      return 1;
    }
  }
  return 0;
}
