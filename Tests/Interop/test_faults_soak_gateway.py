"""Soak: `warden serve` with one healthy server and, in the same gateway, a server that crashes over and over.

CALLS calls (20,000, or WARDEN_SOAK_CALLS) go to the healthy server from several keep-alive clients while another
client keeps crashing its neighbour, bounded at TIME_LIMIT seconds. Memory stays flat once warmed up, every call to
the healthy server is answered, and not one audit record is lost (SQLite store). Python HTTP clients through the
debug build are far slower than the stdio soak's pipe, so the test command runs 20,000 rather than 200,000.
"""

from __future__ import annotations

import json
import os
import sqlite3
import sys
import threading
import time
from pathlib import Path

import httpx2

from gateway_support import INITIALIZE, Gateway, new_key
from support import demo_server_command

CALLS = int(os.environ.get("WARDEN_SOAK_CALLS", "20000"))
CLIENTS = 8
WARM_UP = CALLS // 10
TIME_LIMIT = 420
FRAGILE = Path(__file__).parent / "upstreams" / "fragile_server.py"


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise AssertionError(f"no VmRSS for {pid}")


class Session:
    """One 2025-11-25 session over one keep-alive connection."""

    def __init__(self, url: str, key: str) -> None:
        self.url = url
        self.client = httpx2.Client(timeout=30, headers={"Authorization": f"Bearer {key}", "Accept": "application/json, text/event-stream"})
        response = self.client.post(url, json=INITIALIZE)
        self.client.headers["Mcp-Session-Id"] = response.headers["mcp-session-id"]
        self.client.post(url, json={"jsonrpc": "2.0", "method": "notifications/initialized"})

    def call(self, request_id: int, name: str, arguments: dict) -> dict:
        body = {"jsonrpc": "2.0", "id": request_id, "method": "tools/call", "params": {"name": name, "arguments": arguments}}
        response = self.client.post(self.url, json=body)
        assert response.status_code == 200, response.text
        return response.json()


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
    started = time.monotonic()
    answered = [0] * CLIENTS
    errors: list[str] = []
    samples: list[tuple[int, int]] = []
    stop = threading.Event()
    crashes = [0]

    def work(index: int) -> None:
        try:
            session = Session(gateway.url("demo"), key)
            for n in range(index, CALLS, CLIENTS):
                if time.monotonic() - started > TIME_LIMIT:
                    errors.append(f"client {index} ran out of time at call {n}")
                    return
                answer = session.call(n, "echo", {"text": f"call {n}"})
                if "result" not in answer or answer["result"].get("isError"):
                    errors.append(f"call {n}: {answer}")
                    return
                answered[index] += 1
        except Exception as error:  # noqa: BLE001 - reported below with the client's number
            errors.append(f"client {index}: {error!r}")

    def crash_loop() -> None:
        session = Session(gateway.url("fragile"), key)
        n = 0
        while not stop.is_set():
            n += 1
            answer = session.call(n, "whoami", {})
            if "error" in answer:
                crashes[0] += 1

    def sample() -> None:
        while not stop.is_set():
            samples.append((sum(answered), rss_kib(gateway.process.pid)))
            stop.wait(1)

    try:
        threads = [threading.Thread(target=work, args=(i,)) for i in range(CLIENTS)]
        helpers = [threading.Thread(target=crash_loop, daemon=True), threading.Thread(target=sample, daemon=True)]
        for thread in helpers + threads:
            thread.start()
        for thread in threads:
            thread.join(TIME_LIMIT + 30)
        stop.set()
        elapsed = time.monotonic() - started
    finally:
        stop.set()
        gateway.stop()

    assert not errors, errors[:5]
    assert sum(answered) == CALLS
    assert crashes[0] >= 10, f"the neighbour crashed only {crashes[0]} times"
    warm = [rss for count, rss in samples if count >= WARM_UP]
    assert warm, "no sample after warm-up"
    assert max(warm) - warm[0] < 16 * 1024, f"RSS grew from {warm[0]} KiB to {max(warm)} KiB after warm-up"
    assert max(warm) < 150 * 1024, f"RSS reached {max(warm)} KiB"
    with sqlite3.connect(database) as db:
        (records,) = db.execute("SELECT COUNT(*) FROM audit WHERE server = 'demo' AND tool = 'echo'").fetchone()
        (missing,) = db.execute("SELECT COUNT(*) FROM audit WHERE server = 'demo' AND outcome IS NULL").fetchone()
    assert records == CALLS, f"{records} audit records for {CALLS} calls"
    assert missing == 0, f"{missing} answered calls have no outcome"
    print(f"{CALLS} calls in {elapsed:.0f}s beside {crashes[0]} crashes; RSS {warm[0] // 1024}→{max(warm) // 1024} MiB")
