# Interop tests: helpers shared by every test module. Checks that the tools a module drives
# are installed (skip locally, fail in CI), bounded waits, unique topic names, topic creation.

import importlib
import os
import re
import shutil
import time
import uuid

import pytest

IN_CI = os.environ.get("CI") == "true"

# Every wait in the suite is bounded by one of these (seconds).
CLIENT_TIMEOUT = 15.0
STARTUP_TIMEOUT = 30.0
SHUTDOWN_TIMEOUT = 20.0


def _unavailable(reason):
    """Skips the calling module, or fails it in CI, where a missing tool is a broken setup."""
    if IN_CI:
        pytest.fail(f"{reason} (CI=true: the interop tools must be installed; "
                    "run scripts/install-deps.sh --test)", pytrace=False)
    pytest.skip(reason, allow_module_level=True)


def require(*modules, kcat=False):
    """Call at module level: the swiftka-learn binary, these Python modules and maybe kcat."""
    binary = os.environ.get("SWIFTKA_BIN")
    if not binary:
        _unavailable("SWIFTKA_BIN is not set (point it at the swiftka-learn binary)")
    if not os.access(binary, os.X_OK):
        _unavailable(f"SWIFTKA_BIN={binary} is not an executable file")
    for name in modules:
        try:
            importlib.import_module(name)
        except ImportError as error:
            _unavailable(f"Python module {name} is not installed ({error})")
    if kcat and shutil.which("kcat") is None:
        _unavailable("kcat is not on PATH")


def wait_until(condition, what, timeout=CLIENT_TIMEOUT, interval=0.05):
    """Polls `condition` until it returns a truthy value, which is returned; fails at the deadline.

    Only for conditions no client can block on; the interval is the polling step, not a guess
    at how long something takes.
    """
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() >= deadline:
            pytest.fail(f"timed out after {timeout:.0f}s waiting for {what}")
        time.sleep(interval)


def unique_topic(label):
    """A topic name no other test (or earlier run on the same cluster) uses."""
    safe = re.sub(r"[^A-Za-z0-9._-]", "-", label)[:80]
    return f"it-{safe}-{uuid.uuid4().hex[:10]}"


def murmur2_partition(key: bytes, partitions: int) -> int:
    """The partition Java's (and kafka-python's) DefaultPartitioner picks for a key."""
    from kafka.partitioner.default import murmur2
    return (murmur2(key) & 0x7FFFFFFF) % partitions


def create_topic(bootstrap, name, partitions=1, config=None):
    """Creates a topic with confluent-kafka's AdminClient and waits until metadata shows its
    leaders; returns {partition: leader broker id}."""
    from confluent_kafka.admin import AdminClient, NewTopic

    admin = AdminClient({"bootstrap.servers": bootstrap})
    futures = admin.create_topics([NewTopic(name, num_partitions=partitions, replication_factor=1,
                                            config=config or {})],
                                  operation_timeout=CLIENT_TIMEOUT, request_timeout=CLIENT_TIMEOUT)
    futures[name].result(timeout=CLIENT_TIMEOUT)

    def leaders():
        topic = admin.list_topics(topic=name, timeout=CLIENT_TIMEOUT).topics.get(name)
        if topic is None or topic.error is not None or len(topic.partitions) != partitions:
            return None
        found = {p.id: p.leader for p in topic.partitions.values()}
        return found if all(leader >= 0 for leader in found.values()) else None

    return wait_until(leaders, f"metadata for new topic {name}")
