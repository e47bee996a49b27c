# Interop tests: kcat (librdkafka's command-line client) against the embedded cluster.
# Metadata listing, keyed produce, read-back with exact partitions and offsets, offset lookup
# by timestamp, producing to an unknown topic. kcat cannot create topics, so confluent-kafka's
# AdminClient does.

import re
import subprocess
import time

from interop_support import CLIENT_TIMEOUT, create_topic, murmur2_partition, require

require("confluent_kafka", "kafka", kcat=True)

from confluent_kafka import Producer  # noqa: E402


def kcat(bootstrap, *args, stdin=None):
    """Runs kcat (bounded); returns stdout, failing with stderr if kcat exits non-zero."""
    result = subprocess.run(["kcat", "-b", bootstrap, "-X", "socket.timeout.ms=10000", *args],
                            input=stdin, capture_output=True, text=True, timeout=CLIENT_TIMEOUT * 2)
    assert result.returncode == 0, (
        f"kcat {' '.join(args)} exited {result.returncode}:\n{result.stderr}")
    return result.stdout


def test_metadata_lists_the_three_brokers_and_a_topic_with_its_leaders(bootstrap, topic):
    leaders = create_topic(bootstrap, topic, partitions=3)

    out = kcat(bootstrap, "-L", "-t", topic)

    brokers = dict(re.findall(r"^\s+broker (\d+) at (\S+)", out, re.MULTILINE))
    assert brokers == {str(i + 1): address for i, address in enumerate(bootstrap.split(","))}
    assert f'topic "{topic}" with 3 partitions:' in out
    rows = re.findall(r"^\s+partition (\d+), leader (\d+), replicas: ([\d,]+), isrs: ([\d,]+)$",
                      out, re.MULTILINE)
    listed = {int(p): (int(leader), replicas, isrs) for p, leader, replicas, isrs in rows}
    assert set(listed) == {0, 1, 2}
    for partition, (leader, replicas, isrs) in listed.items():
        assert leader == leaders[partition]
        assert replicas == str(leader) and isrs == str(leader)
    # Placement walks round-robin over the brokers, so three partitions have three leaders.
    assert sorted(leader for leader, _, _ in listed.values()) == [1, 2, 3]


def test_keyed_messages_produced_by_kcat_read_back_exactly(bootstrap, topic):
    create_topic(bootstrap, topic, partitions=3)
    records = [(f"key-{i}", f"value {i} of {topic}") for i in range(24)]

    # murmur2_random is librdkafka's Java-compatible partitioner: placement is predictable.
    kcat(bootstrap, "-P", "-t", topic, "-K:", "-X", "topic.partitioner=murmur2_random",
         stdin="".join(f"{k}:{v}\n" for k, v in records))
    out = kcat(bootstrap, "-C", "-t", topic, "-e", "-o", "beginning", "-q", "-f", "%p %o %k %s\n")

    expected = []
    next_offset = {0: 0, 1: 0, 2: 0}
    for key, value in records:
        partition = murmur2_partition(key.encode(), 3)
        expected.append(f"{partition} {next_offset[partition]} {key} {value}")
        next_offset[partition] += 1
    lines = out.splitlines()
    assert len(lines) == len(records)
    # Partitions interleave in kcat's output; within one partition the order is the log's.
    for partition in range(3):
        got = [line for line in lines if line.startswith(f"{partition} ")]
        want = [line for line in expected if line.startswith(f"{partition} ")]
        assert got == want
    assert all(n > 0 for n in next_offset.values()), "the keys should cover all partitions"


def test_query_by_timestamp_returns_the_first_offset_at_or_after_it(bootstrap, topic):
    create_topic(bootstrap, topic, partitions=1)
    base = int(time.time() * 1000) - 60_000
    stamps = [base + 1000 * i for i in range(5)]
    producer = Producer({"bootstrap.servers": bootstrap})
    for i, stamp in enumerate(stamps):
        producer.produce(topic, key=f"k{i}", value=f"v{i}", partition=0, timestamp=stamp)
    assert producer.flush(CLIENT_TIMEOUT) == 0

    def query(timestamp):
        out = kcat(bootstrap, "-Q", "-t", f"{topic}:0:{timestamp}")
        match = re.search(rf"^{re.escape(topic)} \[0\] offset (-?\d+)", out, re.MULTILINE)
        assert match, f"unexpected kcat -Q output: {out!r}"
        return int(match.group(1))

    assert query(base - 5000) == 0
    assert query(stamps[2]) == 2
    assert query(stamps[2] + 1) == 3
    assert query(stamps[4]) == 4
    # Later than every record: Kafka answers offset -1 (no such record).
    assert query(stamps[4] + 1) == -1


def test_kcat_producer_to_an_unknown_topic_fails(bootstrap, topic):
    # librdkafka waits topic.metadata.propagation.max.ms (30 s by default) for a topic to appear.
    result = subprocess.run(
        ["kcat", "-b", bootstrap, "-P", "-t", topic,
         "-X", "topic.metadata.propagation.max.ms=1000"],
        input="lost\n", capture_output=True, text=True, timeout=CLIENT_TIMEOUT)
    assert result.returncode != 0
    assert "Unknown topic or partition" in result.stderr
