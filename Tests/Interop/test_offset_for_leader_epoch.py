# Interop tests: OffsetForLeaderEpoch (key 23) as kafka-python's own schema-driven codec sends
# and reads it, at every version 0-4. The leader places the current epoch at its log end offset,
# followers answer NOT_LEADER_OR_FOLLOWER, and the unknown cases get Kafka's codes. Skips when the
# installed kafka-python predates its JSON-schema protocol classes (kafka.net, 3.x).

import pytest

from interop_support import CLIENT_TIMEOUT, require, wait_until

require("kafka")

try:
    from kafka.net.compat import KafkaNetClient
    from kafka.protocol.consumer.offsets import OffsetForLeaderEpochRequest
except ImportError:  # kafka-python 2.x: no OffsetForLeaderEpoch request class to send
    pytest.skip("this kafka-python has no OffsetForLeaderEpochRequest", allow_module_level=True)

from kafka import KafkaAdminClient, KafkaProducer  # noqa: E402
from kafka.admin import NewTopic  # noqa: E402

TIMEOUT_MS = int(CLIENT_TIMEOUT * 1000)
RECORDS = 5
NONE, UNKNOWN_TOPIC_OR_PARTITION, NOT_LEADER_OR_FOLLOWER, UNKNOWN_LEADER_EPOCH = 0, 3, 6, 75
Partition = OffsetForLeaderEpochRequest.OffsetForLeaderTopic.OffsetForLeaderPartition


@pytest.fixture
def client(bootstrap):
    net = KafkaNetClient(bootstrap_servers=bootstrap, request_timeout_ms=TIMEOUT_MS)
    net.check_version()
    yield net
    net.close()


def leader_and_epoch(bootstrap, topic):
    """Creates `topic` (1 partition on all 3 brokers), writes RECORDS records with acks=all,
    and returns the partition's (leader, leader epoch) from Metadata."""
    admin = KafkaAdminClient(bootstrap_servers=bootstrap, request_timeout_ms=TIMEOUT_MS)
    try:
        admin.create_topics([NewTopic(topic, num_partitions=1, replication_factor=3)],
                            timeout_ms=TIMEOUT_MS)
        producer = KafkaProducer(bootstrap_servers=bootstrap, acks="all",
                                 request_timeout_ms=TIMEOUT_MS, max_block_ms=TIMEOUT_MS)
        try:
            for i in range(RECORDS):
                producer.send(topic, value=f"r{i}".encode(), partition=0).get(timeout=CLIENT_TIMEOUT)
        finally:
            producer.close(timeout=CLIENT_TIMEOUT)
        found = {}

        def described():
            partition = admin.describe_topics([topic])[0]["partitions"][0]
            found.update(partition)
            return partition["error_code"] == 0 and partition["leader_id"] >= 0
        wait_until(described, f"{topic} to have a leader")
        return found["leader_id"], found["leader_epoch"]
    finally:
        admin.close()


def ask(client, node, version, topic, current_leader_epoch, leader_epoch):
    request = OffsetForLeaderEpochRequest[version](
        replica_id=-1,
        topics=[(topic, [Partition(partition=0, current_leader_epoch=current_leader_epoch,
                                   leader_epoch=leader_epoch)])])
    response = client.send_and_receive(node, request, timeout_ms=TIMEOUT_MS)
    [result] = response.topics
    assert result.topic == topic
    [answer] = result.partitions
    assert answer.partition == 0
    return answer


@pytest.mark.parametrize("version", range(5))
def test_kafka_python_offset_for_leader_epoch_at_every_version(bootstrap, client, topic, version):
    leader, epoch = leader_and_epoch(bootstrap, topic)
    answer = ask(client, leader, version, topic, epoch, epoch)
    # The current epoch ends at the leader's log end offset; v0 has no leader_epoch field.
    assert (answer.error_code, answer.end_offset) == (NONE, RECORDS)
    if version >= 1:
        assert answer.leader_epoch == epoch

    # An epoch the leader has not reached: no error, the undefined pair.
    answer = ask(client, leader, version, topic, -1, epoch + 1)
    assert (answer.error_code, answer.end_offset) == (NONE, -1)

    for follower in sorted({1, 2, 3} - {leader}):
        assert ask(client, follower, version, topic, -1, epoch).error_code == NOT_LEADER_OR_FOLLOWER

    assert ask(client, leader, version, topic + "-missing", -1, 0).error_code == \
        UNKNOWN_TOPIC_OR_PARTITION
    if version >= 2:  # current_leader_epoch is sent from v2 on
        assert ask(client, leader, version, topic, epoch + 1, epoch).error_code == \
            UNKNOWN_LEADER_EPOCH
