#include "core/lookup/detect_kind.hpp"

#include <gtest/gtest.h>

namespace spyglass::lookup {
namespace {

using matching::ObservableKind;

std::vector<ObservableKind> one(ObservableKind k) { return {k}; }

TEST(DetectKind, ClearlyTypedValues) {
  EXPECT_EQ(detect_kinds("https://sip.nsogroup.com/x"), one(ObservableKind::kUrl));
  EXPECT_EQ(detect_kinds("104.223.76.220"), one(ObservableKind::kIp));
  EXPECT_EQ(detect_kinds("2001:db8::1"), one(ObservableKind::kIp));
  EXPECT_EQ(detect_kinds("d41d8cd98f00b204e9800998ecf8427e"), one(ObservableKind::kHash));
  EXPECT_EQ(detect_kinds(std::string(64, 'A')), one(ObservableKind::kHash));
  EXPECT_EQ(detect_kinds("76DAB334-7E17-475D-A5D6-0794EB5818A5"), one(ObservableKind::kProfileId));
  EXPECT_EQ(detect_kinds("someone@example.org"), one(ObservableKind::kEmail));
  EXPECT_EQ(detect_kinds("/private/var/tmp/l/x"), one(ObservableKind::kFilePath));
  EXPECT_EQ(detect_kinds("see evil.com now"), one(ObservableKind::kText));
}

TEST(DetectKind, NamesAreTriedAsEveryNameType) {
  const auto kinds = detect_kinds("sip.nsogroup.com");
  EXPECT_EQ(kinds.front(), ObservableKind::kDomain);
  EXPECT_NE(std::find(kinds.begin(), kinds.end(), ObservableKind::kAppId), kinds.end());
  EXPECT_NE(std::find(kinds.begin(), kinds.end(), ObservableKind::kProcess), kinds.end());
  // A 31-hex-digit string is not a hash: it falls back to the name types.
  EXPECT_EQ(detect_kinds(std::string(31, 'a')).size(), 5U);
  // Not an IP: one octet too many.
  EXPECT_EQ(detect_kinds("1.2.3.4.5").front(), ObservableKind::kDomain);
}

TEST(DetectKind, TypeNames) {
  EXPECT_EQ(kinds_for_type_name("file-path"), one(ObservableKind::kFilePath));
  EXPECT_EQ(kinds_for_type_name("android-property"), one(ObservableKind::kAndroidProperty));
  EXPECT_TRUE(kinds_for_type_name("Domain").empty());
  EXPECT_TRUE(kinds_for_type_name("").empty());
}

}  // namespace
}  // namespace spyglass::lookup
