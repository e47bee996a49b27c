# Interop tests: starts one `swiftka-learn serve` cluster (3 brokers, ephemeral loopback ports,
# a fresh SWIFTKA_HOME) for the session, hands its bootstrap string to the tests, and checks on
# teardown that SIGTERM stops it cleanly with exit code 0.

import faulthandler
import os
import queue
import signal
import subprocess
import sys
import threading

import pytest

from interop_support import SHUTDOWN_TIMEOUT, STARTUP_TIMEOUT, unique_topic

# A hung client call must not hang CI: past this, faulthandler prints every thread's stack
# and exits (the server dies with us, see _die_with_parent).
TEST_WATCHDOG_SECONDS = 90


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
        env = dict(os.environ, SWIFTKA_HOME=str(home), NO_COLOR="1")
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
                    return line.split(":", 1)[1].strip()
                seen.append(line)
        except queue.Empty:
            self.process.kill()
            self.process.wait()
            pytest.fail(f"swiftka-learn serve printed no bootstrap line within "
                        f"{STARTUP_TIMEOUT:.0f}s."
                        f"\nstdout: {seen}\nstderr:\n{self.stderr_text()}")

    def stop(self):
        """SIGTERM, then a bounded wait; returns the exit code (or fails after killing it)."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        try:
            code = self.process.wait(timeout=SHUTDOWN_TIMEOUT)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            pytest.fail(f"swiftka-learn serve did not stop within {SHUTDOWN_TIMEOUT:.0f}s of "
                        f"SIGTERM.\nstderr:\n{self.stderr_text()}")
        self._reader.join(timeout=SHUTDOWN_TIMEOUT)
        self._stderr.close()
        return code


@pytest.fixture(scope="session")
def cluster(tmp_path_factory):
    """The session's cluster; modules have already checked SWIFTKA_BIN (interop_support.require)."""
    binary = os.environ.get("SWIFTKA_BIN")
    if not binary:
        pytest.skip("SWIFTKA_BIN is not set")
    serve = ServeProcess(binary, tmp_path_factory.mktemp("swiftka-home"))
    serve.bootstrap = serve.wait_for_bootstrap()
    yield serve
    code = serve.stop()
    assert code == 0, (f"swiftka-learn serve exited with {code} after SIGTERM (want 0)."
                       f"\nstderr:\n{serve.stderr_text()}")


@pytest.fixture
def bootstrap(cluster):
    """`host:port,host:port,host:port` of the running cluster; fails a test if it has died."""
    code = cluster.process.poll()
    assert code is None, (f"swiftka-learn serve died (exit {code}) before this test.\nstderr:\n"
                          f"{cluster.stderr_text()}")
    return cluster.bootstrap


@pytest.fixture
def topic(request):
    """A topic name unique to this test (not yet created)."""
    return unique_topic(request.node.name)


@pytest.fixture(autouse=True)
def _watchdog():
    faulthandler.dump_traceback_later(TEST_WATCHDOG_SECONDS, exit=True)
    yield
    faulthandler.cancel_dump_traceback_later()
