#!/usr/bin/env bash
# Issue 4's benchmark: a full trading day for N stocks with their option chains (6 contracts each)
# through every engine of `quire windows run` (treasury, ingest, aggressor, greeks, aggregates).
# Prints wall time, windows per second per engine, mutation throughput and peak resident memory.
# Figures, not assertions. Usage: scripts/bench-windows-day.sh [STOCKS (default 72 → 504 symbols)] [DATE] [SEED]
set -euo pipefail
cd "$(dirname "$0")/.."
STOCKS=${1:-72}; DATE=${2:-2025-03-10}; SEED=${3:-1}
[ -n "${QUIRE_NO_BUILD:-}" ] || ./mvnw -q -B package -DskipTests
WORK=$(mktemp -d "${TMPDIR:-/tmp}/quire-wday.XXXXXX"); trap 'rm -rf "$WORK"' EXIT
FLAT="$WORK/flat"
# 1. Generate the day's flat files and treasury CSV (untimed): a throwaway ledger, treasury engine only.
bin/quire --dir "$WORK/gen.state" windows run --date "$DATE" --generate "$SEED" --generate-stocks "$STOCKS" \
  --flat-dir "$FLAT" --engines treasury --exit-when-idle --http-port -1 --json > /dev/null
TREAS=$(find "$FLAT/treasury" -name '*.csv' | head -1)
du -sh "$FLAT" | awk '{print "flat files: " $1}'
# 2. The measured run: a fresh ledger, every engine, from the files.
start=$(date +%s.%N)
/usr/bin/time -v -o "$WORK/time.txt" bin/quire --dir "$WORK/run.state" windows run --date "$DATE" --flat-dir "$FLAT" \
  --treasury "$TREAS" --exit-when-idle --http-port -1 --json > "$WORK/summary.json"
end=$(date +%s.%N)
python3 - "$WORK/summary.json" "$WORK/time.txt" "$start" "$end" "$WORK/run.state" <<'PY'
import json, sys, re, os
s = json.load(open(sys.argv[1])); t = open(sys.argv[2]).read()
wall = float(sys.argv[4]) - float(sys.argv[3])
rss = int(re.search(r'Maximum resident set size \(kbytes\): (\d+)', t).group(1))
total = sum(e['processed'] for e in s['engines'])
print(f"symbols {s['symbols']}  idle {s['idle']}  wall {wall:.1f} s  peak RSS {rss/1024:.0f} MiB")
for e in s['engines']:
    print(f"  {e['engine']:<11} windows {e['processed']:>9}  {e['processed']/wall:>10.0f} windows/s (over the run)  conflicts {e['conflicts']}  restarts {e['restarts']}")
print(f"mutation throughput {total/wall:.0f} slot writes/s ({total} in all)")
du = sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(sys.argv[5]) for f in fs)
print(f"ledger.state apparent size {du/2**20:.0f} MiB (slot files are sparse)")
PY
