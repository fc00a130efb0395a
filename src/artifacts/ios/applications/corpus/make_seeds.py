#!/usr/bin/env python3
"""Writes the itunes_metadata_fuzz seeds (iTunesMetadata plists) next to this file."""
import datetime
import os
import plistlib

here = os.path.dirname(os.path.abspath(__file__))
md = {
    "artistId": 284882218, "artistName": "Vendor Ltd", "bundleShortVersionString": "1.0",
    "bundleVersion": "100",
    "com.apple.iTunesStore.downloadInfo": {
        "accountInfo": {"AppleID": "someone@example.org", "DSPersonID": 12345678901},
        "purchaseDate": "2021-03-01T12:00:00Z", "releaseDate": "2020-11-10T08:00:00Z"},
    "fileExtension": ".app", "genre": "Social Networking", "is-purchased-redownload": False,
    "itemId": 310633997, "itemName": "App", "kind": "software",
    "softwareVersionBundleId": "com.example.app", "sourceApp": "com.apple.AppStore",
}
sideloaded = dict(md, sourceApp="com.sideload.installer")
no_id = {k: v for k, v in md.items() if k != "softwareVersionBundleId"}
date_typed = dict(md)
date_typed["com.apple.iTunesStore.downloadInfo"] = {
    "purchaseDate": datetime.datetime(2021, 3, 1, 12, 0, 0)}
seeds = {
    "metadata.bplist": plistlib.dumps(md, fmt=plistlib.FMT_BINARY),
    "metadata.xml": plistlib.dumps(md, fmt=plistlib.FMT_XML),
    "sideloaded.bplist": plistlib.dumps(sideloaded, fmt=plistlib.FMT_BINARY),
    "no_bundle_id.bplist": plistlib.dumps(no_id, fmt=plistlib.FMT_BINARY),
    "date_typed.bplist": plistlib.dumps(date_typed, fmt=plistlib.FMT_BINARY),
}
for name, data in seeds.items():
    with open(os.path.join(here, name), "wb") as f:
        f.write(data)
