#pragma once
// Serialises a Value with libplist (used by fixture builders and decrypted-backup output).
// Null values cannot be stored in a plist and are dropped from arrays and dicts.
#include <string>

#include "formats/plist/value.hpp"
#include "support/error.hpp"

namespace spyglass::formats::plist {

Result<std::string> write_binary(const Value& value);
Result<std::string> write_xml(const Value& value);

}  // namespace spyglass::formats::plist
