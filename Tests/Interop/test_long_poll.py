# Interop tests: Fetch long poll. A consumer whose fetch is parked on an empty partition
# (fetch.wait.max.ms far above the deadline) must get a record produced afterwards at once,
# which only happens when the broker's fetch purgatory wakes parked fetches on append.

import json
import time

from interop_support import CLIENT_TIMEOUT, create_topic, require, unique_topic, wait_until

require("confluent_kafka")

from confluent_kafka import Consumer, Producer, TopicPartition  # noqa: E402

# The parked fetch would answer on its own only after this; the record must come well before.
FETCH_WAIT_MAX_MS = 45_000
ARRIVAL_DEADLINE = 10.0


def test_parked_fetch_is_answered_when_a_record_arrives(bootstrap, topic):
    leaders = create_topic(bootstrap, topic, partitions=1)
    stats = []
    consumer = Consumer({
        "bootstrap.servers": bootstrap, "group.id": unique_topic("unused-group"),
        "enable.auto.commit": False, "fetch.wait.max.ms": FETCH_WAIT_MAX_MS,
        "socket.timeout.ms": FETCH_WAIT_MAX_MS + 15_000,
        "statistics.interval.ms": 50, "stats_cb": lambda raw: stats.append(json.loads(raw)),
    })
    consumer.assign([TopicPartition(topic, 0, 0)])
    try:
        def fetch_parked():
            # librdkafka's statistics (served by poll) show the leader connection with a Fetch
            # sent and a response still owed: the broker is holding it.
            message = consumer.poll(0.05)
            assert message is None, "the partition should be empty"
            if not stats:
                return False
            for broker in stats[-1]["brokers"].values():
                if broker["nodeid"] == leaders[0]:
                    return broker["req"].get("Fetch", 0) >= 1 and broker["waitresp_cnt"] >= 1
            return False

        wait_until(fetch_parked, "the consumer's fetch to be parked at the leader")

        producer = Producer({"bootstrap.servers": bootstrap})
        producer.produce(topic, key=b"late", value=b"arrived after the fetch", partition=0)
        assert producer.flush(CLIENT_TIMEOUT) == 0

        message = None
        deadline = time.monotonic() + ARRIVAL_DEADLINE
        while message is None and time.monotonic() < deadline:
            message = consumer.poll(0.2)
        assert message is not None, (
            f"the record did not arrive within {ARRIVAL_DEADLINE:.0f}s: the parked fetch was not "
            f"woken by the append (fetch.wait.max.ms={FETCH_WAIT_MAX_MS})")
        assert message.error() is None, message.error()
        assert (message.offset(), message.key(), message.value()) == (
            0, b"late", b"arrived after the fetch")
    finally:
        consumer.close()
