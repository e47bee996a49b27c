# Interop tests: drives the REPL (`swiftka-learn --script -`) from a test, so a test can kill and
# start brokers of a cluster that real clients are using. Each command is followed by a marker
# command; the marker's echo says the command has finished, so `run` returns all of its output
# and never waits on a guess.

import os
import queue
import re
import subprocess
import threading
import time

import pytest

from interop_support import CLIENT_TIMEOUT, STARTUP_TIMEOUT, _die_with_parent

PROMPT = "swiftka> "
# Short, always succeeds, changes nothing: its echo marks the end of the command before it.
MARKER = "help quit"
# `broker kill` and `broker start` narrate until the controller has (un)fenced the broker, which
# takes the session timeout plus an election at most; this bounds that with room to spare.
BROKER_COMMAND_TIMEOUT = 60.0


class Repl:
    """`swiftka-learn --script -` with a loopback cluster of `brokers` brokers: lines go in as
    commands, output lines come out through a queue drained by a thread."""

    def __init__(self, binary, home, brokers=3):
        env = dict(os.environ, SWIFTKA_HOME=str(home), TMPDIR=str(home), NO_COLOR="1")
        self.process = subprocess.Popen(
            [binary, "--ephemeral", "--port", "0", "--brokers", str(brokers), "--script", "-", "--keep-going",
             "--no-color"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env, text=True,
            preexec_fn=_die_with_parent)
        self.lines = queue.Queue()
        self.seen = []
        threading.Thread(target=self._drain, daemon=True).start()

    def _drain(self):
        for line in self.process.stdout:
            self.lines.put(line.rstrip("\n"))
        self.lines.put(None)

    def _next_line(self, command, deadline, timeout):
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                pytest.fail(f"`{command}` did not finish within {timeout:.0f}s; output:\n" + self.tail())
            try:
                line = self.lines.get(timeout=remaining)
                break
            except queue.Empty:
                continue
        if line is None:
            pytest.fail(f"the REPL exited during `{command}`; output:\n" + self.tail())
        self.seen.append(line)
        return line

    def run(self, command, until=None, timeout=CLIENT_TIMEOUT):
        """Runs one command and waits (bounded) until it has finished. Returns its output lines;
        with `until`, the first of them for which `until` holds (failing if none does)."""
        self.send(command)
        return self.finish(command, until, timeout)

    def send(self, command):
        """Starts a command and returns at once (the test goes on using clients meanwhile);
        `finish` collects its output. Commands run one after another, in the order sent."""
        self.process.stdin.write(command + "\n" + MARKER + "\n")
        self.process.stdin.flush()

    def finish(self, command, until=None, timeout=CLIENT_TIMEOUT):
        """Waits (bounded) until the `command` sent last has finished; returns as `run` does."""
        deadline = time.monotonic() + timeout
        # Output left over from an earlier command (the marker's own) ends at this echo.
        while self._next_line(command, deadline, timeout) != PROMPT + command:
            pass
        output = []
        while (line := self._next_line(command, deadline, timeout)) != PROMPT + MARKER:
            output.append(line)
        if until is None:
            return output
        for line in output:
            if until(line):
                return line
        pytest.fail(f"`{command}` finished without the expected line; its output:\n" + "\n".join(output))

    def tail(self, count=40):
        return "\n".join(self.seen[-count:])

    # MARK: - Parsed views

    def bootstrap(self):
        """`host:port,...` of every broker (from `status`); waits for the cluster to start."""
        line = self.run("status", lambda l: l.startswith("Bootstrap:"), timeout=STARTUP_TIMEOUT)
        return line.split(":", 1)[1].strip()

    def brokers(self):
        """`broker list` as {id: {"state": "running", "registration": "unfenced", "quorum": "voter, leader ..."}}."""
        table = {}
        for line in self.run("broker list"):
            match = re.match(r"^(\d+)\s+(\S+)\s+(\S+)\s+(\S+)\s{2,}(.*?)\s{2,}\S+$", line)
            if match:
                table[int(match[1])] = {"address": match[2], "state": match[3], "registration": match[4],
                                        "quorum": match[5]}
        return table

    def unfenced_running_brokers(self):
        return sorted(i for i, b in self.brokers().items() if b["state"] == "running" and b["registration"] == "unfenced")

    def quorum(self):
        """`quorum` as {"LeaderId": "1", "LeaderEpoch": "3", ...} (the values as printed)."""
        fields = {}
        for line in self.run("quorum"):
            match = re.match(r"^(\w+):\s+(.*)$", line)
            if match:
                fields[match[1]] = match[2].strip()
        return fields

    def controller(self):
        """The active controller's id from `status`, or None while there is none."""
        for line in self.run("status"):
            match = re.match(r"^Controller:\s+broker (\d+) ", line)
            if match:
                return int(match[1])
        return None

    def group_coordinator(self, group):
        """The coordinator's id from `group describe GROUP --state`, or None if not shown."""
        for line in self.run(f"group describe {group} --state"):
            match = re.match(rf"^{re.escape(group)}\s+\S+ \((\d+)\)\s", line)
            if match:
                return int(match[1])
        return None

    def close(self):
        try:
            self.process.stdin.close()
            self.process.wait(timeout=30)
        except Exception:
            self.process.kill()
            self.process.wait()
