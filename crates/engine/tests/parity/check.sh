#!/usr/bin/env bash
# Compares the engine's Dawid-Skene consensus and Krippendorff's alpha with Crowd-Kit's
# DawidSkene and the `krippendorff` package on generated answer sets (balanced and
# unbalanced labels, missing answers, a random answerer, a multi-select question, known
# answers pinning items), and reports how often our MACE's labels agree with Crowd-Kit's
# MACE. A developer's check, not part of CI: it needs Python 3 and PyPI.
# Usage: crates/engine/tests/parity/check.sh [seed...]   (seeds 1 to 5 by default)
# PARITY_VENV=<folder> keeps the Python packages there between runs.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../../../.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
venv="${PARITY_VENV:-$work/venv}"
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet crowd-kit krippendorff pandas
fi
cd "$root"
cargo build --quiet --release -p batchdesk-engine --example consensus_cli
cli="${CARGO_TARGET_DIR:-$root/target}/release/examples/consensus_cli"
seeds=("$@")
[ ${#seeds[@]} -gt 0 ] || seeds=(1 2 3 4 5)
status=0
for seed in "${seeds[@]}"; do
  "$cli" --generate "$seed" "$work/$seed.jsonl" "$work/$seed-truth.csv"
  # Known answers: the truth of every 15th task of two questions.
  awk -F, 'NR == 1 || (($1 == "unbalanced_missing" || $1 == "binary_sparse") && substr($2, length($2) - 3) % 15 == 0)' \
    "$work/$seed-truth.csv" >"$work/known.csv"
  for mode in defaults converged; do
    out="$work/$seed-$mode"
    if [ "$mode" = converged ]; then
      # Both run to the fixed point, so how each decides to stop cannot matter.
      "$cli" "$work/$seed.jsonl" "$out" --known "$work/known.csv" --max-iterations 10000 --tolerance 0 >/dev/null
    else
      "$cli" "$work/$seed.jsonl" "$out" --known "$work/known.csv" >/dev/null
    fi
    echo "seed $seed, $mode:"
    "$venv/bin/python" "$here/parity.py" "$out" "$work/known.csv" "$mode" "$work/$seed-truth.csv" || status=1
  done
done
exit $status
