# Interop tests: consumer groups with real clients. Two confluent-kafka consumers share a
# 4-partition topic and then one takes over; commits survive a close and reopen; kafka-python,
# aiokafka and kcat consume in a group and commit. Every wait is bounded; names are unique.

import asyncio
import subprocess
import time

from interop_support import CLIENT_TIMEOUT, create_topic, require, unique_topic

require("confluent_kafka", "kafka", "aiokafka", kcat=False)

from confluent_kafka import Consumer, Producer  # noqa: E402
from confluent_kafka import TopicPartition as CkTopicPartition  # noqa: E402

# A group rebalance takes a few heartbeats; this bounds each wait for one.
REBALANCE_TIMEOUT = 30.0


def produce_to_partitions(bootstrap, topic, per_partition, partitions):
    """Produces `per_partition` records to each partition; returns {(partition, offset): value}."""
    producer = Producer({"bootstrap.servers": bootstrap})
    reports = []
    for partition in range(partitions):
        for i in range(per_partition):
            producer.produce(topic, key=f"k{partition}-{i}".encode(), value=f"v{partition}-{i}".encode(),
                             partition=partition,
                             on_delivery=lambda error, message: reports.append((error, message)))
    assert producer.flush(CLIENT_TIMEOUT) == 0
    assert [error for error, _ in reports] == [None] * (per_partition * partitions)
    return {(m.partition(), m.offset()): m.value().decode() for _, m in reports}


def group_consumer(bootstrap, group, **config):
    return Consumer({"bootstrap.servers": bootstrap, "group.id": group,
                     "auto.offset.reset": "earliest", "enable.auto.commit": False,
                     "session.timeout.ms": 10000, **config})


def assigned(consumer):
    return {tp.partition for tp in consumer.assignment()}


def poll_all(consumers, until, what, timeout=REBALANCE_TIMEOUT):
    """Polls every consumer in turn until `until(messages)` holds; messages are
    (consumer index, message). Consumer errors fail the test."""
    messages = []
    deadline = time.monotonic() + timeout
    while not until(messages):
        assert time.monotonic() < deadline, f"timed out after {timeout:.0f}s waiting for {what}"
        for index, consumer in enumerate(consumers):
            message = consumer.poll(0.1)
            if message is None:
                continue
            assert message.error() is None, message.error()
            messages.append((index, message))
    return messages


def test_two_confluent_consumers_split_four_partitions_then_one_takes_all(bootstrap, topic):
    create_topic(bootstrap, topic, partitions=4)
    group = unique_topic("group-split")
    first = group_consumer(bootstrap, group)
    second = group_consumer(bootstrap, group)
    try:
        first.subscribe([topic])
        second.subscribe([topic])

        def split(_):
            a, b = assigned(first), assigned(second)
            return a and b and not (a & b) and (a | b) == {0, 1, 2, 3}

        poll_all([first, second], split, "a disjoint assignment covering all 4 partitions")
        owners = {p: 0 for p in assigned(first)} | {p: 1 for p in assigned(second)}

        expected = produce_to_partitions(bootstrap, topic, per_partition=3, partitions=4)
        got = poll_all([first, second], lambda ms: len(ms) >= len(expected), "all 12 records")
        assert {(m.partition(), m.offset()): m.value().decode() for _, m in got} == expected
        assert len(got) == len(expected)
        for index, message in got:
            assert owners[message.partition()] == index, "a record came from a partition not assigned"
    finally:
        second.close()
    try:
        poll_all([first], lambda _: assigned(first) == {0, 1, 2, 3},
                 "the remaining consumer to own all 4 partitions")
    finally:
        first.close()


def test_confluent_consumer_resumes_at_its_committed_offset(bootstrap, topic):
    create_topic(bootstrap, topic, partitions=1)
    expected = produce_to_partitions(bootstrap, topic, per_partition=5, partitions=1)
    group = unique_topic("group-resume")

    consumer = group_consumer(bootstrap, group)
    consumer.subscribe([topic])
    try:
        got = poll_all([consumer], lambda ms: len(ms) >= 3, "3 records")
        assert [(m.offset(), m.value().decode()) for _, m in got[:3]] == [(0, "v0-0"), (1, "v0-1"), (2, "v0-2")]
        consumer.commit(message=got[2][1], asynchronous=False)
        committed = consumer.committed([CkTopicPartition(topic, 0)], timeout=CLIENT_TIMEOUT)
        assert committed[0].offset == 3
    finally:
        consumer.close()

    reopened = group_consumer(bootstrap, group)
    reopened.subscribe([topic])
    try:
        got = poll_all([reopened], lambda ms: len(ms) >= 2, "the 2 uncommitted records")
        assert [(m.offset(), m.value().decode()) for _, m in got] == [(3, expected[(0, 3)]), (4, expected[(0, 4)])]
    finally:
        reopened.close()


def test_kafka_python_group_consumer_consumes_and_commits(bootstrap, topic):
    from kafka import KafkaConsumer, TopicPartition

    create_topic(bootstrap, topic, partitions=2)
    expected = produce_to_partitions(bootstrap, topic, per_partition=3, partitions=2)
    group = unique_topic("group-kafka-python")
    consumer = KafkaConsumer(topic, bootstrap_servers=bootstrap.split(","), group_id=group,
                             auto_offset_reset="earliest", enable_auto_commit=False,
                             consumer_timeout_ms=int(REBALANCE_TIMEOUT * 1000))
    try:
        got = {}
        for record in consumer:
            got[(record.partition, record.offset)] = record.value.decode()
            if len(got) == len(expected):
                break
        assert got == expected
        consumer.commit()
        assert consumer.committed(TopicPartition(topic, 0)) == 3
        assert consumer.committed(TopicPartition(topic, 1)) == 3
    finally:
        consumer.close()


def test_aiokafka_group_consumer_consumes_and_commits(bootstrap, topic):
    from aiokafka import AIOKafkaConsumer, TopicPartition

    create_topic(bootstrap, topic, partitions=2)
    expected = produce_to_partitions(bootstrap, topic, per_partition=3, partitions=2)
    group = unique_topic("group-aiokafka")

    async def consume():
        consumer = AIOKafkaConsumer(topic, bootstrap_servers=bootstrap, group_id=group,
                                    auto_offset_reset="earliest", enable_auto_commit=False,
                                    request_timeout_ms=int(CLIENT_TIMEOUT * 1000))
        await consumer.start()
        try:
            got = {}
            while len(got) < len(expected):
                record = await consumer.getone()
                got[(record.partition, record.offset)] = record.value.decode()
            await consumer.commit()
            committed = [await consumer.committed(TopicPartition(topic, p)) for p in (0, 1)]
            return got, committed
        finally:
            await consumer.stop()

    got, committed = asyncio.run(asyncio.wait_for(consume(), timeout=REBALANCE_TIMEOUT * 2))
    assert got == expected
    assert committed == [3, 3]


def test_kcat_balanced_consumer_reads_the_topic_in_a_group(bootstrap, topic):
    require(kcat=True)
    create_topic(bootstrap, topic, partitions=2)
    expected = produce_to_partitions(bootstrap, topic, per_partition=2, partitions=2)
    group = unique_topic("group-kcat")
    result = subprocess.run(
        ["kcat", "-b", bootstrap, "-G", group, topic, "-c", str(len(expected)),
         "-X", "auto.offset.reset=earliest", "-f", "%p %o %s\\n", "-q"],
        capture_output=True, text=True, timeout=REBALANCE_TIMEOUT * 2)
    assert result.returncode == 0, result.stderr
    got = {}
    for line in result.stdout.splitlines():
        partition, offset, value = line.split(" ", 2)
        got[(int(partition), int(offset))] = value
    assert got == expected

    # kcat commits what it consumed when it closes (enable.auto.commit is librdkafka's default).
    checker = group_consumer(bootstrap, group)
    try:
        committed = checker.committed([CkTopicPartition(topic, 0), CkTopicPartition(topic, 1)],
                                      timeout=CLIENT_TIMEOUT)
        assert [tp.offset for tp in committed] == [2, 2]
    finally:
        checker.close()
