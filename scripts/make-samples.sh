#!/bin/sh
# Regenerates every scenario under samples/ with the deterministic generator
# (bench/Generator, product originlens-gen): same generator, same bytes.
# Usage: scripts/make-samples.sh [scenario ...]   (default: all)
set -eu
cd "$(dirname "$0")/.."
swift build --product originlens-gen
bin="$(swift build --product originlens-gen --show-bin-path)/originlens-gen"
if [ "$#" -eq 0 ]; then
  set -- oom-kill firewall-partial config-error listen-localhost https-no-listener quiet-week
fi
for name in "$@"; do
  "$bin" scenario "$name" "samples/$name"
done
