#!/usr/bin/env bash
# Benchmark doublecheck on a generated corpus (or on an existing tree).
#
#   bash bench/run.sh [--files N] [--seed S] [--dir EXISTING_DIR] [--runs R]
#                     [--no-build] [--bin PATH] [--keep]
#
# Needs: bash, python3 (standard library only), cargo (unless --no-build),
# GNU coreutils/findutils, and GNU time at /usr/bin/time. The latter is not
# the shell's `time` keyword: on Debian/Ubuntu it comes from the `time`
# package (apt-get install time), on Fedora/RHEL from `time` (dnf install time).
#
# See bench/README.md for what the figures mean.

set -euo pipefail

usage() {
    cat <<'EOF'
usage: bash bench/run.sh [options]

  --files N       files in the generated tree (default 5000)
  --seed S        generator seed (default 1)
  --profile-lines L  instead of a mixed tree, generate one guest profile of about L lines
  --dir DIR       benchmark an existing directory instead of generating one
                  (it is only read, never modified)
  --runs R        timed runs of each command; the median is reported (default 3)
  --no-build      skip `cargo build --release`
  --bin PATH      doublecheck binary to run
                  (default: $CARGO_TARGET_DIR or <repo>/target, then release/doublecheck)
  --keep          keep the generated tree and print where it is
  -h, --help      show this help
EOF
}

die() { echo "run.sh: $*" >&2; exit 2; }

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$SCRIPT_DIR/.." && pwd)

FILES=5000
SEED=1
DIR=""
PROFILE_LINES=""
RUNS=3
BUILD=1
BIN=""
KEEP=0

while [ $# -gt 0 ]; do
    case "$1" in
        --files) [ $# -ge 2 ] || die "--files needs a value"; FILES=$2; shift 2 ;;
        --files=*) FILES=${1#*=}; shift ;;
        --seed) [ $# -ge 2 ] || die "--seed needs a value"; SEED=$2; shift 2 ;;
        --seed=*) SEED=${1#*=}; shift ;;
        --profile-lines) [ $# -ge 2 ] || die "--profile-lines needs a value"; PROFILE_LINES=$2; shift 2 ;;
        --profile-lines=*) PROFILE_LINES=${1#*=}; shift ;;
        --dir) [ $# -ge 2 ] || die "--dir needs a value"; DIR=$2; shift 2 ;;
        --dir=*) DIR=${1#*=}; shift ;;
        --runs) [ $# -ge 2 ] || die "--runs needs a value"; RUNS=$2; shift 2 ;;
        --runs=*) RUNS=${1#*=}; shift ;;
        --no-build) BUILD=0; shift ;;
        --bin) [ $# -ge 2 ] || die "--bin needs a value"; BIN=$2; shift 2 ;;
        --bin=*) BIN=${1#*=}; shift ;;
        --keep) KEEP=1; shift ;;
        -h|--help) usage; exit 0 ;;
        *) usage >&2; die "unknown argument: $1" ;;
    esac
done

case "$FILES" in ''|*[!0-9]*) die "--files must be a positive integer" ;; esac
case "$SEED" in ''|*[!0-9]*) die "--seed must be a non-negative integer" ;; esac
case "$RUNS" in ''|*[!0-9]*|0) die "--runs must be a positive integer" ;; esac
[ "$FILES" -gt 0 ] || die "--files must be a positive integer"

# /usr/bin/time is GNU time (Debian package `time`), not the bash keyword.
TIME=/usr/bin/time
[ -x "$TIME" ] || die "$TIME not found; install GNU time (Debian/Ubuntu: apt-get install time)"
"$TIME" -f '%e %U %S %M' -o /dev/null true 2>/dev/null \
    || die "$TIME does not accept GNU options (-f, -o); install GNU time"
command -v python3 >/dev/null || die "python3 not found"

# ---------------------------------------------------------------- build
if [ "$BUILD" -eq 1 ]; then
    command -v cargo >/dev/null || die "cargo not found (install Rust, or pass --no-build --bin PATH)"
    echo "building: cargo build --release (in $ROOT)" >&2
    (cd "$ROOT" && cargo build --release) >&2
fi
if [ -z "$BIN" ]; then
    TARGET_DIR=${CARGO_TARGET_DIR:-$ROOT/target}
    case "$TARGET_DIR" in /*) ;; *) TARGET_DIR=$ROOT/$TARGET_DIR ;; esac
    BIN=$TARGET_DIR/release/doublecheck
fi
[ -x "$BIN" ] || die "no executable at $BIN (build it, or pass --bin PATH)"
case "$BIN" in /*) ;; *) BIN=$(cd "$(dirname "$BIN")" && pwd)/$(basename "$BIN") ;; esac

# ---------------------------------------------------------------- tree
WORK=$(mktemp -d "${TMPDIR:-/tmp}/doublecheck-bench.XXXXXX")
cleanup() {
    if [ "$KEEP" -eq 1 ]; then
        echo "kept: $WORK (generated tree, if any, in tree/; raw GNU time output in *.time)" >&2
    else
        rm -rf "$WORK"
    fi
}
trap cleanup EXIT

if [ -n "$DIR" ]; then
    [ -d "$DIR" ] || die "--dir $DIR is not a directory"
    TREE=$(cd "$DIR" && pwd)
    SOURCE="existing directory"
else
    TREE=$WORK/tree
    if [ -n "$PROFILE_LINES" ]; then
        echo "generating: python3 bench/generate.py --profile-lines $PROFILE_LINES --seed $SEED" >&2
        python3 "$SCRIPT_DIR/generate.py" "$TREE" --profile-lines "$PROFILE_LINES" --seed "$SEED" >&2
    else
        echo "generating: python3 bench/generate.py --files $FILES --seed $SEED" >&2
        python3 "$SCRIPT_DIR/generate.py" "$TREE" --files "$FILES" --seed "$SEED" >&2
    fi
    if [ -n "$PROFILE_LINES" ]; then SOURCE="generated, --profile-lines $PROFILE_LINES --seed $SEED"; else SOURCE="generated, --files $FILES --seed $SEED"; fi
fi

# Files and bytes, counted the way the cat baseline reads them: regular files,
# symlinks not followed, any .git directory skipped (doublecheck never reads
# inside .git either, and a repository's object store would dwarf the rest).
read -r TREE_FILES TREE_BYTES < <(python3 - "$TREE" <<'EOF'
import os, sys
n = size = 0
for d, dirs, files in os.walk(sys.argv[1]):
    dirs[:] = [x for x in dirs if x != ".git"]
    for f in files:
        p = os.path.join(d, f)
        if os.path.isfile(p) and not os.path.islink(p):
            n += 1
            size += os.path.getsize(p)
print(n, size)
EOF
)
[ "$TREE_FILES" -gt 0 ] || die "no files in $TREE"

# ---------------------------------------------------------------- timing
# Baseline: read every file once, single-threaded, output discarded.
cat_tree() {
    find "$TREE" -name .git -prune -o -type f -print0 | xargs -0 -r cat > /dev/null
}
export TREE
CAT_CMD=(sh -c 'find "$TREE" -name .git -prune -o -type f -print0 | xargs -0 -r cat > /dev/null')
DC_CMD=("$BIN" scan --format json "$TREE")

now_ns() { date +%s%N; }

# timed NAME RUN CMD...: runs CMD under GNU time, appends
# "wall_seconds user sys maxrss_kib exit_status" to $WORK/NAME.results.
# Wall time is taken with a nanosecond clock around the call because
# GNU time's %e has only 10 ms resolution; %U %S %M come from GNU time.
timed() {
    local name=$1 run=$2; shift 2
    local t0 t1 status=0
    t0=$(now_ns)
    "$TIME" -f '%e %U %S %M' -o "$WORK/$name.$run.time" "$@" > /dev/null 2> "$WORK/$name.$run.err" || status=$?
    t1=$(now_ns)
    # GNU time writes "Command exited with non-zero status N" (or "Command
    # terminated by signal N") before the formatted line; keep the last line.
    local fields
    fields=$(tail -n 1 "$WORK/$name.$run.time")
    echo "$(( (t1 - t0) / 1000 )) $fields $status" >> "$WORK/$name.results"
    return "$status"
}

check_dc_status() {
    local status=$1 run=$2
    case "$status" in
        0|1) ;;  # 1 = findings reported, the normal case for this corpus
        *)
            echo "run.sh: doublecheck failed with exit status $status (run $run):" >&2
            echo "  $BIN scan --format json $TREE" >&2
            cat "$WORK/doublecheck.$run.time" >&2 || true
            tail -n 20 "$WORK/doublecheck.$run.err" >&2 || true
            exit 2 ;;
    esac
}

echo "warming page cache and checking doublecheck runs" >&2
cat_tree
status=0
"${DC_CMD[@]}" > /dev/null 2> "$WORK/doublecheck.warmup.err" || status=$?
case "$status" in
    0|1) ;;
    *)
        echo "run.sh: doublecheck failed with exit status $status:" >&2
        echo "  $BIN scan --format json $TREE" >&2
        tail -n 20 "$WORK/doublecheck.warmup.err" >&2
        exit 2 ;;
esac
DC_EXIT=$status

# Interleave baseline and doublecheck runs so drift (thermal, other load)
# affects both alike.
for run in $(seq 1 "$RUNS"); do
    echo "run $run/$RUNS" >&2
    timed cat "$run" "${CAT_CMD[@]}" || die "cat baseline failed (run $run): $(cat "$WORK/cat.$run.err")"
    status=0
    timed doublecheck "$run" "${DC_CMD[@]}" || status=$?
    check_dc_status "$status" "$run"
done

# ---------------------------------------------------------------- report
VERSION=$("$BIN" --version 2>/dev/null | head -n 1 || true)
COMMIT=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || true)
if [ -n "$COMMIT" ] && [ -n "$(git -C "$ROOT" status --porcelain --untracked-files=no 2>/dev/null || true)" ]; then
    COMMIT="$COMMIT + uncommitted changes"
fi
CPU_MODEL=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo 2>/dev/null | head -n 1 || true)
NPROC=$(nproc 2>/dev/null || getconf _NPROCESSORS_ONLN 2>/dev/null || echo '?')

BENCH_WORK=$WORK BENCH_FILES=$TREE_FILES BENCH_BYTES=$TREE_BYTES BENCH_BIN=$BIN \
BENCH_VERSION=$VERSION BENCH_ROOT=$ROOT BENCH_COMMIT=$COMMIT BENCH_TREE=$TREE \
BENCH_SOURCE=$SOURCE BENCH_NPROC=$NPROC BENCH_CPU=$CPU_MODEL BENCH_RUNS=$RUNS \
BENCH_DC_EXIT=$DC_EXIT python3 - <<'EOF'
import os, statistics

env = os.environ
work = env["BENCH_WORK"]
files, size = int(env["BENCH_FILES"]), int(env["BENCH_BYTES"])
dc_exit = int(env["BENCH_DC_EXIT"])

def load(name):
    rows = []
    with open(os.path.join(work, name + ".results")) as fh:
        for line in fh:
            # wall_us  %e  %U  %S  %M(KiB)  exit_status
            wall_us, _e, u, s, m, status = line.split()
            rows.append({"wall": int(wall_us) / 1e6, "cpu": float(u) + float(s),
                         "rss": int(m) / 1024.0})
    return rows

def summary(rows):
    wall = statistics.median(r["wall"] for r in rows)
    return {"wall": wall, "cpu": statistics.median(r["cpu"] for r in rows),
            "rss": max(r["rss"] for r in rows),
            "fps": files / wall if wall > 0 else float("inf"),
            "walls": [r["wall"] for r in rows]}

dc, base = summary(load("doublecheck")), summary(load("cat"))
mib = size / 1048576.0

print()
print("doublecheck benchmark")
print("  binary   %s%s" % (env["BENCH_BIN"], "  [%s]" % env["BENCH_VERSION"] if env["BENCH_VERSION"] else ""))
if env["BENCH_COMMIT"]:
    print("  source   %s @ %s" % (env["BENCH_ROOT"], env["BENCH_COMMIT"]))
print("  tree     %s (%s)" % (env["BENCH_TREE"], env["BENCH_SOURCE"]))
print("  machine  %s CPUs%s" % (env["BENCH_NPROC"], ", " + env["BENCH_CPU"] if env["BENCH_CPU"] else ""))
print("  method   %s timed runs of each command, interleaved, page cache warm;"
      " median wall and CPU time, largest peak RSS" % env["BENCH_RUNS"])
print()
fmt = "%-18s %8s %8s %9s %14s %13s %10s"
print(fmt % ("", "files", "MiB", "wall s", "CPU s (u+s)", "peak RSS MiB", "files/s"))
for label, r in (("doublecheck scan", dc), ("cat (raw read)", base)):
    print(fmt % (label, files, "%.1f" % mib, "%.3f" % r["wall"], "%.3f" % r["cpu"],
                 "%.1f" % r["rss"], "%.0f" % r["fps"]))
print()
print("wall times, s:  doublecheck %s   cat %s"
      % (" ".join("%.3f" % w for w in dc["walls"]), " ".join("%.3f" % w for w in base["walls"])))
if base["wall"] > 0:
    ratio = dc["wall"] / base["wall"]
    print("doublecheck / raw read, wall time: %.2fx" % ratio)
else:
    ratio = float("nan")
    print("doublecheck / raw read, wall time: n/a (baseline too fast to measure)")
print("doublecheck exit status: %d (%s)" % (dc_exit, "findings reported" if dc_exit == 1 else "no findings"))
print()
print("summary: files=%d bytes=%d wall_s=%.4f cpu_s=%.3f peak_rss_mib=%.1f files_per_s=%.0f"
      " cat_wall_s=%.4f ratio=%.2f"
      % (files, size, dc["wall"], dc["cpu"], dc["rss"], dc["fps"], base["wall"], ratio))
EOF
