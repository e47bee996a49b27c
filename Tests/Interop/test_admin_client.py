# Interop tests: confluent-kafka's AdminClient (librdkafka) calls that change the cluster, each
# checked by its effect: delete_records moves the low watermark and a consumer from the
# beginning starts there; create_partitions shows in metadata and the new partition takes
# writes; alter_configs and incremental_alter_configs show in describe_configs with their
# source; the consumer-group calls list, describe, move and delete what the coordinator holds.
# kafka-python's delete_group_offsets covers OffsetDelete, which confluent-kafka does not send.

import time

import pytest

from interop_support import CLIENT_TIMEOUT, create_topic, require, unique_topic, wait_until

require("confluent_kafka", "kafka")

from confluent_kafka import (OFFSET_BEGINNING, Consumer, ConsumerGroupState,  # noqa: E402
                             ConsumerGroupTopicPartitions, KafkaException, Producer, TopicPartition)
from confluent_kafka.admin import (AdminClient, AlterConfigOpType, ConfigEntry,  # noqa: E402
                                   ConfigResource, ConfigSource, NewPartitions, ResourceType)

TIMEOUTS = {"request_timeout": CLIENT_TIMEOUT}


def admin_client(bootstrap):
    return AdminClient({"bootstrap.servers": bootstrap})


def produce(bootstrap, topic, partition, count):
    """Writes `count` records to one partition; returns their offsets in delivery order."""
    producer = Producer({"bootstrap.servers": bootstrap, "enable.idempotence": True})
    offsets = []

    def on_delivery(error, message):
        assert error is None, error
        offsets.append(message.offset())

    for i in range(count):
        producer.produce(topic, value=f"record-{i}".encode(), partition=partition, on_delivery=on_delivery)
    assert producer.flush(CLIENT_TIMEOUT) == 0, "flush left messages undelivered"
    return offsets


def topic_configs(admin, topic):
    resource = ConfigResource(ResourceType.TOPIC, topic)
    return admin.describe_configs([resource], **TIMEOUTS)[resource].result(timeout=CLIENT_TIMEOUT)


def test_delete_records_moves_the_low_watermark(bootstrap, topic):
    create_topic(bootstrap, topic, partitions=2)
    assert produce(bootstrap, topic, 0, 10) == list(range(10))
    assert produce(bootstrap, topic, 1, 4) == list(range(4))
    admin = admin_client(bootstrap)
    futures = admin.delete_records([TopicPartition(topic, 0, 6), TopicPartition(topic, 1, -1)],
                                   operation_timeout=CLIENT_TIMEOUT, **TIMEOUTS)
    low = {tp.partition: future.result(timeout=CLIENT_TIMEOUT).low_watermark for tp, future in futures.items()}
    assert low == {0: 6, 1: 4}

    consumer = Consumer({"bootstrap.servers": bootstrap, "group.id": unique_topic("unused-group"),
                         "enable.auto.commit": False, "auto.offset.reset": "earliest"})
    try:
        assert consumer.get_watermark_offsets(TopicPartition(topic, 0), timeout=CLIENT_TIMEOUT) == (6, 10)
        consumer.assign([TopicPartition(topic, 0, OFFSET_BEGINNING)])
        offsets = []
        deadline = time.monotonic() + CLIENT_TIMEOUT
        while len(offsets) < 4 and time.monotonic() < deadline:
            message = consumer.poll(0.5)
            if message is not None:
                assert message.error() is None, message.error()
                offsets.append(message.offset())
        assert offsets == [6, 7, 8, 9]
    finally:
        consumer.close()

    # Beyond the high watermark: OFFSET_OUT_OF_RANGE, and the start stays.
    beyond = admin.delete_records([TopicPartition(topic, 0, 11)], **TIMEOUTS)
    error = next(iter(beyond.values())).exception(timeout=CLIENT_TIMEOUT)
    assert isinstance(error, KafkaException) and error.args[0].name() == "OFFSET_OUT_OF_RANGE"


def test_create_partitions_adds_writable_partitions(bootstrap, topic):
    create_topic(bootstrap, topic, partitions=1, replication_factor=2)
    admin = admin_client(bootstrap)
    admin.create_partitions([NewPartitions(topic, 3)], operation_timeout=CLIENT_TIMEOUT,
                            **TIMEOUTS)[topic].result(timeout=CLIENT_TIMEOUT)

    def grown():
        described = admin.list_topics(topic=topic, timeout=CLIENT_TIMEOUT).topics[topic]
        partitions = described.partitions
        return len(partitions) == 3 and all(p.leader >= 0 and len(p.replicas) == 2 for p in partitions.values())

    wait_until(grown, f"metadata showing 3 partitions of {topic}")
    assert produce(bootstrap, topic, 2, 2) == [0, 1]

    shrink = admin.create_partitions([NewPartitions(topic, 2)], **TIMEOUTS)[topic]
    assert shrink.exception(timeout=CLIENT_TIMEOUT).args[0].name() == "INVALID_PARTITIONS"


def test_incremental_alter_configs_set_append_subtract_delete(bootstrap, topic):
    create_topic(bootstrap, topic)
    admin = admin_client(bootstrap)

    def alter(*entries):
        resource = ConfigResource(ResourceType.TOPIC, topic, incremental_configs=list(entries))
        admin.incremental_alter_configs([resource], **TIMEOUTS)[resource].result(timeout=CLIENT_TIMEOUT)

    # cleanup.policy is the LIST config here (compaction is refused: only delete runs).
    alter(ConfigEntry("retention.ms", "60000", incremental_operation=AlterConfigOpType.SET),
          ConfigEntry("cleanup.policy", "delete", incremental_operation=AlterConfigOpType.APPEND))
    configs = topic_configs(admin, topic)
    assert configs["retention.ms"].value == "60000"
    assert configs["retention.ms"].source == ConfigSource.DYNAMIC_TOPIC_CONFIG.value
    assert configs["cleanup.policy"].value == "delete"  # APPEND adds only what is missing
    assert configs["cleanup.policy"].source == ConfigSource.DYNAMIC_TOPIC_CONFIG.value

    alter(ConfigEntry("cleanup.policy", "compact", incremental_operation=AlterConfigOpType.SUBTRACT),
          ConfigEntry("retention.ms", None, incremental_operation=AlterConfigOpType.DELETE))
    configs = topic_configs(admin, topic)
    assert configs["cleanup.policy"].value == "delete"
    assert configs["retention.ms"].value == "604800000"
    assert configs["retention.ms"].source == ConfigSource.DEFAULT_CONFIG.value

    bad = ConfigResource(ResourceType.TOPIC, topic, incremental_configs=[
        ConfigEntry("retention.ms", "soon", incremental_operation=AlterConfigOpType.SET)])
    error = admin.incremental_alter_configs([bad], **TIMEOUTS)[bad].exception(timeout=CLIENT_TIMEOUT)
    assert error.args[0].name() == "INVALID_CONFIG"


# The legacy call is what is under test here.
@pytest.mark.filterwarnings("ignore:alter_configs has been deprecated:DeprecationWarning")
def test_alter_configs_replaces_every_override(bootstrap, topic):
    create_topic(bootstrap, topic, config={"retention.ms": "60000"})
    admin = admin_client(bootstrap)
    resource = ConfigResource(ResourceType.TOPIC, topic, set_config={"segment.bytes": "65536"})
    admin.alter_configs([resource], **TIMEOUTS)[resource].result(timeout=CLIENT_TIMEOUT)
    configs = topic_configs(admin, topic)
    assert configs["segment.bytes"].value == "65536"
    assert configs["segment.bytes"].source == ConfigSource.DYNAMIC_TOPIC_CONFIG.value
    # The legacy call replaces the whole set: the override it did not name is gone.
    assert configs["retention.ms"].source == ConfigSource.DEFAULT_CONFIG.value


def test_consumer_group_calls(bootstrap, topic):
    create_topic(bootstrap, topic, partitions=2)
    produce(bootstrap, topic, 0, 5)
    admin = admin_client(bootstrap)
    group = unique_topic("group")

    # Offsets for a group with no members: generation -1, as kafka-consumer-groups.sh does.
    request = ConsumerGroupTopicPartitions(group, [TopicPartition(topic, 0, 3), TopicPartition(topic, 1, 0)])
    altered = admin.alter_consumer_group_offsets([request], **TIMEOUTS)[group].result(timeout=CLIENT_TIMEOUT)
    assert all(tp.error is None for tp in altered.topic_partitions)
    listed = admin.list_consumer_group_offsets([ConsumerGroupTopicPartitions(group)], **TIMEOUTS)
    offsets = {tp.partition: tp.offset for tp in listed[group].result(timeout=CLIENT_TIMEOUT).topic_partitions}
    assert offsets == {0: 3, 1: 0}

    consumer = Consumer({"bootstrap.servers": bootstrap, "group.id": group, "enable.auto.commit": False,
                         "session.timeout.ms": 6000, "client.id": "admin-interop"})
    try:
        consumer.subscribe([topic])
        # The member resumes where the altered offsets say.
        first = None
        deadline = time.monotonic() + CLIENT_TIMEOUT
        while first is None and time.monotonic() < deadline:
            message = consumer.poll(0.5)
            if message is not None and message.error() is None:
                first = message
        assert first is not None and (first.partition(), first.offset()) == (0, 3)

        description = admin.describe_consumer_groups([group], **TIMEOUTS)[group].result(timeout=CLIENT_TIMEOUT)
        assert description.state == ConsumerGroupState.STABLE
        assert description.partition_assignor == "range"
        assert [m.client_id for m in description.members] == ["admin-interop"]
        assigned = sorted(tp.partition for tp in description.members[0].assignment.topic_partitions)
        assert assigned == [0, 1]
        listing = admin.list_consumer_groups(**TIMEOUTS).result(timeout=CLIENT_TIMEOUT)
        assert [(g.group_id, g.state) for g in listing.valid if g.group_id == group] == \
            [(group, ConsumerGroupState.STABLE)]

        refused = admin.delete_consumer_groups([group], **TIMEOUTS)[group].exception(timeout=CLIENT_TIMEOUT)
        assert refused.args[0].name() == "NON_EMPTY_GROUP"
    finally:
        consumer.close()

    admin.delete_consumer_groups([group], **TIMEOUTS)[group].result(timeout=CLIENT_TIMEOUT)
    listing = admin.list_consumer_groups(**TIMEOUTS).result(timeout=CLIENT_TIMEOUT)
    assert group not in [g.group_id for g in listing.valid]
    gone = admin.list_consumer_group_offsets([ConsumerGroupTopicPartitions(group)], **TIMEOUTS)
    assert [tp for tp in gone[group].result(timeout=CLIENT_TIMEOUT).topic_partitions if tp.offset >= 0] == []


def test_offset_delete_removes_one_partitions_committed_offset(bootstrap, topic):
    from kafka import KafkaAdminClient, TopicPartition as KafkaPythonTopicPartition
    from kafka.errors import NoError

    create_topic(bootstrap, topic, partitions=2)
    admin = admin_client(bootstrap)
    group = unique_topic("group")
    request = ConsumerGroupTopicPartitions(group, [TopicPartition(topic, 0, 2), TopicPartition(topic, 1, 1)])
    admin.alter_consumer_group_offsets([request], **TIMEOUTS)[group].result(timeout=CLIENT_TIMEOUT)

    other = KafkaAdminClient(bootstrap_servers=bootstrap, request_timeout_ms=int(CLIENT_TIMEOUT * 1000))
    try:
        deleted = other.delete_group_offsets(group, [KafkaPythonTopicPartition(topic, 0)])
    finally:
        other.close()
    assert deleted == {KafkaPythonTopicPartition(topic, 0): NoError}
    listed = admin.list_consumer_group_offsets([ConsumerGroupTopicPartitions(group)], **TIMEOUTS)
    offsets = {tp.partition: tp.offset for tp in listed[group].result(timeout=CLIENT_TIMEOUT).topic_partitions
               if tp.offset >= 0}
    assert offsets == {1: 1}
