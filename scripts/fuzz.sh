#!/usr/bin/env bash
# Fuzzes every request codec, the record-batch readers and a broker with state behind it
# (Sources/FuzzRequests/FuzzState.swift: topics with small segments and records, idempotent
# producers, a stable consumer group, committed offsets; a controller for topic and config
# changes) with libFuzzer. Usage: scripts/fuzz.sh [SECONDS]   (default 30). Exits non-zero if a
# crash artifact was written.
#
# Builds the FuzzRequests harness (declared in Package.swift only when SWIFTKA_FUZZ=1, since it
# links only with -sanitize=fuzzer) in its own scratch path, writes seed corpora of valid frames,
# and runs libFuzzer in three phases that share SECONDS:
#   frames   (2/5): one frame per input, every API at every version, raw batches and requests
#                   naming the template's topics, group, members and producers; up to 4 KiB;
#   sequence (2/5): one input is up to 16 frames on one connection, with time passing between
#                   them (FuzzSequence.swift): Produce then Fetch, JoinGroup then SyncGroup...;
#   limits   (1/5, at least 1 s): frames whose strings sit at the length limit, up to 70 KB.
# Each phase first replays the committed corpus Tests/FuzzCorpus/<phase>/ (minimised inputs and
# pinned crash reproducers), then extends .build-fuzz/corpus-<phase>/ (grows across runs).
# Everything else lands under .build-fuzz/ (ignored by git): seeds-<phase>/, artifacts/
# (<phase>-crash-*, -leak-*, -timeout-*, -oom-*) and the logs.
#
# Build: SECONDS >= 120 builds with -O (FUZZ_CONFIGURATION=release: same traps and ASan, about
# 4x the executions per second, but a cold build of several minutes); shorter runs (CI's 30 s)
# use the debug build, which builds in about a third of the time. FUZZ_CONFIGURATION overrides.
#
# Replay an artifact (the phase names the mode):
#   SWIFT_BACKTRACE=enable=no SWIFTKA_FUZZ_MODE=sequence .build-fuzz/debug/FuzzRequests <artifact>
# (SWIFTKA_FUZZ_MODE: frames, the default; sequence; fresh = an empty broker, as before state.)
#
# Re-minimise the committed corpus after a long run, then commit Tests/FuzzCorpus:
#   for p in frames sequence limits; do m=frames; [ $p = sequence ] && m=sequence
#     mkdir -p /tmp/min-$p && SWIFTKA_FUZZ_MODE=$m SWIFT_BACKTRACE=enable=no \
#       .build-fuzz/release/FuzzRequests -merge=1 -set_cover_merge=1 /tmp/min-$p \
#       Tests/FuzzCorpus/$p .build-fuzz/corpus-$p
#     rm -rf Tests/FuzzCorpus/$p/*; cp /tmp/min-$p/* Tests/FuzzCorpus/$p/; done
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
default_configuration=debug
if [ "$seconds" -ge 120 ]; then default_configuration=release; fi
configuration="${FUZZ_CONFIGURATION:-$default_configuration}"
build=(swift build -c "$configuration" --scratch-path "$scratch" --product FuzzRequests
    -Xswiftc -sanitize=fuzzer,address -Xswiftc -use-ld=lld)
"${build[@]}"
bin="$("${build[@]}" --show-bin-path)/FuzzRequests"

mkdir -p "$artifacts"
marker="$scratch/.fuzz-started"
touch "$marker"

limits_seconds=$((seconds / 5 > 0 ? seconds / 5 : 1))
sequence_seconds=$((seconds * 2 / 5 > 0 ? seconds * 2 / 5 : 1))
frames_seconds=$((seconds - limits_seconds - sequence_seconds > 0 ? seconds - limits_seconds - sequence_seconds : 1))
total_executions=0
status=0

# run_phase NAME MODE SEED_FLAG SECONDS MAX_LEN: one libFuzzer run over its own corpus.
run_phase() {
    local name="$1" mode="$2" seed_flag="$3" phase_seconds="$4" max_len="$5"
    local corpus="$scratch/corpus-$name" seeds="$scratch/seeds-$name" log="$scratch/fuzz-$name.log"
    local committed="Tests/FuzzCorpus/$name"
    rm -rf "$seeds"
    mkdir -p "$corpus" "$committed"
    SWIFTKA_FUZZ_MODE="$mode" "$bin" "$seed_flag" "$seeds"
    set +e
    # New inputs go to the first directory only: the committed corpus is read, never written.
    SWIFTKA_FUZZ_MODE="$mode" "$bin" "$corpus" "$committed" "$seeds" -max_total_time="$phase_seconds" \
        -timeout=10 -max_len="$max_len" -artifact_prefix="$artifacts/$name-" -print_final_stats=1 \
        >"$log" 2>&1
    local rc=$?
    set -e
    grep -v -E '^#[0-9]+[[:space:]]+(NEW|REDUCE)|^[[:space:]]+NEW_FUNC|^"|dictionary' "$log" \
        | tail -n 12
    local executions rate features
    executions="$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)"
    rate="$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)"
    features="$(grep -o 'ft: [0-9]*' "$log" | tail -1 | cut -d' ' -f2)"
    echo "fuzz $name: ${phase_seconds}s, ${executions:-0} executions, ${rate:-0} exec/s," \
        "${features:-0} features (ft), libFuzzer exit $rc"
    total_executions=$((total_executions + ${executions:-0}))
    if [ "$rc" -ne 0 ]; then status=$rc; fi
}

run_phase frames frames --write-seeds "$frames_seconds" 4096
if [ "$status" -eq 0 ]; then
    run_phase sequence sequence --write-sequence-seeds "$sequence_seconds" 8192
fi
if [ "$status" -eq 0 ]; then
    run_phase limits frames --write-limit-seeds "$limits_seconds" 70000
fi

echo "fuzz total: ${seconds}s, $total_executions executions, $((total_executions / seconds)) exec/s"
found="$(find "$artifacts" -type f -newer "$marker" | sort)"
if [ -n "$found" ]; then
    echo "fuzz: crash artifacts written (replay: SWIFTKA_FUZZ_MODE=<frames|sequence, as the" \
        "name begins> $bin <artifact>):" >&2
    echo "$found" >&2
    exit 1
fi
exit "$status"
