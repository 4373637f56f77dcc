#!/usr/bin/env bash
# Writes samples/*/expected.md and expected.json: the report each scenario gives today.
# Review the diff before committing: the sample test compares the analysis with these files.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build --product originlens >/dev/null
for dir in samples/*/; do
  name=$(basename "$dir")
  args=(--tz Europe/Berlin --year 2026 --no-history)
  .build/debug/originlens analyze "${args[@]}" "samples/$name" > "samples/$name.expected.md"
  .build/debug/originlens analyze "${args[@]}" --json "samples/$name" > "samples/$name.expected.json"
  echo "samples/$name: $(grep -m1 '^# ' "samples/$name.expected.md")"
done
