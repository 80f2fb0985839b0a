"""`warden serve` under faults: a notification flood to a client that does not read, an upstream that crashes on
every 5th call, hung calls whose clients left, a reused id after a timeout, and SIGTERM with a server that lingers."""

from __future__ import annotations

import json
import os
import signal
import socket
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx2
import pytest

from gateway_support import INITIALIZE, Gateway, new_key, raw_post

UPSTREAMS = Path(__file__).parent / "upstreams"
FAULTY = UPSTREAMS / "faulty_server.py"
FRAGILE = UPSTREAMS / "fragile_server.py"
POLICY = "    policy: {version: 1, default: allow}\n"


@pytest.fixture
def alice() -> tuple[str, str]:
    return new_key()


def config(alice: tuple[str, str], name: str, command: list[str], extra: str = "") -> str:
    return (
        'store: "memory:"\n'
        + extra
        + f"servers:\n  {name}:\n    command: {json.dumps(command)}\n"
        + POLICY
        + f'agents:\n  - id: alice\n    key_sha256: "{alice[1]}"\n'
    )


def open_session(url: str, key: str) -> str:
    session = raw_post(url, INITIALIZE, key=key).headers["mcp-session-id"]
    raw_post(url, {"jsonrpc": "2.0", "method": "notifications/initialized"}, key=key, headers={"Mcp-Session-Id": session})
    return session


def tool_call(request_id: int, name: str, arguments: dict | None = None) -> dict:
    return {"jsonrpc": "2.0", "id": request_id, "method": "tools/call", "params": {"name": name, "arguments": arguments or {}}}


def call(url: str, key: str, session: str, request_id: int, name: str, arguments: dict | None = None) -> dict:
    headers = {"Mcp-Session-Id": session, "Accept": "application/json"}
    response = raw_post(url, tool_call(request_id, name, arguments), key=key, headers=headers)
    assert response.status_code == 200, response.text
    return response.json()


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise AssertionError(f"no VmRSS for {pid}")


def children(pid: int) -> list[int]:
    """Live (not zombie) processes whose parent is `pid`."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()
        if int(fields[1]) == pid and fields[0] != "Z":
            found.append(int(entry.name))
    return found


def alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat[stat.rindex(")") + 2 :].split()[0] != "Z"


def metric(gateway: Gateway, name: str) -> str:
    text = httpx2.get(f"http://127.0.0.1:{gateway.port}/metrics", timeout=10).text
    return "\n".join(line for line in text.splitlines() if line.startswith(name))


def test_a_notification_flood_to_a_client_that_does_not_read_keeps_memory_bounded(tmp_path, alice):
    progress = tmp_path / "progress"
    env = dict(os.environ, FLOOD_PROGRESS=str(progress))
    gateway = Gateway(tmp_path, config(alice, "faulty", [sys.executable, str(FAULTY)]), env=env)
    count, size = 20_000, 10_000  # 200 MB of notifications
    try:
        session = open_session(gateway.url("faulty"), alice[0])
        body = json.dumps(tool_call(2, "flood", {"count": count, "size": size})).encode()
        client = socket.create_connection(("127.0.0.1", gateway.port), timeout=60)
        client.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 64 * 1024)
        client.sendall(
            b"POST /mcp/faulty HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            + b"Accept: application/json, text/event-stream\r\n"
            + f"Authorization: Bearer {alice[0]}\r\nMcp-Session-Id: {session}\r\nContent-Length: {len(body)}\r\n\r\n".encode()
            + body
        )
        # The client reads nothing: the server must soon be stuck writing, with Warden's memory flat meanwhile.
        peak, sent, stalled_since = 0.0, -1, None
        deadline = time.monotonic() + 40
        while time.monotonic() < deadline:
            time.sleep(0.25)
            peak = max(peak, rss_mib(gateway.process.pid))
            now_sent = int(progress.read_text() or 0) if progress.exists() else 0
            if now_sent == sent:
                stalled_since = stalled_since or time.monotonic()
                if time.monotonic() - stalled_since > 3:
                    break
            else:
                sent, stalled_since = now_sent, None
        assert sent < count // 2, f"the upstream wrote {sent} of {count} notifications to a client that reads nothing"
        assert peak < 150, f"warden serve grew to {peak:.0f} MiB"

        # Now the client reads: everything arrives, in order, with the answer last, and memory stays flat.
        received, tail, answered = 0, b"", False
        client.settimeout(60)
        while not answered:
            chunk = client.recv(1 << 20)
            assert chunk, "the stream ended before the answer"
            data = tail + chunk
            received += data.count(b"notifications/message") - tail.count(b"notifications/message")
            answered = f"sent {count}".encode() in data
            tail = data[-64:]
            peak = max(peak, rss_mib(gateway.process.pid))
        client.close()
    finally:
        gateway.stop()
    assert received == count
    assert peak < 150, f"warden serve grew to {peak:.0f} MiB"


def test_a_server_that_crashes_on_every_fifth_call_serves_most_calls_and_reports_its_backoff(tmp_path, alice):
    gateway = Gateway(tmp_path, config(alice, "fragile", [sys.executable, str(FRAGILE), "--crash-every", "5"]))
    url, key = gateway.url("fragile"), alice[0]
    served, failed, readiness, backoff = 0, 0, None, None
    try:
        session = open_session(url, key)
        started = time.monotonic()
        for request_id in range(10, 410):
            answer = call(url, key, session, request_id, "whoami")
            if "result" in answer:
                served += 1
            else:
                failed += 1
                if readiness is None:
                    readiness = httpx2.get(f"http://127.0.0.1:{gateway.port}/readyz", timeout=10).text
                    backoff = metric(gateway, "warden_upstream_backoff_sessions")
        elapsed = time.monotonic() - started
        after = httpx2.get(f"http://127.0.0.1:{gateway.port}/readyz", timeout=10).text
        restarts = metric(gateway, "warden_upstream_restarts_total")
    finally:
        gateway.stop()
    # Each process serves 4 calls and dies on the 5th: 320 served, 80 lost with their process.
    assert served >= 300, f"served {served} of 400 ({failed} failed)"
    assert elapsed < 60, f"400 calls took {elapsed:.0f}s"
    assert readiness is not None and "upstream fragile: backing off in 1 session(s), 1 failure(s) in a row" in readiness, readiness
    assert 'warden_upstream_backoff_sessions{server="fragile"} 1' in backoff
    assert after.strip().endswith("ready") or "upstream fragile" in after  # the last call may have crashed it
    assert 'server="fragile"' in restarts and int(float(restarts.split()[-1])) >= 70, restarts


def test_sessions_with_a_hung_call_and_no_client_are_reaped(tmp_path, alice):
    extra = "session_idle_timeout: 5s\nmax_sessions_per_agent: 32\n"
    gateway = Gateway(tmp_path, config(alice, "faulty", [sys.executable, str(FAULTY)], extra))
    url, key = gateway.url("faulty"), alice[0]

    def hang_and_leave(number: int) -> None:
        session = open_session(url, key)
        headers = {"Accept": "application/json, text/event-stream", "Content-Type": "application/json",
                   "Authorization": f"Bearer {key}", "Mcp-Session-Id": session}
        # The client gives up on the call and goes away; the server never answers it.
        with httpx2.Client(timeout=1) as client:
            with pytest.raises(httpx2.TimeoutException):
                client.post(url, json=tool_call(2, "hang"), headers=headers)

    try:
        with ThreadPoolExecutor(max_workers=20) as pool:
            list(pool.map(hang_and_leave, range(20)))
        servers = children(gateway.process.pid)
        assert len(servers) == 20, servers
        assert "warden_active_sessions 20" in metric(gateway, "warden_active_sessions")
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and (children(gateway.process.pid) or "warden_active_sessions 0" not in metric(gateway, "warden_active_sessions")):
            time.sleep(0.25)
        remaining = children(gateway.process.pid)
        active = metric(gateway, "warden_active_sessions")
        stopping = time.monotonic()
        gateway.stop()
        stop_took = time.monotonic() - stopping
    finally:
        gateway.stop()
    assert remaining == [], f"server processes still running: {remaining}"
    assert "warden_active_sessions 0" in active, active
    assert not [pid for pid in servers if alive(pid)]
    assert stop_took < 10


def test_a_timed_out_id_used_again_gets_its_own_answer(tmp_path, alice):
    extra = "call_timeout: 1s\n"
    gateway = Gateway(tmp_path, config(alice, "faulty", [sys.executable, str(FAULTY)], extra))
    url, key = gateway.url("faulty"), alice[0]
    try:
        session = open_session(url, key)
        slow = call(url, key, session, 7, "echo", {"text": "slow", "delay": 2.5})
        again = call(url, key, session, 7, "echo", {"text": "fast"})
        time.sleep(2.5)  # the first call's late answer comes and must be dropped
        later = call(url, key, session, 7, "echo", {"text": "later"})
    finally:
        gateway.stop()
    assert "did not answer within 1s" in slow["error"]["message"], slow
    assert again["id"] == 7 and again["result"]["content"][0]["text"] == "fast", again
    assert later["id"] == 7 and later["result"]["content"][0]["text"] == "later", later


def test_sigterm_refuses_new_work_at_once_and_leaves_no_server_behind(tmp_path, alice):
    gateway = Gateway(tmp_path, config(alice, "stubborn", [sys.executable, str(FAULTY), "--stubborn"]))
    url, key = gateway.url("stubborn"), alice[0]
    try:
        kept = httpx2.Client(timeout=10, headers={"Authorization": f"Bearer {key}", "Accept": "application/json"})
        sessions = [open_session(url, key) for _ in range(3)]
        for session in sessions:
            answer = kept.post(url, json=tool_call(2, "echo", {"text": "hi"}), headers={"Mcp-Session-Id": session}).json()
            assert answer["result"]["content"][0]["text"] == "hi"
        servers = children(gateway.process.pid)
        assert len(servers) == 3, servers
        gateway.process.send_signal(signal.SIGTERM)
        time.sleep(0.2)
        # On the kept-alive connection: 503, or the connection is closed; a new connection is refused.
        try:
            late = kept.post(url, json=tool_call(3, "echo", {"text": "late"}), headers={"Mcp-Session-Id": sessions[0]})
            kept_outcome = late.status_code
        except httpx2.TransportError as error:
            kept_outcome = type(error).__name__
        try:
            fresh = raw_post(url, INITIALIZE, key=key)
            fresh_outcome = fresh.status_code
        except httpx2.TransportError as error:
            fresh_outcome = type(error).__name__
        kept.close()
        started = time.monotonic()
        code = gateway.process.wait(timeout=30)
        took = time.monotonic() - started
    finally:
        gateway.stop()
    assert kept_outcome != 200, "a request after SIGTERM was served"
    assert kept_outcome == 503 or isinstance(kept_outcome, str), kept_outcome
    assert fresh_outcome == "ConnectError", f"a new connection after SIGTERM got {fresh_outcome}"
    assert [pid for pid in servers if alive(pid)] == [], "a server that ignores SIGTERM outlived warden serve"
    assert code == 0, gateway.log()[-2000:]
    assert took < 15
