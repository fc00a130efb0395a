#pragma once
// Key material and passwords: wiped with OPENSSL_cleanse when dropped.
#include <openssl/crypto.h>

#include <cstdint>
#include <span>
#include <string_view>
#include <utility>
#include <vector>

namespace spyglass::sources::ios_backup {

class SecureBytes {
 public:
  SecureBytes() = default;
  explicit SecureBytes(std::size_t n) : bytes_(n) {}
  SecureBytes(const std::uint8_t* p, std::size_t n) : bytes_(p, p + n) {}
  explicit SecureBytes(std::string_view s)
      : SecureBytes(reinterpret_cast<const std::uint8_t*>(s.data()), s.size()) {}
  SecureBytes(const SecureBytes& o) : bytes_(o.bytes_) {}
  SecureBytes& operator=(const SecureBytes& o) {
    if (this != &o) {
      wipe();
      bytes_ = o.bytes_;
    }
    return *this;
  }
  SecureBytes(SecureBytes&& o) noexcept : bytes_(std::move(o.bytes_)) { o.bytes_.clear(); }
  SecureBytes& operator=(SecureBytes&& o) noexcept {
    if (this != &o) {
      wipe();
      bytes_ = std::move(o.bytes_);
      o.bytes_.clear();
    }
    return *this;
  }
  ~SecureBytes() { wipe(); }

  std::uint8_t* data() { return bytes_.data(); }
  const std::uint8_t* data() const { return bytes_.data(); }
  std::size_t size() const { return bytes_.size(); }
  bool empty() const { return bytes_.empty(); }
  std::span<const std::uint8_t> span() const { return bytes_; }
  std::string_view view() const {
    return {reinterpret_cast<const char*>(bytes_.data()), bytes_.size()};
  }
  bool operator==(const SecureBytes& o) const { return bytes_ == o.bytes_; }

 private:
  void wipe() {
    if (!bytes_.empty()) OPENSSL_cleanse(bytes_.data(), bytes_.size());
  }
  std::vector<std::uint8_t> bytes_;
};

}  // namespace spyglass::sources::ios_backup
