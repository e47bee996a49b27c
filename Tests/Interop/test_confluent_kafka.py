# Interop tests: confluent-kafka (librdkafka) against the embedded cluster. Admin create,
# describe and delete and leader elections with Kafka's error codes; producer delivery reports, Java-compatible key
# placement, the idempotent producer; an assign-mode consumer and offset queries.

import time

import pytest

from interop_support import (CLIENT_TIMEOUT, create_topic, murmur2_partition, require,
                             unique_topic, wait_until)

require("confluent_kafka", "kafka")

from confluent_kafka import (OFFSET_BEGINNING, Consumer, ElectionType, KafkaError,  # noqa: E402
                             KafkaException, Producer, TopicPartition, TIMESTAMP_CREATE_TIME)
from confluent_kafka.admin import AdminClient, ConfigResource, NewTopic  # noqa: E402


def admin_client(bootstrap):
    return AdminClient({"bootstrap.servers": bootstrap})


def produce_all(producer, topic, records, **common):
    """Produces (key, value, extra-kwargs) records, flushes, returns the delivery reports in the
    order they came (per partition, the produce order)."""
    reports = []

    def on_delivery(error, message):
        reports.append((error, message))

    for key, value, extra in records:
        producer.produce(topic, key=key, value=value, on_delivery=on_delivery, **common, **extra)
    assert producer.flush(CLIENT_TIMEOUT) == 0, "flush left messages undelivered"
    assert [error for error, _ in reports] == [None] * len(records)
    return [message for _, message in reports]


def assign_consumer(bootstrap, **config):
    # No consumer groups yet: group.id is set only because librdkafka asks for one; the consumer
    # is assigned its partitions and never commits.
    return Consumer({"bootstrap.servers": bootstrap, "group.id": unique_topic("unused-group"),
                     "enable.auto.commit": False, "enable.auto.offset.store": False, **config})


def consume(consumer, count):
    """Polls until `count` messages arrived (bounded); consumer errors fail the test."""
    messages = []
    deadline = time.monotonic() + CLIENT_TIMEOUT
    while len(messages) < count and time.monotonic() < deadline:
        message = consumer.poll(0.5)
        if message is None:
            continue
        assert message.error() is None, message.error()
        messages.append(message)
    assert len(messages) == count, f"got {len(messages)} of {count} messages"
    return messages


def create_error(future):
    with pytest.raises(KafkaException) as caught:
        future.result(timeout=CLIENT_TIMEOUT)
    return caught.value.args[0].code()


def test_create_topics_answers_each_topic_with_kafkas_error_codes(bootstrap, topic):
    admin = admin_client(bootstrap)
    replicated = unique_topic("too-replicated")
    invalid = "not a valid name!"
    futures = admin.create_topics(
        [NewTopic(topic, num_partitions=3, replication_factor=1),
         NewTopic(replicated, num_partitions=1, replication_factor=4),
         NewTopic(invalid, num_partitions=1, replication_factor=1)],
        operation_timeout=CLIENT_TIMEOUT, request_timeout=CLIENT_TIMEOUT)

    assert futures[topic].result(timeout=CLIENT_TIMEOUT) is None
    # At most one copy per broker: 4 copies on 3 brokers is refused, as Kafka refuses it.
    assert create_error(futures[replicated]) == KafkaError.INVALID_REPLICATION_FACTOR
    assert create_error(futures[invalid]) == KafkaError.TOPIC_EXCEPTION  # INVALID_TOPIC_EXCEPTION
    again = admin.create_topics([NewTopic(topic, num_partitions=1, replication_factor=1)],
                                request_timeout=CLIENT_TIMEOUT)
    assert create_error(again[topic]) == KafkaError.TOPIC_ALREADY_EXISTS

    metadata = admin.list_topics(timeout=CLIENT_TIMEOUT)
    assert replicated not in metadata.topics and invalid not in metadata.topics
    described = metadata.topics[topic]
    assert described.error is None
    assert sorted(described.partitions) == [0, 1, 2]
    for partition in described.partitions.values():
        assert partition.error is None
        assert partition.leader in metadata.brokers
        assert partition.replicas == [partition.leader] and partition.isrs == [partition.leader]
    assert sorted(metadata.brokers) == [1, 2, 3]
    assert sorted(str(b) for b in metadata.brokers.values()) == sorted(
        f"{address}/{i + 1}" for i, address in enumerate(bootstrap.split(",")))
    assert metadata.controller_id in metadata.brokers


def test_elect_leaders_answers_per_partition_with_kafkas_error_codes(bootstrap, topic):
    admin = admin_client(bootstrap)
    futures = admin.create_topics([NewTopic(topic, num_partitions=2, replication_factor=3)],
                                  operation_timeout=CLIENT_TIMEOUT, request_timeout=CLIENT_TIMEOUT)
    futures[topic].result(timeout=CLIENT_TIMEOUT)
    asked = [TopicPartition(topic, 0), TopicPartition(topic, 1), TopicPartition(topic, 7)]
    # No timeout keywords: confluent-kafka 2.16's elect_leaders fails to parse them
    # (SystemError in its C extension); the future's own timeout bounds the wait.
    results = admin.elect_leaders(ElectionType.PREFERRED, asked).result(timeout=CLIENT_TIMEOUT)
    codes = {(tp.topic, tp.partition): (error.code() if error else None)
             for tp, error in results.items()}
    # A new partition is led by its preferred replica already; partition 7 does not exist.
    assert codes == {(topic, 0): KafkaError.ELECTION_NOT_NEEDED,
                     (topic, 1): KafkaError.ELECTION_NOT_NEEDED,
                     (topic, 7): KafkaError.UNKNOWN_TOPIC_OR_PART}
    unclean = admin.elect_leaders(ElectionType.UNCLEAN,
                                  [TopicPartition(topic, 0)]).result(timeout=CLIENT_TIMEOUT)
    assert [error.code() for error in unclean.values()] == [KafkaError.ELECTION_NOT_NEEDED]


def test_delivery_reports_give_murmur2_partitions_and_consecutive_offsets(bootstrap, topic):
    create_topic(bootstrap, topic, partitions=3)
    producer = Producer({"bootstrap.servers": bootstrap, "partitioner": "murmur2_random",
                         "linger.ms": 5})
    keys = [f"customer-{i}".encode() for i in range(40)]

    reports = produce_all(producer, topic, [(key, b"payload-" + key, {}) for key in keys])

    # Reports of different partitions may come back in any order; match them by key.
    by_key = {report.key(): report for report in reports}
    assert sorted(by_key) == sorted(keys)
    next_offset = {0: 0, 1: 0, 2: 0}
    for key in keys:
        report = by_key[key]
        assert report.partition() == murmur2_partition(key, 3)
        assert report.offset() == next_offset[report.partition()]
        next_offset[report.partition()] += 1
    assert all(n > 0 for n in next_offset.values()), "the keys should cover all partitions"


def test_idempotent_producer_writes_contiguous_offsets(bootstrap, topic):
    create_topic(bootstrap, topic, partitions=1)
    producer = Producer({"bootstrap.servers": bootstrap, "enable.idempotence": True,
                         "linger.ms": 2, "batch.num.messages": 7})
    count = 60

    reports = produce_all(producer, topic, [(None, f"event {i}".encode(), {"partition": 0})
                                            for i in range(count)])

    assert [r.offset() for r in reports] == list(range(count))
    assert [r.value() for r in reports] == [f"event {i}".encode() for i in range(count)]
    low, high = assign_consumer(bootstrap).get_watermark_offsets(TopicPartition(topic, 0),
                                                                 timeout=CLIENT_TIMEOUT)
    assert (low, high) == (0, count)


def test_assigned_consumer_reads_keys_values_offsets_headers_and_timestamps(bootstrap, topic):
    create_topic(bootstrap, topic, partitions=2)
    base = int(time.time() * 1000) - 30_000
    records = [
        (b"k0", b"first", {"headers": [("trace", b"t-0"), ("trace", b"t-0b")], "timestamp": base}),
        (None, b"no key", {"headers": [("empty", b"")], "timestamp": base + 10}),
        (b"k2", None, {"headers": [("null-value", None)], "timestamp": base + 20}),  # tombstone
        (b"k3", b"", {"timestamp": base + 30}),
        (b"k4", bytes(range(256)) * 40,
         {"headers": [("bin", b"\x00\xff")], "timestamp": base + 40}),
    ]
    produce_all(Producer({"bootstrap.servers": bootstrap}), topic, records, partition=1)

    consumer = assign_consumer(bootstrap)
    consumer.assign([TopicPartition(topic, 1, OFFSET_BEGINNING)])
    try:
        messages = consume(consumer, len(records))
    finally:
        consumer.close()

    for offset, (message, (key, value, extra)) in enumerate(zip(messages, records)):
        assert (message.topic(), message.partition(), message.offset()) == (topic, 1, offset)
        assert message.key() == key
        assert message.value() == value
        assert message.headers() == (extra.get("headers") or None)
        assert message.timestamp() == (TIMESTAMP_CREATE_TIME, extra["timestamp"])


def test_offsets_for_times_and_watermarks(bootstrap, topic):
    create_topic(bootstrap, topic, partitions=1)
    base = int(time.time() * 1000) - 20_000
    stamps = [base + 100 * i for i in range(6)]
    produce_all(Producer({"bootstrap.servers": bootstrap}), topic,
                [(None, f"v{i}".encode(), {"timestamp": t}) for i, t in enumerate(stamps)],
                partition=0)
    consumer = assign_consumer(bootstrap)
    try:
        def offset_for(timestamp):
            found = consumer.offsets_for_times([TopicPartition(topic, 0, timestamp)],
                                               timeout=CLIENT_TIMEOUT)
            assert found[0].error is None
            return found[0].offset

        assert offset_for(base - 1) == 0
        assert offset_for(stamps[3]) == 3
        assert offset_for(stamps[3] - 50) == 3
        assert offset_for(stamps[5] + 1) == -1  # after every record: end (OFFSET_END)
        assert consumer.get_watermark_offsets(TopicPartition(topic, 0),
                                              timeout=CLIENT_TIMEOUT) == (0, 6)
    finally:
        consumer.close()


def test_deleted_topic_disappears_from_metadata(bootstrap, topic):
    create_topic(bootstrap, topic, partitions=2)
    admin = admin_client(bootstrap)

    futures = admin.delete_topics([topic], operation_timeout=CLIENT_TIMEOUT,
                                  request_timeout=CLIENT_TIMEOUT)
    assert futures[topic].result(timeout=CLIENT_TIMEOUT) is None

    wait_until(lambda: topic not in admin.list_topics(timeout=CLIENT_TIMEOUT).topics,
               f"{topic} to leave the metadata of every broker")
    missing = admin.list_topics(topic=topic, timeout=CLIENT_TIMEOUT).topics[topic]
    assert missing.error is not None
    assert missing.error.code() == KafkaError.UNKNOWN_TOPIC_OR_PART
    again = admin.delete_topics([topic], request_timeout=CLIENT_TIMEOUT)
    assert create_error(again[topic]) == KafkaError.UNKNOWN_TOPIC_OR_PART

    # The name is free again, and the new topic starts empty (the old log is gone). Every broker
    # learns of the new topic from the KRaft quorum, a moment after the one that created it.
    create_topic(bootstrap, topic, partitions=2)
    wait_until(lambda: len(getattr(admin.list_topics(topic=topic, timeout=CLIENT_TIMEOUT).topics[topic], "partitions", {})) == 2
               and admin.list_topics(topic=topic, timeout=CLIENT_TIMEOUT).topics[topic].error is None,
               f"{topic} to be in the metadata again")
    consumer = assign_consumer(bootstrap)
    try:
        for partition in (0, 1):
            assert consumer.get_watermark_offsets(TopicPartition(topic, partition),
                                                  timeout=CLIENT_TIMEOUT) == (0, 0)
    finally:
        consumer.close()


@pytest.mark.parametrize("codec", ["none", "gzip", "snappy", "lz4", "zstd"])
def test_compressed_batches_round_trip(bootstrap, codec):
    topic = unique_topic(f"compressed-{codec}")
    create_topic(bootstrap, topic, partitions=1)
    values = [(f"record {i} " * 30).encode() for i in range(50)]
    producer = Producer({"bootstrap.servers": bootstrap, "compression.type": codec,
                         "linger.ms": 20})

    reports = produce_all(producer, topic, [(None, v, {}) for v in values], partition=0)

    assert [r.offset() for r in reports] == list(range(len(values)))
    consumer = assign_consumer(bootstrap)
    consumer.assign([TopicPartition(topic, 0, OFFSET_BEGINNING)])
    try:
        messages = consume(consumer, len(values))
    finally:
        consumer.close()
    assert [(m.offset(), m.value()) for m in messages] == list(enumerate(values))


def test_describe_configs_and_cluster(bootstrap, topic):
    create_topic(bootstrap, topic, partitions=1, config={"retention.ms": "3600000"})
    admin = admin_client(bootstrap)

    futures = admin.describe_configs(
        [ConfigResource("topic", topic), ConfigResource("broker", "2")],
        request_timeout=CLIENT_TIMEOUT)
    by_type = {resource.restype: future.result(timeout=CLIENT_TIMEOUT)
               for resource, future in futures.items()}
    topic_configs = by_type[ConfigResource.Type.TOPIC]
    assert topic_configs["retention.ms"].value == "3600000"
    assert not topic_configs["retention.ms"].is_default
    assert topic_configs["cleanup.policy"].value == "delete"
    assert topic_configs["cleanup.policy"].is_default
    assert by_type[ConfigResource.Type.BROKER]["node.id"].value == "2"

    cluster = admin.describe_cluster(request_timeout=CLIENT_TIMEOUT).result(timeout=CLIENT_TIMEOUT)
    assert sorted(node.id for node in cluster.nodes) == [1, 2, 3]
    addresses = sorted(f"{node.host}:{node.port}" for node in cluster.nodes)
    assert addresses == sorted(bootstrap.split(","))
    assert cluster.controller.id in (1, 2, 3)
    assert cluster.cluster_id == admin.list_topics(timeout=CLIENT_TIMEOUT).cluster_id
