#include "support/ios_mbfile_builder.hpp"

#include <stdexcept>

#include "formats/plist/writer.hpp"

namespace spyglass::testing {

namespace pl = spyglass::formats::plist;

std::string build_mbfile_blob(const MbFileSpec& spec) {
  pl::Array objects;
  objects.emplace_back("$null");
  pl::Dict mbfile;
  objects.emplace_back();  // placeholder for the MBFile dict, filled below
  auto add = [&objects](pl::Value v) {
    objects.push_back(std::move(v));
    return pl::Uid{objects.size() - 1};
  };
  const pl::Uid rel = add(pl::Value(spec.relative_path));
  std::optional<pl::Uid> key;
  std::optional<pl::Uid> target;
  if (spec.encryption_key) {
    pl::Dict data;
    data.set("NS.data", pl::Bytes(spec.encryption_key->begin(), spec.encryption_key->end()));
    key = add(pl::Value(std::move(data)));  // $class set once the class dict exists
  }
  if (spec.target) target = add(pl::Value(*spec.target));
  if (key) {
    pl::Dict cls;
    cls.set("$classname", "NSMutableData");
    cls.set("$classes", pl::Array{"NSMutableData", "NSData", "NSObject"});
    const pl::Uid data_class = add(pl::Value(std::move(cls)));
    objects[key->value].as_dict()->set("$class", data_class);
  }
  pl::Dict cls;
  cls.set("$classname", "MBFile");
  cls.set("$classes", pl::Array{"MBFile", "NSObject"});
  const pl::Uid mbfile_class = add(pl::Value(std::move(cls)));

  mbfile.set("$class", mbfile_class);
  mbfile.set("Birth", spec.birth);
  mbfile.set("LastModified", spec.last_modified);
  mbfile.set("LastStatusChange", spec.last_status_change);
  mbfile.set("Flags", spec.flags);
  mbfile.set("GroupID", spec.group_id);
  mbfile.set("UserID", spec.user_id);
  mbfile.set("Mode", spec.mode);
  mbfile.set("Size", spec.size);
  mbfile.set("InodeNumber", spec.inode);
  mbfile.set("ProtectionClass", spec.protection_class);
  mbfile.set("RelativePath", rel);
  if (key) mbfile.set("EncryptionKey", *key);
  if (target) mbfile.set("Target", *target);
  objects[1] = pl::Value(std::move(mbfile));

  pl::Dict top;
  top.set("root", pl::Uid{1});
  pl::Dict archive;
  archive.set("$version", 100000);
  archive.set("$archiver", "NSKeyedArchiver");
  archive.set("$top", std::move(top));
  archive.set("$objects", std::move(objects));
  auto bytes = pl::write_binary(pl::Value(std::move(archive)));
  if (!bytes) throw std::runtime_error("MBFile plist: " + bytes.error().message);
  return *bytes;
}

}  // namespace spyglass::testing
