# Interop tests: starts one `swiftka-learn serve` cluster (3 brokers, ephemeral loopback ports,
# a fresh SWIFTKA_HOME) for the session, hands its bootstrap string to the tests, and checks on
# teardown that SIGTERM stops it cleanly with exit code 0 and removes its data directory. Tests
# that kill and start brokers get a cluster of their own, driven through the REPL (`repl`).

import faulthandler
import os

import pytest

from interop_support import LONGEST_BOUNDED_WAIT, ServeProcess, unique_topic
from repl_driver import Repl

# A hung client call must not hang CI: past this, faulthandler prints every thread's stack
# and exits (the server dies with us: ServeProcess sets PR_SET_PDEATHSIG). It must outlast
# what a test may legitimately spend in bounded waits, so that a slow test fails with its own
# message rather than a stack dump: a fixture's cluster start and a wait that runs to its
# bound, each at most LONGEST_BOUNDED_WAIT (the REPL's broker commands, crash recovery and
# failover phases), with the rest of the test and its teardown besides.
TEST_WATCHDOG_SECONDS = 3 * LONGEST_BOUNDED_WAIT


@pytest.fixture(scope="session")
def cluster(tmp_path_factory):
    """The session's cluster; modules have already checked SWIFTKA_BIN (interop_support.require)."""
    binary = os.environ.get("SWIFTKA_BIN")
    if not binary:
        pytest.skip("SWIFTKA_BIN is not set")
    serve = ServeProcess(binary, tmp_path_factory.mktemp("swiftka-home"))
    serve.wait_for_bootstrap()
    yield serve
    code = serve.stop()
    assert code == 0, (f"swiftka-learn serve exited with {code} after SIGTERM (want 0)."
                       f"\nstderr:\n{serve.stderr_text()}")
    assert list(serve.temporary_root.iterdir()) == [], "the --ephemeral data directory is left"


@pytest.fixture
def bootstrap(cluster):
    """`host:port,host:port,host:port` of the running cluster; fails a test if it has died."""
    code = cluster.process.poll()
    assert code is None, (f"swiftka-learn serve died (exit {code}) before this test.\nstderr:\n"
                          f"{cluster.stderr_text()}")
    return cluster.bootstrap


@pytest.fixture
def repl(tmp_path):
    """A fresh 3-broker cluster in a REPL of this test's own (`swiftka-learn --script -`)."""
    binary = os.environ.get("SWIFTKA_BIN")
    if not binary:
        pytest.skip("SWIFTKA_BIN is not set")
    driver = Repl(binary, tmp_path)
    yield driver
    driver.close()


@pytest.fixture
def topic(request):
    """A topic name unique to this test (not yet created)."""
    return unique_topic(request.node.name)


@pytest.fixture(autouse=True)
def _watchdog():
    faulthandler.dump_traceback_later(TEST_WATCHDOG_SECONDS, exit=True)
    yield
    faulthandler.cancel_dump_traceback_later()
