#include "core/indicators/ioc_type.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace spyglass::indicators {
namespace {

TEST(IocType, MvtNamesAreTheReferenceToolsCollectionKeys) {
  EXPECT_EQ(mvt_type_name(IocType::kDomain), "domains");
  EXPECT_EQ(mvt_type_name(IocType::kUrl), "urls");
  EXPECT_EQ(mvt_type_name(IocType::kProcess), "processes");
  EXPECT_EQ(mvt_type_name(IocType::kEmail), "emails");
  EXPECT_EQ(mvt_type_name(IocType::kFileName), "file_names");
  EXPECT_EQ(mvt_type_name(IocType::kFilePath), "file_paths");
  EXPECT_EQ(mvt_type_name(IocType::kHashMd5), "files_md5");
  EXPECT_EQ(mvt_type_name(IocType::kHashSha1), "files_sha1");
  EXPECT_EQ(mvt_type_name(IocType::kHashSha256), "files_sha256");
  EXPECT_EQ(mvt_type_name(IocType::kAppId), "app_ids");
  EXPECT_EQ(mvt_type_name(IocType::kAppCert), "app_cert_hashes");
  EXPECT_EQ(mvt_type_name(IocType::kProfileId), "ios_profile_ids");
  EXPECT_EQ(mvt_type_name(IocType::kAndroidProperty), "android_property_names");
  EXPECT_EQ(mvt_type_name(IocType::kIp), "ips");
  EXPECT_EQ(mvt_type_name(IocType::kHashSha512), "files_sha512");
}

TEST(IocType, NamesAreDistinctWhereTheyMustBe) {
  std::set<std::string> mvt, stats, cli;
  for (IocType t : kAllIocTypes) {
    mvt.emplace(mvt_type_name(t));
    stats.emplace(stats_name(t));
    cli.emplace(cli_name(t));
  }
  EXPECT_EQ(mvt.size(), kAllIocTypes.size());
  EXPECT_EQ(stats.size(), kAllIocTypes.size());
  EXPECT_EQ(cli.size(), kAllIocTypes.size() - 3);  // four hash kinds share "hash"
  EXPECT_EQ(cli_name(IocType::kHashSha512), "hash");
  EXPECT_EQ(stats_name(IocType::kHashSha512), "hash-sha512");
  EXPECT_EQ(cli_name(IocType::kAppCert), "cert");
  EXPECT_EQ(cli_name(IocType::kFilePath), "file-path");
}

TEST(IocType, CaseSensitivity) {
  for (IocType t : {IocType::kProcess, IocType::kFileName, IocType::kFilePath, IocType::kUrl}) {
    EXPECT_FALSE(is_case_insensitive(t)) << cli_name(t);
  }
  for (IocType t : {IocType::kDomain, IocType::kIp, IocType::kEmail, IocType::kHashMd5,
                    IocType::kHashSha1, IocType::kHashSha256, IocType::kHashSha512, IocType::kAppId,
                    IocType::kAppCert, IocType::kProfileId, IocType::kAndroidProperty}) {
    EXPECT_TRUE(is_case_insensitive(t)) << stats_name(t);
  }
}

}  // namespace
}  // namespace spyglass::indicators
