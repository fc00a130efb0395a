#pragma once
// AddressBook.sqlitedb as iOS writes it (ABPerson, ABMultiValue, ABMultiValueLabel; the
// columns of iOS 13-17, minus the GUID default that needs the device's SQL function).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace spyglass::testing {

struct ContactValue {
  std::int64_t property = 3;         // 3 phone, 4 e-mail, 22 URL
  std::optional<std::string> label;  // "_$!<Mobile>!$_"
  std::optional<std::string> value;
};

struct ContactPerson {
  std::int64_t id = 0;
  std::optional<std::string> first;
  std::optional<std::string> middle;
  std::optional<std::string> last;
  std::optional<std::string> organization;
  std::vector<ContactValue> values;
};

std::string address_book_db(const std::vector<ContactPerson>& people);

}  // namespace spyglass::testing
