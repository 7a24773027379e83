#!/usr/bin/env python3
"""A Power Pages site (standard data model) with N table permissions, for timing the pack.

python3 bench/powerpages.py DIR [N]: writes DIR/site/ with 22 web roles (the anonymous and
authenticated ones among them), 200 Web API site settings and N table permissions of every
scope (every fifth a Parent-scope child of the one before), one table per hundred. The
same N gives the same files.
"""
import os
import sys


def main():
    out = sys.argv[1]
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 500
    site = os.path.join(out, "site")
    os.makedirs(os.path.join(site, "table-permissions"), exist_ok=True)
    roles = [("Anonymous Users", True, False), ("Authenticated Users", False, True)]
    roles += [(f"Role {i}", False, False) for i in range(20)]
    with open(os.path.join(site, "webrole.yml"), "w") as f:
        for i, (name, anonymous, authenticated) in enumerate(roles):
            f.write(
                f"- adx_anonymoususersrole: {str(anonymous).lower()}\n"
                f"  adx_authenticatedusersrole: {str(authenticated).lower()}\n"
                f"  adx_name: {name}\n"
                f"  adx_webroleid: 0a000000-0000-4000-8000-{i:012d}\n"
            )
    with open(os.path.join(site, "sitesetting.yml"), "w") as f:
        for t in range(100):
            for k, (setting, value) in enumerate([("enabled", "true"), ("fields", "'*'")]):
                f.write(
                    f"- adx_name: Webapi/cr_t{t}/{setting}\n"
                    f"  adx_sitesettingid: 4c000000-0000-4000-8000-{2 * t + k:012d}\n"
                    f"  adx_value: {value}\n"
                )
    scopes = [756150000, 756150001, 756150002, 756150003, 756150004]
    for i in range(count):
        scope = scopes[i % 5]
        parent = ""
        if scope == 756150003:
            parent = f"adx_parententitypermission: 1b000000-0000-4000-8000-{i - 1:012d}\n"
        path = os.path.join(site, "table-permissions", f"P{i}.tablepermission.yml")
        with open(path, "w") as f:
            f.write(
                "adx_append: false\nadx_appendto: false\n"
                f"adx_create: {str(i % 3 == 0).lower()}\nadx_delete: false\n"
                f"adx_entitylogicalname: cr_t{i % 100}\nadx_entityname: Permission {i}\n"
                "adx_entitypermission_webrole:\n"
                f"- 0a000000-0000-4000-8000-{i % len(roles):012d}\n"
                f"adx_entitypermissionid: 1b000000-0000-4000-8000-{i:012d}\n"
                f"{parent}adx_read: true\nadx_scope: {scope}\n"
                f"adx_write: {str(i % 7 == 0).lower()}\n"
            )


if __name__ == "__main__":
    main()
