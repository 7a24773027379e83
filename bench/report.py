#!/usr/bin/env python3
"""Helpers of bench/run.sh (Python 3 standard library only).

    report.py tree           print one tree's figures (environment set by run.sh), and
                             append them as a JSON line to $BENCH_RESULTS when set
    report.py table          print the --report table from the JSON lines in $BENCH_ROWS
    report.py parsers        print the table of `scan --parse-rates` (run.sh --parsers) with
                             what was measured, and append it to $BENCH_RESULTS when set
    report.py frameworks DIR the Checkov frameworks a tree holds, among those doublecheck
                             reads: terraform, kubernetes, cloudformation
    report.py guard-data DIR cfn-guard's -d arguments for a tree, hidden files left out
    report.py size-div10 SIZE  a tenth of a size such as 300M, in bytes
"""

import json
import os
import platform
import re
import statistics
import sys
import time

# The generator's reading of `--bytes` sizes, so the two cannot disagree.
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from generate import parse_size  # noqa: E402

# The targets of the performance issues (the speed issue's: 3x the raw read, 400 MiB, 10 ms).
TARGET_WALL_S = 10.0
TARGET_RAW_READ_RATIO = 3.0
TARGET_RSS_MIB = 400.0
TARGET_ORG_RSS_MIB = 250.0  # --mix salesforce-org, 17,000 files (issue 15)
TARGET_SCALING = 11.0
TARGET_PARSE_RATIO = 5.0
TARGET_CHECKOV_TF = 100.0
TARGET_CHECKOV_K8S_CFN = 20.0
TARGET_STARTUP_MS = 10.0
TARGET_RULES_MS = 10.0  # a 2,000-line firestore.rules, start to exit (issue 17)
TARGET_MEMORY_GROWTH = 1.5  # "flat": peak RSS of 10 copies at most this times that of one




def load(work, name):
    """Rows of $WORK/NAME.results: wall_us %e user sys maxrss_kib exit_status."""
    path = os.path.join(work, name + ".results")
    if not os.path.exists(path):
        return None
    rows = []
    with open(path) as fh:
        for line in fh:
            wall_us, _e, u, s, m, status = line.split()
            rows.append({"wall": int(wall_us) / 1e6, "cpu": float(u) + float(s),
                         "rss": int(m) / 1024.0, "status": int(status)})
    return {"wall": statistics.median(r["wall"] for r in rows),
            "cpu": statistics.median(r["cpu"] for r in rows),
            "rss": max(r["rss"] for r in rows),
            "walls": [r["wall"] for r in rows],
            "runs": len(rows)}


def machine():
    cpu = ""
    try:
        with open("/proc/cpuinfo") as fh:
            for line in fh:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    mem = ""
    try:
        with open("/proc/meminfo") as fh:
            for line in fh:
                if line.startswith("MemTotal:"):
                    mem = "%.1f GiB RAM" % (int(line.split()[1]) / 1048576.0)
                    break
    except OSError:
        pass
    parts = ["%d CPUs" % (os.cpu_count() or 0)]
    if cpu:
        parts.append(cpu)
    if mem:
        parts.append(mem)
    parts.append("%s %s" % (platform.system(), platform.release()))
    return ", ".join(parts)


def ratio(a, b):
    return a / b if b and b > 0 else float("nan")


def policy_costs(work):
    """The ten costliest policies `scan --policy-costs` printed on the first, untimed run."""
    try:
        with open(os.path.join(work, "doublecheck.warmup.err")) as fh:
            text = fh.read()
    except OSError:
        return ""
    at = text.find("policy costs:")
    return text[at:] if at >= 0 else ""


def tree():
    env = os.environ
    work = env["BENCH_WORK"]
    files, size = int(env["BENCH_FILES"]), int(env["BENCH_BYTES"])
    mib = size / 1048576.0
    dc, parse, cat = load(work, "doublecheck"), load(work, "parse"), load(work, "cat")
    dc_exit = int(open(os.path.join(work, "doublecheck.exit")).read())
    parsed = open(os.path.join(work, "parse.out")).read().strip()
    m = re.search(r"parsed (\d+) files? \((\d+) documents?\)", parsed)
    candidates, documents = (int(m.group(1)), int(m.group(2))) if m else (None, None)
    findings = None
    try:
        with open(os.path.join(work, "scan.json")) as fh:
            findings = len(json.load(fh).get("findings", []))
    except (OSError, ValueError):
        pass
    costs = policy_costs(work)
    checkov = load(work, "checkov") if env.get("BENCH_CHECKOV") == "1" else None
    guard = load(work, "cfn-guard") if env.get("BENCH_GUARD") == "1" else None
    small = None
    if int(env.get("BENCH_SMALL_FILES") or 0):
        small = load(work, "small-doublecheck")
        small_parse = load(work, "small-parse")
    startup = None
    if env.get("BENCH_STARTUP") == "1":
        with open(os.path.join(work, "startup.us")) as fh:
            us = [int(x) for x in fh.read().split()]
        st = load(work, "startup")
        startup = {"median_ms": statistics.median(us) / 1000.0, "min_ms": min(us) / 1000.0,
                   "runs": len(us), "rss": st["rss"]}

    print()
    print("doublecheck benchmark")
    print("  binary   %s%s" % (env["BENCH_BIN"], "  [%s]" % env["BENCH_VERSION"] if env["BENCH_VERSION"] else ""))
    if env.get("BENCH_COMMIT"):
        print("  source   %s @ %s" % (env["BENCH_ROOT"], env["BENCH_COMMIT"]))
    print("  tree     %s (%s)" % (env["BENCH_TREE"], env["BENCH_SOURCE"]))
    print("  machine  %s" % machine())
    print("  method   %s timed runs of doublecheck, parse-only and cat, interleaved, page cache warm;"
          " median wall and CPU time, largest peak RSS" % env["BENCH_RUNS"])
    if checkov:
        print("  checkov  %s (%s), --framework %s --skip-download, offline; %d run(s)"
              % (env["BENCH_CHECKOV_VER"], env["BENCH_CHECKOV_INSTALL"], env["BENCH_CHECKOV_FRAMEWORKS"],
                 checkov["runs"]))
    if guard:
        print("  cfn-guard %s (%s), rules %s%s" % (
            env["BENCH_GUARD_VER"], env["BENCH_GUARD_INSTALL"],
            os.path.relpath(env["BENCH_GUARD_RULES"], env["BENCH_ROOT"]),
            "" if env.get("BENCH_GUARD_ARGS", "1") == "1"
            else "; data: the tree less its hidden files and folders (%s -d arguments)" % env["BENCH_GUARD_ARGS"]))
    print()
    fmt = "%-26s %8s %8s %9s %12s %13s %10s"
    print(fmt % ("", "files", "MiB", "wall s", "CPU s (u+s)", "peak RSS MiB", "files/s"))

    def row(label, r, n=files, m=mib):
        print(fmt % (label, n, "%.1f" % m, "%.3f" % r["wall"], "%.3f" % r["cpu"], "%.1f" % r["rss"],
                     "%.0f" % (n / r["wall"]) if r["wall"] > 0 else "inf"))

    row("doublecheck scan", dc)
    row("doublecheck --parse-only", parse)
    row("cat (raw read)", cat)
    if checkov:
        row("checkov", checkov)
    if guard:
        row("cfn-guard validate", guard)
    if small:
        sf, sb = int(env["BENCH_SMALL_FILES"]), int(env["BENCH_SMALL_BYTES"])
        row("doublecheck scan, N/10", small, sf, sb / 1048576.0)
        row("  --parse-only, N/10", small_parse, sf, sb / 1048576.0)
    print()
    print("wall times, s:  doublecheck %s   parse-only %s   cat %s"
          % (" ".join("%.3f" % w for w in dc["walls"]), " ".join("%.3f" % w for w in parse["walls"]),
             " ".join("%.3f" % w for w in cat["walls"])))
    if candidates is not None:
        print("candidate files doublecheck parsed: %d of %d (%d documents)" % (candidates, files, documents))
    print("doublecheck exit status: %d (%s)%s" % (
        dc_exit, "findings reported" if dc_exit == 1 else "no findings",
        ", %d findings" % findings if findings is not None else ""))
    r_parse = ratio(dc["wall"], parse["wall"])
    r_cat = ratio(dc["wall"], cat["wall"])
    print("doublecheck scan / parse-only, wall time: %.2fx  (target: at most %.0fx)" % (r_parse, TARGET_PARSE_RATIO))
    print("doublecheck scan / raw read, wall time:   %.2fx  (target: at most %.0fx)" % (r_cat, TARGET_RAW_READ_RATIO))
    r_checkov = r_guard = r_guard_rss = r_scale = None
    if checkov:
        r_checkov = ratio(checkov["wall"], dc["wall"])
        print("checkov / doublecheck, wall time: doublecheck is %.0fx faster (CPU %.0fx, peak RSS %.1fx smaller)"
              % (r_checkov, ratio(checkov["cpu"], dc["cpu"]), ratio(checkov["rss"], dc["rss"])))
    if guard:
        r_guard = ratio(guard["wall"], dc["wall"])
        r_guard_rss = ratio(guard["rss"], dc["rss"])
        print("cfn-guard / doublecheck: wall time %.2fx, CPU %.2fx, peak RSS %.2fx  (above 1: doublecheck is faster / smaller)"
              % (r_guard, ratio(guard["cpu"], dc["cpu"]), r_guard_rss))
    if small:
        r_scale = ratio(dc["wall"], small["wall"])
        print("scaling: %.1fx files (%.1fx bytes) -> %.2fx wall time, %.2fx CPU, %.2fx peak RSS  (target: at most %.0fx time for 10x files)"
              % (ratio(files, int(env["BENCH_SMALL_FILES"])), ratio(size, int(env["BENCH_SMALL_BYTES"])),
                 r_scale, ratio(dc["cpu"], small["cpu"]), ratio(dc["rss"], small["rss"]), TARGET_SCALING))
    if startup and "--rules-lines" in env["BENCH_SOURCE"]:
        print("the rules file, start to exit: median %.1f ms, min %.1f ms over %d runs, peak RSS %.1f MiB  (target: under %.0f ms)"
              % (startup["median_ms"], startup["min_ms"], startup["runs"], startup["rss"], TARGET_RULES_MS))
    elif startup:
        print("start-up, one small file: median %.1f ms, min %.1f ms over %d runs, peak RSS %.1f MiB  (target: under %.0f ms)"
              % (startup["median_ms"], startup["min_ms"], startup["runs"], startup["rss"], TARGET_STARTUP_MS))
    print()
    summary = ("summary: files=%d bytes=%d wall_s=%.4f cpu_s=%.3f peak_rss_mib=%.1f files_per_s=%.0f"
               " parse_only_wall_s=%.4f parse_ratio=%.2f cat_wall_s=%.4f ratio=%.2f"
               % (files, size, dc["wall"], dc["cpu"], dc["rss"], ratio(files, dc["wall"]),
                  parse["wall"], r_parse, cat["wall"], r_cat))
    if checkov:
        summary += " checkov_wall_s=%.3f checkov_speedup=%.1f" % (checkov["wall"], r_checkov)
    if guard:
        summary += " cfn_guard_wall_s=%.4f cfn_guard_rss_mib=%.1f" % (guard["wall"], guard["rss"])
    if small:
        summary += " scaling_10x=%.2f" % r_scale
    if startup:
        summary += " startup_ms=%.1f" % startup["median_ms"]
    print(summary)
    if costs:
        print()
        print(costs, end="")

    if env.get("BENCH_RESULTS"):
        rec = {"label": env.get("BENCH_LABEL") or "tree", "source": env["BENCH_SOURCE"], "files": files,
               "bytes": size, "candidates": candidates, "documents": documents, "findings": findings,
               "scan": dc, "parse": parse, "cat": cat, "version": env["BENCH_VERSION"],
               "commit": env.get("BENCH_COMMIT", "")}
        if checkov:
            rec["checkov"] = dict(checkov, version=env["BENCH_CHECKOV_VER"], install=env["BENCH_CHECKOV_INSTALL"],
                                  frameworks=env["BENCH_CHECKOV_FRAMEWORKS"])
        if guard:
            rec["guard"] = dict(guard, version=env["BENCH_GUARD_VER"], install=env["BENCH_GUARD_INSTALL"])
        if small:
            rec["small"] = dict(small, files=int(env["BENCH_SMALL_FILES"]), bytes=int(env["BENCH_SMALL_BYTES"]),
                                parse=small_parse)
        if startup:
            rec["startup"] = startup
        if costs:
            rec["policy_costs"] = costs
        with open(env["BENCH_RESULTS"], "a") as fh:
            fh.write(json.dumps(rec) + "\n")


def parsers():
    env = os.environ
    with open(os.path.join(env["BENCH_WORK"], "parse-rates.out")) as fh:
        rates = fh.read().rstrip("\n")
    print()
    print("doublecheck parsers beside reference parsers (scan --parse-rates)")
    print("  binary   %s%s" % (env["BENCH_BIN"], "  [%s]" % env["BENCH_VERSION"] if env["BENCH_VERSION"] else ""))
    if env.get("BENCH_COMMIT"):
        print("  source   %s @ %s" % (env["BENCH_ROOT"], env["BENCH_COMMIT"]))
    print("  tree     %s (%s)" % (env["BENCH_TREE"], env["BENCH_SOURCE"]))
    print("  machine  %s" % machine())
    print()
    print(rates)
    if env.get("BENCH_RESULTS"):
        rec = {"label": env.get("BENCH_LABEL") or "parsers", "parsers": True, "source": env["BENCH_SOURCE"],
               "table": rates, "version": env["BENCH_VERSION"], "commit": env.get("BENCH_COMMIT", "")}
        with open(env["BENCH_RESULTS"], "a") as fh:
            fh.write(json.dumps(rec) + "\n")


def table():
    env = os.environ
    recs = {}
    with open(env["BENCH_ROWS"]) as fh:
        for line in fh:
            r = json.loads(line)
            recs[r["label"]] = r
    any_rec = next(iter(recs.values()))
    # The parsers' rates are a table of their own, printed last.
    rates = [recs.pop(label) for label in [k for k, r in recs.items() if r.get("parsers")]]
    print()
    print("=" * 100)
    print("doublecheck performance report (bash bench/run.sh --report)")
    print("  binary    %s  [%s]" % (env["BENCH_BIN"], any_rec.get("version", "")))
    if any_rec.get("commit"):
        print("  source    %s @ %s" % (env["BENCH_ROOT"], any_rec["commit"]))
    print("  machine   %s" % machine())
    print("  date      %s, report took %d min" % (time.strftime("%Y-%m-%d %H:%M %Z"), int(env["BENCH_SECS"]) // 60))
    for key, name in (("checkov", "Checkov"), ("guard", "cfn-guard")):
        for r in recs.values():
            if key in r:
                print("  %-9s %s (%s)" % (name, r[key]["version"], r[key]["install"]))
                break
    print("  method    page cache warm; medians of the runs shown (largest peak RSS); interleaved")
    print()
    print("trees")
    fmt = "  %-9s %-66s %8s %8s %10s"
    print(fmt % ("label", "source", "files", "MiB", "candidates"))
    for r in recs.values():
        if r["label"] == "startup":
            continue
        print(fmt % (r["label"], r["source"][:66], r["files"], "%.1f" % (r["bytes"] / 1048576.0),
                     r["candidates"] if r["candidates"] is not None else "?"))
        if "small" in r:
            print(fmt % (r["label"] + "/10", "the same, --files and --bytes divided by 10",
                         r["small"]["files"], "%.1f" % (r["small"]["bytes"] / 1048576.0), ""))
    print()
    print("measurements")
    fmt = "  %-9s %-26s %5s %9s %11s %13s %10s"
    print(fmt % ("tree", "command", "runs", "wall s", "CPU s (u+s)", "peak RSS MiB", "files/s"))

    def line(label, what, m, files):
        print(fmt % (label, what, m["runs"], "%.3f" % m["wall"], "%.3f" % m["cpu"], "%.1f" % m["rss"],
                     "%.0f" % (files / m["wall"]) if m["wall"] > 0 else ""))

    for r in recs.values():
        if r["label"] == "startup":
            continue
        line(r["label"], "doublecheck scan", r["scan"], r["files"])
        line(r["label"], "doublecheck --parse-only", r["parse"], r["files"])
        line(r["label"], "cat (raw read)", r["cat"], r["files"])
        if "small" in r:
            line(r["label"] + "/10", "doublecheck scan", r["small"], r["small"]["files"])
            line(r["label"] + "/10", "doublecheck --parse-only", r["small"]["parse"], r["small"]["files"])
        if "checkov" in r:
            line(r["label"], "checkov " + r["checkov"]["version"], r["checkov"], r["files"])
        if "guard" in r:
            line(r["label"], r["guard"]["version"], r["guard"], r["files"])
    print()
    print("targets")
    fmt = "  %-58s %-24s %-12s %s"
    print(fmt % ("figure", "measured", "target", "met"))

    def target(figure, value, shown, goal, ok):
        print(fmt % (figure, shown, goal, "yes" if ok else "NO"))

    mixed = recs.get("mixed")
    if mixed:
        n = "%s files / %.0f MB" % ("{:,}".format(mixed["files"]), mixed["bytes"] / 1e6)
        target("mixed %s: scan wall time" % n, mixed["scan"]["wall"], "%.2f s" % mixed["scan"]["wall"],
               "< %.0f s" % TARGET_WALL_S, mixed["scan"]["wall"] < TARGET_WALL_S)
        if "cat" in mixed:
            c = ratio(mixed["scan"]["wall"], mixed["cat"]["wall"])
            target("mixed %s: scan / raw read (cat), wall time" % n, c, "%.2fx" % c,
                   "<= %.0fx" % TARGET_RAW_READ_RATIO, c <= TARGET_RAW_READ_RATIO)
        target("mixed %s: scan peak RSS" % n, mixed["scan"]["rss"], "%.0f MiB" % mixed["scan"]["rss"],
               "< %.0f MiB" % TARGET_RSS_MIB, mixed["scan"]["rss"] < TARGET_RSS_MIB)
        if "small" in mixed:
            s = ratio(mixed["scan"]["wall"], mixed["small"]["wall"])
            target("mixed: 10x files -> time (%s -> %s files)" % ("{:,}".format(mixed["small"]["files"]),
                                                                  "{:,}".format(mixed["files"])),
                   s, "%.2fx" % s, "<= %.0fx" % TARGET_SCALING, s <= TARGET_SCALING)
            rs = ratio(mixed["scan"]["rss"], mixed["small"]["rss"])
            print(fmt % ("mixed: 10x files -> peak RSS (for information)", "%.2fx" % rs, "", ""))
    org = recs.get("salesforce-org")
    if org:
        target("salesforce-org %s files: scan peak RSS" % "{:,}".format(org["files"]), org["scan"]["rss"],
               "%.0f MiB" % org["scan"]["rss"], "<= %.0f MiB" % TARGET_ORG_RSS_MIB,
               org["scan"]["rss"] <= TARGET_ORG_RSS_MIB)
    for r in recs.values():
        if r["label"] == "startup":
            continue
        p = ratio(r["scan"]["wall"], r["parse"]["wall"])
        target("%s: scan / parse-only floor, wall time" % r["label"], p, "%.2fx" % p,
               "<= %.0fx" % TARGET_PARSE_RATIO, p <= TARGET_PARSE_RATIO)
    for label, goal in (("terraform", TARGET_CHECKOV_TF), ("k8s-cfn", TARGET_CHECKOV_K8S_CFN)):
        r = recs.get(label)
        if r and "checkov" in r:
            s = ratio(r["checkov"]["wall"], r["scan"]["wall"])
            target("%s (%d files): Checkov wall / doublecheck wall" % (label, r["files"]), s,
                   "%.0fx faster" % s, ">= %.0fx" % goal, s >= goal)
    for label in ("cfn-1x", "cfn-10x"):
        r = recs.get(label)
        if r and "guard" in r:
            s = ratio(r["guard"]["wall"], r["scan"]["wall"])
            target("%s (%d files): cfn-guard wall / doublecheck wall" % (label, r["files"]), s,
                   "%.2fx" % s, ">= 1x", s >= 1.0)
            m = ratio(r["guard"]["rss"], r["scan"]["rss"])
            print(fmt % ("%s: cfn-guard peak RSS / doublecheck peak RSS" % label, "%.2fx (%.0f / %.0f MiB)"
                         % (m, r["guard"]["rss"], r["scan"]["rss"]), "", ""))
    one, ten = recs.get("cfn-1x"), recs.get("cfn-10x")
    if one and ten:
        g1 = ratio(ten["scan"]["rss"], one["scan"]["rss"])
        target("cfn 1x -> 10x copies: doublecheck peak RSS grows", g1, "%.2fx" % g1,
               "flat (<= %.1fx)" % TARGET_MEMORY_GROWTH, g1 <= TARGET_MEMORY_GROWTH)
        if "guard" in one and "guard" in ten:
            print(fmt % ("cfn 1x -> 10x copies: cfn-guard peak RSS grows",
                         "%.2fx" % ratio(ten["guard"]["rss"], one["guard"]["rss"]), "", ""))
    rules = recs.get("rules-2000")
    if rules and "startup" in rules:
        s = rules["startup"]
        target("firestore.rules of 2,000 lines, start to exit (median of %d)" % s["runs"], s["median_ms"],
               "%.1f ms" % s["median_ms"], "< %.0f ms" % TARGET_RULES_MS, s["median_ms"] < TARGET_RULES_MS)
    st = recs.get("startup")
    if st and "startup" in st:
        s = st["startup"]
        target("start-up to exit, one small file (median of %d)" % s["runs"], s["median_ms"],
               "%.1f ms" % s["median_ms"], "< %.0f ms" % TARGET_STARTUP_MS, s["median_ms"] < TARGET_STARTUP_MS)
    mixed = recs.get("mixed")
    if mixed and mixed.get("policy_costs"):
        print()
        print("the ten costliest policies on the mixed tree (its first, untimed run)")
        print(mixed["policy_costs"], end="")
    for r in rates:
        print()
        print("parsers beside reference parsers (%s)" % r["source"])
        for line in r["table"].splitlines():
            print(("  " + line).rstrip())
    print("=" * 100)


def frameworks(root):
    found = set()
    k8s = re.compile(r"^apiVersion:", re.M)
    kind = re.compile(r"^kind:", re.M)
    for d, dirs, files in os.walk(root):
        dirs[:] = [x for x in dirs if x not in (".git", "node_modules", ".terraform")]
        for f in files:
            if f.endswith(".tf") or f.endswith(".tf.json"):
                found.add("terraform")
                continue
            if not f.endswith((".yaml", ".yml", ".json", ".template")):
                continue
            if len(found) == 3:
                break
            try:
                with open(os.path.join(d, f), "rb") as fh:
                    text = fh.read(200000).decode("utf-8", "replace")
            except OSError:
                continue
            if "AWSTemplateFormatVersion" in text or ("Resources" in text and "AWS::" in text):
                found.add("cloudformation")
            elif f.endswith((".yaml", ".yml")) and k8s.search(text) and kind.search(text):
                found.add("kubernetes")
    print(" ".join(x for x in ("terraform", "kubernetes", "cloudformation") if x in found))


GUARD_EXTENSIONS = (".yaml", ".yml", ".json", ".jsn", ".template")


def guard_data(root):
    """The -d arguments that make cfn-guard read every data file of the tree except those
    in hidden files and folders (.github/workflows/*.yml and the like, which it cannot
    parse: `on:` is a boolean key to its YAML parser, and one such file stops the run).
    A folder with nothing hidden inside is one argument; others are split."""
    out = []

    def has_hidden(d):
        for _, dirs, files in os.walk(d):
            if any(x.startswith(".") for x in dirs + files):
                return True
        return False

    def cover(d):
        if not has_hidden(d):
            out.append(d)
            return
        for name in sorted(os.listdir(d)):
            if name.startswith("."):
                continue
            p = os.path.join(d, name)
            if os.path.isdir(p) and not os.path.islink(p):
                cover(p)
            elif name.endswith(GUARD_EXTENSIONS) and os.path.isfile(p):
                out.append(p)

    cover(root)
    sys.stdout.write("".join(x + "\0" for x in out))


def main(argv):
    if argv[1:2] == ["tree"]:
        tree()
    elif argv[1:2] == ["table"]:
        table()
    elif argv[1:2] == ["parsers"]:
        parsers()
    elif argv[1:2] == ["frameworks"] and len(argv) == 3:
        frameworks(argv[2])
    elif argv[1:2] == ["guard-data"] and len(argv) == 3:
        guard_data(argv[2])
    elif argv[1:2] == ["size-div10"] and len(argv) == 3:
        print(max(1, parse_size(argv[2]) // 10))
    else:
        sys.stderr.write(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
