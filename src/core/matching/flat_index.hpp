#pragma once
// An open-addressing hash table from (type, value) to a small integer, built once and then
// read without allocation (internal to the matcher). Keys are views into storage owned by
// the caller, which must outlive the table.
//
// Almost every lookup misses (evidence is mostly clean, and a host is tried at each of its
// label suffixes), and a miss in a table of tens of thousands of slots is a cache miss. A
// small Bloom filter (16 bits per key, two probes, 1-2% false positives) answers most misses
// from a few kilobytes that stay in L1/L2.
#include <cstdint>
#include <cstring>
#include <string_view>
#include <vector>

namespace spyglass::matching::detail {

inline std::uint64_t hash_key(std::uint32_t type, std::string_view s) {
  constexpr std::uint64_t kMul = 0x9FB21C651E98DF25ULL;
  std::uint64_t h = (static_cast<std::uint64_t>(type) + 1) * 0x9E3779B97F4A7C15ULL ^ s.size();
  const char* p = s.data();
  std::size_t n = s.size();
  while (n >= 8) {
    std::uint64_t w;
    std::memcpy(&w, p, 8);
    h = (h ^ w) * kMul;
    h ^= h >> 32;
    p += 8;
    n -= 8;
  }
  if (n > 0) {
    std::uint64_t w = 0;
    std::memcpy(&w, p, n);
    h = (h ^ w) * kMul;
  }
  h ^= h >> 29;
  h *= kMul;
  h ^= h >> 32;
  return h;
}

class FlatIndex {
 public:
  static constexpr std::uint32_t kNone = 0xFFFFFFFFU;

  // Keys must be distinct per (type, value); `reserve` is the number of keys to come.
  void reserve(std::size_t keys) {
    std::size_t capacity = 16;
    while (capacity < keys * 2) capacity <<= 1;
    slots_.assign(capacity, Slot{});
    mask_ = capacity - 1;
    std::size_t bits = 512;
    while (bits < keys * 16) bits <<= 1;
    filter_.assign(bits / 64, 0);
    filter_mask_ = bits - 1;
  }

  // Returns the existing id for the key, or stores and returns `id`.
  std::uint32_t insert(std::uint32_t type, std::string_view key, std::uint32_t id) {
    std::uint64_t h = hash_key(type, key);
    for (std::size_t i = h & mask_;; i = (i + 1) & mask_) {
      Slot& s = slots_[i];
      if (s.id == kNone) {
        s = Slot{h, key.data(), static_cast<std::uint32_t>(key.size()), type, id};
        set_bit(h);
        set_bit(second_probe(h));
        return id;
      }
      if (s.hash == h && s.type == type && s.view() == key) return s.id;
    }
  }

  std::uint32_t find(std::uint32_t type, std::string_view key) const {
    if (slots_.empty()) return kNone;
    std::uint64_t h = hash_key(type, key);
    if (!has_bit(h) || !has_bit(second_probe(h))) return kNone;
    for (std::size_t i = h & mask_;; i = (i + 1) & mask_) {
      const Slot& s = slots_[i];
      if (s.id == kNone) return kNone;
      if (s.hash == h && s.type == type && s.view() == key) return s.id;
    }
  }

 private:
  struct Slot {
    std::uint64_t hash = 0;
    const char* data = nullptr;
    std::uint32_t size = 0;
    std::uint32_t type = 0;
    std::uint32_t id = kNone;
    std::string_view view() const { return {data, size}; }
  };
  // The slot index uses the low bits of h; the filter takes bits from elsewhere.
  static std::uint64_t second_probe(std::uint64_t h) { return (h >> 40) | (h << 24); }
  void set_bit(std::uint64_t h) {
    std::uint64_t bit = (h >> 20) & filter_mask_;
    filter_[bit >> 6] |= std::uint64_t{1} << (bit & 63);
  }
  bool has_bit(std::uint64_t h) const {
    std::uint64_t bit = (h >> 20) & filter_mask_;
    return (filter_[bit >> 6] >> (bit & 63)) & 1U;
  }

  std::vector<Slot> slots_;
  std::size_t mask_ = 0;
  std::vector<std::uint64_t> filter_;
  std::uint64_t filter_mask_ = 0;
};

}  // namespace spyglass::matching::detail
