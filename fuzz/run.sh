#!/usr/bin/env bash
# Runs every fuzz target for SECONDS each (default 10), one after the other, on whatever
# Rust toolchain the machine has: `RUSTC_BOOTSTRAP=1` lets stable accept the flags
# cargo-fuzz passes, and `--sanitizer none` needs no nightly-only sanitizer runtime.
# Installs cargo-fuzz from crates.io when it is missing. New inputs go to a temporary
# folder; the committed seeds (fuzz/seeds/<target>) are only read. A crash stops the run
# with the input saved under fuzz/artifacts/<target>/.
#
#   bash fuzz/run.sh            # the bounded run of .ci/run
#   bash fuzz/run.sh 600 scan   # ten minutes of one target
set -euo pipefail
cd "$(dirname "$0")"
seconds=${1:-10}
shift || true

if ! cargo fuzz --version >/dev/null 2>&1; then
    echo "== installing cargo-fuzz (crates.io)"
    cargo install --locked cargo-fuzz
fi

export RUSTC_BOOTSTRAP=1
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
    mapfile -t targets < <(cargo fuzz list)
fi
cargo fuzz build --sanitizer none
for target in "${targets[@]}"; do
    corpus=$(mktemp -d)
    echo "== fuzz $target for ${seconds}s"
    status=0
    cargo fuzz run --sanitizer none "$target" "$corpus" "seeds/$target" -- \
        -max_total_time="$seconds" -timeout=20 -rss_limit_mb=3072 -max_len=65536 \
        -print_final_stats=1 >"$corpus.log" 2>&1 || status=$?
    grep -E '^(stat::number_of_executed_units|stat::peak_rss_mb)|ERROR|panicked|SUMMARY|Test unit written' "$corpus.log" || true
    rm -rf "$corpus" "$corpus.log"
    if [ "$status" -ne 0 ]; then
        echo "fuzz target $target failed (exit $status): see fuzz/artifacts/$target/" >&2
        exit 1
    fi
done
