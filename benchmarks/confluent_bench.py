#!/usr/bin/env python3
"""Benchmark (not a test): confluent-kafka (librdkafka) against `swiftka-learn serve`.

Starts a release `serve` on ephemeral loopback ports with 3 brokers, creates a 3-partition
topic per run, and reports produce records/s and MB/s (acks=all), consume records/s, and
acks=all one-at-a-time produce latency p50/p99. Bounded in count and time; loopback only.

    swift build -c release --product swiftka-learn
    python3 benchmarks/confluent_bench.py [--bin .build/release/swiftka-learn]
"""
import argparse, atexit, os, shutil, signal, subprocess, sys, tempfile, time
from confluent_kafka import Consumer, Producer, TopicPartition
from confluent_kafka.admin import AdminClient, NewTopic


def start_serve(binary):
    home = tempfile.mkdtemp(prefix="swiftka-bench-")
    atexit.register(shutil.rmtree, home, ignore_errors=True)  # the process has stopped by then
    env = dict(os.environ, SWIFTKA_HOME=home)
    proc = subprocess.Popen([binary, "serve", "--ephemeral", "--port", "0", "--brokers", "3"],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env, text=True)
    deadline = time.time() + 30
    while time.time() < deadline:
        line = proc.stdout.readline()
        if line.startswith("bootstrap: "):
            return proc, line.split(" ", 1)[1].strip()
    proc.kill()
    sys.exit("serve did not print its bootstrap line within 30 s")


def produce(bootstrap, topic, count, size):
    value = b"a" * size
    errors = []
    # One delivery callback for the whole run (a lambda per record costs Python time).
    def report(err, _msg):
        if err is not None:
            errors.append(err)
    p = Producer({"bootstrap.servers": bootstrap, "acks": "all", "linger.ms": 5,
                  "batch.size": 1_000_000, "queue.buffering.max.messages": 2_000_000,
                  "enable.idempotence": False, "on_delivery": report})
    start = time.perf_counter()
    for i in range(count):
        while True:
            try:
                p.produce(topic, value)
                break
            except BufferError:
                p.poll(0.01)
        if i % 10000 == 0:
            p.poll(0)
    p.flush(120)
    t = time.perf_counter() - start
    assert not errors, errors[:3]
    print(f"produce {count} x {size} B: {t:.2f} s, {count / t:,.0f} records/s, {count * size / t / 1e6:.1f} MB/s (acks=all)")
    return count / t


def consume(bootstrap, topic, count, size):
    c = Consumer({"bootstrap.servers": bootstrap, "group.id": "bench", "enable.auto.commit": False,
                  "fetch.max.bytes": 52428800, "max.partition.fetch.bytes": 10485760})
    c.assign([TopicPartition(topic, p, 0) for p in range(3)])
    got = 0
    start = time.perf_counter()
    deadline = start + 300
    while got < count and time.perf_counter() < deadline:
        for m in c.consume(num_messages=100_000, timeout=1.0):
            if not m.error():
                got += 1
    t = time.perf_counter() - start
    c.close()
    print(f"consume {got} x {size} B: {t:.2f} s, {got / t:,.0f} records/s, {got * size / t / 1e6:.1f} MB/s")
    return got / t


def latency(bootstrap, topic, samples):
    p = Producer({"bootstrap.servers": bootstrap, "acks": "all", "linger.ms": 0})
    lat = []
    for _ in range(samples):
        done = []
        start = time.perf_counter()
        p.produce(topic, b"a" * 100, on_delivery=lambda e, m: done.append(e))
        while not done:
            p.poll(0.001)
        lat.append((time.perf_counter() - start) * 1000)
    lat.sort()
    p50, p99 = lat[len(lat) // 2], lat[min(len(lat) - 1, len(lat) * 99 // 100)]
    print(f"produce latency, acks=all, one at a time, {samples} x 100 B: p50 {p50:.3f} ms, p99 {p99:.3f} ms")
    return p50, p99


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default=".build/release/swiftka-learn")
    ap.add_argument("--latency-samples", type=int, default=5000)
    args = ap.parse_args()
    print(f"command: python3 benchmarks/confluent_bench.py --bin {args.bin}")
    proc, bootstrap = start_serve(args.bin)
    try:
        admin = AdminClient({"bootstrap.servers": bootstrap})
        for i, (count, size) in enumerate([(1_000_000, 100), (200_000, 1000)]):
            topic = f"bench-{i}"
            admin.create_topics([NewTopic(topic, 3, 1)])[topic].result(30)
            produce(bootstrap, topic, count, size)
            consume(bootstrap, topic, count, size)
        admin.create_topics([NewTopic("bench-latency", 3, 1)])["bench-latency"].result(30)
        latency(bootstrap, "bench-latency", args.latency_samples)
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(60)


if __name__ == "__main__":
    main()
