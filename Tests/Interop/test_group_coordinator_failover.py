# Interop room: a consumer group's commits survive the death of its coordinator. The REPL runs a
# 3-broker cluster; a confluent-kafka consumer in group G reads an RF 3 topic and commits
# synchronously after every batch. The test kills G's coordinator while the consumer keeps going:
# the client has to find the new coordinator by itself (its connection is cut; FindCoordinator
# names another broker once the __consumer_offsets partition has a new leader). Then a second
# consumer in G must resume exactly at the committed offsets, every commit the client was told
# succeeded must be reflected in them, and the two consumers together must have seen every
# record. Also: the coordinator is now another broker, and __consumer_offsets has 3 replicas.

import re
import subprocess
import time

from interop_support import CLIENT_TIMEOUT, require, unique_topic, wait_until
from repl_driver import BROKER_COMMAND_TIMEOUT

require("confluent_kafka", kcat=True)

import confluent_kafka  # noqa: E402
from confluent_kafka import TopicPartition  # noqa: E402
from confluent_kafka.admin import AdminClient  # noqa: E402

PARTITIONS = 3
PER_PARTITION = 200
BATCH = 25
BEFORE_KILL = 150           # records the first consumer reads (and commits) before the kill
DURING_KILL = 50            # read while `broker kill` runs (the REPL narrates until it is fenced)
FIRST_CONSUMER_TOTAL = 450  # where the first consumer stops; the second reads the rest
CONSUME_TIMEOUT = 60.0


def consumer_config(bootstrap, group):
    return {"bootstrap.servers": bootstrap, "group.id": group, "auto.offset.reset": "earliest",
            "enable.auto.commit": False, "session.timeout.ms": 10000, "metadata.max.age.ms": 1000}


def produce_records(bootstrap, topic):
    """PER_PARTITION records to each partition, acks=all; returns {partition: end offset}."""
    producer = confluent_kafka.Producer({"bootstrap.servers": bootstrap, "acks": "all", "enable.idempotence": True})
    failures = []
    for partition in range(PARTITIONS):
        for i in range(PER_PARTITION):
            producer.produce(topic, value=f"p{partition}-{i}".encode(), partition=partition,
                             on_delivery=lambda error, _: error is None or failures.append(error))
    assert producer.flush(CLIENT_TIMEOUT) == 0
    assert not failures, failures[:5]
    return {partition: PER_PARTITION for partition in range(PARTITIONS)}


class CommittingConsumer:
    """The first consumer: reads, and after every BATCH records commits the position it reached
    with a synchronous commit, remembering which commits the client acknowledged."""

    def __init__(self, bootstrap, group, topic):
        self.consumer = confluent_kafka.Consumer(consumer_config(bootstrap, group))
        self.consumer.subscribe([topic])
        self.topic = topic
        self.seen = {p: set() for p in range(PARTITIONS)}
        self.position = {}       # partition -> offset after the last record read
        self.attempted = {p: set() for p in range(PARTITIONS)}
        self.acknowledged = {}   # partition -> highest offset of a commit that returned successfully
        self.acknowledged_commits = 0
        self.failed_commits = []
        self.read = 0

    def consume(self, count, what):
        """Reads `count` more records (bounded in time), committing after each batch."""
        target = self.read + count
        deadline = time.monotonic() + CONSUME_TIMEOUT
        while self.read < target:
            assert time.monotonic() < deadline, (f"timed out after {CONSUME_TIMEOUT:.0f}s {what} "
                                                 f"({self.read} of {target} records read)")
            message = self.consumer.poll(0.2)
            if message is None:
                continue
            if message.error():
                # Broker-down errors are reported here and are retried by the client.
                assert message.error().retriable() or message.error().code() in (
                    confluent_kafka.KafkaError._TRANSPORT, confluent_kafka.KafkaError._ALL_BROKERS_DOWN), message.error()
                continue
            assert message.offset() not in self.seen[message.partition()], \
                f"record {message.partition()}/{message.offset()} delivered twice to one consumer"
            self.seen[message.partition()].add(message.offset())
            self.position[message.partition()] = message.offset() + 1
            self.read += 1
            if self.read % BATCH == 0:
                self.commit()

    def commit(self):
        offsets = [TopicPartition(self.topic, p, o) for p, o in sorted(self.position.items())]
        for tp in offsets:
            self.attempted[tp.partition].add(tp.offset)
        try:
            result = self.consumer.commit(offsets=offsets, asynchronous=False)
        except confluent_kafka.KafkaException as error:
            self.failed_commits.append(str(error))
            return
        errors = [tp for tp in result if tp.error is not None]
        if errors:
            self.failed_commits.append(str(errors))
            return
        self.acknowledged_commits += 1
        for tp in result:
            self.acknowledged[tp.partition] = max(self.acknowledged.get(tp.partition, 0), tp.offset)


def coordinator_of(admin, group):
    description = admin.describe_consumer_groups([group], request_timeout=CLIENT_TIMEOUT)[group].result(timeout=CLIENT_TIMEOUT)
    return description.coordinator.id


def check_offsets_topic_has_three_replicas(admin, bootstrap):
    topic = admin.list_topics("__consumer_offsets", timeout=CLIENT_TIMEOUT).topics["__consumer_offsets"]
    assert topic.error is None and topic.partitions, topic.error
    short = {p.id: p.replicas for p in topic.partitions.values() if len(p.replicas) != 3}
    assert not short, f"__consumer_offsets partitions without 3 replicas (AdminClient): {short}"
    listing = subprocess.run(["kcat", "-L", "-b", bootstrap, "-t", "__consumer_offsets"],
                             capture_output=True, text=True, timeout=CLIENT_TIMEOUT)
    replicas = re.findall(r"partition \d+, leader -?\d+, replicas: ([\d,]*), isrs:", listing.stdout)
    assert len(replicas) == len(topic.partitions), listing.stdout
    assert all(len(r.split(",")) == 3 for r in replicas), listing.stdout


def test_commits_survive_a_coordinator_kill_and_a_new_consumer_resumes_after_them(repl):
    bootstrap = repl.bootstrap()
    topic = unique_topic("coordinator-failover")
    group = unique_topic("group")
    repl.run(f"topic create {topic} --partitions {PARTITIONS} --replication-factor 3 --config min.insync.replicas=2",
             lambda l: l.startswith("Created topic"))
    admin = AdminClient({"bootstrap.servers": bootstrap})
    end = produce_records(bootstrap, topic)

    first = CommittingConsumer(bootstrap, group, topic)
    first.consume(BEFORE_KILL, "before the kill")
    assert first.acknowledged_commits == BEFORE_KILL // BATCH, f"commits failed before any kill: {first.failed_commits}"
    committed_before_kill = dict(first.acknowledged)
    old_coordinator = coordinator_of(admin, group)
    assert repl.group_coordinator(group) == old_coordinator, repl.tail()
    check_offsets_topic_has_three_replicas(admin, bootstrap)

    # Kill the coordinator and keep reading and committing while the REPL watches it be fenced.
    kill = f"broker kill {old_coordinator}"
    repl.send(kill)
    first.consume(DURING_KILL, "while the coordinator was being killed")
    output = repl.finish(kill, timeout=BROKER_COMMAND_TIMEOUT)
    assert any(f"fenced broker {old_coordinator} " in line for line in output), "\n".join(output)
    acknowledged_before_fencing = first.acknowledged_commits
    first.consume(FIRST_CONSUMER_TOTAL - first.read, "after the coordinator was fenced")
    assert first.acknowledged_commits > acknowledged_before_fencing, (
        f"no commit succeeded after the coordinator died; failures: {first.failed_commits[-5:]}")

    new_coordinator = wait_until(
        lambda: (lambda c: c if c != old_coordinator else None)(coordinator_of(admin, group)),
        f"a coordinator for {group} other than broker {old_coordinator}")
    assert new_coordinator in (1, 2, 3)
    assert repl.group_coordinator(group) == new_coordinator, repl.tail()
    check_offsets_topic_has_three_replicas(admin, bootstrap)
    first.consumer.close()

    # A second consumer in the group resumes at the committed offsets.
    second = confluent_kafka.Consumer(consumer_config(bootstrap, group))
    committed = {tp.partition: tp.offset for tp in
                 second.committed([TopicPartition(topic, p) for p in range(PARTITIONS)], timeout=CLIENT_TIMEOUT)}
    for p in range(PARTITIONS):
        if committed[p] < 0:  # OFFSET_INVALID: the first consumer never committed on p
            assert p not in first.acknowledged, f"partition {p}: the acknowledged commit {first.acknowledged[p]} is lost"
            committed[p] = 0  # auto.offset.reset=earliest
            continue
        assert committed[p] >= first.acknowledged.get(p, 0), (
            f"partition {p}: committed offset {committed[p]} is behind the acknowledged commit {first.acknowledged.get(p)}")
        assert committed[p] in first.attempted[p], (
            f"partition {p}: committed offset {committed[p]} was never committed (commits: {sorted(first.attempted[p])})")
    second.subscribe([topic])
    first_offset = {}
    seen = {p: set() for p in range(PARTITIONS)}
    deadline = time.monotonic() + CONSUME_TIMEOUT
    while any(len(seen[p]) < end[p] - committed[p] for p in range(PARTITIONS)):
        assert time.monotonic() < deadline, (f"the second consumer read only {[len(s) for s in seen.values()]} "
                                             f"records after {committed}")
        message = second.poll(0.2)
        if message is None or message.error():
            continue
        first_offset.setdefault(message.partition(), message.offset())
        seen[message.partition()].add(message.offset())
    second.close()

    for p in range(PARTITIONS):
        if committed[p] < end[p]:
            assert first_offset[p] == committed[p], (
                f"partition {p}: the second consumer started at {first_offset[p]}, not at the committed {committed[p]}")
        missing = set(range(committed_before_kill.get(p, 0), end[p])) - first.seen[p] - seen[p]
        assert not missing, f"partition {p}: records never read by either consumer: {sorted(missing)[:10]}"
        assert first.seen[p] | seen[p] == set(range(end[p])), f"partition {p}: the consumers missed records"
    if first.failed_commits:
        print(f"commits the client reported as failed during the failover: {first.failed_commits}")
