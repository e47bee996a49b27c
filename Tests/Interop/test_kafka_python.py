# Interop tests: kafka-python against the embedded cluster. Admin create and delete and
# leader elections, the
# default producer (which asks for a producer id) with exact offsets, an assigned consumer
# reading from the beginning, offset and partition queries, and the client's error paths.

import time

import pytest

from interop_support import CLIENT_TIMEOUT, murmur2_partition, require, wait_until

require("kafka")

from kafka import KafkaAdminClient, KafkaConsumer, KafkaProducer, TopicPartition  # noqa: E402
from kafka.admin import NewTopic  # noqa: E402
from kafka.errors import (KafkaTimeoutError, OffsetOutOfRangeError,  # noqa: E402
                          TopicAlreadyExistsError, UnknownTopicOrPartitionError)

TIMEOUT_MS = int(CLIENT_TIMEOUT * 1000)


@pytest.fixture
def admin(bootstrap):
    client = KafkaAdminClient(bootstrap_servers=bootstrap, request_timeout_ms=TIMEOUT_MS)
    yield client
    client.close()


def create(admin, name, partitions):
    admin.create_topics([NewTopic(name, num_partitions=partitions, replication_factor=1)],
                        timeout_ms=TIMEOUT_MS)


def assigned_consumer(bootstrap, **config):
    # group_id=None: no consumer group (and no commits); partitions are assigned by hand.
    return KafkaConsumer(bootstrap_servers=bootstrap, group_id=None, enable_auto_commit=False,
                         request_timeout_ms=TIMEOUT_MS + 5000, **config)


def poll_records(consumer, count):
    """Polls until `count` records arrived (bounded); returns them in arrival order."""
    records = []
    deadline = time.monotonic() + CLIENT_TIMEOUT
    while len(records) < count and time.monotonic() < deadline:
        for batch in consumer.poll(timeout_ms=500).values():
            records.extend(batch)
    assert len(records) == count, f"got {len(records)} of {count} records"
    return records


def test_admin_creates_and_deletes_topics(bootstrap, admin, topic):
    create(admin, topic, partitions=2)
    assert topic in admin.list_topics()
    described = admin.describe_topics([topic])
    assert len(described) == 1 and described[0]["error_code"] == 0
    partitions = described[0]["partitions"]
    assert sorted(p["partition_index"] for p in partitions) == [0, 1]
    for p in partitions:
        assert p["error_code"] == 0 and p["leader_id"] in (1, 2, 3)
        assert p["replica_nodes"] == [p["leader_id"]] and p["isr_nodes"] == [p["leader_id"]]
    with pytest.raises(TopicAlreadyExistsError):
        create(admin, topic, partitions=1)

    admin.delete_topics([topic], timeout_ms=TIMEOUT_MS)

    wait_until(lambda: topic not in admin.list_topics(), f"{topic} to leave the metadata")
    with pytest.raises(UnknownTopicOrPartitionError):
        admin.delete_topics([topic], timeout_ms=TIMEOUT_MS)


def test_admin_elect_leaders(admin, topic):
    admin.create_topics([NewTopic(topic, num_partitions=2, replication_factor=3)],
                        timeout_ms=TIMEOUT_MS)
    # ELECTION_NOT_NEEDED is an answer, not an error: the preferred replicas lead already.
    response = admin.elect_leaders(0, {topic: [0, 1]}, timeout_ms=TIMEOUT_MS)
    codes = {(r.topic, p.partition_id): p.error_code
             for r in response.replica_election_results for p in r.partition_result}
    assert codes == {(topic, 0): 84, (topic, 1): 84}
    with pytest.raises(UnknownTopicOrPartitionError):
        admin.elect_leaders(1, {topic: [7]}, timeout_ms=TIMEOUT_MS)


def test_default_producer_gets_exact_offsets_and_consumer_reads_them_back(bootstrap, admin, topic):
    create(admin, topic, partitions=3)
    producer = KafkaProducer(bootstrap_servers=bootstrap, request_timeout_ms=TIMEOUT_MS,
                             max_block_ms=TIMEOUT_MS)
    sent = [(f"user-{i}".encode(), f"clicked {i}".encode(), [("n", str(i).encode())])
            for i in range(30)]
    try:
        futures = [producer.send(topic, key=k, value=v, headers=h) for k, v, h in sent]
        metadata = [future.get(timeout=CLIENT_TIMEOUT) for future in futures]
        assert producer.partitions_for(topic) == {0, 1, 2}
        # Default settings mean enable_idempotence=True: InitProducerId must have answered.
        manager = getattr(producer, "_transaction_manager", None)  # private; absent in old versions
        if manager is not None:
            assert manager.producer_id_and_epoch.producer_id >= 0
    finally:
        producer.close(timeout=CLIENT_TIMEOUT)

    next_offset = {0: 0, 1: 0, 2: 0}
    for (key, _, _), meta in zip(sent, metadata):
        assert meta.topic == topic
        assert meta.partition == murmur2_partition(key, 3)  # kafka-python's DefaultPartitioner
        assert meta.offset == next_offset[meta.partition]
        next_offset[meta.partition] += 1

    consumer = assigned_consumer(bootstrap)
    try:
        partitions = [TopicPartition(topic, p) for p in range(3)]
        consumer.assign(partitions)
        consumer.seek_to_beginning()
        records = poll_records(consumer, len(sent))
        assert consumer.beginning_offsets(partitions) == {tp: 0 for tp in partitions}
        assert consumer.end_offsets(partitions) == {
            TopicPartition(topic, p): n for p, n in next_offset.items()}
        assert consumer.partitions_for_topic(topic) == {0, 1, 2}
    finally:
        consumer.close()

    by_key = {record.key: record for record in records}
    assert len(by_key) == len(sent)
    for (key, value, headers), meta in zip(sent, metadata):
        record = by_key[key]
        assert (record.topic, record.partition) == (topic, meta.partition)
        assert record.offset == meta.offset
        assert record.value == value
        assert list(record.headers) == headers
        assert record.timestamp == meta.timestamp
        assert record.timestamp_type == 0  # CreateTime


def test_seek_to_beginning_rereads_the_same_records(bootstrap, admin, topic):
    create(admin, topic, partitions=1)
    producer = KafkaProducer(bootstrap_servers=bootstrap, max_block_ms=TIMEOUT_MS)
    try:
        for i in range(5):
            producer.send(topic, value=f"m{i}".encode(), timestamp_ms=1_000 * (i + 1) + int(
                time.time() * 1000) - 60_000)
        producer.flush(timeout=CLIENT_TIMEOUT)
    finally:
        producer.close(timeout=CLIENT_TIMEOUT)
    partition = TopicPartition(topic, 0)
    consumer = assigned_consumer(bootstrap)
    try:
        consumer.assign([partition])
        consumer.seek_to_beginning(partition)
        first = poll_records(consumer, 5)
        consumer.seek_to_beginning(partition)
        second = poll_records(consumer, 5)
        assert consumer.position(partition) == 5
    finally:
        consumer.close()
    assert [(r.offset, r.value) for r in first] == [(i, f"m{i}".encode()) for i in range(5)]
    assert [(r.offset, r.value, r.timestamp) for r in second] == [
        (r.offset, r.value, r.timestamp) for r in first]


# MARK: - Error paths

def test_kafka_python_producer_to_an_unknown_topic_times_out_on_metadata(bootstrap, topic):
    # kafka-python's equivalent: it waits up to max_block_ms for the topic's metadata, which
    # never names it, and raises KafkaTimeoutError.
    producer = KafkaProducer(bootstrap_servers=bootstrap, max_block_ms=2000)
    try:
        with pytest.raises(KafkaTimeoutError, match="metadata"):
            producer.send(topic, value=b"lost").get(timeout=CLIENT_TIMEOUT)
    finally:
        producer.close(timeout=CLIENT_TIMEOUT)


def test_kafka_python_consumer_past_the_end_with_reset_none_raises(bootstrap, admin, topic):
    create(admin, topic, partitions=1)
    producer = KafkaProducer(bootstrap_servers=bootstrap, max_block_ms=TIMEOUT_MS)
    try:
        for i in range(3):
            producer.send(topic, value=f"r{i}".encode(), partition=0)
        producer.flush(timeout=CLIENT_TIMEOUT)
    finally:
        producer.close(timeout=CLIENT_TIMEOUT)
    partition = TopicPartition(topic, 0)
    consumer = assigned_consumer(bootstrap, auto_offset_reset="none")
    try:
        consumer.assign([partition])
        consumer.seek(partition, 50)
        with pytest.raises(OffsetOutOfRangeError) as caught:
            deadline = time.monotonic() + CLIENT_TIMEOUT
            while time.monotonic() < deadline:
                assert consumer.poll(timeout_ms=500) == {}
    finally:
        consumer.close()
    assert caught.value.args[0] == {partition: 50}
