# Interop tests: aiokafka (asyncio) against the embedded cluster. send_and_wait returns exact
# offsets; a consumer without a group, assigned and sought to the beginning, reads them back;
# an unknown topic and an offset past the end give Kafka's errors.
# pytest-asyncio is not assumed: each test drives its own event loop with asyncio.run.

import asyncio

import pytest

from interop_support import CLIENT_TIMEOUT, create_topic, murmur2_partition, require

require("aiokafka", "confluent_kafka", "kafka")

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition  # noqa: E402
from aiokafka.errors import OffsetOutOfRangeError, UnknownTopicOrPartitionError  # noqa: E402

TIMEOUT_MS = int(CLIENT_TIMEOUT * 1000)


def run(coroutine):
    return asyncio.run(asyncio.wait_for(coroutine, timeout=CLIENT_TIMEOUT * 3))


async def produce(bootstrap, topic, records, **config):
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, request_timeout_ms=TIMEOUT_MS,
                                **config)
    await producer.start()
    try:
        return [await producer.send_and_wait(topic, key=key, value=value, headers=headers)
                for key, value, headers in records]
    finally:
        await producer.stop()


async def read_back(bootstrap, topic, partitions, count):
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, group_id=None,
                                enable_auto_commit=False, request_timeout_ms=TIMEOUT_MS)
    await consumer.start()
    try:
        assigned = [TopicPartition(topic, p) for p in range(partitions)]
        consumer.assign(assigned)
        await consumer.seek_to_beginning(*assigned)
        records = []
        loop = asyncio.get_running_loop()
        deadline = loop.time() + CLIENT_TIMEOUT
        while len(records) < count and loop.time() < deadline:
            for batch in (await consumer.getmany(timeout_ms=500)).values():
                records.extend(batch)
        ends = await consumer.end_offsets(assigned)
        return records, {tp.partition: offset for tp, offset in ends.items()}
    finally:
        await consumer.stop()


def test_send_and_wait_offsets_match_what_the_consumer_reads(bootstrap, topic):
    create_topic(bootstrap, topic, partitions=3)
    sent = [(f"order-{i}".encode(), f"total {i * 7}".encode(), [("source", b"aiokafka")])
            for i in range(20)]

    metadata = run(produce(bootstrap, topic, sent))

    next_offset = {0: 0, 1: 0, 2: 0}
    for (key, _, _), meta in zip(sent, metadata):
        assert meta.topic == topic
        assert meta.partition == murmur2_partition(key, 3)  # aiokafka's default partitioner
        assert meta.offset == next_offset[meta.partition]
        next_offset[meta.partition] += 1

    records, ends = run(read_back(bootstrap, topic, 3, len(sent)))

    assert len(records) == len(sent)
    assert ends == next_offset
    by_key = {record.key: record for record in records}
    for (key, value, headers), meta in zip(sent, metadata):
        record = by_key[key]
        assert (record.partition, record.offset) == (meta.partition, meta.offset)
        assert record.value == value
        assert list(record.headers) == headers
        assert record.timestamp == meta.timestamp


def test_idempotent_aiokafka_producer_gets_contiguous_offsets(bootstrap, topic):
    create_topic(bootstrap, topic, partitions=1)
    sent = [(None, f"tick {i}".encode(), None) for i in range(15)]

    metadata = run(produce(bootstrap, topic, sent, enable_idempotence=True))

    assert [(m.partition, m.offset) for m in metadata] == [(0, i) for i in range(15)]
    records, ends = run(read_back(bootstrap, topic, 1, len(sent)))
    assert [(r.offset, r.value) for r in records] == [(i, v) for i, (_, v, _) in enumerate(sent)]
    assert ends == {0: 15}


# MARK: - Error paths

def test_aiokafka_producer_to_an_unknown_topic_gets_unknown_topic_or_partition(bootstrap, topic):
    async def attempt():
        producer = AIOKafkaProducer(bootstrap_servers=bootstrap, request_timeout_ms=3000)
        await producer.start()
        try:
            await producer.send_and_wait(topic, value=b"lost")
        finally:
            await producer.stop()

    with pytest.raises(UnknownTopicOrPartitionError):
        run(attempt())


def test_aiokafka_consumer_past_the_end_with_reset_none_raises(bootstrap, topic):
    create_topic(bootstrap, topic, partitions=1)
    run(produce(bootstrap, topic, [(None, f"r{i}".encode(), None) for i in range(3)]))

    async def fetch_past_end():
        consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, group_id=None,
                                    enable_auto_commit=False, auto_offset_reset="none")
        await consumer.start()
        try:
            partition = TopicPartition(topic, 0)
            consumer.assign([partition])
            consumer.seek(partition, 50)
            while True:
                assert await consumer.getmany(timeout_ms=500) == {}
        finally:
            await consumer.stop()

    with pytest.raises(OffsetOutOfRangeError):
        run(fetch_past_end())
