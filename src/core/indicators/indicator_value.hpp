#pragma once
// Turns an indicator value as a feed wrote it into the form the matcher compares, and
// repairs the feeds' known typing mistakes (an IP literal typed as a domain, a domain
// written with a path).
#include <optional>
#include <string>
#include <string_view>

#include "core/indicators/ioc_type.hpp"

namespace spyglass::indicators {

struct NormalisedValue {
  IocType type = IocType::kDomain;  // effective type (may differ from the declared one)
  std::string value;
  std::string note;  // non-empty: a repair or doubt worth a load warning
};

// nullopt when the value cannot be an indicator of that type (empty, an IP field that holds
// no IP, ...); `why` then says so.
std::optional<NormalisedValue> normalise_value(IocType declared, std::string_view raw,
                                               std::string& why);

}  // namespace spyglass::indicators
