#!/usr/bin/env bash
# The CSV doctor side by side with `xsv count` and pandas' `read_csv` on one generated
# file (the issue's target: 1 GB, 5 000 000 rows). Each tool runs in its own process,
# in turn, RUNS times, after the file has been read once so that all of them find it in
# the page cache; wall time and peak resident memory come from GNU time (`%e`, `%M`).
# The doctor is the release build of the csv_doctor_throughput bench with
# CSV_DOCTOR_BENCH_ONLY=inspect (its figure includes process start, like the others).
#
# Needs (not installed by CI): `xsv` (cargo install xsv) or `xan`, python3 with pandas,
# GNU time at /usr/bin/time.
#
# Usage: crates/engine/benches/compare-csv-tools.sh [FILE]
#   FILE defaults to a new file in a temporary folder, deleted at the end; an existing
#   FILE is used as it is (and kept). ROWS (5000000), ROW_BYTES (200) and RUNS (3) can be
#   set in the environment.
set -euo pipefail
cd "$(dirname "$0")/../../.."
rows=${ROWS:-5000000}
row_bytes=${ROW_BYTES:-200}
runs=${RUNS:-3}

xsv=$(command -v xsv || command -v xan || true)
[ -n "$xsv" ] || { echo "xsv (or xan) is needed: cargo install xsv" >&2; exit 1; }
python3 -c 'import pandas' || { echo "pandas is needed: pip install pandas" >&2; exit 1; }

if [ $# -ge 1 ]; then
  file=$1
else
  folder=$(mktemp -d)
  trap 'rm -rf "$folder"' EXIT
  file=$folder/large.csv
fi

bench=$(cargo bench -p batchdesk-engine --bench csv_doctor_throughput --no-run --message-format=json 2>/dev/null |
  python3 -c 'import json,sys
for line in sys.stdin:
    m = json.loads(line)
    if m.get("reason") == "compiler-artifact" and m.get("executable") and m["target"]["name"] == "csv_doctor_throughput":
        print(m["executable"])')

if [ ! -e "$file" ]; then
  CSV_DOCTOR_BENCH_FILE=$file CSV_DOCTOR_BENCH_ROWS=$rows CSV_DOCTOR_BENCH_ROW_BYTES=$row_bytes \
    CSV_DOCTOR_BENCH_ONLY=generate "$bench"
fi
size=$(stat -c %s "$file")
echo "file: $file, $size bytes ($((size / 1000000)) MB)"
cat "$file" >/dev/null # into the page cache, for every tool alike

measure() { # name, command…: one line "name seconds peak-KiB", the command's output to stderr
  local name=$1
  shift
  local out
  out=$(mktemp)
  /usr/bin/time -f '%e %M' -o "$out" "$@" >&2
  echo "$name $(cat "$out")"
  rm -f "$out"
}

results=$(mktemp)
for run in $(seq "$runs"); do
  echo "run $run of $runs" >&2
  measure doctor env CSV_DOCTOR_BENCH_FILE="$file" CSV_DOCTOR_BENCH_ONLY=inspect "$bench" >>"$results"
  measure xsv "$xsv" count "$file" >>"$results"
  measure pandas python3 -c 'import sys, pandas; print(len(pandas.read_csv(sys.argv[1])), "rows")' "$file" >>"$results"
done

echo
echo "tool    best s  median s  peak MB (max)   over $runs runs on $((size / 1000000)) MB"
python3 - "$results" <<'PY'
import statistics, sys
by = {}
for line in open(sys.argv[1]):
    name, seconds, kib = line.split()
    by.setdefault(name, []).append((float(seconds), int(kib)))
rows = {}
for name in ("doctor", "xsv", "pandas"):
    times = [s for s, _ in by[name]]
    peak = max(k for _, k in by[name]) / 1024
    rows[name] = (min(times), statistics.median(times), peak)
    print(f"{name:7} {min(times):6.2f}  {statistics.median(times):8.2f}  {peak:8.0f}")
d, x, p = rows["doctor"], rows["xsv"], rows["pandas"]
print()
print(f"doctor speed / xsv count speed: {x[1] / d[1]:.2f} (target at least 0.5)")
print(f"pandas time / doctor time: {p[1] / d[1]:.2f} (target at least 4)")
print(f"pandas memory / doctor memory: {p[2] / d[2]:.1f} (target at least 20); doctor peak {d[2]:.0f} MB (target under 160)")
PY
rm -f "$results"
