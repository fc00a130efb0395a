#include "support/output_dir.hpp"

#include <algorithm>

namespace spyglass {
namespace fs = std::filesystem;

bool path_is_within(const fs::path& inner, const fs::path& outer) {
  auto i = inner.begin();
  for (auto o = outer.begin(); o != outer.end(); ++o, ++i) {
    if (o->empty()) continue;  // a trailing separator yields an empty last component
    if (i == inner.end() || *i != *o) return false;
  }
  return true;
}

Result<fs::path> prepare_output_dir(const fs::path& output, const fs::path& evidence,
                                    bool overwrite) {
  std::error_code ec;
  const fs::path evid = fs::weakly_canonical(evidence, ec);
  if (ec) return make_error(ErrorCode::kIo, "cannot resolve " + evidence.string() + ": " + ec.message());
  const fs::path out = fs::weakly_canonical(output, ec);
  if (ec) return make_error(ErrorCode::kIo, "cannot resolve " + output.string() + ": " + ec.message());

  if (path_is_within(out, evid)) {
    return make_error(ErrorCode::kInvalidArgument,
                      "the output folder " + out.string() +
                          " is inside the evidence " + evid.string() +
                          "; the evidence is never written: choose a folder outside it");
  }
  const fs::file_status st = fs::status(out, ec);
  if (ec && ec != std::errc::no_such_file_or_directory) {
    return make_error(ErrorCode::kIo, "cannot access " + out.string() + ": " + ec.message());
  }
  if (fs::exists(st)) {
    if (!fs::is_directory(st)) {
      return make_error(ErrorCode::kInvalidArgument,
                        "the output path " + out.string() + " exists and is not a folder");
    }
    const bool empty = fs::is_empty(out, ec);
    if (ec) return make_error(ErrorCode::kIo, "cannot list " + out.string() + ": " + ec.message());
    if (!empty) {
      if (!overwrite) {
        return make_error(ErrorCode::kInvalidArgument,
                          "the output folder " + out.string() +
                              " is not empty; choose another or pass --overwrite");
      }
      if (path_is_within(evid, out)) {
        return make_error(ErrorCode::kInvalidArgument,
                          "refusing to overwrite " + out.string() +
                              ": it contains the evidence " + evid.string());
      }
      std::vector<fs::path> entries;
      for (fs::directory_iterator it(out, ec), end; !ec && it != end; it.increment(ec)) {
        entries.push_back(it->path());
      }
      if (ec) return make_error(ErrorCode::kIo, "cannot list " + out.string() + ": " + ec.message());
      for (const fs::path& entry : entries) {
        // remove_all on a symlink removes the link, never what it points to.
        fs::remove_all(entry, ec);
        if (ec) {
          return make_error(ErrorCode::kIo, "cannot remove " + entry.string() + ": " + ec.message());
        }
      }
    }
  } else {
    fs::create_directories(out, ec);
    if (ec) return make_error(ErrorCode::kIo, "cannot create " + out.string() + ": " + ec.message());
  }
  fs::path canonical = fs::canonical(out, ec);
  if (ec) return make_error(ErrorCode::kIo, "cannot resolve " + out.string() + ": " + ec.message());
  return canonical;
}

}  // namespace spyglass
