# Interop room: crash and clean-restart tests of `swiftka-learn serve` with real clients.
# A separate producer process writes numbered keyed records; the server is SIGKILLed mid-stream
# (or SIGTERMed), restarted on the same data directory, and every log is read back and checked.
#
# Self-contained on purpose (its own server and line-reader helpers), so it does not depend
# on conftest.py. Run:
#   swift build --product swiftka-learn &&
#   SWIFTKA_BIN=$PWD/.build/debug/swiftka-learn python3 -m pytest -q Tests/Interop/test_crash_recovery.py
# Skips when SWIFTKA_BIN or confluent-kafka is missing, unless CI == "true" (then it fails).

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

TOPIC = "crash-test"
PARTITIONS = 3
# Acknowledged records the producer must have before the server is killed.
ACKS_BEFORE_KILL = 4000
# segment.bytes of the crash test's topic: a few segments per partition.
SEGMENT_BYTES = 64 * 1024
# Bounds on every wait; they only fail a test, they never pace it.
START_TIMEOUT = 60.0
PRODUCE_TIMEOUT = 60.0
CONSUME_TIMEOUT = 60.0
EXIT_TIMEOUT = 30.0


def _require_or_skip(reason):
    if os.environ.get("CI") == "true":
        pytest.fail(reason + " (required when CI=true)")
    pytest.skip(reason)


def _binary():
    path = os.environ.get("SWIFTKA_BIN")
    if not path:
        _require_or_skip("SWIFTKA_BIN is not set")
    if not os.access(path, os.X_OK):
        _require_or_skip(f"SWIFTKA_BIN={path} is not an executable")
    return path


def _confluent():
    try:
        import confluent_kafka  # noqa: F401
    except ImportError:
        _require_or_skip("confluent-kafka is not installed")
    import confluent_kafka

    return confluent_kafka


def value_for(n):
    """The value record n carries: derived from n alone, so any corruption shows."""
    return f"v{n}|" + f"{n:08d}" * 12


# MARK: - Line readers and the server process


class LineCollector:
    """Reads a pipe line by line on a thread; waits are on a condition, with deadlines."""

    def __init__(self, pipe):
        self.lines = []
        self.closed = False
        self._condition = threading.Condition()
        self._thread = threading.Thread(target=self._run, args=(pipe,), daemon=True)
        self._thread.start()

    def _run(self, pipe):
        for raw in pipe:
            line = raw.decode("utf-8", "replace").rstrip("\n")
            with self._condition:
                self.lines.append(line)
                self._condition.notify_all()
        with self._condition:
            self.closed = True
            self._condition.notify_all()

    def wait_for(self, predicate, timeout):
        """Waits until predicate(lines) holds or the pipe closes; returns whether it held."""
        deadline = time.monotonic() + timeout
        with self._condition:
            while not predicate(self.lines):
                remaining = deadline - time.monotonic()
                if self.closed or remaining <= 0:
                    return predicate(self.lines)
                self._condition.wait(remaining)
            return True

    def wait_closed(self, timeout):
        self._thread.join(timeout)
        return not self._thread.is_alive()

    def snapshot(self):
        with self._condition:
            return list(self.lines)


class Server:
    """One `swiftka-learn serve` process on a data directory, on ephemeral ports."""

    def __init__(self, binary, data_dir, home, brokers, log_path):
        self.log_path = log_path
        self.stderr = open(log_path, "ab")
        env = dict(os.environ, SWIFTKA_HOME=str(home), NO_COLOR="1")
        self.process = subprocess.Popen(
            [binary, "serve", "--data-dir", str(data_dir), "--port", "0",
             "--brokers", str(brokers)],
            stdout=subprocess.PIPE, stderr=self.stderr, stdin=subprocess.DEVNULL, env=env)
        self.output = LineCollector(self.process.stdout)
        found = self.output.wait_for(
            lambda lines: any(line.startswith("bootstrap: ") for line in lines), START_TIMEOUT)
        if not found:
            self.kill()
            pytest.fail(f"serve printed no bootstrap line within {START_TIMEOUT}s; "
                        f"stdout={self.output.snapshot()} stderr={self.stderr_text()}")
        line = next(line for line in self.output.snapshot() if line.startswith("bootstrap: "))
        self.bootstrap = line[len("bootstrap: "):].strip()

    def stderr_text(self):
        if not self.stderr.closed:
            self.stderr.flush()
        return Path(self.log_path).read_text(errors="replace")

    def kill(self):
        """SIGKILL: the process gets no chance to flush, close or write checkpoints."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
        self.process.wait(EXIT_TIMEOUT)
        self.stderr.close()

    def terminate(self):
        """SIGTERM: a clean shutdown. Returns the exit status."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        status = self.process.wait(EXIT_TIMEOUT)
        self.stderr.close()
        return status


def create_topic(confluent, bootstrap, config=None):
    from confluent_kafka.admin import AdminClient, NewTopic

    admin = AdminClient({"bootstrap.servers": bootstrap})
    futures = admin.create_topics(
        [NewTopic(TOPIC, num_partitions=PARTITIONS, replication_factor=1, config=config or {})],
        operation_timeout=30, request_timeout=30)
    futures[TOPIC].result(timeout=30)


# MARK: - The producer process

PRODUCER_SCRIPT = r'''
import sys
from confluent_kafka import Producer

bootstrap, topic = sys.argv[1], sys.argv[2]

def value_for(n):
    return f"v{n}|" + f"{n:08d}" * 12

def report(error, message):
    if error is None:
        key = message.key().decode()
        sys.stdout.write(f"{message.partition()} {message.offset()} {key}\n")
        sys.stdout.flush()

producer = Producer({
    "bootstrap.servers": bootstrap, "acks": 1, "linger.ms": 0,
    "enable.idempotence": False, "message.timeout.ms": 120000,
})
sys.stdout.write("producing\n")
sys.stdout.flush()
n = 0
while True:
    try:
        producer.produce(topic, key=f"k{n}".encode(), value=value_for(n).encode(),
                         on_delivery=report)
        n += 1
    except BufferError:
        producer.poll(0.05)
    producer.poll(0)
'''


def parse_acks(lines):
    """Delivery reports printed so far: {key number: (partition, offset)}."""
    acks = {}
    for line in lines:
        fields = line.split()
        if len(fields) == 3 and fields[2].startswith("k"):
            acks[int(fields[2][1:])] = (int(fields[0]), int(fields[1]))
    return acks


class EnoughAcks:
    """Predicate: at least ACKS_BEFORE_KILL acks, and a fair share in every partition.
    Counts incrementally, since it runs on every line the producer prints."""

    def __init__(self):
        self.seen = 0
        self.per_partition = [0] * PARTITIONS

    def __call__(self, lines):
        for line in lines[self.seen:]:
            fields = line.split()
            if len(fields) == 3 and fields[0].isdigit() and int(fields[0]) < PARTITIONS:
                self.per_partition[int(fields[0])] += 1
        self.seen = len(lines)
        return (sum(self.per_partition) >= ACKS_BEFORE_KILL
                and min(self.per_partition) >= ACKS_BEFORE_KILL // (4 * PARTITIONS))


# MARK: - Reading the logs back


def consume_all(confluent, bootstrap):
    """Every record of every partition from offset 0 to the high watermark, in assign mode.

    Returns {partition: [(offset, key, value)]} and {partition: high watermark}.
    """
    from confluent_kafka import Consumer, TopicPartition, OFFSET_BEGINNING

    consumer = Consumer({
        "bootstrap.servers": bootstrap,
        "group.id": "crash-test-reader",  # required by the client; no group is joined
        "enable.auto.commit": False,
        "enable.partition.eof": True,
        "check.crcs": True,
    })
    try:
        watermarks = {}
        for partition in range(PARTITIONS):
            low, high = consumer.get_watermark_offsets(
                TopicPartition(TOPIC, partition), timeout=30)
            assert low == 0, f"partition {partition} starts at {low}, not 0"
            watermarks[partition] = high
        consumer.assign(
            [TopicPartition(TOPIC, p, OFFSET_BEGINNING) for p in range(PARTITIONS)])
        records = {p: [] for p in range(PARTITIONS)}
        done = {p for p, high in watermarks.items() if high == 0}
        deadline = time.monotonic() + CONSUME_TIMEOUT
        while len(done) < PARTITIONS:
            assert time.monotonic() < deadline, (
                f"consumed only {[len(r) for r in records.values()]} of {watermarks} "
                f"within {CONSUME_TIMEOUT}s")
            message = consumer.poll(1.0)
            if message is None:
                continue
            if message.error():
                if message.error().code() == confluent.KafkaError._PARTITION_EOF:
                    if message.offset() >= watermarks[message.partition()]:
                        done.add(message.partition())
                    continue
                pytest.fail(f"consumer error: {message.error()}")
            records[message.partition()].append(
                (message.offset(), message.key(), message.value()))
        return records, watermarks
    finally:
        consumer.close()


def check_logs(records, watermarks, acks, sent_max=None):
    """The crash-safety checks, shared by both tests: offsets contiguous from 0, every record
    intact (its value is the one its key implies), keys rising within a partition (one
    producer, no retries), and every acknowledged record at exactly its acknowledged offset."""
    for partition, entries in records.items():
        offsets = [offset for offset, _, _ in entries]
        assert offsets == list(range(watermarks[partition])), (
            f"partition {partition}: offsets are not contiguous from 0 "
            f"(first gap near {next((i for i, o in enumerate(offsets) if o != i), None)})")
        for offset, key, value in entries:
            assert key is not None and key.startswith(b"k"), (
                f"partition {partition} offset {offset}: bad key {key!r}")
            n = int(key[1:])
            assert sent_max is None or n <= sent_max, (
                f"partition {partition} offset {offset}: key {key!r} never sent")
            assert value == value_for(n).encode(), (
                f"partition {partition} offset {offset}: value of {key!r} is corrupt: {value!r}")
        keys = [int(key[1:]) for _, key, _ in entries]
        assert keys == sorted(set(keys)), f"partition {partition}: keys out of order or repeated"
    for n, (partition, offset) in sorted(acks.items()):
        entries = records.get(partition, [])
        assert offset < len(entries), (
            f"acknowledged k{n} at {partition}/{offset} is missing "
            f"(partition ends at {len(entries)})")
        _, key, _ = entries[offset]
        assert key == f"k{n}".encode(), (
            f"acknowledged k{n} at {partition}/{offset}, but that offset holds {key!r}")


def node_dirs_with_partitions(data_dir):
    return sorted(
        node for node in Path(data_dir).glob("node-*")
        if any(child.is_dir() and child.name.startswith(TOPIC + "-") for child in node.iterdir()))


def tear_tail(partition_dir):
    """Appends the first half of the log's last batch to the newest segment: the torn write
    a crash in the middle of `write` leaves (unless the kill already left one). Returns the
    log end offset of the whole batches. Batches are walked by their headers (baseOffset, batchLength at byte 8,
    lastOffsetDelta at byte 23, as RecordBatch v2 lays them out)."""
    segments = sorted(partition_dir.glob("*.log"))
    # A kill right after a roll leaves the newest segment empty: the last batch is earlier.
    data = next(s.read_bytes() for s in reversed(segments) if s.stat().st_size > 0)
    position, last = 0, None
    while position + 61 <= len(data):
        length = int.from_bytes(data[position + 8:position + 12], "big", signed=True)
        if length <= 0 or position + 12 + length > len(data):
            break
        last = position
        position += 12 + length
    assert last is not None, f"{partition_dir}: no whole batch in its newest segment"
    base = int.from_bytes(data[last:last + 8], "big", signed=True)
    delta = int.from_bytes(data[last + 23:last + 27], "big", signed=True)
    if position == len(data):
        with open(segments[-1], "ab") as file:
            file.write(data[last:last + (position - last) // 2])
    return base + delta + 1


# MARK: - Tests


@pytest.mark.parametrize("brokers", [1, 3])
def test_acknowledged_records_survive_kill_9(tmp_path, brokers):
    binary = _binary()
    confluent = _confluent()
    data_dir, home = tmp_path / "data", tmp_path / "home"
    server = Server(binary, data_dir, home, brokers, tmp_path / "serve-1.log")
    producer = None
    try:
        # Small segments, so the crash leaves closed segments and an active one to recover.
        create_topic(confluent, server.bootstrap, {"segment.bytes": str(SEGMENT_BYTES)})
        script = tmp_path / "producer.py"
        script.write_text(PRODUCER_SCRIPT)
        producer = subprocess.Popen(
            [sys.executable, str(script), server.bootstrap, TOPIC],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL)
        reports = LineCollector(producer.stdout)
        enough = reports.wait_for(EnoughAcks(), PRODUCE_TIMEOUT)
        assert enough, f"too few acks in {PRODUCE_TIMEOUT}s: {len(reports.snapshot())} lines"
        assert producer.poll() is None, "the producer stopped before the crash"
        server.kill()  # mid-stream: the producer is still sending
        producer.send_signal(signal.SIGTERM)
        producer.wait(EXIT_TIMEOUT)
        assert reports.wait_closed(EXIT_TIMEOUT)
    finally:
        if producer is not None and producer.poll() is None:
            producer.kill()
            producer.wait(EXIT_TIMEOUT)
        server.kill()

    acks = parse_acks(reports.snapshot())
    assert len(acks) >= ACKS_BEFORE_KILL
    for node in node_dirs_with_partitions(data_dir):
        assert not (node / ".kafka_cleanshutdown").exists(), f"{node} looks cleanly shut down"
    # A kill between two write calls leaves whole batches; also leave a torn one in partition 0.
    [partition_dir] = list(data_dir.glob(f"node-*/{TOPIC}-0"))
    end_before_tear = tear_tail(partition_dir)

    restarted = Server(binary, data_dir, home, brokers, tmp_path / "serve-2.log")
    try:
        records, watermarks = consume_all(confluent, restarted.bootstrap)
    finally:
        assert restarted.terminate() == 0, restarted.stderr_text()
    assert watermarks[0] == end_before_tear, "the torn batch was not cut at recovery"
    check_logs(records, watermarks, acks)
    tail = sum(watermarks.values()) - len(acks)
    assert tail >= 0, f"{-tail} acknowledged records are missing"


def run_script(binary, data_dir, home, brokers, commands):
    """Runs REPL commands with `--script -` on the data directory; returns its output."""
    env = dict(os.environ, SWIFTKA_HOME=str(home), NO_COLOR="1")
    result = subprocess.run(
        [binary, "--data-dir", str(data_dir), "--brokers", str(brokers), "--port", "0",
         "--script", "-"],
        input="\n".join(commands) + "\n", capture_output=True, text=True, env=env,
        timeout=START_TIMEOUT)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout + result.stderr


@pytest.mark.parametrize("brokers", [1, 3])
def test_clean_restart_keeps_offsets_and_skips_recovery(tmp_path, brokers):
    binary = _binary()
    confluent = _confluent()
    from confluent_kafka import Producer

    data_dir, home = tmp_path / "data", tmp_path / "home"
    server = Server(binary, data_dir, home, brokers, tmp_path / "serve-1.log")
    acks = {}
    try:
        create_topic(confluent, server.bootstrap)
        producer = Producer({"bootstrap.servers": server.bootstrap, "acks": 1, "linger.ms": 0})

        def report(error, message):
            assert error is None, error
            acks[int(message.key()[1:])] = (message.partition(), message.offset())

        total = 3000
        for n in range(total):
            while True:
                try:
                    producer.produce(TOPIC, key=f"k{n}".encode(), value=value_for(n).encode(),
                                     on_delivery=report)
                    break
                except BufferError:
                    producer.poll(0.05)
            producer.poll(0)
        assert producer.flush(PRODUCE_TIMEOUT) == 0
        del producer  # its connections close before the server stops
        assert len(acks) == total
    finally:
        status = server.terminate()
    assert status == 0, server.stderr_text()
    assert "shut down cleanly" in server.stderr_text()

    ends = {p: 0 for p in range(PARTITIONS)}
    for partition, offset in acks.values():
        ends[partition] = max(ends[partition], offset + 1)
    nodes = node_dirs_with_partitions(data_dir)
    assert len(nodes) == min(brokers, PARTITIONS)
    for node in nodes:
        assert (node / ".kafka_cleanshutdown").exists(), f"{node} has no clean-shutdown marker"
        checkpoint = (node / "recovery-point-offset-checkpoint").read_text().split("\n")
        for line in checkpoint[2:]:
            if line.startswith(TOPIC + " "):
                _, partition, offset = line.split()
                assert int(offset) == ends[int(partition)], f"{node}: {line}"

    # The REPL on the same data directory: no recovery notice, the same log end offsets.
    output = run_script(binary, data_dir, home, brokers,
                        [f"log segments {TOPIC} {p}" for p in range(PARTITIONS)])
    assert "no clean-shutdown marker" not in output, output
    for partition in range(PARTITIONS):
        summary = [line for line in output.splitlines()
                   if line.startswith(f"{TOPIC}-{partition} on broker")]
        assert len(summary) == 1 and f"log end offset {ends[partition]}," in summary[0], output

    restarted = Server(binary, data_dir, home, brokers, tmp_path / "serve-2.log")
    try:
        records, watermarks = consume_all(confluent, restarted.bootstrap)
    finally:
        assert restarted.terminate() == 0, restarted.stderr_text()
    assert watermarks == ends
    check_logs(records, watermarks, acks, sent_max=total - 1)
