#!/usr/bin/env bash
# Fuzzes every request codec, the record-batch readers and Broker.handle with libFuzzer.
# Usage: scripts/fuzz.sh [SECONDS]   (default 30). Exits non-zero if a crash artifact was written.
#
# Builds the FuzzRequests harness (declared in Package.swift only when SWIFTKA_FUZZ=1, since it
# links only with -sanitize=fuzzer) in its own scratch path, writes seed corpora of valid frames,
# and runs libFuzzer in two phases that share SECONDS:
#   frames  (4/5 of the time): every API at every version and raw batches, inputs up to 4 KiB;
#   limits  (1/5, at least 1 s): frames whose strings sit at the length limit, up to 70 KB.
# Long inputs slow every execution, so they get their own phase instead of slowing all of it.
# Everything lands under .build-fuzz/ (ignored by git): corpus-frames/, corpus-limits/ (grow across
# runs), seeds-frames/, seeds-limits/, artifacts/ (crash-*, leak-*, timeout-*, oom-*) and the logs.
# FUZZ_CONFIGURATION=release builds with -O (same traps, ~6x the executions per second, a 3-minute
# instead of a 1-minute cold build). Replay an artifact: SWIFT_BACKTRACE=enable=no
# .build-fuzz/debug/FuzzRequests <artifact>
set -euo pipefail

seconds="${1:-30}"
case "$seconds" in '' | *[!0-9]* | 0) echo "usage: $0 [SECONDS > 0]" >&2; exit 2 ;; esac
cd "$(dirname "$0")/.."

scratch=.build-fuzz
artifacts="$scratch/artifacts"
export SWIFTKA_FUZZ=1
# Swift's crash handler would swallow the trap (rc 132, no artifact); libFuzzer must see it.
export SWIFT_BACKTRACE=enable=no

# lld: gold only says "internal error in format_file_lineno" on an undefined symbol.
configuration="${FUZZ_CONFIGURATION:-debug}"
build=(swift build -c "$configuration" --scratch-path "$scratch" --product FuzzRequests
    -Xswiftc -sanitize=fuzzer,address -Xswiftc -use-ld=lld)
"${build[@]}"
bin="$("${build[@]}" --show-bin-path)/FuzzRequests"

mkdir -p "$artifacts"
marker="$scratch/.fuzz-started"
touch "$marker"

limits_seconds=$((seconds / 5 > 0 ? seconds / 5 : 1))
frames_seconds=$((seconds - limits_seconds > 0 ? seconds - limits_seconds : 1))
total_executions=0
status=0

# run_phase NAME SEED_FLAG SECONDS MAX_LEN: one libFuzzer run over its own corpus.
run_phase() {
    local name="$1" seed_flag="$2" phase_seconds="$3" max_len="$4"
    local corpus="$scratch/corpus-$name" seeds="$scratch/seeds-$name" log="$scratch/fuzz-$name.log"
    rm -rf "$seeds"
    mkdir -p "$corpus"
    "$bin" "$seed_flag" "$seeds"
    set +e
    "$bin" "$corpus" "$seeds" -max_total_time="$phase_seconds" -timeout=10 -max_len="$max_len" \
        -artifact_prefix="$artifacts/" -print_final_stats=1 >"$log" 2>&1
    local rc=$?
    set -e
    grep -v -E '^#[0-9]+[[:space:]]+(NEW|REDUCE)|^[[:space:]]+NEW_FUNC|^"|dictionary' "$log" \
        | tail -n 12
    local executions rate
    executions="$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)"
    rate="$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)"
    echo "fuzz $name: ${phase_seconds}s, ${executions:-0} executions, ${rate:-0} exec/s," \
        "libFuzzer exit $rc"
    total_executions=$((total_executions + ${executions:-0}))
    if [ "$rc" -ne 0 ]; then status=$rc; fi
}

run_phase frames --write-seeds "$frames_seconds" 4096
if [ "$status" -eq 0 ]; then
    run_phase limits --write-limit-seeds "$limits_seconds" 70000
fi

echo "fuzz total: ${seconds}s, $total_executions executions, $((total_executions / seconds)) exec/s"
found="$(find "$artifacts" -type f -newer "$marker" | sort)"
if [ -n "$found" ]; then
    echo "fuzz: crash artifacts written (replay: $bin <artifact>):" >&2
    echo "$found" >&2
    exit 1
fi
exit "$status"
