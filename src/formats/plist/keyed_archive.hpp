#pragma once
// NSKeyedArchiver archives: a plist with $archiver, $objects and $top, where objects refer to
// each other by UID index into $objects. Lookups are bounded; a full decode rejects cycles and
// deep nesting.
#include <string_view>

#include "formats/plist/reader.hpp"
#include "formats/plist/value.hpp"
#include "support/error.hpp"

namespace spyglass::formats::plist {

class KeyedArchive {
 public:
  static Result<KeyedArchive> parse(std::string_view bytes, const Limits& limits = {});
  static Result<KeyedArchive> from_value(Value archive);

  // The object $top.root names (for MBFile, the MBFile dict).
  const Value& root() const { return objects()[root_index_]; }
  const Array& objects() const { return *archive_.get("$objects")->as_array(); }

  // Follows a UID into $objects; a non-UID value is returned as is. nullptr for the "$null"
  // placeholder. Out-of-range UIDs are malformed.
  Result<const Value*> deref(const Value& value) const;
  // deref(dict[key]); nullptr when the key is absent or "$null".
  Result<const Value*> member(const Value& dict, std::string_view key) const;

  // Plain tree with every UID resolved; NSArray/NSSet, NSDictionary, NSData, NSString and
  // NSDate objects become the matching plist values, other objects dicts without $class plus
  // "$classname".
  Result<Value> decode(const Value& value, const Limits& limits = {}) const;
  Result<Value> decode_root(const Limits& limits = {}) const { return decode(root(), limits); }

 private:
  explicit KeyedArchive(Value archive, std::size_t root) : archive_(std::move(archive)),
                                                           root_index_(root) {}
  Value archive_;
  std::size_t root_index_;
};

}  // namespace spyglass::formats::plist
