# Interop tests: errors as librdkafka (confluent-kafka) sees them. Producing to a topic the
# cluster does not have fails with UNKNOWN_TOPIC_OR_PARTITION within a bound; fetching past the
# end with auto.offset.reset=error surfaces OFFSET_OUT_OF_RANGE. The same paths for kcat,
# kafka-python and aiokafka sit at the end of those clients' modules.

import time

from interop_support import CLIENT_TIMEOUT, create_topic, require, unique_topic

require("confluent_kafka")

from confluent_kafka import Consumer, KafkaError, Producer, TopicPartition  # noqa: E402


def fill(bootstrap, topic, count):
    producer = Producer({"bootstrap.servers": bootstrap})
    for i in range(count):
        producer.produce(topic, value=f"r{i}".encode(), partition=0)
    assert producer.flush(CLIENT_TIMEOUT) == 0


def test_confluent_producer_to_an_unknown_topic_gets_unknown_topic_or_partition(bootstrap, topic):
    # librdkafka waits topic.metadata.propagation.max.ms (30 s by default) for a new topic to
    # show up before it gives up on one the cluster does not know.
    producer = Producer({"bootstrap.servers": bootstrap, "topic.metadata.propagation.max.ms": 1000,
                         "message.timeout.ms": 10_000})
    errors = []
    producer.produce(topic, value=b"lost", on_delivery=lambda error, _: errors.append(error))

    assert producer.flush(CLIENT_TIMEOUT) == 0
    assert len(errors) == 1 and errors[0] is not None
    assert errors[0].code() in (KafkaError.UNKNOWN_TOPIC_OR_PART, KafkaError._UNKNOWN_TOPIC)


def test_confluent_consumer_past_the_end_with_reset_error_sees_offset_out_of_range(
        bootstrap, topic):
    create_topic(bootstrap, topic, partitions=1)
    fill(bootstrap, topic, 3)
    consumer = Consumer({"bootstrap.servers": bootstrap, "group.id": unique_topic("unused-group"),
                         "enable.auto.commit": False, "auto.offset.reset": "error"})
    consumer.assign([TopicPartition(topic, 0, 50)])
    try:
        error = None
        deadline = time.monotonic() + CLIENT_TIMEOUT
        while error is None and time.monotonic() < deadline:
            message = consumer.poll(0.5)
            if message is not None:
                assert message.error() is not None, f"unexpected record at {message.offset()}"
                error = message.error()
                assert (message.topic(), message.partition(), message.offset()) == (topic, 0, 50)
    finally:
        consumer.close()
    assert error is not None, "no error within the deadline"
    # librdkafka wraps the broker's OFFSET_OUT_OF_RANGE in its reset-policy error.
    assert error.code() in (KafkaError._AUTO_OFFSET_RESET, KafkaError.OFFSET_OUT_OF_RANGE)
    assert "Offset out of range" in error.str()
