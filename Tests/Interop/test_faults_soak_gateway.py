"""Soak: `warden serve` with one healthy server and, in the same gateway, a server that crashes over and over.

CALLS calls (200,000, or WARDEN_SOAK_CALLS) go to the healthy server from wrk (Debian's HTTP load generator, driven by
load/tool_calls.lua): one thread in a 2025-11-25 session and one with 2026-07-28 stateless requests, two keep-alive
connections each, while a Python client keeps crashing the neighbour server. Bounded at TIME_LIMIT seconds (about
four minutes through the debug build on two cores). Memory stays flat once warmed up, every call to the healthy
server is answered with its result, and not one audit record is lost (SQLite store).
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx2

from fleet_support import RawSession
from gateway_support import Gateway, new_key
from support import demo_server_command, require_program, rss_kib

CALLS = int(os.environ.get("WARDEN_SOAK_CALLS", "200000"))
THREADS = 2
CONNECTIONS = 4
TIME_LIMIT = 600
FRAGILE = Path(__file__).parent / "upstreams" / "fragile_server.py"
SCRIPT = Path(__file__).parent / "load" / "tool_calls.lua"


def run_wrk(url: str, key: str, modes: list[str], calls_per_thread: int) -> dict[str, int]:
    """Runs wrk until every thread has CALLS answered (or TIME_LIMIT passes), and returns its counts."""
    argv = [require_program("wrk"), f"-t{THREADS}", f"-c{CONNECTIONS}", f"-d{TIME_LIMIT}s", "--timeout", "30s",
            "-s", str(SCRIPT), url, "--", str(calls_per_thread), key, "echo", *modes]
    process = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    finished, output = 0, []
    assert process.stdout is not None
    for line in process.stdout:
        output.append(line)
        if line.startswith("finished "):
            finished += 1
            if finished == THREADS:
                process.send_signal(signal.SIGINT)
    process.wait(timeout=60)
    counts = [line for line in output if line.startswith("sent=")]
    assert counts, "wrk printed no counts:\n" + "".join(output)
    return {name: int(value) for name, value in (field.split("=") for field in counts[0].split())}


def test_a_long_load_through_the_gateway_beside_a_crash_looping_server(tmp_path: Path):
    key, digest = new_key()
    database = tmp_path / "warden.db"
    config = (
        f'store: "sqlite:{database}"\n'
        "servers:\n"
        f"  demo:\n    command: {json.dumps(demo_server_command())}\n    policy: {{version: 1, default: allow}}\n"
        f"  fragile:\n    command: {json.dumps([sys.executable, str(FRAGILE), '--crash-every', '3'])}\n"
        "    policy: {version: 1, default: allow}\n"
        f'agents:\n  - id: alice\n    key_sha256: "{digest}"\n'
    )
    gateway = Gateway(tmp_path, config)
    samples: list[tuple[float, int]] = []
    stop = threading.Event()
    crashes = [0]
    http = httpx2.Client(timeout=30)

    def crash_loop() -> None:
        session = RawSession(http, gateway.url("fragile"), key)
        n = 0
        while not stop.is_set():
            n += 1
            if "error" in session.call(f"crash-{n}", "whoami", {}):
                crashes[0] += 1
            stop.wait(0.1)  # a few crashes a second: a crash loop, without its restarts taking the cores from the load

    def sample() -> None:
        while not stop.is_set():
            samples.append((time.monotonic(), rss_kib(gateway.process.pid)))
            stop.wait(1)

    try:
        session = RawSession(http, gateway.url("demo"), key)
        helpers = [threading.Thread(target=crash_loop, daemon=True), threading.Thread(target=sample, daemon=True)]
        started = time.monotonic()
        for thread in helpers:
            thread.start()
        counts = run_wrk(gateway.url("demo"), key, [session.headers["Mcp-Session-Id"], "stateless"], CALLS // THREADS)
        elapsed = time.monotonic() - started
    finally:
        stop.set()
        gateway.stop()
        http.close()

    assert counts["answered"] >= CALLS, f"only {counts['answered']} of {CALLS} calls answered within {TIME_LIMIT} s"
    assert counts["results"] == counts["answered"], counts
    assert crashes[0] >= 10, f"the neighbour crashed only {crashes[0]} times"
    # Warm-up is the first fifth of the run: the journal, SQLite's cache and the sessions reach their size.
    warm = [rss for at, rss in samples if at - started >= elapsed / 5]
    assert warm, "no sample after warm-up"
    assert max(warm) - warm[0] < 16 * 1024, f"RSS grew from {warm[0]} KiB to {max(warm)} KiB after warm-up"
    assert max(warm) < 150 * 1024, f"RSS reached {max(warm)} KiB"
    with sqlite3.connect(database) as db:
        (records, distinct) = db.execute(
            "SELECT COUNT(*), COUNT(DISTINCT request_id) FROM audit WHERE server = 'demo' AND tool = 'echo'").fetchone()
        (missing,) = db.execute("SELECT COUNT(*) FROM audit WHERE server = 'demo' AND outcome IS NULL").fetchone()
    # A call still in flight when wrk stopped was sent but not counted: it may be in the trail too.
    assert counts["answered"] <= records <= counts["sent"], f"{records} audit records for {counts}"
    assert distinct == records, f"{records - distinct} calls recorded twice"
    assert missing == 0, f"{missing} answered calls have no outcome"
    print(f"{counts['answered']} calls in {elapsed:.0f}s beside {crashes[0]} crashes; RSS {warm[0] // 1024}→{max(warm) // 1024} MiB")
