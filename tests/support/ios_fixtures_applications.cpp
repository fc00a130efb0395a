#include "support/ios_fixtures_applications.hpp"

#include <cstdlib>
#include <iostream>

#include "formats/plist/reader.hpp"
#include "formats/plist/writer.hpp"
#include "support/temp_dir.hpp"

namespace spyglass::testing {

namespace pl = formats::plist;

namespace {

std::string or_die(Result<std::string> r, const char* what) {
  if (!r) {
    std::cerr << what << ": " << r.error().message << "\n";
    std::abort();
  }
  return *r;
}

pl::Bytes as_bytes(const std::string& s) { return pl::Bytes(s.begin(), s.end()); }

}  // namespace

std::string itunes_metadata_plist(const ItunesMetadata& m, bool xml) {
  pl::Dict account;
  account.set("AppleID", "someone@example.org");
  account.set("DSPersonID", std::int64_t{12345678901});
  pl::Dict download;
  download.set("accountInfo", std::move(account));
  if (m.purchase_date) download.set("purchaseDate", *m.purchase_date);
  download.set("releaseDate", "2020-11-10T08:00:00Z");
  pl::Dict d;
  d.set("artistId", std::int64_t{284882218});
  d.set("artistName", m.artist_name);
  d.set("bundleShortVersionString", m.version);
  d.set("bundleVersion", "100");
  d.set("com.apple.iTunesStore.downloadInfo", std::move(download));
  d.set("fileExtension", ".app");
  d.set("genre", "Social Networking");
  d.set("is-purchased-redownload", false);
  d.set("itemId", m.item_id);
  d.set("itemName", m.item_name);
  d.set("kind", "software");
  if (m.bundle_id) d.set("softwareVersionBundleId", *m.bundle_id);
  d.set("softwareVersionExternalIdentifier", std::int64_t{840000000});
  if (m.source_app) d.set("sourceApp", *m.source_app);
  const pl::Value v(std::move(d));
  return or_die(xml ? pl::write_xml(v) : pl::write_binary(v), "itunes_metadata_plist");
}

void add_backup_applications(const std::filesystem::path& backup_dir,
                             const std::vector<BackupApp>& apps) {
  const auto path = backup_dir / "Info.plist";
  auto info = pl::parse(read_file(path));
  if (!info || info->as_dict() == nullptr) {
    std::cerr << "add_backup_applications: unreadable Info.plist\n";
    std::abort();
  }
  pl::Dict list;
  for (const BackupApp& a : apps) {
    pl::Dict e;
    if (a.metadata) e.set("iTunesMetadata", as_bytes(*a.metadata));
    if (a.icon) e.set("PlaceholderIcon", as_bytes(*a.icon));
    list.set(a.bundle, std::move(e));
  }
  info->as_dict()->set("Applications", std::move(list));
  write_file(path, or_die(pl::write_binary(*info), "add_backup_applications"));
}

}  // namespace spyglass::testing
