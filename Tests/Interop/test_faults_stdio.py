"""Flow control on stdio: what Warden answers itself (denials) is held back by a client that does not read.

A client that writes calls without reading the answers must not make `warden run` buffer those answers without bound:
Warden stops reading the client while the client's output is full, so the client's own writes block instead, and
every answer still arrives once it reads.
"""

from __future__ import annotations

import json
import subprocess
import threading
import time
from pathlib import Path

from support import demo_server_command, rss_kib, warden_bin, write_policy

#: A long reason makes each denial about 1.2 KB: the calls below would produce about 240 MB of answers.
REASON = "This tool is not for agents. " * 40
CALLS = 200_000
RSS_BOUND_KIB = 150 * 1024

POLICY = f"""\
version: 1
default: allow
rules:
  - name: no echo
    tool: echo
    action: deny
    reason: "{REASON.strip()}"
"""


def call_line(request_id: int) -> bytes:
    message = {"jsonrpc": "2.0", "id": request_id, "method": "tools/call", "params": {"name": "echo", "arguments": {"text": "x"}}}
    return json.dumps(message, separators=(",", ":")).encode() + b"\n"


def test_denials_to_a_client_that_does_not_read_keep_memory_bounded_and_all_arrive(tmp_path: Path):
    policy = write_policy(tmp_path, POLICY)
    argv = [warden_bin(), "run", "--policy", str(policy), "--store", "memory:", "--no-audit", "--", *demo_server_command()]
    process = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    written = [0]
    writer_error: list[BaseException] = []

    def write_calls() -> None:
        assert process.stdin is not None
        try:
            init = {
                "jsonrpc": "2.0", "id": "init", "method": "initialize",
                "params": {"protocolVersion": "2025-11-25", "capabilities": {}, "clientInfo": {"name": "flood", "version": "1"}},
            }
            process.stdin.write(json.dumps(init).encode() + b"\n")
            process.stdin.write(b'{"jsonrpc":"2.0","method":"notifications/initialized"}\n')
            batch = 200
            for start in range(0, CALLS, batch):
                process.stdin.write(b"".join(call_line(i) for i in range(start, start + batch)))
                written[0] = start + batch
            process.stdin.flush()
        except BaseException as error:  # noqa: BLE001 - reported by the test thread
            writer_error.append(error)

    writer = threading.Thread(target=write_calls, daemon=True)
    try:
        writer.start()
        # Nobody reads Warden's stdout. Wait until the writer stops making progress (Warden stopped reading it) or
        # has written everything (Warden buffered it all: the fault), sampling Warden's memory meanwhile.
        peak = 0
        last, still_since = -1, time.monotonic()
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and writer.is_alive():
            peak = max(peak, rss_kib(process.pid))
            if written[0] != last:
                last, still_since = written[0], time.monotonic()
            elif time.monotonic() - still_since > 3:
                break
            time.sleep(0.1)
        peak = max(peak, rss_kib(process.pid))
        assert writer.is_alive(), (
            f"Warden read all {CALLS} calls from a client that reads nothing (peak RSS {peak // 1024} MiB): "
            "its answers were buffered instead of holding the client back"
        )
        assert written[0] < CALLS // 10, f"Warden read {written[0]} calls before pushing back"
        assert peak < RSS_BOUND_KIB, f"RSS reached {peak // 1024} MiB while the client did not read"

        # The client starts reading: every answer arrives, once, each a denial, and memory stays bounded throughout.
        assert process.stdout is not None
        seen: set[int] = set()
        denials = 0
        answered_bytes = 0
        read_deadline = time.monotonic() + 240
        while len(seen) < CALLS:
            assert time.monotonic() < read_deadline, f"only {len(seen)} of {CALLS} answers arrived within 240 s"
            line = process.stdout.readline()
            assert line, f"Warden closed its output after {len(seen)} answers"
            answered_bytes += len(line)
            message = json.loads(line)
            if message.get("id") == "init" or "id" not in message:
                continue
            assert message["id"] not in seen, f"answer {message['id']} arrived twice"
            seen.add(message["id"])
            if b"Denied by policy: This tool is not for agents." in line:
                denials += 1
            if len(seen) % 20_000 == 0:
                peak = max(peak, rss_kib(process.pid))
        writer.join(timeout=30)
        assert not writer_error, f"the writer failed: {writer_error[0]!r}"
        assert denials == CALLS
        assert answered_bytes > 100_000_000, f"only {answered_bytes} bytes of answers: the test did not flood"
        assert peak < RSS_BOUND_KIB, f"RSS reached {peak // 1024} MiB"
    finally:
        if process.poll() is None:
            process.kill()
        process.wait(timeout=20)
