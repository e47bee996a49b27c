#!/usr/bin/env bash
# More seeds of the replication simulation than the unit run holds: the unit run checks seeds
# 1-200, this checks 201-1000 in two processes (one per core; nothing else runs meanwhile).
# A failing seed prints itself; replay it with SWIFTKA_SEED=<n> swift test --filter ReplicationSimulationTests.
# Usage: scripts/seed-sweep.sh [SEEDS_PER_PROCESS]   (default 400)
set -euo pipefail
cd "$(dirname "$0")/.."
per=${1:-400}
pids=()
for base in 201 $((201 + per)); do
    SWIFTKA_SEEDS=$per SWIFTKA_SEED_BASE=$base \
        swift test --skip-build --disable-xctest --filter "ReplicationSimulationTests/longRun" >".build/seed-sweep-$base.log" 2>&1 &
    pids+=($!)
done
status=0
for i in "${!pids[@]}"; do wait "${pids[$i]}" || status=1; done
for log in .build/seed-sweep-*.log; do grep -E "broke|Replay:|✘|✔ Test run" "$log" || true; done
[[ $status -eq 0 ]] || { echo "seed-sweep: a replication seed failed (logs: .build/seed-sweep-*.log)"; exit 1; }
echo "seed-sweep: replication seeds 201-$((200 + 2 * per)) passed"
