#!/usr/bin/env python3
"""Benchmark (not a test): the Swift client against confluent-kafka on the same cluster.

Starts one release `swiftka-learn serve` (3 brokers, ephemeral loopback ports), runs
confluent-kafka's produce/consume/latency runs (benchmarks/confluent_bench.py) and then
ClusterBench's produce scenario with --bootstrap against the same brokers, and prints each
figure side by side with the ratio Swift / confluent (above 1.0: the Swift client is faster;
for latency, below 1.0 is better). RF 1, 3 partitions, acks=all. Loopback only.

    swift build -c release --product swiftka-learn --product ClusterBench
    python3 benchmarks/swift_vs_confluent.py [--latency-samples N]
"""
import argparse, os, re, signal, subprocess, sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import confluent_bench as cb  # noqa: E402
from confluent_kafka.admin import AdminClient, NewTopic  # noqa: E402

RUNS = [(1_000_000, 100), (200_000, 1000)]


def swift_figures(bench, bootstrap, samples):
    command = [bench, "--scenario", "produce", "--replication-factor", "1", "--bootstrap", bootstrap,
               "--latency-samples", str(samples)]
    out = subprocess.run(command, capture_output=True, text=True, timeout=900).stdout
    print(out, end="")
    produce = [float(x.replace(",", "")) for x in re.findall(r"^produce \d+ x \d+ B: [\d.]+ s, ([\d.,]+) records/s", out, re.M)]
    consume = [float(x.replace(",", "")) for x in re.findall(r"^consume \d+ x \d+ B: [\d.]+ s, ([\d.,]+) records/s", out, re.M)]
    latency = re.search(r"p50 ([\d.]+) ms, p99 ([\d.]+) ms", out)
    if len(produce) != len(RUNS) or len(consume) != len(RUNS) or not latency:
        sys.exit("ClusterBench did not print every figure (see above)")
    return produce, consume, (float(latency.group(1)), float(latency.group(2)))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default=".build/release/swiftka-learn")
    ap.add_argument("--bench", default=".build/release/ClusterBench")
    ap.add_argument("--latency-samples", type=int, default=2000)
    args = ap.parse_args()
    print(f"command: python3 benchmarks/swift_vs_confluent.py --latency-samples {args.latency_samples}")
    proc, bootstrap = cb.start_serve(args.bin)
    try:
        print(f"== confluent-kafka against serve at {bootstrap} (batch.size=1000000, linger.ms=5, no idempotence)")
        admin = AdminClient({"bootstrap.servers": bootstrap})
        cf_produce, cf_consume = [], []
        for i, (count, size) in enumerate(RUNS):
            topic = f"bench-{i}"
            admin.create_topics([NewTopic(topic, 3, 1)])[topic].result(30)
            cf_produce.append(cb.produce(bootstrap, topic, count, size))
            cf_consume.append(cb.consume(bootstrap, topic, count, size))
        admin.create_topics([NewTopic("bench-latency", 3, 1)])["bench-latency"].result(30)
        cf_latency = cb.latency(bootstrap, "bench-latency", args.latency_samples)
        print(f"== the Swift client against the same serve (batch.size=256 KiB, linger.ms=5, idempotent)")
        sw_produce, sw_consume, sw_latency = swift_figures(args.bench, bootstrap, args.latency_samples)
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(60)
    print("== Swift / confluent-kafka (throughput: >= 1.0 is the target; latency p99: <= 1.0)")
    for i, (count, size) in enumerate(RUNS):
        print(f"produce {count} x {size} B: {sw_produce[i]:,.0f} / {cf_produce[i]:,.0f} records/s = {sw_produce[i] / cf_produce[i]:.2f}")
        print(f"consume {count} x {size} B: {sw_consume[i]:,.0f} / {cf_consume[i]:,.0f} records/s = {sw_consume[i] / cf_consume[i]:.2f}")
    print(f"latency p99, acks=all, one at a time: {sw_latency[1]:.3f} / {cf_latency[1]:.3f} ms = {sw_latency[1] / cf_latency[1]:.2f}"
          f" (p50 {sw_latency[0]:.3f} / {cf_latency[0]:.3f} ms)")


if __name__ == "__main__":
    main()
