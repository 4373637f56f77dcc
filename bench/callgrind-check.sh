#!/usr/bin/env bash
# Regression check for CI: instructions per line (valgrind --tool=callgrind) of `originlens
# formats` on each fixture file and of `originlens analyze --json --no-history` on all of them,
# compared with bench/callgrind-baseline.json; fails when a case needs more than 20 % more
# instructions per line. `--update` rewrites the baseline (commit it with the change that
# explains it).
#
# The input is fixed: bench/fixtures/callgrind/, written by
#   originlens-gen bench bench/fixtures/callgrind --size 384KB --files 1 --origin-size 200KB \
#     --access-size 48KB --timestamps unixnano
set -euo pipefail
cd "$(dirname "$0")/.."
args=()
for a in "$@"; do
  case "$a" in
    --update) args+=(--update) ;;
    *) echo "usage: bench/callgrind-check.sh [--update]" >&2; exit 64 ;;
  esac
done
command -v valgrind >/dev/null 2>&1 || { echo "valgrind is needed (apt-get install valgrind)" >&2; exit 2; }
swift build -c release --product originlens >&2
bin=$(swift build -c release --show-bin-path)/originlens
python3 bench/callgrind.py --bin "$bin" "${args[@]}"
