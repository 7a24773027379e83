#!/usr/bin/env bash
# Downloads the release binary for TARGET from URL into CACHE and checks it against the
# release's SHA256SUMS. Exit 3: no such release (no SHA256SUMS); exit 4: the release was
# built from other sources than WANT_HASH (when given); exit 1: a download failed or a
# checksum does not match, which stops the action (never a silent fallback to a build).
set -euo pipefail
url="$1" target="$2" exe="$3" cache="$4" want_hash="${5:-}"
work=$(mktemp -d "${RUNNER_TEMP:-/tmp}/doublecheck-download.XXXXXX")
trap 'rm -rf "$work"' EXIT
get() { curl --fail --silent --show-error --location --retry 3 --output "$work/$1" "$url/$1"; }

if ! get SHA256SUMS 2>"$work/error"; then
    echo "doublecheck: no SHA256SUMS at $url ($(tr -d '\n' <"$work/error"))"
    exit 3
fi
# The line of a file in SHA256SUMS: its hash, two spaces (or a space and *), its name.
expected() { awk -v f="$1" '$2 == f || $2 == "*" f { print $1; exit }' "$work/SHA256SUMS"; }
sha() { if command -v sha256sum >/dev/null; then sha256sum "$1"; else shasum -a 256 "$1"; fi | cut -d' ' -f1; }
verify() {
    local want
    want=$(expected "$1")
    if [[ -z "$want" ]]; then
        echo "::error title=doublecheck::$1 is not listed in $url/SHA256SUMS"
        exit 1
    fi
    if [[ "$(sha "$work/$1")" != "$want" ]]; then
        echo "::error title=doublecheck::$1 from $url does not match its SHA256SUMS entry ($want): not used"
        exit 1
    fi
}

if [[ -n "$want_hash" ]]; then
    get source-hash.txt
    verify source-hash.txt
    if [[ "$(tr -d '[:space:]' <"$work/source-hash.txt")" != "$want_hash" ]]; then
        exit 4
    fi
fi
asset="doublecheck-$target${exe#doublecheck}"
get "$asset"
verify "$asset"
mkdir -p "$cache"
mv "$work/$asset" "$cache/$exe"
chmod +x "$cache/$exe"
[[ -f "$work/source-hash.txt" ]] && mv "$work/source-hash.txt" "$cache/source-hash.txt"
echo "doublecheck: downloaded $asset from $url, SHA-256 checked against SHA256SUMS"
