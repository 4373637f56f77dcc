#!/usr/bin/env bash
# Builds and runs one libFuzzer target (docs/fuzzing.md).
#
#   scripts/fuzz.sh list                     the targets
#   scripts/fuzz.sh TARGET SECONDS [ARGS…]   build TARGET, run it for SECONDS (extra ARGS go to libFuzzer)
#   scripts/fuzz.sh build TARGET             build only
#   scripts/fuzz.sh all SECONDS              every target in turn, then a summary (continues past failures)
#
# TARGET is a product name (FuzzGzip) or the same without the prefix (Gzip). The corpus grows in
# .build-fuzz/corpus/TARGET (kept between runs); it is seeded from Fuzz/seeds/ and the test
# fixtures, through .build-fuzz/seeds/TARGET (regenerated on every run). Crashing, hanging and
# leaking inputs land in .build-fuzz/artifacts/TARGET/; the log in .build-fuzz/logs/.
# Exit status: libFuzzer's (0 when nothing was found).
set -euo pipefail
cd "$(dirname "$0")/.."

TARGETS=(FuzzCloudflareJSON FuzzCloudflareCSV FuzzCloudFront FuzzAccessLog FuzzNginxError
         FuzzApacheError FuzzPhpFpm FuzzSyslog FuzzSyslog5424 FuzzJournalJSON FuzzJournalExport
         FuzzFail2ban FuzzVPCFlow FuzzProxmoxFirewall FuzzGzip FuzzLineReader FuzzRuleMatcher
         FuzzPipeline)
SCRATCH=.build-fuzz

usage() { sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; exit 2; }

resolve() {
  local t=$1
  [[ $t == Fuzz* ]] || t="Fuzz$t"
  for x in "${TARGETS[@]}"; do [[ $x == "$t" ]] && { echo "$t"; return; }; done
  echo "unknown target '$1' (scripts/fuzz.sh list)" >&2
  exit 2
}

# Longest input libFuzzer generates, per target.
max_len() {
  case $1 in
    FuzzJournalExport|FuzzPipeline) echo 16384 ;;
    FuzzGzip) echo 8192 ;;
    FuzzLineReader) echo 2048 ;;
    *) echo 4096 ;;
  esac
}

build() {
  echo "building $1 (release, -sanitize=fuzzer,address)…" >&2
  ORIGINLENS_FUZZ=1 swift build -c release --product "$1" --scratch-path "$SCRATCH" \
    --sanitize fuzzer -Xswiftc -sanitize=fuzzer,address -Xswiftc -use-ld=lld >&2
}

# Writes the seed inputs of a target into a directory (committed seeds, test fixtures, and
# inputs derived from the other targets' seeds for the targets that take a mode byte).
make_seeds() {
  local target=$1 dir=$2
  rm -rf "$dir"; mkdir -p "$dir"
  python3 - "$target" "$dir" <<'PY'
import gzip, os, sys
target, out = sys.argv[1], sys.argv[2]
seeds, fixtures = "Fuzz/seeds", "Tests/OriginLensTests/Fixtures"
def files(d):
    if not os.path.isdir(d): return []
    return [os.path.join(d, f) for f in sorted(os.listdir(d)) if os.path.isfile(os.path.join(d, f))]
def read(p):
    with open(p, "rb") as f: return f.read()
n = 0
def put(data, name):
    global n
    n += 1
    with open(os.path.join(out, "%03d-%s" % (n, os.path.basename(name))), "wb") as f: f.write(data)
origin = ["FuzzNginxError", "FuzzApacheError", "FuzzPhpFpm", "FuzzSyslog", "FuzzSyslog5424",
          "FuzzJournalJSON", "FuzzFail2ban", "FuzzVPCFlow", "FuzzProxmoxFirewall"]
edge = ["FuzzCloudflareJSON", "FuzzCloudflareCSV", "FuzzCloudFront", "FuzzAccessLog"]
journal = files(os.path.join(fixtures, "journal"))
text = [p for t in edge + origin for p in files(os.path.join(seeds, t))]
for p in files(os.path.join(seeds, target)): put(read(p), p)
if target == "FuzzJournalExport":
    for p in journal:
        if p.endswith(".export"): put(read(p), p)
elif target == "FuzzJournalJSON":
    for p in journal:
        if ".json" in p: put(read(p), p)
elif target == "FuzzRuleMatcher":
    for t in origin:
        for p in files(os.path.join(seeds, t)): put(read(p), p)
    for p in journal:
        if p.endswith(".json") or p.endswith(".export"): put(read(p), p)
elif target == "FuzzLineReader":
    # Mode byte: max line 16 + (b & 0x3F); read size from b >> 6; bit 0: peek first.
    for i, p in enumerate(text + journal):
        for mode in (0x00, 0x41, 0x83, 0xFF):
            put(bytes([mode ^ (i & 0x3C)]) + read(p)[:2000], p)
elif target == "FuzzGzip":
    # Even mode byte: raw (possibly broken) gzip; odd: data to round-trip through GzipWriter.
    for p in text[:8] + journal[:1]:
        d = read(p)[:4000]
        z = gzip.compress(d)
        put(bytes([0x00]) + z, p + ".gz")
        put(bytes([0x36]) + z + gzip.compress(d[:100]), p + ".2.gz")
        put(bytes([0xF2]) + z[:-5], p + ".cut.gz")
        put(bytes([0x10]) + z + b"\x1f\x8bxx", p + ".garbage.gz")
        put(bytes([0x04]) + z + bytes(512), p + ".pad.gz")
        for mode in (0x01, 0x07, 0x0B, 0x33, 0x79):
            put(bytes([mode]) + d, p)
elif target == "FuzzPipeline":
    for p in text + journal: put(read(p), p)
    for p in files(os.path.join(seeds, "FuzzCloudflareJSON")):
        z = gzip.compress(read(p), mtime=0)
        if b"\x1e" not in z: put(z, p + ".gz")
print("%d seed inputs" % n, file=sys.stderr)
PY
}

[[ $# -ge 1 ]] || usage
case $1 in
  list) printf '%s\n' "${TARGETS[@]}"; exit 0 ;;
  build) [[ $# -eq 2 ]] || usage; build "$(resolve "$2")"; exit 0 ;;
  all)
    [[ $# -eq 2 && $2 =~ ^[0-9]+$ ]] || usage
    mkdir -p "$SCRATCH/logs"
    summary=$SCRATCH/logs/summary-$(date -u +%Y%m%dT%H%M%SZ).txt
    for t in "${TARGETS[@]}"; do
      "$0" "$t" "$2" > "$SCRATCH/logs/$t-last.out" 2>&1 || true
      tail -1 "$SCRATCH/logs/$t-last.out" | tee -a "$summary"
    done
    echo "summary: $summary"
    exit 0 ;;
  -h|--help) usage ;;
esac
[[ $# -ge 2 && $2 =~ ^[0-9]+$ ]] || usage
target=$(resolve "$1"); seconds=$2; shift 2

build "$target"
bin=$(ORIGINLENS_FUZZ=1 swift build -c release --product "$target" --scratch-path "$SCRATCH" \
  --sanitize fuzzer -Xswiftc -sanitize=fuzzer,address -Xswiftc -use-ld=lld --show-bin-path)/$target
corpus=$SCRATCH/corpus/$target
seeds=$SCRATCH/seeds/$target
artifacts=$SCRATCH/artifacts/$target
mkdir -p "$corpus" "$artifacts" "$SCRATCH/logs"
make_seeds "$target" "$seeds"
log=$SCRATCH/logs/$target-$(date -u +%Y%m%dT%H%M%SZ).log
dict=()
[[ -f Fuzz/dict/$target.dict ]] && dict=("-dict=Fuzz/dict/$target.dict")

marker=$SCRATCH/logs/.start-$target
touch "$marker"
echo "running $target for $seconds s (corpus $corpus, log $log)" >&2

# This machine is shared and sometimes stalls a process for 10-20 s (seen as libFuzzer timeouts
# whose input then runs in milliseconds). A timeout is therefore replayed once: when the input
# does not hang again it is set aside in artifacts/TARGET/stalls/ and the run resumes for the
# remaining time (the corpus carries over); a timeout that reproduces is a real hang and ends
# the run. Executions are summed over the segments, the time is the segments' wall-clock time.
total_execs=0 elapsed=0 segments=0 stalls=0 rc=0
while (( elapsed < seconds )); do
  segments=$((segments + 1))
  seg_log=$log.$segments
  t0=$(date +%s)
  set +e
  SWIFT_BACKTRACE=enable=no ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 \
    "$bin" "$corpus" "$seeds" \
    -max_total_time="$((seconds - elapsed))" -max_len="$(max_len "$target")" -timeout=10 -rss_limit_mb=2048 \
    -detect_leaks=1 -print_final_stats=1 -artifact_prefix="$artifacts/" "${dict[@]}" "$@" 2>&1 | tee "$seg_log"
  rc=${PIPESTATUS[0]}
  set -e
  elapsed=$((elapsed + $(date +%s) - t0))
  cat "$seg_log" >> "$log"; rm -f "$seg_log"
  n=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  total_execs=$((total_execs + ${n:-0}))
  [[ $rc -eq 0 ]] && break
  timeout_file=$(find "$artifacts" -maxdepth 1 -name 'timeout-*' -newer "$marker" 2>/dev/null | head -1 || true)
  [[ -n $timeout_file ]] || break                       # a crash, leak or OOM: stop
  if SWIFT_BACKTRACE=enable=no timeout 60 "$bin" -timeout=10 -rss_limit_mb=2048 "$timeout_file" > "$SCRATCH/logs/replay.out" 2>&1; then
    stalls=$((stalls + 1))
    mkdir -p "$artifacts/stalls"
    mv "$timeout_file" "$artifacts/stalls/"
    echo "== $target: timeout not reproducible (the input runs in $(grep -o 'Executed .* in [0-9]* ms' "$SCRATCH/logs/replay.out" | grep -o '[0-9]* ms')): a stall of the machine; resuming after ${elapsed} s" | tee -a "$log"
    touch "$marker"
    continue
  fi
  break                                                 # the hang reproduces
done

rate=$(( elapsed > 0 ? total_execs / elapsed : 0 ))
mkdir -p "$artifacts"
new=$(find "$artifacts" -maxdepth 1 -type f -newer "$marker" -printf '%f ' 2>/dev/null || true)
echo
echo "== $target: $total_execs executions in $elapsed s ($rate exec/s; $segments segment(s), $stalls stall(s) resumed); corpus $(ls "$corpus" | wc -l) inputs; exit status $rc; new artifacts: ${new:-none}"
exit "$rc"
