#!/usr/bin/env bash
# Benchmark: builds OriginLens in release mode, generates the data once (bench/data/, reused
# while present), installs the peer tools from Debian when absent, and prints a table (also
# written to bench/results.md).
#
#   bench/run.sh [--size 1GB] [--runs 5] [--memory] [--only ROWS]
#
# --size     edge volume, uncompressed (default 1GB); the origin logs are a quarter of it and
#            the access log an eighth.
# --runs     timed runs per command; the table shows the median (default 5). Commands are
#            interleaved run by run, so that a ratio compares runs made under the same load.
# --memory   also measures peak RSS of `originlens analyze` on SIZE and on 8 × SIZE of gzipped
#            input (8 files each; the larger set spans 8 × the hours) and reports them side by side.
# --only     comma-separated row groups: gz1, gzN, plain, jq, origin, access (default: all).
#
# Environment: BENCH_PAUSE='/Fuzz[A-Z]' stops the processes whose command line matches the
# pattern (pkill -STOP -f) during each timed run and resumes them (pkill -CONT -f) right after,
# for machines where a long background job would otherwise share the cores.
set -euo pipefail
cd "$(dirname "$0")/.."

size=1GB
runs=5
memory=0
only=""
while [ $# -gt 0 ]; do
  case "$1" in
    --size) size="$2"; shift 2 ;;
    --runs) runs="$2"; shift 2 ;;
    --memory) memory=1; shift ;;
    --only) only="$2"; shift 2 ;;
    -h|--help) sed -n '2,19p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown option: $1 (see --help)" >&2; exit 64 ;;
  esac
done

# Peers, from Debian when absent (skipped with a note when not installable).
need=()
for pair in pigz:pigz gzip:gzip jq:jq gojq:gojq lnav:lnav goaccess:goaccess taskset:util-linux /usr/bin/time:time; do
  cmd=${pair%%:*}; pkg=${pair#*:}
  if ! command -v "$cmd" >/dev/null 2>&1; then need+=("$pkg"); fi
done
if [ ${#need[@]} -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  if command -v apt-get >/dev/null 2>&1; then
    apt-get update -qq || true
    installable=()
    for p in "${need[@]}"; do
      if apt-cache show "$p" >/dev/null 2>&1; then installable+=("$p"); else echo "note: $p is not installable here; its rows are skipped" >&2; fi
    done
    if [ ${#installable[@]} -gt 0 ]; then
      echo "installing: ${installable[*]}" >&2
      apt-get install -y -qq "${installable[@]}" >/dev/null || echo "note: apt-get install failed; missing peers are skipped" >&2
    fi
  else
    echo "note: no apt-get; missing peers (${need[*]}) are skipped" >&2
  fi
fi

echo "building (release)…" >&2
swift build -c release --product originlens >&2
swift build -c release --product originlens-gen >&2
bin=$(swift build -c release --show-bin-path)

exec python3 bench/bench.py --bin "$bin" --size "$size" --runs "$runs" --memory "$memory" --only "$only"
