#!/usr/bin/env bash
# Prints a hash of the sources a build of doublecheck reads, from the folder given (default:
# the action's). The action compares it with the `source-hash.txt` of a release to know
# whether that release was built from its own sources; the release workflow writes that
# file with this script, so both sides hash the same files the same way.
set -euo pipefail
cd "${1:-$(dirname "$0")/..}"
if command -v sha256sum >/dev/null; then sum=(sha256sum); else sum=(shasum -a 256); fi
find Cargo.toml Cargo.lock build.rs src policies schemas -type f -print0 \
    | LC_ALL=C sort -z | xargs -0 "${sum[@]}" | "${sum[@]}" | cut -c1-32
