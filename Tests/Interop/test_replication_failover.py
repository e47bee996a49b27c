# Interop room: replication and failover seen by real clients. The REPL runs a 3-broker cluster
# (driven through `--script -`, so the test can kill and start brokers); a confluent-kafka
# idempotent producer with acks=all writes to an RF 3 topic with min.insync.replicas=2 while the
# partition's leader is killed and started again; afterwards every acknowledged record is read
# back exactly once, at the offset it was acknowledged at, and kcat -L names the new leader.

import subprocess
import time

from interop_support import CLIENT_TIMEOUT, require, wait_until
from repl_driver import BROKER_COMMAND_TIMEOUT

require("confluent_kafka", kcat=True)

import confluent_kafka  # noqa: E402
from confluent_kafka.admin import AdminClient  # noqa: E402

TOPIC = "replicated"
RECORDS = 3000
KILL_AFTER = 800
WINDOW = 200
FAILOVER_TIMEOUT = 60.0


def leader_and_isr(admin):
    metadata = admin.list_topics(TOPIC, timeout=CLIENT_TIMEOUT)
    partition = metadata.topics[TOPIC].partitions[0]
    return partition.leader, sorted(partition.isrs)


def test_acks_all_records_survive_a_leader_kill_and_restart(repl):
    bootstrap = repl.bootstrap()
    repl.run(f"topic create {TOPIC} --partitions 1 --replication-factor 3 --config min.insync.replicas=2",
             lambda l: l.startswith("Created topic") or l.startswith("error"))
    admin = AdminClient({"bootstrap.servers": bootstrap})
    leader, isr = wait_until(lambda: (lambda li: li if li[0] >= 0 and len(li[1]) == 3 else None)(leader_and_isr(admin)),
                             "the new topic to have a leader and a full ISR")

    acknowledged = {}
    failures = []

    def delivered(error, message):
        if error is not None:
            failures.append(str(error))
        else:
            acknowledged[message.value().decode()] = message.offset()

    producer = confluent_kafka.Producer({
        "bootstrap.servers": bootstrap, "enable.idempotence": True, "acks": "all", "linger.ms": 5,
        "message.timeout.ms": 45000, "retry.backoff.ms": 100, "metadata.max.age.ms": 1000})
    killed = False
    for n in range(RECORDS):
        while True:
            try:
                producer.produce(TOPIC, value=f"r{n}".encode(), partition=0, on_delivery=delivered)
                break
            except BufferError:
                producer.poll(0.05)
        producer.poll(0)
        # Keep at most a window of records unacknowledged, so the kill lands mid-stream.
        window_deadline = time.monotonic() + FAILOVER_TIMEOUT
        while n + 1 - len(acknowledged) - len(failures) > WINDOW and time.monotonic() < window_deadline:
            producer.poll(0.05)
        if not killed and len(acknowledged) >= KILL_AFTER:
            repl.run(f"broker kill {leader}", lambda l: "fenced broker" in l or l.startswith("error"), timeout=BROKER_COMMAND_TIMEOUT)
            killed = True
    assert killed, "the producer never reached the kill point"
    assert producer.flush(FAILOVER_TIMEOUT) == 0, "records still unacknowledged after the failover"
    assert not failures, f"deliveries failed: {failures[:5]}"

    new_leader, _ = wait_until(lambda: (lambda li: li if li[0] >= 0 and li[0] != leader else None)(leader_and_isr(admin)),
                               "a new leader for the partition")
    kcat = subprocess.run(["kcat", "-L", "-b", bootstrap, "-t", TOPIC], capture_output=True, text=True, timeout=CLIENT_TIMEOUT)
    assert f"leader {new_leader}," in kcat.stdout, kcat.stdout

    repl.run(f"broker start {leader}", lambda l: "unfenced broker" in l or l.startswith("error"), timeout=BROKER_COMMAND_TIMEOUT)
    wait_until(lambda: len(leader_and_isr(admin)[1]) == 3, "the restarted broker to rejoin the ISR", timeout=FAILOVER_TIMEOUT)

    consumer = confluent_kafka.Consumer({
        "bootstrap.servers": bootstrap, "group.id": "replication-check", "auto.offset.reset": "earliest",
        "enable.auto.commit": False})
    consumer.assign([confluent_kafka.TopicPartition(TOPIC, 0, 0)])
    read = {}
    duplicates = []
    deadline = time.monotonic() + FAILOVER_TIMEOUT
    while len(read) < len(acknowledged) and time.monotonic() < deadline:
        message = consumer.poll(0.5)
        if message is None or message.error():
            continue
        value = message.value().decode()
        if value in read:
            duplicates.append(value)
        read[value] = message.offset()
    consumer.close()
    assert len(acknowledged) == RECORDS
    missing = [v for v in acknowledged if v not in read]
    assert not missing, f"{len(missing)} acknowledged record(s) lost, e.g. {missing[:5]}"
    moved = [v for v, offset in acknowledged.items() if read[v] != offset]
    assert not moved, f"records not at their acknowledged offsets, e.g. {[(v, acknowledged[v], read[v]) for v in moved[:5]]}"
    assert not duplicates, f"records read twice: {duplicates[:5]}"
