# Interop tests: helpers shared by every test module. Checks that the tools a module drives
# are installed (skip locally, fail in CI), runs `swiftka-learn serve`, bounded waits, unique
# topic names, topic creation.

import importlib
import os
import queue
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
import uuid

import pytest

IN_CI = os.environ.get("CI") == "true"

# Every wait in the suite is bounded by one of these (seconds).
CLIENT_TIMEOUT = 15.0
STARTUP_TIMEOUT = 30.0
SHUTDOWN_TIMEOUT = 20.0
# The longest single bounded wait anywhere in the suite (repl_driver.BROKER_COMMAND_TIMEOUT,
# test_crash_recovery's and test_replication_failover's phases); the watchdog is sized from it.
LONGEST_BOUNDED_WAIT = 60.0


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


def create_topic(bootstrap, name, partitions=1, config=None, replication_factor=1, admin=None):
    """Creates a topic with confluent-kafka's AdminClient (a new one unless `admin` is given) and
    waits until metadata shows its leaders; returns {partition: leader broker id}."""
    from confluent_kafka.admin import AdminClient, NewTopic

    if admin is None:  # (an AdminClient with nothing in flight is falsy)
        admin = AdminClient({"bootstrap.servers": bootstrap})
    futures = admin.create_topics([NewTopic(name, num_partitions=partitions, replication_factor=replication_factor,
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


# MARK: - The server

def _die_with_parent():
    """Runs in the child before exec: SIGKILL it if pytest dies, so no cluster is orphaned."""
    if sys.platform.startswith("linux"):
        import ctypes
        PR_SET_PDEATHSIG = 1
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)


class ServeProcess:
    """A running `swiftka-learn serve`, with its stdout lines drained by a thread into a queue
    (so the pipe never fills) and its stderr in a file for failure messages."""

    def __init__(self, binary, home):
        self.stderr_path = home / "serve.stderr"
        self._stderr = open(self.stderr_path, "w+b")
        # --ephemeral makes its data directory under TMPDIR: keep it inside `home` too.
        self.temporary_root = home / "tmp"
        self.temporary_root.mkdir()
        env = dict(os.environ, SWIFTKA_HOME=str(home), TMPDIR=str(self.temporary_root),
                   NO_COLOR="1")
        self.process = subprocess.Popen(
            [binary, "serve", "--ephemeral", "--port", "0", "--brokers", "3"],
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=self._stderr, env=env,
            text=True, preexec_fn=_die_with_parent)
        self.lines = queue.Queue()
        self._reader = threading.Thread(target=self._drain, daemon=True)
        self._reader.start()

    def _drain(self):
        for line in self.process.stdout:
            self.lines.put(line.rstrip("\n"))
        self.lines.put(None)

    def stderr_text(self):
        if not self._stderr.closed:
            self._stderr.flush()
        return self.stderr_path.read_text(errors="replace")

    def wait_for_bootstrap(self):
        """Blocks (bounded) until the server prints `bootstrap: ...`; returns the addresses."""
        seen = []
        try:
            while True:
                line = self.lines.get(timeout=STARTUP_TIMEOUT)
                if line is None:
                    self.process.wait(timeout=SHUTDOWN_TIMEOUT)
                    pytest.fail(f"swiftka-learn serve exited ({self.process.returncode}) before "
                                f"printing its bootstrap line.\nstdout: {seen}\n"
                                f"stderr:\n{self.stderr_text()}")
                if line.startswith("bootstrap:"):
                    self.bootstrap = line.split(":", 1)[1].strip()
                    return self.bootstrap
                seen.append(line)
        except queue.Empty:
            self.process.kill()
            self.process.wait()
            pytest.fail(f"swiftka-learn serve printed no bootstrap line within "
                        f"{STARTUP_TIMEOUT:.0f}s."
                        f"\nstdout: {seen}\nstderr:\n{self.stderr_text()}")

    def stop(self, signal_number=signal.SIGTERM):
        """Sends the signal, then waits (bounded); returns the exit code (or fails after
        killing it)."""
        if self.process.poll() is None:
            self.process.send_signal(signal_number)
        try:
            code = self.process.wait(timeout=SHUTDOWN_TIMEOUT)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            pytest.fail(f"swiftka-learn serve did not stop within {SHUTDOWN_TIMEOUT:.0f}s of "
                        f"{signal.Signals(signal_number).name}.\nstderr:\n{self.stderr_text()}")
        self._reader.join(timeout=SHUTDOWN_TIMEOUT)
        self._stderr.close()
        return code
