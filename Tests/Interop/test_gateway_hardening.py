"""`warden serve` under a client that tries to exhaust it: idle connections, too many connections, too many sessions.

Everything here stays on 127.0.0.1 and opens a bounded number of sockets.
"""

from __future__ import annotations

import json
import socket
import time
from collections.abc import Iterator
from pathlib import Path

import httpx2
import pytest

from gateway_support import INITIALIZE, Gateway, gateway_client, new_key, raw_post
from support import DEMO_POLICY, demo_server_command, result_text

pytestmark = pytest.mark.anyio


def indent(text: str, spaces: int) -> str:
    return "\n".join(" " * spaces + line if line else line for line in text.splitlines())


def demo_config(keys: dict[str, str], extra: str = "") -> str:
    agents = "".join(f"  - id: {agent}\n    key_sha256: \"{digest}\"\n" for agent, digest in keys.items())
    return (
        f"store: \"memory:\"\n{extra}"
        "servers:\n"
        "  demo:\n"
        f"    command: {json.dumps(demo_server_command())}\n"
        "    policy:\n"
        f"{indent(DEMO_POLICY, 6)}\n"
        f"agents:\n{agents}"
    )


@pytest.fixture
def keys() -> dict[str, tuple[str, str]]:
    return {"alice": new_key(), "bob": new_key()}


def start(tmp_path: Path, keys, request: pytest.FixtureRequest, extra: str) -> Gateway:
    gateway = Gateway(tmp_path, demo_config({agent: pair[1] for agent, pair in keys.items()}, extra))
    request.node.warden_stderr_path = gateway.log_path
    return gateway


@pytest.fixture
def stoppable() -> Iterator[list[Gateway]]:
    gateways: list[Gateway] = []
    yield gateways
    for gateway in gateways:
        gateway.stop()


def idle_sockets(port: int, count: int, *, partial: bytes = b"") -> list[socket.socket]:
    """`count` connections that send nothing (or the first bytes of a head that never ends) and wait."""
    sockets = []
    for _ in range(count):
        connection = socket.create_connection(("127.0.0.1", port), timeout=5)
        if partial:
            connection.sendall(partial)
        sockets.append(connection)
    return sockets


def closed_by_server(connection: socket.socket, within: float) -> bool:
    """Whether the server closed `connection` (EOF or reset) within `within` seconds."""
    connection.settimeout(within)
    try:
        while True:
            data = connection.recv(4096)
            if not data:
                return True
    except (ConnectionResetError, BrokenPipeError):
        return True
    except TimeoutError:
        return False


def upstream_processes(gateway: Gateway) -> int:
    """The gateway's child processes (each stdio session's upstream is one)."""
    count = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue
        fields = text[text.rfind(")") + 2 :].split()
        if int(fields[1]) == gateway.process.pid:
            count += 1
    return count


def initialize(gateway: Gateway, key: str):
    return raw_post(gateway.url("demo"), INITIALIZE, key=key)


async def test_a_normal_client_is_served_while_hundreds_of_connections_sit_idle(tmp_path, keys, request, stoppable):
    gateway = start(tmp_path, keys, request, "header_timeout: 2s\nkeep_alive_timeout: 4s\n")
    stoppable.append(gateway)
    silent = idle_sockets(gateway.port, 300)
    trickling = idle_sockets(gateway.port, 100, partial=b"POST /mcp/demo HTTP/1.1\r\nHost: x\r\n")
    try:
        began = time.monotonic()
        with httpx2.Client(timeout=5) as http:
            health = http.get(f"http://127.0.0.1:{gateway.port}/healthz")
        async with gateway_client(gateway.url("demo"), keys["alice"][0], mode="legacy") as client:
            result = await client.call_tool("read_record", {"id": "r-1"})
        elapsed = time.monotonic() - began
        assert health.status_code == 200
        assert result_text(result) == "Claim 1042: approved"
        assert elapsed < 5, f"a normal client took {elapsed:.1f}s while connections sat idle"
        # The idle ones are dropped once the header timeout passes, the trickling ones too: their heads never end.
        assert all(closed_by_server(connection, within=6) for connection in silent[:20] + trickling[:20])
    finally:
        for connection in silent + trickling:
            connection.close()


async def test_a_keep_alive_connection_is_closed_after_the_idle_timeout(tmp_path, keys, request, stoppable):
    gateway = start(tmp_path, keys, request, "header_timeout: 1s\nkeep_alive_timeout: 2s\n")
    stoppable.append(gateway)
    connection = socket.create_connection(("127.0.0.1", gateway.port), timeout=5)
    try:
        connection.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        answer = connection.recv(4096)
        assert answer.startswith(b"HTTP/1.1 200")
        began = time.monotonic()
        assert closed_by_server(connection, within=6)
        # Closed by the keep-alive timeout (2 s), not the header timeout (1 s) nor never.
        assert 1.5 < time.monotonic() - began < 5
    finally:
        connection.close()


async def test_connections_past_the_cap_get_503_and_the_gateway_recovers(tmp_path, keys, request, stoppable):
    gateway = start(tmp_path, keys, request, "max_connections: 40\nheader_timeout: 30s\n")
    stoppable.append(gateway)
    held = idle_sockets(gateway.port, 40)
    try:
        time.sleep(0.3)
        with httpx2.Client(timeout=5) as http:
            refused = http.get(f"http://127.0.0.1:{gateway.port}/healthz")
        assert refused.status_code == 503
        error = refused.json()["error"]
        assert error["code"] == -32021
        assert "max_connections" in error["message"]
    finally:
        for connection in held:
            connection.close()
    time.sleep(0.3)
    with httpx2.Client(timeout=5) as http:
        assert http.get(f"http://127.0.0.1:{gateway.port}/healthz").status_code == 200


async def test_sessions_past_the_caps_are_refused_and_start_no_upstream(tmp_path, keys, request, stoppable):
    gateway = start(tmp_path, keys, request, "max_sessions: 5\nmax_sessions_per_agent: 3\n")
    stoppable.append(gateway)
    alice, bob = keys["alice"][0], keys["bob"][0]
    opened = [initialize(gateway, alice) for _ in range(3)]
    assert [response.status_code for response in opened] == [200, 200, 200]
    over_agent = initialize(gateway, alice)
    assert over_agent.status_code == 429
    assert over_agent.json()["error"]["code"] == -32021
    assert "max_sessions_per_agent" in over_agent.json()["error"]["message"]

    assert [initialize(gateway, bob).status_code for _ in range(2)] == [200, 200]
    over_total = initialize(gateway, bob)
    assert over_total.status_code == 503
    assert "max_sessions" in over_total.json()["error"]["message"]
    # The stateless path is capped the same way: bob has no allowance left for a shared session either.
    stateless = raw_post(
        gateway.url("demo"),
        {"jsonrpc": "2.0", "id": 9, "method": "tools/list", "params": {"_meta": {"io.modelcontextprotocol/protocolVersion": "2026-07-28"}}},
        key=bob,
        headers={"MCP-Protocol-Version": "2026-07-28"},
    )
    assert stateless.status_code == 503

    deadline = time.monotonic() + 10
    while upstream_processes(gateway) < 5 and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.5)
    assert upstream_processes(gateway) == 5

    # Ending a session gives its place back.
    session = opened[0].headers["Mcp-Session-Id"]
    with httpx2.Client(timeout=10) as http:
        ended = http.delete(gateway.url("demo"), headers={"Authorization": f"Bearer {alice}", "Mcp-Session-Id": session})
    assert ended.status_code == 204
    assert initialize(gateway, alice).status_code == 200


async def test_metrics_with_a_token_answer_401_without_it(tmp_path, keys, request, stoppable):
    import hashlib

    token = "metrics-" + "x" * 20
    gateway = start(tmp_path, keys, request, f'metrics: {{token_sha256: "{hashlib.sha256(token.encode()).hexdigest()}"}}\n')
    stoppable.append(gateway)
    base = f"http://127.0.0.1:{gateway.port}"
    with httpx2.Client(timeout=10) as http:
        missing = http.get(f"{base}/metrics")
        agent_key = http.get(f"{base}/metrics", headers={"Authorization": f"Bearer {keys['alice'][0]}"})
        right = http.get(f"{base}/metrics", headers={"Authorization": f"Bearer {token}"})
        health = http.get(f"{base}/healthz")
    assert missing.status_code == 401
    assert missing.headers["WWW-Authenticate"].startswith("Bearer")
    assert agent_key.status_code == 401
    assert right.status_code == 200 and "warden_active_sessions" in right.text
    assert health.status_code == 200
