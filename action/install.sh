#!/usr/bin/env bash
# Step 2 of the action: put doublecheck on the PATH: the prebuilt or release binary the locate
# step found, the cached build, or a release build of the action's own source (cargo, with
# the locked dependencies) when the locate step found no release.
set -euo pipefail
action="${GITHUB_ACTION_PATH:?run by GitHub Actions, or set GITHUB_ACTION_PATH}"
dir="${DOUBLECHECK_DIR:?set by the locate step}"
exe=doublecheck
[[ "${RUNNER_OS:-}" == Windows ]] && exe=doublecheck.exe
case "${DOUBLECHECK_SOURCE:-build}" in
    prebuilt)
        bin="${RUNNER_TEMP:-/tmp}/doublecheck-bin"
        mkdir -p "$bin"
        cp "$dir/doublecheck-$(uname -s)-$(uname -m)" "$bin/$exe"
        dir="$bin"
        ;;
    release) ;;
    *)
        if [[ ! -x "$dir/$exe" ]]; then
            if ! command -v cargo >/dev/null; then
                echo "::error title=doublecheck::no release binary for this action's version and no cargo to build one; set the action's version input to a released version, or add a Rust toolchain step (dtolnay/rust-toolchain) before this one"
                exit 2
            fi
            echo "Building doublecheck from $action (cached for later runs)"
            target="${RUNNER_TEMP:-/tmp}/doublecheck-target"
            CARGO_TARGET_DIR="$target" cargo build --release --locked --manifest-path "$action/Cargo.toml"
            mkdir -p "$dir"
            cp "$target/release/$exe" "$dir/$exe"
        fi
        ;;
esac
echo "$dir" >>"$GITHUB_PATH"
"$dir/$exe" --version
