#!/usr/bin/env bash
# Step 2 of the action: put doublecheck on the PATH, from the prebuilt binary, the cache, or
# a release build of the action's own source (cargo, with the locked dependencies).
set -euo pipefail
action="${GITHUB_ACTION_PATH:?run by GitHub Actions, or set GITHUB_ACTION_PATH}"
dir="${DOUBLECHECK_DIR:?set by the locate step}"
prebuilt="$dir/doublecheck-$(uname -s)-$(uname -m)"
if [[ -x "$prebuilt" ]]; then
    bin="$RUNNER_TEMP/doublecheck-bin"
    mkdir -p "$bin"
    cp "$prebuilt" "$bin/doublecheck"
    dir="$bin"
elif [[ ! -x "$dir/doublecheck" ]]; then
    if ! command -v cargo >/dev/null; then
        echo "::error title=doublecheck::no prebuilt doublecheck for $(uname -s)-$(uname -m) and no cargo to build one; add actions-rust-lang/setup-rust-toolchain (or dtolnay/rust-toolchain) before this step"
        exit 2
    fi
    echo "Building doublecheck from $action (cached for later runs)"
    CARGO_TARGET_DIR="${RUNNER_TEMP:-/tmp}/doublecheck-target" \
        cargo build --release --locked --manifest-path "$action/Cargo.toml"
    mkdir -p "$dir"
    cp "${RUNNER_TEMP:-/tmp}/doublecheck-target/release/doublecheck" "$dir/doublecheck"
fi
echo "$dir" >>"$GITHUB_PATH"
"$dir/doublecheck" --version
