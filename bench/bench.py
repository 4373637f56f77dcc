#!/usr/bin/env python3
"""Runs the benchmark table for bench/run.sh (which builds and installs the peers first).

Data is generated once into bench/data/<size>/ by originlens-gen and reused while present.
Every timed run goes through /usr/bin/time (peak RSS, %M) and a monotonic clock (wall). Runs
are interleaved: run 1 of every command, then run 2 of every command, and so on, so that a
ratio compares runs made under the same machine load. The table shows medians.
"""
import argparse
import atexit
import datetime
import glob
import json
import os
import platform
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DATA = os.path.join(ROOT, "bench", "data")
PAUSE = os.environ.get("BENCH_PAUSE", "")


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def parse_size(s):
    t = s.strip().upper()
    for suf, m in (("TB", 1 << 40), ("GB", 1 << 30), ("MB", 1 << 20), ("KB", 1 << 10), ("T", 1 << 40),
                   ("G", 1 << 30), ("M", 1 << 20), ("K", 1 << 10), ("B", 1)):
        if t.endswith(suf):
            return int(float(t[: -len(suf)]) * m)
    return int(t)


def human(n):
    for unit, m in (("GB", 1 << 30), ("MB", 1 << 20), ("KB", 1 << 10)):
        if n >= m:
            v = n / m
            return f"{v:.0f}{unit}" if abs(v - round(v)) < 0.01 else f"{v:.1f}{unit}"
    return f"{n}B"


# --- pausing background jobs -------------------------------------------------------------------

def pause():
    if PAUSE:
        subprocess.run(["pkill", "-STOP", "-f", PAUSE], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def resume():
    if PAUSE:
        subprocess.run(["pkill", "-CONT", "-f", PAUSE], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


atexit.register(resume)


# --- data ----------------------------------------------------------------------------------------

def count_lines_bytes(files, gz):
    lines = 0
    size = 0
    for f in files:
        if gz:
            p = subprocess.Popen(["gzip", "-dc", f], stdout=subprocess.PIPE)
            src = p.stdout
        else:
            p = None
            src = open(f, "rb")
        while True:
            b = src.read(1 << 22)
            if not b:
                break
            size += len(b)
            lines += b.count(b"\n")
        src.close()
        if p:
            p.wait()
    return lines, size


def dataset(gen, name, args, pick, gz):
    """Generates `name` with `originlens-gen bench DIR args` unless complete; returns meta."""
    d = os.path.join(DATA, name)
    meta_path = os.path.join(d, "meta.json")
    if os.path.exists(meta_path):
        with open(meta_path) as f:
            meta = json.load(f)
        if meta.get("args") == args:
            return meta
    if os.path.exists(d):
        shutil.rmtree(d)
    log(f"generating {name}: originlens-gen bench {d} {' '.join(args)}")
    t0 = time.monotonic()
    subprocess.run([gen, "bench", d] + args, check=True, stderr=subprocess.DEVNULL)
    sets = {}
    for key, pattern in pick.items():
        files = sorted(glob.glob(os.path.join(d, pattern), recursive=True))
        lines, size = count_lines_bytes(files, gz)
        disk = sum(os.path.getsize(f) for f in files)
        sets[key] = {"files": files, "lines": lines, "bytes": size, "disk": disk}
    meta = {"args": args, "sets": sets, "seconds": round(time.monotonic() - t0, 1)}
    with open(meta_path, "w") as f:
        json.dump(meta, f, indent=1)
    return meta


# --- measuring -----------------------------------------------------------------------------------

class Row:
    def __init__(self, rid, group, label, cmd, data, ref=None, target=None, note=""):
        self.id, self.group, self.label, self.cmd, self.data = rid, group, label, cmd, data
        self.ref, self.target, self.note = ref, target, note
        self.walls, self.rss, self.failed = [], [], None


def run_once(cmd, tmp):
    out = os.path.join(tmp, "time.txt")
    err = os.path.join(tmp, "stderr.txt")
    with open(err, "wb") as ef:
        pause()
        try:
            t0 = time.perf_counter()
            rc = subprocess.call(["/usr/bin/time", "-f", "%M", "-o", out, "sh", "-c", cmd],
                                 stdout=subprocess.DEVNULL, stderr=ef, stdin=subprocess.DEVNULL)
            wall = time.perf_counter() - t0
        finally:
            resume()
    rss_kb = 0
    try:
        with open(out) as f:
            rss_kb = int(f.read().strip().splitlines()[-1])
    except (OSError, ValueError, IndexError):
        pass
    if rc != 0:
        with open(err, "rb") as f:
            tail = f.read()[-400:].decode("utf-8", "replace")
        return None, rss_kb, f"exit {rc}: {tail.strip()}"
    return wall, rss_kb, None


def measure(rows, runs, tmp):
    live = [r for r in rows if r.failed is None]
    log(f"warm-up ({len(live)} commands)…")
    for r in live:
        _, _, e = run_once(r.cmd, tmp)
        if e:
            r.failed = e
            log(f"  {r.label}: {e}")
    for i in range(runs):
        log(f"run {i + 1}/{runs}")
        for r in rows:
            if r.failed:
                continue
            w, rss, e = run_once(r.cmd, tmp)
            if e:
                r.failed = e
                continue
            r.walls.append(w)
            r.rss.append(rss)
            log(f"  {r.label:<58} {w:7.3f} s {rss / 1024:7.1f} MB")


def median(xs):
    return statistics.median(xs) if xs else None


# --- output --------------------------------------------------------------------------------------

def fmt_rate(b, w):
    v = b / w / 1e6
    return f"{v:,.0f}"


def table(rows, sets):
    by_id = {r.id: r for r in rows}
    out = ["| Command | Input | Wall (s) | MB/s | Lines/s | Peak RSS (MB) | Ratio | Target |",
           "|---|---|---:|---:|---:|---:|---:|---|"]
    for r in rows:
        s = sets[r.data]
        if r.failed or not r.walls:
            out.append(f"| `{r.label}` | {s['desc']} | failed | | | | | {r.failed or ''} |".replace("\n", " "))
            continue
        w = median(r.walls)
        ratio = ""
        verdict = r.target[0] if r.target else ""
        if r.ref and by_id.get(r.ref) and by_id[r.ref].walls:
            rw = median(by_id[r.ref].walls)
            ratio = f"{w / rw:.2f}× {by_id[r.ref].short}"
        if r.target:
            text, check = r.target
            ok = check(w, s, by_id)
            verdict = f"{text}: {'met' if ok else 'NOT met'}" if ok is not None else text
        out.append(f"| `{r.label}` | {s['desc']} | {w:.3f} | {fmt_rate(s['bytes'], w)} | {s['lines'] / w:,.0f} | "
                   f"{max(r.rss) / 1024:.1f} | {ratio} | {verdict} |")
    return "\n".join(out)


def environment(bin_dir):
    cpu = ""
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass

    def version(cmd):
        try:
            r = subprocess.run(cmd, capture_output=True, text=True, timeout=10)
            return (r.stdout or r.stderr).strip().splitlines()[0]
        except Exception:
            return "absent"
    commit = version(["git", "-C", ROOT, "rev-parse", "--short", "HEAD"])
    tools = {"pigz": ["pigz", "--version"], "gzip": ["gzip", "--version"], "jq": ["jq", "--version"],
             "gojq": ["gojq", "--version"], "lnav": ["lnav", "-V"], "goaccess": ["goaccess", "-V"]}
    def short(k, v):
        words = [w for w in v.replace(k, "").replace("GoAccess", "").split() if any(c.isdigit() for c in w)]
        return words[0].strip(" -:.,") if words else v
    vs = ", ".join(f"{k} {short(k, version(v))}" for k, v in tools.items())
    return (f"{datetime.date.today().isoformat()}, {cpu or platform.processor()}, {os.cpu_count()} cores, "
            f"Linux {platform.release()}; OriginLens {commit} (release build); {vs}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", required=True)
    ap.add_argument("--size", default="1GB")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--memory", type=int, default=0)
    ap.add_argument("--only", default="")
    a = ap.parse_args()
    ol = os.path.join(a.bin, "originlens")
    gen = os.path.join(a.bin, "originlens-gen")
    size = parse_size(a.size)
    tag = human(size)
    groups = set(x for x in a.only.split(",") if x) or {"gz1", "gzN", "plain", "jq", "origin", "access"}
    os.makedirs(DATA, exist_ok=True)

    # Data, generated once per size.
    metas = {}
    sets = {}

    def add_sets(meta, descs):
        for k, d in descs.items():
            s = dict(meta["sets"][k])
            n = len(s["files"])
            s["desc"] = f"{d} ({human(s['bytes'])}{'' if n == 1 else f' in {n} files'}, {s['lines']:,} lines)"
            sets[k] = s

    if groups & {"gz1", "jq"}:
        m = dataset(gen, f"{tag}/gz1", ["--size", str(size), "--files", "1", "--gzip", "--origin-size", "64KB"],
                    {"gz1": "edge/**/*.gz"}, True)
        add_sets(m, {"gz1": "Logpush NDJSON, 1 gzip file"})
    if groups & {"gzN"}:
        m = dataset(gen, f"{tag}/gzN", ["--size", str(size), "--files", "8", "--gzip", "--origin-size", "64KB"],
                    {"gzN": "edge/**/*.gz"}, True)
        add_sets(m, {"gzN": "Logpush NDJSON, gzip"})
    if groups & {"plain"}:
        m = dataset(gen, f"{tag}/plain", ["--size", str(size), "--files", "4", "--origin-size", "64KB"],
                    {"plain": "edge/**/*.log"}, False)
        add_sets(m, {"plain": "Logpush NDJSON, plain"})
    if groups & {"origin", "access"}:
        m = dataset(gen, f"{tag}/origin", ["--size", "1MB", "--origin-size", str(size // 4), "--access-size", str(size // 8)],
                    {"syslog": "origin/syslog", "nginx": "origin/nginx/error.log",
                     "journal": "origin/journal/web1-system.export", "access": "origin/nginx/access.log"}, False)
        add_sets(m, {"syslog": "syslog (RFC 3164)", "nginx": "nginx error log", "journal": "journal export",
                     "access": "nginx access log (combined)"})

    def q(paths):
        return " ".join(shlex.quote(p) for p in paths)

    def rel(p):
        return os.path.relpath(p, ROOT)

    tmp = tempfile.mkdtemp(prefix="originlens-bench-")
    rows = []
    analyze = f"{shlex.quote(ol)} analyze --json --no-history"
    formats = f"{shlex.quote(ol)} formats"

    def ratio_check(ref, op, limit):
        def check(w, s, by):
            if ref not in by or not by[ref].walls:
                return None
            r = w / median(by[ref].walls)
            return r <= limit if op == "<=" else r >= limit
        return check

    def rate_check(limit_mbs):
        return lambda w, s, by: s["bytes"] / w / 1e6 >= limit_mbs

    def have(tool):
        return shutil.which(tool) is not None

    def row(rid, group, label, cmd, data, ref=None, target=None, short=None, tool=None):
        r = Row(rid, group, label, cmd, data, ref, target)
        r.short = short or rid
        if tool and not have(tool):
            r.failed = f"{tool} not installed"
        rows.append(r)

    if "gz1" in groups or "jq" in groups:
        g = sets["gz1"]["files"]
        row("pigz1", "gz1", "pigz -dc one.log.gz > /dev/null", f"pigz -dc {q(g)} > /dev/null", "gz1", short="pigz", tool="pigz")
        if "gz1" in groups:
            row("gzip1", "gz1", "gzip -dc one.log.gz > /dev/null", f"gzip -dc {q(g)} > /dev/null", "gz1", ref="pigz1", short="gzip")
        row("ol1", "gz1", "originlens analyze --json --no-history one.log.gz", f"{analyze} {q(g)}", "gz1", ref="pigz1",
            target=("≤ 1.2× pigz", ratio_check("pigz1", "<=", 1.2)), short="originlens")
    if "gzN" in groups:
        g = sets["gzN"]["files"]
        d = os.path.dirname(os.path.dirname(g[0]))
        row("pigzN", "gzN", "pigz -dc gz8/*/*.gz > /dev/null (in sequence)", f"pigz -dc {q(g)} > /dev/null", "gzN", short="pigz", tool="pigz")
        row("olN", "gzN", "originlens analyze --json --no-history gz8/", f"{analyze} {shlex.quote(d)}", "gzN", ref="pigzN",
            target=("≤ 0.9× pigz", ratio_check("pigzN", "<=", 0.9)))
    if "plain" in groups:
        g = sets["plain"]["files"]
        d = os.path.dirname(os.path.dirname(g[0]))
        row("olP", "plain", "originlens analyze --json --no-history plain/", f"{analyze} {shlex.quote(d)}", "plain")
        row("olP1", "plain", "taskset -c 0 originlens analyze --json --no-history plain/",
            f"taskset -c 0 {analyze} {shlex.quote(d)}", "plain", target=("≥ 1 GB/s a core", rate_check(1000)), tool="taskset")
    if "jq" in groups:
        g = sets["gz1"]["files"]
        for tool in ("jq", "gojq"):
            row(tool, "jq", f"gzip -dc one.log.gz | {tool} -c 'select(.EdgeResponseStatus==521)'",
                f"gzip -dc {q(g)} | {tool} -c 'select(.EdgeResponseStatus==521)' > /dev/null", "gz1", ref="ol1",
                target=("originlens ≥ 8× faster", ratio_check("ol1", ">=", 8)), tool=tool)
    if "origin" in groups:
        for k, name in (("syslog", "syslog"), ("nginx", "nginx error"), ("journal", "journal export")):
            f = sets[k]["files"][0]
            row(f"fmt-{k}", "origin", f"taskset -c 0 originlens formats {os.path.basename(f)}", f"taskset -c 0 {formats} {shlex.quote(f)}", k,
                target=("≥ 300 MB/s a core", rate_check(300)), tool="taskset")
    if "access" in groups:
        f = sets["access"]["files"][0]
        row("olA", "access", "originlens analyze --json --no-history access.log", f"{analyze} {shlex.quote(f)}", "access",
            short="originlens")
        row("lnav", "access", "lnav -n -c ';SELECT count(*) FROM access_log WHERE sc_status >= 500' access.log",
            f"HOME={shlex.quote(tmp)} lnav -n -c ';SELECT count(*) FROM access_log WHERE sc_status >= 500' {shlex.quote(f)}",
            "access", ref="olA", tool="lnav")
        row("goaccess", "access", "goaccess access.log --log-format=COMBINED -o report.html",
            f"goaccess {shlex.quote(f)} --log-format=COMBINED -o {shlex.quote(os.path.join(tmp, 'report.html'))}",
            "access", ref="olA", tool="goaccess")

    measure(rows, a.runs, tmp)
    env = environment(a.bin)
    cmdline = "bench/run.sh --size " + a.size + f" --runs {a.runs}" + (" --memory" if a.memory else "")
    legend = []
    for k, name in (("gz1", "one.log.gz"), ("gzN", "gz8/"), ("plain", "plain/"), ("syslog", "syslog"), ("nginx", "error.log"),
                    ("journal", "web1-system.export"), ("access", "access.log")):
        if k in sets:
            f = sets[k]["files"]
            p = rel(f[0]) if name[-1] != "/" else rel(os.path.dirname(os.path.dirname(f[0]))) + "/"
            legend.append(f"`{name}` = `{p}`")
    md = [f"Produced by `{cmdline}` on {env}.", "",
          "Inputs (generated by `originlens-gen bench`, see bench/README.md): " + ", ".join(legend) + ".", "",
          f"Medians of {a.runs} interleaved runs. MB/s = uncompressed input bytes (10^6) per second of wall time; "
          "lines/s likewise; peak RSS is the largest of the runs (for a pipeline, its largest process). "
          "Ratio = this wall time / the named command's wall time in the same runs.", "",
          table(rows, sets)]

    if a.memory:
        big = size * 8
        m1 = dataset(gen, f"{tag}/gzN", ["--size", str(size), "--files", "8", "--gzip", "--origin-size", "64KB"],
                     {"gzN": "edge/**/*.gz"}, True)
        m8 = dataset(gen, f"{human(big)}/gzN", ["--size", str(big), "--files", "8", "--gzip", "--origin-size", "64KB"],
                     {"gzN": "edge/**/*.gz"}, True)
        mem_rows = []
        for key, meta in ((tag, m1), (human(big), m8)):
            s = dict(meta["sets"]["gzN"])
            s["desc"] = f"{human(s['bytes'])} gzipped Logpush in {len(s['files'])} files, {s['lines']:,} lines"
            sets["mem-" + key] = s
            d = os.path.dirname(os.path.dirname(s["files"][0]))
            r = Row("mem-" + key, "memory", f"originlens analyze --json --no-history {rel(d)}", f"{analyze} {shlex.quote(d)}", "mem-" + key)
            r.short = key
            mem_rows.append(r)
        measure(mem_rows, max(1, min(a.runs, 3)), tmp)
        a1, a8 = mem_rows
        lines = ["| Input | Simulated span | Wall (s) | Peak RSS (MB) |", "|---|---|---:|---:|"]
        for r, n in ((a1, size), (a8, big)):
            s = sets[r.data]
            hours = max(24, -(-24 * n // (1 << 30)))   # the generator's default span: 24 h a GB
            if r.walls:
                lines.append(f"| {s['desc']} | {hours} h | {median(r.walls):.2f} | {max(r.rss) / 1024:.1f} |")
            else:
                lines.append(f"| {s['desc']} | | failed | {r.failed} |")
        if a1.rss and a8.rss:
            ratio = max(a8.rss) / max(a1.rss)
            lines.append("")
            lines.append(f"Peak RSS {human(big)} / {tag}: {ratio:.3f} (target: at most 64 MB and within 10 %: "
                         f"{'met' if ratio <= 1.10 and max(a8.rss) <= 64 * 1024 else 'NOT met'}).")
        md += ["", "### Memory", "", "\n".join(lines)]

    text = "\n".join(md) + "\n"
    print(text)
    with open(os.path.join(ROOT, "bench", "results.md"), "w") as f:
        f.write("# Benchmark results\n\n" + text)
    shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
