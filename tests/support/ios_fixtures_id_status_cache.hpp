#pragma once
// com.apple.identityservices.idstatuscache.plist as identityservicesd writes it: a binary
// plist {service: {user: {LookupDate: <real, Mac absolute seconds>, IDStatus: <int>}}}.
#include <cstdint>
#include <string>
#include <vector>

namespace spyglass::testing {

struct IdStatusLookup {
  std::string service;     // "com.apple.madrid" (iMessage), "com.apple.ess" (FaceTime), ...
  std::string user;        // "mailto:a@b.example", "tel:+41790000000"; may hold NUL bytes
  double lookup_date = 0;  // Mac absolute seconds
  std::int64_t id_status = 1;
};

// Services and users keep their first-seen order. User keys may contain NUL bytes (libplist
// cannot write them; they are patched into the binary output).
std::string id_status_cache_plist(const std::vector<IdStatusLookup>& lookups);

}  // namespace spyglass::testing
