#!/usr/bin/env python3
"""Benchmark (not a test): confluent-kafka (librdkafka) producing to `swiftka-learn serve`, RF 1
against RF 3 on the same 3-broker cluster.

Starts a release `serve` on ephemeral loopback ports (as benchmarks/confluent_bench.py does),
creates a 3-partition topic with replication factor 1 and one with 3, and for each runs a
bounded produce: --records records of --size bytes, acks=all, linger.ms=5, as fast as the
client takes them. Reports records/s and MB/s, and per-message latency p50/p99 from the
delivery reports (librdkafka's own produce()-to-acknowledgement time, `Message.latency()`),
which under a flood is mostly time queued in the client. Also reports the time from starting
the process to its bootstrap line (cluster ready). Bounded in count and time; loopback only.

    swift build -c release --product swiftka-learn
    python3 benchmarks/confluent_produce.py [--bin .build/release/swiftka-learn] [--records 200000] [--size 100]
"""
import argparse
import os
import signal
import sys
import time

import confluent_kafka
from confluent_kafka import Producer, TopicCollection
from confluent_kafka.admin import AdminClient, NewTopic

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from confluent_bench import start_serve  # noqa: E402  (same folder; one way to start serve)

RF3_RATIO_TARGET = 0.7
WARM_UP_RECORDS = 1_000


def version_of(answer):
    """confluent-kafka's version() and libversion() give (text, number); some builds give text."""
    return answer[0] if isinstance(answer, tuple) else answer


def percentile(sorted_ms, fraction):
    if not sorted_ms:
        return float("nan")
    return sorted_ms[min(len(sorted_ms) - 1, int(len(sorted_ms) * fraction))]


def produce(bootstrap, topic, count, size, linger_ms, time_limit):
    """One bounded produce run; returns (records/s, delivered, p50 ms, p99 ms, max ms)."""
    value = b"a" * size
    latencies = []
    errors = []

    # One delivery callback for the whole run: a closure per record would cost Python time.
    def report(err, msg):
        if err is not None:
            errors.append(err)
            return
        latency = msg.latency()
        if latency is not None:
            latencies.append(latency * 1000)

    p = Producer({"bootstrap.servers": bootstrap, "acks": "all", "linger.ms": linger_ms,
                  "queue.buffering.max.messages": 1_000_000, "on_delivery": report,
                  "log_level": 4})  # warnings and worse: no "Disconnected" notes when serve stops
    for _ in range(WARM_UP_RECORDS):
        p.produce(topic, value)
    p.flush(30)
    latencies.clear()
    start = time.perf_counter()
    deadline = start + time_limit
    sent = 0
    while sent < count and time.perf_counter() < deadline:
        try:
            p.produce(topic, value)
            sent += 1
        except BufferError:
            p.poll(0.01)
            continue
        if sent % 1000 == 0:
            p.poll(0)
    left = p.flush(max(1.0, deadline - time.perf_counter()))
    elapsed = time.perf_counter() - start
    assert not errors, errors[:3]
    delivered = len(latencies)
    latencies.sort()
    note = "" if delivered == count and left == 0 else f" (bounded: {delivered} of {count} delivered in {time_limit:.0f} s)"
    print(f"produce {delivered} x {size} B to {topic}: {elapsed:.2f} s, {delivered / elapsed:,.0f} records/s, "
          f"{delivered * size / elapsed / 1e6:.1f} MB/s; per-message latency p50 {percentile(latencies, 0.5):.2f} ms, "
          f"p99 {percentile(latencies, 0.99):.2f} ms, max {latencies[-1] if latencies else float('nan'):.2f} ms{note}")
    del p
    return delivered / elapsed


def short_isrs(admin, topic, rf):
    """Partitions of `topic` whose ISR is smaller than `rf`, as "p0 isr [1]"."""
    description = admin.describe_topics(TopicCollection([topic]))[topic].result(30)
    return [f"p{p.id} isr [{','.join(str(n.id) for n in p.isr)}]"
            for p in description.partitions if len(p.isr) < rf]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default=".build/release/swiftka-learn")
    ap.add_argument("--records", type=int, default=200_000)
    ap.add_argument("--size", type=int, default=100)
    ap.add_argument("--linger-ms", type=int, default=5)
    ap.add_argument("--time-limit", type=float, default=120.0, help="seconds per produce run")
    args = ap.parse_args()
    print(f"command: python3 benchmarks/confluent_produce.py --bin {args.bin} --records {args.records} "
          f"--size {args.size} --linger-ms {args.linger_ms} --time-limit {args.time_limit:.0f}")
    print(f"machine: {os.cpu_count()} cores, load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}; loopback only")
    begin = time.perf_counter()
    proc, bootstrap = start_serve(args.bin)
    print(f"serve: process start to its bootstrap line (3 brokers ready) {(time.perf_counter() - begin) * 1000:.0f} ms; "
          f"bootstrap {bootstrap}")
    print(f"client: confluent-kafka {version_of(confluent_kafka.version())} (librdkafka "
          f"{version_of(confluent_kafka.libversion())}), acks=all, linger.ms={args.linger_ms}, "
          f"librdkafka defaults otherwise; {WARM_UP_RECORDS} warm-up records per topic, not counted")
    try:
        admin = AdminClient({"bootstrap.servers": bootstrap, "log_level": 4})
        rates = {}
        for rf in (1, 3):
            topic = f"produce-rf{rf}"
            admin.create_topics([NewTopic(topic, 3, rf)])[topic].result(30)
            rates[rf] = produce(bootstrap, topic, args.records, args.size, args.linger_ms, args.time_limit)
            short = short_isrs(admin, topic, rf)
            if short:
                print(f"   ISR now short of {rf} replicas ({', '.join(short)}): acks=all stopped waiting for "
                      f"every replica during the run, so these are not RF {rf} figures")
        ratio = rates[3] / rates[1]
        verdict = "met" if ratio >= RF3_RATIO_TARGET else f"MISSED by {(1 - ratio / RF3_RATIO_TARGET) * 100:.0f}%"
        print(f"RF 3 against RF 1: {ratio:.2f} of the throughput (target >= {RF3_RATIO_TARGET}: {verdict})")
        del admin  # closed before serve stops, so librdkafka has no refused connection to log
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(60)


if __name__ == "__main__":
    main()
