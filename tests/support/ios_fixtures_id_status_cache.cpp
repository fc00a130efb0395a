#include "support/ios_fixtures_id_status_cache.hpp"

#include <cstdio>
#include <cstdlib>
#include <utility>

#include "formats/plist/value.hpp"
#include "support/ios_fixtures_preferences.hpp"

namespace spyglass::testing {

namespace plist = formats::plist;

namespace {
// libplist keys are C strings, so a NUL would cut the key short: keys are written with this
// stand-in instead and the exact key bytes are patched afterwards (binary plists store ASCII
// strings as counted bytes, so the patch keeps every offset valid).
constexpr char kNulStandIn = '\x1f';
}  // namespace

std::string id_status_cache_plist(const std::vector<IdStatusLookup>& lookups) {
  plist::Dict root;
  std::vector<std::pair<std::string, std::string>> patches;
  for (const IdStatusLookup& l : lookups) {
    std::string key = l.user;
    for (char& c : key) {
      if (c == '\0') c = kNulStandIn;
    }
    if (key != l.user) patches.emplace_back(key, l.user);
    if (root.find(l.service) == nullptr) root.set(l.service, plist::Dict{});
    plist::Dict entry;
    entry.set("LookupDate", l.lookup_date);
    entry.set("IDStatus", plist::Value(l.id_status));
    root.find(l.service)->as_dict()->set(key, std::move(entry));
  }
  std::string bytes = binary_plist(plist::Value(std::move(root)));
  for (const auto& [stand_in, real] : patches) {
    auto at = bytes.find(stand_in);
    if (at == std::string::npos) {
      std::fprintf(stderr, "id_status_cache_plist: key not found for the NUL patch\n");
      std::abort();
    }
    for (; at != std::string::npos; at = bytes.find(stand_in, at + real.size())) {
      bytes.replace(at, real.size(), real);
    }
  }
  return bytes;
}

}  // namespace spyglass::testing
