#!/usr/bin/env bash
# Step 1 of the action: decide where doublecheck comes from, and write `source` (prebuilt,
# release or build) and `dir` to $GITHUB_OUTPUT.
# - prebuilt: a binary next to the action (dist/doublecheck-<OS>-<ARCH>) is used as is;
# - release: the release binary for this runner, from the runner's tool cache or downloaded
#   (download.sh) and checked against the release's SHA256SUMS. The release is the `version`
#   input's, else the one of the version in the action's Cargo.toml when that release was
#   built from the very sources of this action (its source-hash.txt);
# - build: anything else (a branch, an untagged commit, a platform without a release): the
#   install step builds the action's source, in a folder the runner's cache keeps.
set -euo pipefail
action="${GITHUB_ACTION_PATH:?run by GitHub Actions, or set GITHUB_ACTION_PATH}"
out() { echo "$1=$2" >>"$GITHUB_OUTPUT"; }

prebuilt="$action/dist/doublecheck-$(uname -s)-$(uname -m)"
if [[ -x "$prebuilt" ]]; then
    out source prebuilt
    out dir "$(dirname "$prebuilt")"
    exit 0
fi

hash=$(bash "$action/action/source-hash.sh" "$action")
build() {
    echo "doublecheck: $1: building it from the action's source (a few minutes, cached for later runs)"
    out source build
    out source-hash "$hash"
    out dir "${RUNNER_TOOL_CACHE:-${RUNNER_TEMP:-/tmp}}/doublecheck/source-$hash"
    exit 0
}

case "${RUNNER_OS:-}-${RUNNER_ARCH:-}" in
    Linux-X64) target=x86_64-unknown-linux-musl ;;
    Linux-ARM64) target=aarch64-unknown-linux-musl ;;
    macOS-X64) target=x86_64-apple-darwin ;;
    macOS-ARM64) target=aarch64-apple-darwin ;;
    Windows-X64) target=x86_64-pc-windows-msvc ;;
    *) build "no release binary for ${RUNNER_OS:-this OS} on ${RUNNER_ARCH:-this architecture}" ;;
esac

# Where releases are: the action's own repository. github.action_repository is empty inside
# composite actions on some runners, so it is also read from the action's folder
# (…/_actions/OWNER/NAME/REF).
repository="${ACTION_REPOSITORY:-}"
if [[ -z "$repository" && "$action" =~ /_actions/([^/]+)/([^/]+)/[^/]+/?$ ]]; then
    repository="${BASH_REMATCH[1]}/${BASH_REMATCH[2]}"
fi

if [[ -n "${INPUT_VERSION:-}" ]]; then
    version="${INPUT_VERSION#v}"
    want_hash=""
    [[ -n "$repository" ]] || {
        echo "::error title=doublecheck::version: $version needs the action to be used from its repository (uses: OWNER/doublecheck@REF), not from a folder"
        exit 2
    }
else
    version=$(sed -n 's/^version = "\(.*\)"$/\1/p' "$action/Cargo.toml" | head -n 1)
    want_hash="$hash"
    [[ -n "$repository" ]] || build "the action is used from a folder, not from its repository"
fi

exe=doublecheck
[[ "$target" == *windows* ]] && exe=doublecheck.exe
cache="${RUNNER_TOOL_CACHE:-${RUNNER_TEMP:-/tmp}}/doublecheck/$version/$target"
if [[ -f "$cache.complete" && -x "$cache/$exe" ]] && { [[ -z "$want_hash" ]] || [[ "$(cat "$cache/source-hash.txt" 2>/dev/null)" == "$want_hash" ]]; }; then
    echo "doublecheck $version ($target) from the runner's tool cache"
    out source release
    out dir "$cache"
    exit 0
fi

url="${GITHUB_SERVER_URL:-https://github.com}/$repository/releases/download/v$version"
status=0
bash "$action/action/download.sh" "$url" "$target" "$exe" "$cache" "$want_hash" || status=$?
case "$status" in
    0)
        touch "$cache.complete"
        out source release
        out dir "$cache"
        ;;
    3)
        [[ -z "${INPUT_VERSION:-}" ]] || {
            echo "::error title=doublecheck::no release v$version of doublecheck at $url: check the version input"
            exit 2
        }
        build "no release v$version at $url"
        ;;
    4) build "release v$version was built from other sources than this action's (a branch or an untagged commit)" ;;
    *) exit "$status" ;;
esac
