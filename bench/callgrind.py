#!/usr/bin/env python3
"""Instruction counts per line on the fixed input in bench/fixtures/callgrind (see
bench/callgrind-check.sh). Each case runs twice under `valgrind --tool=callgrind`: on the
whole input and on its first lines only; the difference divided by the difference in lines is
the cost of a line, with start-up, sniffing and report writing left out. Counts do not depend
on the machine's load, so a small threshold is safe."""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FIX = os.path.join(ROOT, "bench", "fixtures", "callgrind")
BASELINE = os.path.join(ROOT, "bench", "callgrind-baseline.json")
HEAD_LINES = 20
COMMON = ["--tz", "Europe/Berlin", "--year", "2026"]

# name -> (file under FIX or None for the whole folder, command)
CASES = {
    "formats cloudflare-json": ("edge", ["formats"]),
    "formats nginx-error": ("origin/nginx/error.log", ["formats"]),
    "formats syslog": ("origin/syslog", ["formats"]),
    "formats journal-export": ("origin/journal/web1-system.export", ["formats"]),
    "formats access-log": ("origin/nginx/access.log", ["formats"]),
    "analyze (all files)": (None, ["analyze", "--json", "--no-history"]),
}


def head_records(data, n, journal):
    """The first n records: lines, or blank-line-separated entries for the journal export."""
    if journal:
        parts = data.split(b"\n\n")
        return b"\n\n".join(parts[:n]) + b"\n\n", n
    lines = data.split(b"\n")[:n]
    return b"\n".join(lines) + b"\n", n


def count_records(data, journal):
    if journal:
        return len([p for p in data.split(b"\n\n") if p.strip()])
    return data.count(b"\n")


def files_under(path):
    if os.path.isfile(path):
        return [path]
    out = []
    for d, _, fs in os.walk(path):
        out += [os.path.join(d, f) for f in sorted(fs)]
    return sorted(out)


def make_head_copy(src_root, rel, dst_root):
    """Copies `rel` (file or folder) under dst_root with each file cut to its first lines;
    returns (records in the full input, records in the cut input)."""
    full = cut = 0
    for f in files_under(os.path.join(src_root, rel) if rel else src_root):
        journal = f.endswith(".export")
        data = open(f, "rb").read()
        head, _ = head_records(data, HEAD_LINES, journal)
        full += count_records(data, journal)
        cut += count_records(head, journal)
        dst = os.path.join(dst_root, os.path.relpath(f, src_root))
        os.makedirs(os.path.dirname(dst), exist_ok=True)
        open(dst, "wb").write(head)
    return full, cut


def instructions(binary, args, path, tmp):
    out = os.path.join(tmp, "callgrind.out")
    env = dict(os.environ, SWIFT_DETERMINISTIC_HASHING="1")
    r = subprocess.run(["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}", binary] + args + COMMON + [path],
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env, text=True)
    if r.returncode != 0:
        sys.exit(f"valgrind run failed ({' '.join(args)} {path}):\n{r.stderr[-2000:]}")
    m = re.search(r"Collected : (\d+)", r.stderr)
    if not m:
        sys.exit("no instruction count in valgrind's output:\n" + r.stderr[-2000:])
    os.remove(out)
    return int(m.group(1))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", required=True)
    ap.add_argument("--update", action="store_true")
    ap.add_argument("--threshold", type=float, default=0.20)
    a = ap.parse_args()
    tmp = tempfile.mkdtemp(prefix="originlens-callgrind-")
    results = {}
    try:
        for name, (rel, args) in CASES.items():
            cut_root = os.path.join(tmp, "cut-" + re.sub(r"\W+", "-", name))
            full_lines, cut_lines = make_head_copy(FIX, rel, cut_root)
            full_path = os.path.join(FIX, rel) if rel else FIX
            cut_path = os.path.join(cut_root, rel) if rel else cut_root
            i_full = instructions(a.bin, args, full_path, tmp)
            i_cut = instructions(a.bin, args, cut_path, tmp)
            per_line = (i_full - i_cut) / max(1, full_lines - cut_lines)
            results[name] = {"instructions_per_line": round(per_line), "lines": full_lines,
                             "instructions": i_full, "instructions_first_lines": i_cut}
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    base = {}
    if os.path.exists(BASELINE):
        base = json.load(open(BASELINE)).get("cases", {})
    failed = []
    print(f"{'case':<28} {'instr/line':>11} {'baseline':>10} {'change':>8}")
    for name, r in results.items():
        b = base.get(name, {}).get("instructions_per_line")
        v = r["instructions_per_line"]
        if b:
            change = v / b - 1
            flag = "  REGRESSION" if change > a.threshold else ""
            if change > a.threshold:
                failed.append(name)
            print(f"{name:<28} {v:>11,} {b:>10,} {change:>+7.1%}{flag}")
        else:
            print(f"{name:<28} {v:>11,} {'-':>10} {'':>8}")
    if a.update:
        version = subprocess.run(["swift", "--version"], capture_output=True, text=True).stdout.strip().splitlines()
        doc = {"note": "instructions per line (marginal: whole input minus its first lines) from bench/callgrind-check.sh; "
                       "rewrite with bench/callgrind-check.sh --update",
               "swift": version[0] if version else "", "cases": results}
        with open(BASELINE, "w") as f:
            json.dump(doc, f, indent=2, sort_keys=True)
            f.write("\n")
        print(f"baseline written: {os.path.relpath(BASELINE, ROOT)}")
        return
    if failed:
        sys.exit(f"callgrind check: more than {a.threshold:.0%} more instructions per line in: {', '.join(failed)} "
                 "(if intended, run bench/callgrind-check.sh --update and commit the baseline)")
    if not base:
        sys.exit("no baseline: run bench/callgrind-check.sh --update")
    print("callgrind check: ok")


if __name__ == "__main__":
    main()
