#pragma once
// Conversions between libplist 2.2 nodes and our Value (internal to formats/plist).
#include <plist/plist.h>

#include <cstddef>

#include "formats/plist/value.hpp"
#include "support/error.hpp"

namespace spyglass::formats::plist::detail {

Result<Value> from_libplist(plist_t node, std::size_t max_depth, std::size_t max_values);
// Returns a new tree the caller frees with plist_free; nullptr only for a Null value, which
// plists cannot store.
plist_t to_libplist(const Value& value);

}  // namespace spyglass::formats::plist::detail
