#!/usr/bin/env bash
# Benchmark doublecheck on a generated corpus (or on an existing tree), against the time
# needed just to read and parse the same files, and optionally against Checkov and
# cfn-guard on the same tree.
#
#   bash bench/run.sh [--files N] [--bytes SIZE] [--mix MIX] [--seed S] [--dir DIR]
#                     [--runs R] [--checkov] [--checkov-runs R] [--cfn-guard] [--copies K]
#                     [--startup] [--scaling] [--no-build] [--bin PATH] [--keep]
#   bash bench/run.sh --parsers         # each parser's MB/s beside a reference parser
#   bash bench/run.sh --report          # every figure of the performance issue, one table
#
# Needs: bash, python3 (standard library only), cargo (unless --no-build),
# GNU coreutils/findutils, and GNU time at /usr/bin/time. The latter is not
# the shell's `time` keyword: on Debian/Ubuntu it comes from the `time`
# package (apt-get install time), on Fedora/RHEL from `time` (dnf install time).
# --checkov installs Checkov from PyPI into a virtual environment when it is not on the
# PATH; --cfn-guard installs cfn-guard with cargo when it is not on the PATH.
#
# See bench/README.md for what the figures mean.

set -euo pipefail

# Versions installed when the tool is not on the PATH (a tool on the PATH is used as is,
# and its version is printed).
CHECKOV_VERSION=3.3.30
CFN_GUARD_VERSION=3.2.1

usage() {
    cat <<'EOF'
usage: bash bench/run.sh [options]

the tree
  --files N        files in the generated tree (default 5000)
  --bytes SIZE     scale the generated files to about SIZE in total (e.g. 300M)
  --mix MIX        mixed (default), terraform, k8s-cfn, cloudformation, or
                   salesforce-org (one large Salesforce org: try --files 17000)
  --seed S         generator seed (default 1)
  --profile-lines L  instead of a tree, generate one guest profile of about L lines
  --rules-lines L  instead of a tree, generate one firestore.rules of about L lines
  --dir DIR        benchmark an existing directory instead of generating one
                   (it is only read, never modified)
  --copies K       time K copies of the tree side by side (default 1)

what is timed (doublecheck scan, scan --parse-only and cat are always timed)
  --runs R         timed runs of each command; the median is reported (default 3)
  --checkov        also time Checkov on the same tree (installed into a virtual
                   environment from PyPI when `checkov` is not on the PATH)
  --checkov-runs R timed Checkov runs (default 1; Checkov takes minutes on big trees)
  --cfn-guard      also time `cfn-guard validate` with bench/cfn-guard/rules.guard
                   (installed with cargo when `cfn-guard` is not on the PATH)
  --startup        time doublecheck on one small file (median of --startup-runs, default 30)
  --scaling        also time a tree of N/10 files (and SIZE/10) from the same seed and
                   print how the time grows (not with --dir)
  --parsers        instead of the timings above, run `doublecheck scan --parse-rates` on
                   the tree (or --dir) with a 2,000-line firestore.rules and a Supabase
                   project of 300 migrations beside it: each parser's MB/s beside a
                   reference parser of its format, on one thread, one row a format
  --report         run everything the performance issue asks for and print one table
                   (see bench/README.md; takes about 10 minutes on 2 cores)

other
  --no-build       skip `cargo build --release`
  --bin PATH       doublecheck binary to run
                   (default: $CARGO_TARGET_DIR or <repo>/target, then release/doublecheck)
  --keep           keep the generated tree and the raw timing files, and print where
  -h, --help       show this help
EOF
}

die() { echo "run.sh: $*" >&2; exit 2; }

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$SCRIPT_DIR/.." && pwd)
CACHE=${XDG_CACHE_HOME:-$HOME/.cache}/doublecheck-bench

FILES=5000
BYTES=""
MIX=mixed
SEED=1
DIR=""
PROFILE_LINES=""
RULES_LINES=""
COPIES=1
RUNS=3
CHECKOV=0
CHECKOV_RUNS=1
CFN_GUARD=0
STARTUP=0
STARTUP_RUNS=30
SCALING=0
PARSERS=0
REPORT=0
BUILD=1
BIN=""
KEEP=0
# internal, used by --report for the runs it makes: where to append result rows, and
# the row label
RESULTS=""
LABEL=""

need() { [ "$2" -ge 2 ] || die "$1 needs a value"; }
while [ $# -gt 0 ]; do
    case "$1" in
        --files) need "$1" $#; FILES=$2; shift 2 ;;
        --files=*) FILES=${1#*=}; shift ;;
        --bytes) need "$1" $#; BYTES=$2; shift 2 ;;
        --bytes=*) BYTES=${1#*=}; shift ;;
        --mix) need "$1" $#; MIX=$2; shift 2 ;;
        --mix=*) MIX=${1#*=}; shift ;;
        --seed) need "$1" $#; SEED=$2; shift 2 ;;
        --seed=*) SEED=${1#*=}; shift ;;
        --profile-lines) need "$1" $#; PROFILE_LINES=$2; shift 2 ;;
        --profile-lines=*) PROFILE_LINES=${1#*=}; shift ;;
        --rules-lines) need "$1" $#; RULES_LINES=$2; shift 2 ;;
        --rules-lines=*) RULES_LINES=${1#*=}; shift ;;
        --dir) need "$1" $#; DIR=$2; shift 2 ;;
        --dir=*) DIR=${1#*=}; shift ;;
        --copies) need "$1" $#; COPIES=$2; shift 2 ;;
        --copies=*) COPIES=${1#*=}; shift ;;
        --runs) need "$1" $#; RUNS=$2; shift 2 ;;
        --runs=*) RUNS=${1#*=}; shift ;;
        --checkov) CHECKOV=1; shift ;;
        --checkov-runs) need "$1" $#; CHECKOV_RUNS=$2; shift 2 ;;
        --checkov-runs=*) CHECKOV_RUNS=${1#*=}; shift ;;
        --cfn-guard) CFN_GUARD=1; shift ;;
        --startup) STARTUP=1; shift ;;
        --startup-runs) need "$1" $#; STARTUP_RUNS=$2; shift 2 ;;
        --startup-runs=*) STARTUP_RUNS=${1#*=}; shift ;;
        --scaling) SCALING=1; shift ;;
        --parsers) PARSERS=1; shift ;;
        --report) REPORT=1; shift ;;
        --no-build) BUILD=0; shift ;;
        --bin) need "$1" $#; BIN=$2; shift 2 ;;
        --bin=*) BIN=${1#*=}; shift ;;
        --keep) KEEP=1; shift ;;
        --results) need "$1" $#; RESULTS=$2; shift 2 ;;
        --label) need "$1" $#; LABEL=$2; shift 2 ;;
        -h|--help) usage; exit 0 ;;
        *) usage >&2; die "unknown argument: $1" ;;
    esac
done

posint() { case "$2" in ''|*[!0-9]*) die "$1 must be a positive integer" ;; esac; [ "$2" -gt 0 ] || die "$1 must be a positive integer"; }
posint --files "$FILES"
posint --runs "$RUNS"
posint --copies "$COPIES"
posint --checkov-runs "$CHECKOV_RUNS"
posint --startup-runs "$STARTUP_RUNS"
case "$SEED" in ''|*[!0-9]*) die "--seed must be a non-negative integer" ;; esac
case "$MIX" in mixed|terraform|k8s-cfn|cloudformation|salesforce-org) ;; *) die "--mix must be mixed, terraform, k8s-cfn, cloudformation or salesforce-org" ;; esac
[ "$MIX" != salesforce-org ] || [ -z "$BYTES" ] || die "--bytes does not apply to --mix salesforce-org"
case "$BYTES" in ''|[0-9]*) ;; *) die "--bytes must be a size such as 300M" ;; esac
[ -z "$DIR" ] || [ "$SCALING" -eq 0 ] || die "--scaling generates its trees; it does not go with --dir"
[ -z "$PROFILE_LINES" ] || [ "$SCALING" -eq 0 ] || die "--scaling does not go with --profile-lines"
[ -z "$RULES_LINES" ] || [ "$SCALING" -eq 0 ] || die "--scaling does not go with --rules-lines"
if [ "$PARSERS" -eq 1 ]; then
    # --parsers times parsers, not scans: the options of the scan timings do not apply.
    [ "$SCALING$CHECKOV$CFN_GUARD$STARTUP" = 0000 ] && [ "$COPIES" -eq 1 ] \
        && [ -z "$PROFILE_LINES$RULES_LINES" ] \
        || die "--parsers goes only with the tree's options (--files, --bytes, --mix, --seed, --dir)"
fi

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

WORK=$(mktemp -d "${TMPDIR:-/tmp}/doublecheck-bench.XXXXXX")
cleanup() {
    if [ "$KEEP" -eq 1 ]; then
        echo "kept: $WORK (generated trees under tree*/ or parsers/; raw GNU time output in *.time)" >&2
    else
        rm -rf "$WORK"
    fi
}
trap cleanup EXIT

# ---------------------------------------------------------------- report mode
# Runs this script once per tree with --results, then prints the rows as one table.
if [ "$REPORT" -eq 1 ]; then
    ROWS=$WORK/report.tsv
    : > "$ROWS"
    self=(bash "$SCRIPT_DIR/run.sh" --no-build --bin "$BIN" --results "$ROWS")
    [ "$KEEP" -eq 0 ] || self+=(--keep)
    step() { echo; echo "==== report: $*" >&2; }
    started=$(date +%s)
    step "mixed tree, 10,000 and 100,000 files (30 MB and 300 MB): scale, parse-only floor, raw read"
    "${self[@]}" --label mixed --mix mixed --files 100000 --bytes 300M --runs 1 --scaling
    step "a large Salesforce org, 17,000 files (about 100 profiles of 17,000 lines): peak RSS"
    "${self[@]}" --label salesforce-org --mix salesforce-org --files 17000 --runs 1
    step "Terraform tree vs Checkov"
    "${self[@]}" --label terraform --mix terraform --files 1000 --runs 3 --checkov --checkov-runs 1
    step "Kubernetes + CloudFormation YAML tree vs Checkov"
    "${self[@]}" --label k8s-cfn --mix k8s-cfn --files 1000 --runs 3 --checkov --checkov-runs 1
    step "CloudFormation tree (423 files, the size of aws-cloudformation-templates) vs cfn-guard, 1 and 10 copies"
    "${self[@]}" --label cfn-1x --mix cloudformation --files 423 --runs 5 --cfn-guard
    "${self[@]}" --label cfn-10x --mix cloudformation --files 423 --copies 10 --runs 3 --cfn-guard
    step "start-up on one small file"
    "${self[@]}" --label startup --mix k8s-cfn --files 1 --runs 1 --startup --startup-runs 30
    step "a 2,000-line firestore.rules, start to exit"
    "${self[@]}" --label rules-2000 --rules-lines 2000 --runs 1 --startup --startup-runs 31
    step "parsers beside reference parsers: the 10,000-file mixed tree, a rules file, migrations"
    "${self[@]}" --label parsers --parsers --mix mixed --files 10000 --bytes 30M
    BENCH_ROWS=$ROWS BENCH_BIN=$BIN BENCH_ROOT=$ROOT BENCH_SECS=$(( $(date +%s) - started )) \
        python3 "$SCRIPT_DIR/report.py" table
    exit 0
fi

# ---------------------------------------------------------------- tree
generate() {  # generate OUT FILES BYTES
    local args=("$SCRIPT_DIR/generate.py" "$1" --files "$2" --seed "$SEED" --mix "$MIX")
    [ -z "$3" ] || args+=(--bytes "$3")
    echo "generating: python3 bench/generate.py --files $2 --seed $SEED --mix $MIX${3:+ --bytes $3}" >&2
    python3 "${args[@]}" >&2
}

VERSION=$("$BIN" --version 2>/dev/null | head -n 1 || true)
COMMIT=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || true)
if [ -n "$COMMIT" ] && [ -n "$(git -C "$ROOT" status --porcelain --untracked-files=no 2>/dev/null || true)" ]; then
    COMMIT="$COMMIT + uncommitted changes"
fi

# ---------------------------------------------------------------- parsers
# One run of `scan --parse-rates` over the mixed tree with a large rules file and a Supabase
# project beside it (the mixed tree holds neither), so every format with a reference parser
# gets a row; or over --dir alone.
PARSERS_RULES_LINES=2000
PARSERS_MIGRATIONS=300
if [ "$PARSERS" -eq 1 ]; then
    if [ -n "$DIR" ]; then
        [ -d "$DIR" ] || die "--dir $DIR is not a directory"
        TREE=$(cd "$DIR" && pwd)
        SOURCE="existing directory"
    else
        TREE=$WORK/parsers
        mkdir -p "$TREE"
        generate "$TREE/mixed" "$FILES" "$BYTES"
        echo "generating: python3 bench/generate.py --rules-lines $PARSERS_RULES_LINES --seed $SEED" >&2
        python3 "$SCRIPT_DIR/generate.py" "$TREE/rules" --rules-lines "$PARSERS_RULES_LINES" --seed "$SEED" >&2
        echo "generating: python3 bench/generate.py --supabase-migrations $PARSERS_MIGRATIONS --seed $SEED" >&2
        python3 "$SCRIPT_DIR/generate.py" "$TREE/supabase" --supabase-migrations "$PARSERS_MIGRATIONS" --seed "$SEED" >&2
        SOURCE="generated, --files $FILES${BYTES:+ --bytes $BYTES} --mix $MIX --seed $SEED, beside --rules-lines $PARSERS_RULES_LINES and --supabase-migrations $PARSERS_MIGRATIONS"
    fi
    echo "timing each parser and its reference: $BIN scan --parse-rates $TREE" >&2
    status=0
    "$BIN" scan --parse-rates "$TREE" > "$WORK/parse-rates.out" 2> "$WORK/parse-rates.err" || status=$?
    [ "$status" -eq 0 ] || { tail -n 20 "$WORK/parse-rates.err" >&2; die "doublecheck scan --parse-rates failed with exit status $status"; }
    BENCH_WORK=$WORK BENCH_BIN=$BIN BENCH_VERSION=$VERSION BENCH_ROOT=$ROOT BENCH_COMMIT=$COMMIT \
    BENCH_TREE=$TREE BENCH_SOURCE=$SOURCE BENCH_RESULTS=$RESULTS BENCH_LABEL=$LABEL \
        python3 "$SCRIPT_DIR/report.py" parsers
    exit 0
fi

if [ -n "$DIR" ]; then
    [ -d "$DIR" ] || die "--dir $DIR is not a directory"
    BASE=$(cd "$DIR" && pwd)
    SOURCE="existing directory"
elif [ -n "$PROFILE_LINES" ]; then
    BASE=$WORK/tree
    echo "generating: python3 bench/generate.py --profile-lines $PROFILE_LINES --seed $SEED" >&2
    python3 "$SCRIPT_DIR/generate.py" "$BASE" --profile-lines "$PROFILE_LINES" --seed "$SEED" >&2
    SOURCE="generated, --profile-lines $PROFILE_LINES --seed $SEED"
elif [ -n "$RULES_LINES" ]; then
    BASE=$WORK/tree
    echo "generating: python3 bench/generate.py --rules-lines $RULES_LINES --seed $SEED" >&2
    python3 "$SCRIPT_DIR/generate.py" "$BASE" --rules-lines "$RULES_LINES" --seed "$SEED" >&2
    SOURCE="generated, --rules-lines $RULES_LINES --seed $SEED"
else
    BASE=$WORK/tree
    generate "$BASE" "$FILES" "$BYTES"
    SOURCE="generated, --files $FILES${BYTES:+ --bytes $BYTES} --mix $MIX --seed $SEED"
fi
TREE=$BASE
if [ "$COPIES" -gt 1 ]; then
    TREE=$WORK/copies
    echo "copying the tree $COPIES times into $TREE" >&2
    for k in $(seq 1 "$COPIES"); do
        mkdir -p "$TREE/copy-$k"
        (cd "$BASE" && tar -cf - --exclude=.git .) | (cd "$TREE/copy-$k" && tar -xf -)
    done
    SOURCE="$SOURCE, $COPIES copies"
fi

# Files and bytes, counted the way the cat baseline reads them: regular files,
# symlinks not followed, any .git directory skipped (doublecheck never reads
# inside .git either, and a repository's object store would dwarf the rest).
tree_size() {
    python3 - "$1" <<'EOF'
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
}

# ---------------------------------------------------------------- timing
now_ns() { date +%s%N; }

# timed NAME RUN CMD...: runs CMD under GNU time, appends
# "wall_us %e user sys maxrss_kib exit_status" to $WORK/NAME.results.
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

# check NAME RUN STATUS OK_STATUSES...: stops the benchmark when a command failed.
check() {
    local name=$1 run=$2 status=$3; shift 3
    local ok
    for ok in "$@"; do [ "$status" -eq "$ok" ] && return 0; done
    echo "run.sh: $name failed with exit status $status (run $run):" >&2
    cat "$WORK/$name.$run.time" >&2 || true
    tail -n 20 "$WORK/$name.$run.err" >&2 || true
    exit 2
}

# measure_tree TREE PREFIX: interleaved runs of cat, parse-only and scan over TREE;
# results go to $WORK/PREFIX{cat,parse,doublecheck}.results.
measure_tree() {
    local tree=$1 p=$2 status run
    export BENCH_CAT_TREE=$tree
    local cat_cmd=(sh -c 'find "$BENCH_CAT_TREE" -name .git -prune -o -type f -print0 | xargs -0 -r cat > /dev/null')
    local parse_cmd=("$BIN" scan --parse-only "$tree")
    local dc_cmd=("$BIN" scan --format json "$tree")
    echo "warming page cache and checking doublecheck runs ($tree)" >&2
    "${cat_cmd[@]}"
    status=0
    "${parse_cmd[@]}" > "$WORK/${p}parse.out" 2> "$WORK/${p}parse.warmup.err" || status=$?
    [ "$status" -eq 0 ] || { tail -n 20 "$WORK/${p}parse.warmup.err" >&2; die "doublecheck scan --parse-only failed with exit status $status"; }
    status=0
    # The untimed first run also measures what each policy costs (report.py shows the ten
    # costliest); the timed runs read no clock per policy.
    "${dc_cmd[@]}" --policy-costs > "$WORK/${p}scan.json" 2> "$WORK/${p}doublecheck.warmup.err" || status=$?
    case "$status" in
        0|1) ;;
        *) echo "  ${dc_cmd[*]}" >&2; tail -n 20 "$WORK/${p}doublecheck.warmup.err" >&2
           die "doublecheck failed with exit status $status" ;;
    esac
    echo "$status" > "$WORK/${p}doublecheck.exit"
    # Interleave the commands so drift (thermal, other load) affects all alike.
    for run in $(seq 1 "$RUNS"); do
        echo "run $run/$RUNS" >&2
        timed "${p}cat" "$run" "${cat_cmd[@]}" || die "cat baseline failed (run $run): $(cat "$WORK/${p}cat.$run.err")"
        status=0; timed "${p}parse" "$run" "${parse_cmd[@]}" || status=$?
        check "${p}parse" "$run" "$status" 0
        status=0; timed "${p}doublecheck" "$run" "${dc_cmd[@]}" || status=$?
        check "${p}doublecheck" "$run" "$status" 0 1
    done
}

read -r TREE_FILES TREE_BYTES < <(tree_size "$TREE")
[ "$TREE_FILES" -gt 0 ] || die "no files in $TREE"
measure_tree "$TREE" ""

# ---------------------------------------------------------------- scaling
SMALL_FILES=0 SMALL_BYTES=0
if [ "$SCALING" -eq 1 ]; then
    [ "$FILES" -ge 10 ] || die "--scaling needs --files 10 or more"
    small_bytes=""
    if [ -n "$BYTES" ]; then
        small_bytes=$(python3 "$SCRIPT_DIR/report.py" size-div10 "$BYTES")
    fi
    generate "$WORK/tree-small" $(( FILES / 10 )) "$small_bytes"
    read -r SMALL_FILES SMALL_BYTES < <(tree_size "$WORK/tree-small")
    # At least 3 runs of the small tree: it is fast, and its median is the divisor.
    saved_runs=$RUNS
    [ "$RUNS" -ge 3 ] || RUNS=3
    measure_tree "$WORK/tree-small" "small-"
    RUNS=$saved_runs
    [ "$KEEP" -eq 1 ] || rm -rf "$WORK/tree-small"
fi

# ---------------------------------------------------------------- Checkov
CHECKOV_BIN="" CHECKOV_VER="" CHECKOV_INSTALL="" CHECKOV_FRAMEWORKS=""
if [ "$CHECKOV" -eq 1 ]; then
    if command -v checkov >/dev/null; then
        CHECKOV_BIN=$(command -v checkov)
        CHECKOV_INSTALL="found on the PATH"
    else
        venv=$CACHE/checkov-venv
        CHECKOV_BIN=$venv/bin/checkov
        if [ ! -x "$CHECKOV_BIN" ] || [ "$("$CHECKOV_BIN" --version 2>/dev/null)" != "$CHECKOV_VERSION" ]; then
            echo "installing checkov==$CHECKOV_VERSION from PyPI into $venv" >&2
            t0=$(date +%s)
            rm -rf "$venv"
            python3 -m venv "$venv" || die "python3 -m venv failed (Debian/Ubuntu: apt-get install python3-venv)"
            "$venv/bin/pip" install --quiet --disable-pip-version-check "checkov==$CHECKOV_VERSION" >&2 \
                || die "pip install checkov==$CHECKOV_VERSION failed"
            CHECKOV_INSTALL="installed into $venv in $(( $(date +%s) - t0 )) s"
        else
            CHECKOV_INSTALL="cached in $venv"
        fi
    fi
    # Offline: no Bridgecrew/Prisma API key, no download of guidelines, mappings or
    # custom policies, no check of PyPI for a newer version.
    export CKV_SKIP_PACKAGE_UPDATE_CHECK=true BC_SKIP_MAPPING=TRUE
    unset BC_API_KEY PRISMA_API_URL 2>/dev/null || true
    CHECKOV_VER=$("$CHECKOV_BIN" --version 2>/dev/null | tail -n 1)
    # The frameworks the tree holds, among those doublecheck also reads.
    CHECKOV_FRAMEWORKS=$(python3 "$SCRIPT_DIR/report.py" frameworks "$TREE")
    if [ -z "$CHECKOV_FRAMEWORKS" ]; then
        echo "run.sh: the tree holds no Terraform, Kubernetes or CloudFormation; Checkov not run" >&2
        CHECKOV=0
    fi
fi
if [ "$CHECKOV" -eq 1 ]; then
    # shellcheck disable=SC2206
    fw=($CHECKOV_FRAMEWORKS)
    ck_cmd=("$CHECKOV_BIN" -d "$TREE" --framework "${fw[@]}" --skip-download --quiet --compact -o json)
    echo "timing Checkov $CHECKOV_VER ($CHECKOV_RUNS run(s)): ${ck_cmd[*]} > /dev/null" >&2
    for run in $(seq 1 "$CHECKOV_RUNS"); do
        echo "checkov run $run/$CHECKOV_RUNS" >&2
        status=0; timed checkov "$run" "${ck_cmd[@]}" || status=$?
        check checkov "$run" "$status" 0 1
    done
fi

# ---------------------------------------------------------------- cfn-guard
GUARD_BIN="" GUARD_VER="" GUARD_INSTALL="" GUARD_RULES=$SCRIPT_DIR/cfn-guard/rules.guard
if [ "$CFN_GUARD" -eq 1 ]; then
    if command -v cfn-guard >/dev/null; then
        GUARD_BIN=$(command -v cfn-guard)
        GUARD_INSTALL="found on the PATH"
    else
        GUARD_BIN=$CACHE/cfn-guard/bin/cfn-guard
        if [ ! -x "$GUARD_BIN" ] || ! "$GUARD_BIN" --version 2>/dev/null | grep -q "$CFN_GUARD_VERSION"; then
            command -v cargo >/dev/null || die "cargo not found: needed to install cfn-guard"
            echo "installing cfn-guard $CFN_GUARD_VERSION with cargo into $CACHE/cfn-guard" >&2
            t0=$(date +%s)
            cargo install cfn-guard --version "$CFN_GUARD_VERSION" --locked --root "$CACHE/cfn-guard" >&2 \
                || die "cargo install cfn-guard failed"
            GUARD_INSTALL="installed into $CACHE/cfn-guard in $(( $(date +%s) - t0 )) s"
        else
            GUARD_INSTALL="cached in $CACHE/cfn-guard"
        fi
    fi
    GUARD_VER=$("$GUARD_BIN" --version 2>/dev/null | head -n 1)
    # Every data file except those in hidden files and folders, which cfn-guard cannot
    # always parse (see report.py guard-data); usually just -d TREE.
    g_cmd=("$GUARD_BIN" validate -r "$GUARD_RULES")
    GUARD_ARGS=0
    while IFS= read -r -d '' data; do
        g_cmd+=(-d "$data")
        GUARD_ARGS=$((GUARD_ARGS + 1))
    done < <(python3 "$SCRIPT_DIR/report.py" guard-data "$TREE")
    [ "$GUARD_ARGS" -gt 0 ] || die "no data for cfn-guard in $TREE"
    if [ "$GUARD_ARGS" -eq 1 ]; then
        echo "timing $GUARD_VER: ${g_cmd[*]} > /dev/null" >&2
    else
        echo "timing $GUARD_VER: $GUARD_BIN validate -r $GUARD_RULES with $GUARD_ARGS -d arguments (the tree without its hidden files and folders) > /dev/null" >&2
    fi
    status=0
    "${g_cmd[@]}" > /dev/null 2> "$WORK/cfn-guard.warmup.err" || status=$?
    # 0: every rule passed, 19: some rule failed; both are a completed run.
    case "$status" in 0|19) ;; *) tail -n 20 "$WORK/cfn-guard.warmup.err" >&2; die "cfn-guard failed with exit status $status" ;; esac
    for run in $(seq 1 "$RUNS"); do
        echo "cfn-guard run $run/$RUNS" >&2
        status=0; timed cfn-guard "$run" "${g_cmd[@]}" || status=$?
        check cfn-guard "$run" "$status" 0 19
    done
fi

# ---------------------------------------------------------------- start-up
STARTUP_FILE=""
STARTUP_WHAT="one small file"
if [ "$STARTUP" -eq 1 ] && [ -n "$RULES_LINES" ]; then
    # With --rules-lines: start to exit on the generated rules file (the Firebase issue's
    # 2,000-line target), timed the same way.
    STARTUP_FILE=$TREE
    STARTUP_WHAT="the generated firestore.rules"
elif [ "$STARTUP" -eq 1 ]; then
    STARTUP_FILE=$WORK/startup/deployment.yaml
    mkdir -p "$WORK/startup"
    cat > "$STARTUP_FILE" <<'EOF'
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
        - name: web
          image: nginx:1.27
          securityContext:
            privileged: true
EOF
fi
if [ "$STARTUP" -eq 1 ]; then
    "$BIN" scan --format json "$STARTUP_FILE" > /dev/null 2>&1 || true
    echo "timing start-up: $STARTUP_RUNS runs of doublecheck scan on $STARTUP_WHAT" >&2
    # bash's $EPOCHREALTIME (microseconds) costs no process, unlike `date`
    for run in $(seq 1 "$STARTUP_RUNS"); do
        t0=${EPOCHREALTIME/[.,]/}
        "$BIN" scan --format json "$STARTUP_FILE" > /dev/null 2>&1 || true
        t1=${EPOCHREALTIME/[.,]/}
        echo $(( t1 - t0 )) >> "$WORK/startup.us"
    done
    status=0; timed startup 1 "$BIN" scan --format json "$STARTUP_FILE" || status=$?
    check startup 1 "$status" 0 1
fi

# ---------------------------------------------------------------- report
BENCH_WORK=$WORK BENCH_FILES=$TREE_FILES BENCH_BYTES=$TREE_BYTES BENCH_BIN=$BIN \
BENCH_VERSION=$VERSION BENCH_ROOT=$ROOT BENCH_COMMIT=$COMMIT BENCH_TREE=$TREE \
BENCH_SOURCE=$SOURCE BENCH_RUNS=$RUNS BENCH_MIX=$MIX \
BENCH_SMALL_FILES=$SMALL_FILES BENCH_SMALL_BYTES=$SMALL_BYTES \
BENCH_CHECKOV=$CHECKOV BENCH_CHECKOV_VER=$CHECKOV_VER BENCH_CHECKOV_INSTALL=$CHECKOV_INSTALL \
BENCH_CHECKOV_FRAMEWORKS=$CHECKOV_FRAMEWORKS BENCH_CHECKOV_RUNS=$CHECKOV_RUNS \
BENCH_GUARD=$CFN_GUARD BENCH_GUARD_VER=$GUARD_VER BENCH_GUARD_INSTALL=$GUARD_INSTALL \
BENCH_GUARD_RULES=$GUARD_RULES BENCH_GUARD_ARGS=${GUARD_ARGS:-0} BENCH_STARTUP=$STARTUP BENCH_STARTUP_RUNS=$STARTUP_RUNS \
BENCH_RESULTS=$RESULTS BENCH_LABEL=$LABEL \
    python3 "$SCRIPT_DIR/report.py" tree
