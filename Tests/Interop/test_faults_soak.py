"""Soak: 200,000 calls through `warden run` in a few minutes (bounded: 6 minutes), with a SQLite store.

Memory stays flat once warmed up, and not one audit record is lost: every call is in the trail, every forwarded one
with its outcome. A tenth of the calls are denied, so Warden's own answers are part of the load.
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
import threading
import time
from pathlib import Path

from support import demo_server_command, rss_kib, warden_bin, write_policy

CALLS = 200_000
WINDOW = 64
WARM_UP = 20_000
TIME_LIMIT = 360

POLICY = """\
version: 1
default: allow
rules:
  - name: no deletes
    tool: delete_record
    action: deny
    reason: Deleting is not for agents
"""


def call_line(request_id: int) -> bytes:
    if request_id % 10 == 0:
        params = {"name": "delete_record", "arguments": {"id": f"r{request_id}"}}
    else:
        params = {"name": "echo", "arguments": {"text": f"call {request_id}"}}
    return json.dumps({"jsonrpc": "2.0", "id": request_id, "method": "tools/call", "params": params}, separators=(",", ":")).encode() + b"\n"


def test_two_hundred_thousand_calls_keep_memory_flat_and_lose_no_record(tmp_path: Path):
    policy = write_policy(tmp_path, POLICY)
    database = tmp_path / "warden.db"
    argv = [warden_bin(), "run", "--policy", str(policy), "--store", f"sqlite:{database}", "--", *demo_server_command()]
    process = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    assert process.stdin is not None and process.stdout is not None
    started = time.monotonic()
    answered = threading.Semaphore(WINDOW)
    samples: list[tuple[int, int]] = []
    try:
        init = {
            "jsonrpc": "2.0", "id": "init", "method": "initialize",
            "params": {"protocolVersion": "2025-11-25", "capabilities": {}, "clientInfo": {"name": "soak", "version": "1"}},
        }
        process.stdin.write(json.dumps(init).encode() + b"\n")
        process.stdin.flush()
        assert json.loads(process.stdout.readline())["id"] == "init"
        process.stdin.write(b'{"jsonrpc":"2.0","method":"notifications/initialized"}\n')

        def write_calls() -> None:
            # At most WINDOW calls in flight, as a busy agent with parallel tool calls would have.
            for request_id in range(CALLS):
                if not answered.acquire(timeout=60):
                    return
                process.stdin.write(call_line(request_id))
                process.stdin.flush()

        writer = threading.Thread(target=write_calls, daemon=True)
        writer.start()
        results = denials = 0
        seen = 0
        while seen < CALLS:
            assert time.monotonic() - started < TIME_LIMIT, f"only {seen} of {CALLS} calls answered in {TIME_LIMIT} s"
            line = process.stdout.readline()
            assert line, f"Warden closed its output after {seen} answers"
            message = json.loads(line)
            if "id" not in message:
                continue
            seen += 1
            answered.release()
            if b"Denied by policy" in line:
                denials += 1
            elif "result" in message and not message["result"].get("isError"):
                results += 1
            if seen % 10_000 == 0:
                samples.append((seen, rss_kib(process.pid)))
        writer.join(timeout=30)
        assert results == CALLS - CALLS // 10 and denials == CALLS // 10
        process.stdin.close()
        assert process.wait(timeout=60) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=20)

    # Flat after warm-up: the largest sample after it is within 16 MiB of the first one, and well under 150 MiB.
    warmed = [rss for seen, rss in samples if seen >= WARM_UP]
    assert max(warmed) - warmed[0] <= 16 * 1024, f"RSS grew after warm-up: {[rss // 1024 for rss in warmed]} MiB"
    assert max(rss for _, rss in samples) < 150 * 1024

    # Zero lost records: the process moved its journal into the database when it ended.
    with sqlite3.connect(database) as connection:
        total, allowed, with_outcome, distinct = connection.execute(
            "SELECT COUNT(*), SUM(decision = 'allowed'), SUM(decision = 'allowed' AND outcome = 'result'), "
            "COUNT(DISTINCT request_id) FROM audit"
        ).fetchone()
    assert total == CALLS and distinct == CALLS, f"{total} records ({distinct} distinct) for {CALLS} calls"
    assert allowed == CALLS - CALLS // 10 and with_outcome == allowed, f"{with_outcome} of {allowed} forwarded calls have their outcome"
    assert not list((tmp_path / "warden.db.audit-journals").glob("*.jsonl")), "a journal was left behind"
