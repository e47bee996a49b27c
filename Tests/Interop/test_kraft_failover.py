# Interop room: the KRaft quorum seen by real clients. The REPL runs a 3-broker cluster in
# combined mode (every broker is a voter); the test kills the active controller, waits until
# the two survivors elect a new one and it fences the dead broker, then creates a topic with
# confluent-kafka's AdminClient and checks that `kcat -L` lists exactly the unfenced brokers and
# the new controller. Then it starts the old controller again, kills a broker that is not the
# controller, and checks the same. (Killing two of three voters would lose the quorum.)

import re
import subprocess

from interop_support import CLIENT_TIMEOUT, create_topic, require, unique_topic, wait_until
from repl_driver import BROKER_COMMAND_TIMEOUT

require("confluent_kafka", kcat=True)

from confluent_kafka.admin import AdminClient  # noqa: E402

PARTITIONS = 3
REPLICATION_FACTOR = 2
ELECTION_TIMEOUT = 30.0


def kcat_brokers(bootstrap):
    """`kcat -L`'s broker list: ({id: address}, controller id or None)."""
    listing = subprocess.run(["kcat", "-L", "-b", bootstrap], capture_output=True, text=True, timeout=CLIENT_TIMEOUT)
    assert listing.returncode == 0, f"kcat -L failed ({listing.returncode}):\n{listing.stderr}"
    brokers, controller = {}, None
    for match in re.finditer(r"^\s+broker (\d+) at (\S+)( \(controller\))?$", listing.stdout, re.MULTILINE):
        brokers[int(match[1])] = match[2]
        if match[3]:
            controller = int(match[1])
    return brokers, controller


def wait_for_kcat_listing(bootstrap, expected_brokers, expected_controller):
    """Waits until `kcat -L` lists exactly `expected_brokers`, with `expected_controller` marked
    as the controller (a broker's metadata may lag the controller's by a heartbeat)."""
    last = {}

    def listed():
        last["value"] = kcat_brokers(bootstrap)
        brokers, controller = last["value"]
        return sorted(brokers) == expected_brokers and controller == expected_controller

    wait_until(listed, f"kcat -L to list brokers {expected_brokers} with controller {expected_controller} "
                       f"(it lists {last.get('value')})")


def create_topic_and_wait_for_leaders(admin, name, unfenced):
    """CreateTopics through AdminClient must succeed; every leader must be an unfenced broker."""
    found = create_topic(None, name, partitions=PARTITIONS, replication_factor=REPLICATION_FACTOR, admin=admin)
    assert set(found.values()) <= set(unfenced), f"{name}'s leaders {found} include a broker outside {unfenced}"


def wait_for_new_controller(repl, old):
    """Waits until the quorum has a leader other than `old`; returns its id."""
    def elected():
        leader = repl.quorum().get("LeaderId", "")
        return int(leader) if leader.isdigit() and int(leader) != old else None

    return wait_until(elected, f"a controller other than broker {old} (`quorum` LeaderId)", timeout=ELECTION_TIMEOUT)


def wait_for_unfenced(repl, expected):
    wait_until(lambda: repl.unfenced_running_brokers() == expected,
               f"`broker list` to show exactly brokers {expected} running and unfenced "
               f"(it shows {repl.brokers()})", timeout=ELECTION_TIMEOUT)


def test_topic_creation_and_kcat_listing_survive_controller_and_broker_kills(repl):
    bootstrap = repl.bootstrap()
    admin = AdminClient({"bootstrap.servers": bootstrap})
    everyone = [1, 2, 3]
    first_controller = repl.controller()
    assert first_controller in everyone, repl.tail()
    wait_until(lambda: admin.list_topics(timeout=CLIENT_TIMEOUT).controller_id == first_controller,
               f"AdminClient metadata to name broker {first_controller} as the controller")
    first_epoch = int(repl.quorum()["LeaderEpoch"])
    wait_for_kcat_listing(bootstrap, everyone, first_controller)
    create_topic_and_wait_for_leaders(admin, unique_topic("kraft-before"), everyone)

    # Kill the active controller: the survivors elect one of themselves, which fences it.
    output = repl.run(f"broker kill {first_controller}", timeout=BROKER_COMMAND_TIMEOUT)
    assert any(f"fenced broker {first_controller} " in line for line in output), "\n".join(output)
    second_controller = wait_for_new_controller(repl, first_controller)
    assert int(repl.quorum()["LeaderEpoch"]) > first_epoch
    survivors = [b for b in everyone if b != first_controller]
    wait_for_unfenced(repl, survivors)
    assert repl.brokers()[first_controller]["registration"] == "fenced"
    create_topic_and_wait_for_leaders(admin, unique_topic("kraft-controller-killed"), survivors)
    wait_for_kcat_listing(bootstrap, survivors, second_controller)
    wait_until(lambda: admin.list_topics(timeout=CLIENT_TIMEOUT).controller_id == second_controller,
               f"AdminClient metadata to name broker {second_controller} as the controller")

    # Start it again: it rejoins the quorum as a follower and is unfenced once caught up.
    output = repl.run(f"broker start {first_controller}", timeout=BROKER_COMMAND_TIMEOUT)
    assert any(f"unfenced broker {first_controller}:" in line for line in output), "\n".join(output)
    wait_for_unfenced(repl, everyone)
    assert repl.controller() == second_controller, "restarting a voter must not move the controller"
    wait_for_kcat_listing(bootstrap, everyone, second_controller)

    # Kill a broker that is not the controller (the restarted one is kept, so two voters run).
    victim = next(b for b in everyone if b not in (first_controller, second_controller))
    output = repl.run(f"broker kill {victim}", timeout=BROKER_COMMAND_TIMEOUT)
    assert any(f"fenced broker {victim} " in line for line in output), "\n".join(output)
    remaining = [b for b in everyone if b != victim]
    wait_for_unfenced(repl, remaining)
    assert repl.controller() == second_controller, "killing a follower voter must not move the controller"
    create_topic_and_wait_for_leaders(admin, unique_topic("kraft-broker-killed"), remaining)
    wait_for_kcat_listing(bootstrap, remaining, second_controller)
