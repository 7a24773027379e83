#!/usr/bin/env bash
# Step 1 of the action: decide where doublecheck comes from. A prebuilt binary next to the
# action (dist/doublecheck-<OS>-<ARCH>) is used as is; otherwise the action's own source is
# built once per source version, in a folder the runner's cache keeps between runs.
set -euo pipefail
action="${GITHUB_ACTION_PATH:?run by GitHub Actions, or set GITHUB_ACTION_PATH}"
prebuilt="$action/dist/doublecheck-$(uname -s)-$(uname -m)"
if [[ -x "$prebuilt" ]]; then
    echo "prebuilt=true" >>"$GITHUB_OUTPUT"
    echo "dir=$(dirname "$prebuilt")" >>"$GITHUB_OUTPUT"
    exit 0
fi
# hashFiles() only sees the workspace, not the action's folder: hash the sources here.
hash=$(cd "$action" && find Cargo.toml Cargo.lock build.rs src policies schemas -type f -print0 \
    | LC_ALL=C sort -z | xargs -0 sha256sum | sha256sum | cut -c1-32)
echo "prebuilt=false" >>"$GITHUB_OUTPUT"
echo "source-hash=$hash" >>"$GITHUB_OUTPUT"
echo "dir=${RUNNER_TOOL_CACHE:-${RUNNER_TEMP:-/tmp}}/doublecheck/$hash" >>"$GITHUB_OUTPUT"
