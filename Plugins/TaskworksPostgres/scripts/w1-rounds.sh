#!/usr/bin/env bash
# Alternating W1 rounds (N = 20,000, 10 workers) of Huey's SqliteHuey and two builds of
# taskworks-postgres-bench, one JSON line each, for same-run ratios. Run it inside
# with-postgres.sh, which gives the benches their server:
#
#   scripts/with-postgres.sh scripts/w1-rounds.sh PEERS_DIR BEFORE_BENCH AFTER_BENCH [ROUNDS]
#
# PEERS_DIR holds bench_huey.py and its .venv (shared/peers after `shared/peers/setup`).
set -euo pipefail
if [ $# -lt 3 ]; then
    echo "usage: w1-rounds.sh PEERS_DIR BEFORE_BENCH AFTER_BENCH [ROUNDS]" >&2
    exit 2
fi
peers=$1 before=$2 after=$3 rounds=${4:-5}
for round in $(seq 1 "$rounds"); do
    echo "round $round huey $(cd "$peers" && .venv/bin/python bench_huey.py --storage sqlite --workload w1 --n 20000 2>/dev/null | tail -1)"
    echo "round $round before $("$before" --workload w1 --n 20000)"
    echo "round $round after $("$after" --workload w1 --n 20000)"
done
