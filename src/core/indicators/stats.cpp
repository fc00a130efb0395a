#include "core/indicators/stats.hpp"

#include <algorithm>
#include <array>
#include <map>
#include <set>
#include <string_view>
#include <unordered_map>

namespace spyglass::indicators {
namespace {

using TypedValue = std::pair<IocType, std::string_view>;

// Unique values, with a count per type.
class UniqueCounter {
 public:
  void add(const Indicator& indicator) {
    if (seen_.emplace(indicator.type, indicator.value).second) {
      ++per_type_[static_cast<std::size_t>(indicator.type)];
    }
  }
  std::uint64_t total() const { return seen_.size(); }
  TypeCounts by_type() const {
    TypeCounts out;
    for (IocType type : kAllIocTypes) {
      const std::uint64_t n = per_type_[static_cast<std::size_t>(type)];
      if (n != 0) out.emplace_back(std::string(stats_name(type)), n);
    }
    return out;
  }

 private:
  std::set<TypedValue> seen_;
  std::array<std::uint64_t, kAllIocTypes.size()> per_type_{};
};

}  // namespace

IocStats compute_stats(const IndicatorSet& set) {
  UniqueCounter all;
  std::vector<UniqueCounter> per_file(set.files().size());
  std::vector<CollectionStats> collections;
  std::vector<UniqueCounter> per_collection;
  std::vector<std::size_t> collection_slot(set.collections().size());
  std::unordered_map<std::string_view, std::size_t> slot_by_name;
  for (std::size_t i = 0; i < set.collections().size(); ++i) {
    const Collection& c = set.collections()[i];
    auto [it, inserted] = slot_by_name.emplace(c.name, collections.size());
    if (inserted) {
      collections.push_back({c.name, c.kind, {}, 0});
      per_collection.emplace_back();
    }
    collection_slot[i] = it->second;
    auto& files = collections[it->second].files;
    const std::string& file =
        c.file < set.files().size() ? set.files()[c.file].display_name : std::string();
    if (std::find(files.begin(), files.end(), file) == files.end()) files.push_back(file);
  }

  for (const Indicator& indicator : set.indicators()) {
    all.add(indicator);
    if (indicator.file < per_file.size()) per_file[indicator.file].add(indicator);
    for (std::uint32_t c : indicator.collections) {
      if (c < collection_slot.size()) per_collection[collection_slot[c]].add(indicator);
    }
  }

  IocStats stats;
  stats.total = all.total();
  stats.by_type = all.by_type();
  for (std::size_t i = 0; i < collections.size(); ++i) {
    collections[i].count = per_collection[i].total();
  }
  stats.by_collection = std::move(collections);
  for (std::size_t i = 0; i < set.files().size(); ++i) {
    const SourceFile& f = set.files()[i];
    stats.by_file.push_back({f.display_name, f.sha256, per_file[i].total(), per_file[i].by_type()});
  }
  return stats;
}

}  // namespace spyglass::indicators
