#!/usr/bin/env bash
# Measure doublecheck's Salesforce pack on whole, real Salesforce org repositories.
#
#   bench/salesforce/measure.sh [options] BIN DIR...
#
# Scans each DIR (one at a time) with `BIN scan DIR --format json --no-progress` under
# /usr/bin/time -v, keeps the JSON report and the time log in --out, and prints per repo:
# file count, findings per rule, total, peak RSS and wall time; then every (file, rule,
# object) that has more than one finding. With --sample N it also prints N findings drawn
# at random (python random.Random(SEED)) across all repos, with their related locations,
# for a person to judge. Needs bash, python3 (standard library only) and GNU time.
#
# Options:
#   --out DIR        where reports and time logs go (default /tmp/sfmeasure/out-<basename of BIN>)
#   --reuse          do not scan a repo whose report is already in --out
#   --jobs N         pass --jobs N to the scan (default: the binary's own default)
#   --sample N       also print N randomly drawn findings
#   --seed S         seed for --sample (default 1)
#   --rules REGEX    draw the sample only among findings whose rule matches REGEX (Python re.search)
#   --no-dups        do not print repeated (file, rule, object)
#   -h, --help       this text
set -euo pipefail

usage() { sed -n '2,21p' "$0" | sed 's/^# \{0,1\}//'; }

out="" reuse=0 jobs="" sample=0 seed=1 rules="" dups=1
while [ $# -gt 0 ]; do
  case "$1" in
    --out) out="$2"; shift 2 ;;
    --reuse) reuse=1; shift ;;
    --jobs) jobs="$2"; shift 2 ;;
    --sample) sample="$2"; shift 2 ;;
    --seed) seed="$2"; shift 2 ;;
    --rules) rules="$2"; shift 2 ;;
    --no-dups) dups=0; shift ;;
    -h|--help) usage; exit 0 ;;
    --) shift; break ;;
    -*) echo "measure.sh: unknown option $1" >&2; usage >&2; exit 2 ;;
    *) break ;;
  esac
done
[ $# -ge 2 ] || { usage >&2; exit 2; }
bin="$1"; shift
[ -x "$bin" ] || { echo "measure.sh: $bin is not an executable" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "measure.sh: GNU time is missing (apt-get install -y time)" >&2; exit 2; }
[ -n "$out" ] || out="/tmp/sfmeasure/out-$(basename "$bin")"
mkdir -p "$out"

repos=()
for dir in "$@"; do
  [ -d "$dir" ] || { echo "measure.sh: $dir is not a directory" >&2; exit 2; }
  dir="$(cd "$dir" && pwd)"
  name="$(basename "$dir")"
  repos+=("$name=$dir")
  report="$out/$name.json"
  if [ "$reuse" = 1 ] && [ -s "$report" ] && [ -s "$out/$name.time" ]; then
    continue
  fi
  find "$dir" -type f | wc -l > "$out/$name.files"
  args=(scan "$dir" --format json --no-progress)
  [ -n "$jobs" ] && args+=(--jobs "$jobs")
  echo "scanning $name ..." >&2
  rc=0
  /usr/bin/time -v -o "$out/$name.time" "$bin" "${args[@]}" > "$report" 2> "$out/$name.stderr" || rc=$?
  echo "$rc" > "$out/$name.rc"
  # exit code 1 only means findings at or above fail-on; 2 is a real error
  if [ "$rc" -ge 2 ]; then
    echo "measure.sh: $name: scan exited $rc (see $out/$name.stderr)" >&2
  fi
done

printf '%s\n' "${repos[@]}" > "$out/repos.txt"

exec python3 - "$out" "$sample" "$seed" "$rules" "$dups" <<'PY'
import json, os, random, re, sys
from collections import Counter, defaultdict

out, sample_n, seed, rule_re, show_dups = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5] == "1"
repos = []
for line in open(os.path.join(out, "repos.txt")):
    line = line.rstrip("\n")
    if line:
        name, _, path = line.partition("=")
        repos.append((name, path))

def time_log(name):
    info = {}
    p = os.path.join(out, name + ".time")
    if not os.path.exists(p):
        return info
    for line in open(p):
        line = line.strip()
        if line.startswith("Maximum resident set size (kbytes):"):
            info["rss_mib"] = int(line.rsplit(":", 1)[1]) / 1024
        elif line.startswith("Elapsed (wall clock) time"):
            v = line.rsplit(" ", 1)[1]
            secs = 0.0
            for part in v.split(":"):
                secs = secs * 60 + float(part)
            info["wall_s"] = secs
        elif line.startswith("User time (seconds):"):
            info["user_s"] = float(line.rsplit(":", 1)[1])
        elif line.startswith("System time (seconds):"):
            info["sys_s"] = float(line.rsplit(":", 1)[1])
    return info

# The Salesforce object a finding is about, when there is one: from the locator's
# [field=Obj.Field] / [object=Obj] selector, else the pointer's entry, else a
# "<Object>.sharingRules" file name, else an Obj.Field at the start of the message.
SEL = re.compile(r"\[(group|field|object|apexClass|name|fullName)=([^\]]+)\]")
def sf_object(f):
    loc = f.get("locator") or ""
    for kind, val in SEL.findall(loc):
        if kind == "group":
            return val
        if kind == "field":
            return val.split(".", 1)[0]
        if kind == "object":
            return val
    for kind, val in SEL.findall(loc):
        return kind + "=" + val
    base = os.path.basename(f["location"]["path"])
    m = re.match(r"(.+?)\.sharingRules(-meta\.xml)?$", base)
    if m:
        return m.group(1)
    m = re.match(r"\s*`?([A-Za-z][A-Za-z0-9_]*)\.([A-Za-z][A-Za-z0-9_]*)\b", f.get("message", ""))
    if m:
        return m.group(1)
    return None

all_findings = []
rules_seen = Counter()
rows = []
for name, path in repos:
    rp = os.path.join(out, name + ".json")
    rc = open(os.path.join(out, name + ".rc")).read().strip() if os.path.exists(os.path.join(out, name + ".rc")) else "?"
    files = open(os.path.join(out, name + ".files")).read().strip() if os.path.exists(os.path.join(out, name + ".files")) else "?"
    try:
        rep = json.load(open(rp))
    except Exception as e:
        rows.append((name, files, rc, None, Counter(), time_log(name), str(e)))
        continue
    per_rule = Counter(f["rule"] for f in rep["findings"])
    rules_seen.update(per_rule)
    for f in rep["findings"]:
        all_findings.append((name, f))
    rows.append((name, files, rc, rep.get("summary", {}), per_rule, time_log(name), None))

print("# doublecheck Salesforce measurement, reports in", out)
print()
for name, files, rc, summ, per_rule, t, err in rows:
    print(f"## {name}")
    if err:
        print(f"  report unreadable (exit {rc}): {err}")
        continue
    print(f"  files {files}, checked {summ.get('files_checked')}, unchecked {summ.get('files_unchecked')}, "
          f"unreadable {summ.get('unreadable')}, exit {rc}")
    print(f"  findings {sum(per_rule.values())}  "
          f"(errors {summ.get('errors')}, warnings {summ.get('warnings')}, notes {summ.get('notes')})")
    print(f"  peak RSS {t.get('rss_mib', float('nan')):.1f} MiB, wall {t.get('wall_s', float('nan')):.2f} s, "
          f"user {t.get('user_s', float('nan')):.2f} s, sys {t.get('sys_s', float('nan')):.2f} s")
    for rule, n in sorted(per_rule.items()):
        print(f"    {rule:<14} {n:>6}")
    print()

# one table, repos x rules
rule_ids = sorted(rules_seen)
w = max([len(n) for n, *_ in rows] + [5])
print("## table")
print("  " + "repo".ljust(w) + " files  " + " ".join(r.rjust(len(r)) for r in rule_ids) + "  total  RSS MiB  wall s")
tot = Counter()
for name, files, rc, summ, per_rule, t, err in rows:
    tot.update(per_rule)
    print("  " + name.ljust(w) + f" {str(files):>5}  " + " ".join(str(per_rule.get(r, 0)).rjust(len(r)) for r in rule_ids)
          + f"  {sum(per_rule.values()):>5}  {t.get('rss_mib', float('nan')):>7.1f}  {t.get('wall_s', float('nan')):>6.2f}")
print("  " + "TOTAL".ljust(w) + "       " + " ".join(str(tot.get(r, 0)).rjust(len(r)) for r in rule_ids) + f"  {sum(tot.values()):>5}")
print()

if show_dups:
    groups = defaultdict(list)
    for name, f in all_findings:
        obj = sf_object(f)
        if obj is None:
            obj = "-"
        groups[(name, f["location"]["path"], f["rule"], obj)].append(f)
    dups = {k: v for k, v in groups.items() if len(v) > 1}
    print(f"## repeated (file, rule, object): {len(dups)} groups, {sum(len(v) for v in dups.values())} findings")
    by_rule = Counter(k[2] for k in dups)
    for rule, n in sorted(by_rule.items()):
        print(f"    {rule:<14} {n:>6} groups")
    for k in sorted(dups)[:200]:
        name, path, rule, obj = k
        lines = ",".join(str(f["location"]["start"]["line"]) for f in dups[k][:8])
        print(f"  {name}: {path} {rule} {obj} x{len(dups[k])} (lines {lines}{'…' if len(dups[k]) > 8 else ''})")
    if len(dups) > 200:
        print(f"  … {len(dups) - 200} more groups")
    print()

if sample_n > 0:
    pool = [(n, f) for n, f in all_findings if not rule_re or re.search(rule_re, f["rule"])]
    pool.sort(key=lambda x: (x[0], x[1]["location"]["path"], x[1]["location"]["start"]["line"],
                             x[1]["location"]["start"]["column"], x[1]["rule"], x[1]["message"]))
    rnd = random.Random(int(seed) if seed.lstrip("-").isdigit() else seed)
    picked = rnd.sample(pool, min(sample_n, len(pool)))
    print(f"## sample: {len(picked)} of {len(pool)} findings, seed {seed}" + (f", rules /{rule_re}/" if rule_re else ""))
    for i, (name, f) in enumerate(picked, 1):
        loc = f["location"]
        print(f"{i:>3}. [{name}] {f['rule']} ({f['severity']}) {loc['path']}:{loc['start']['line']}:{loc['start']['column']}")
        print(f"     {f['message']}")
        if f.get("locator") or f.get("pointer"):
            print(f"     at {f.get('locator') or f.get('pointer')}")
        for r in f.get("related", []):
            rl = r["location"]
            print(f"     - {rl['path']}:{rl['start']['line']}:{rl['start']['column']}: {r.get('message', '')}")
    print()
PY
