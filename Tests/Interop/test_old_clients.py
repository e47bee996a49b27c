# Interop tests: a client library pinned to an old Kafka (kafka-python with api_version=(0, 10, 1)
# sends Produce v2, below Kafka 4's floor of v3, KIP-896). The broker closes the connection as
# Kafka 4 does, the client's send fails, and the REPL's `events` and `trace` name the client, its
# address, the API and version, and the versions the broker serves. Newer clients are unaffected.

import re

import pytest

from interop_support import CLIENT_TIMEOUT, require

require("kafka")

from kafka import KafkaProducer  # noqa: E402
from kafka.errors import KafkaError  # noqa: E402

TOPIC = "old-clients"
TIMEOUT_MS = int(CLIENT_TIMEOUT * 1000)


def test_kafka_python_pinned_to_0_10_is_refused_and_events_say_why(repl):
    bootstrap = repl.bootstrap()
    repl.run(f"topic create {TOPIC} --partitions 1 --replication-factor 3")
    repl.run("trace on")
    old = KafkaProducer(bootstrap_servers=bootstrap, api_version=(0, 10, 1), client_id="old-kafka-python",
                        retries=0, request_timeout_ms=5000, max_block_ms=TIMEOUT_MS)
    try:
        with pytest.raises(KafkaError):
            old.send(TOPIC, b"from 2016").get(timeout=CLIENT_TIMEOUT)
    finally:
        old.close(timeout=5)

    line = repl.run("events", lambda l: "closed the connection of client 'old-kafka-python'" in l)
    assert re.search(r"at 127\.0\.0\.1:\d+: it sent Produce v2, and this broker serves Produce v3–v\d+: "
                     r"Kafka 4 removed the oldest versions of many APIs \(KIP-896\)", line), line
    # The trace line of the same request (printed as it happened, before `events` ran).
    traced = [l for l in repl.seen if "(old-kafka-python)" in l and " Produce v2 " in l]
    assert traced and "UNSUPPORTED_VERSION  connection closed: Produce is served at v3–v" in traced[0], repl.tail()
    repl.run("trace off")

    # A current client on the same cluster produces as before.
    current = KafkaProducer(bootstrap_servers=bootstrap, client_id="current", request_timeout_ms=TIMEOUT_MS)
    try:
        metadata = current.send(TOPIC, b"from today").get(timeout=CLIENT_TIMEOUT)
        assert metadata.offset == 0
    finally:
        current.close(timeout=5)
