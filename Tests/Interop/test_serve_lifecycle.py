# Interop tests: the life of `swiftka-learn serve` as a script or CI job sees it. The bootstrap
# line means "ready", so a stop signal sent right after it must already end in a clean
# shutdown (exit 0), and the ephemeral data directory must not outlive the process.

import os
import signal

import pytest

from interop_support import ServeProcess, require

require()


@pytest.mark.parametrize("signal_number", [signal.SIGTERM, signal.SIGINT],
                         ids=["SIGTERM", "SIGINT"])
def test_stop_signal_right_after_the_bootstrap_line_shuts_down_cleanly(tmp_path, signal_number):
    serve = ServeProcess(os.environ["SWIFTKA_BIN"], tmp_path)
    addresses = serve.wait_for_bootstrap().split(",")
    data_directories = [p.name for p in serve.temporary_root.iterdir()]

    code = serve.stop(signal_number)

    assert len(addresses) == 3 and all(a.startswith("127.0.0.1:") for a in addresses)
    assert code == 0, (f"exit {code} after {signal.Signals(signal_number).name} (want 0)\n"
                       f"stderr:\n{serve.stderr_text()}")
    assert "shut down cleanly" in serve.stderr_text()
    assert len(data_directories) == 1 and data_directories[0].startswith("swiftka-learn-")
    assert list(serve.temporary_root.iterdir()) == [], "the --ephemeral data directory is left"
