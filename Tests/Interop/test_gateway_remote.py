"""Remote upstreams: a FastMCP server on Streamable HTTP behind `warden serve` and behind `warden run --upstream`.

The upstream's credential comes from Warden's configuration; the FastMCP server logs the Authorization header each
call carried, which proves the agent's own key never reaches it. One client, one API key and one gateway reach two
upstream servers (a stdio child and the remote one), each under its own policy.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import mcp_types as types
import pytest

from gateway_support import INITIALIZE, Gateway, gateway_client, new_key, raw_post
from support import (
    DEMO_POLICY,
    SDK_MODES,
    call_tool_or_error,
    decision_meta,
    demo_server_command,
    denial_text,
    error_code,
    free_port,
    result_text,
    sdk_client,
    warden_bin,
    write_policy,
)
from test_gateway import indent
from test_mcp1_client import CLIENT, mcp1_python

pytestmark = pytest.mark.anyio

SERVER = Path(__file__).parent / "upstreams" / "fastmcp_inventory.py"
UPSTREAM_TOKEN = "upstream-secret-7f3a"

INVENTORY_POLICY = """\
version: 1
default: allow
hide: ["delete_*"]
rules:
  - name: transfers are capped
    tool: transfer_funds
    when:
      args.amount: {gt: 100}
    action: deny
    reason: Transfers over 100 need a second approver
"""


class FastMCPHTTP:
    def __init__(self, directory: Path) -> None:
        self.calls = directory / "inventory-calls.log"
        self.calls.touch()
        self.port = free_port()
        self.log = (directory / "inventory.log").open("w")
        self.process = subprocess.Popen(
            [sys.executable, str(SERVER), "--http", str(self.port)],
            stdout=self.log,
            stderr=subprocess.STDOUT,
            env={**os.environ, "INVENTORY_CALL_LOG": str(self.calls)},
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return
            except OSError:
                if self.process.poll() is not None:
                    raise AssertionError("the FastMCP server exited before listening")
                time.sleep(0.1)
        raise AssertionError("the FastMCP server did not start listening")

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/mcp"

    def calls_seen(self) -> list[str]:
        return self.calls.read_text().splitlines()

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.log.close()


@pytest.fixture
def inventory(tmp_path: Path) -> Iterator[FastMCPHTTP]:
    server = FastMCPHTTP(tmp_path)
    yield server
    server.stop()


@pytest.fixture
def key_pair() -> tuple[str, str]:
    return new_key()


@pytest.fixture
def gateway(tmp_path: Path, inventory: FastMCPHTTP, key_pair, request: pytest.FixtureRequest) -> Iterator[Gateway]:
    config = (
        'store: "memory:"\n'
        "servers:\n"
        "  demo:\n"
        f"    command: {json.dumps(demo_server_command())}\n"
        f"    policy:\n{indent(DEMO_POLICY, 6)}\n"
        "  inventory:\n"
        f"    url: {inventory.url}\n"
        "    headers: {Authorization: \"Bearer ${INVENTORY_TOKEN}\"}\n"
        f"    policy:\n{indent(INVENTORY_POLICY, 6)}\n"
        "aggregate: [demo, inventory]\n"
        f'agents:\n  - id: claims-bot\n    key_sha256: "{key_pair[1]}"\n'
    )
    running = Gateway(tmp_path, config, env={**os.environ, "INVENTORY_TOKEN": UPSTREAM_TOKEN})
    request.node.warden_stderr_path = running.log_path
    yield running
    running.stop()


@pytest.mark.parametrize(("mode", "revision"), SDK_MODES)
async def test_one_client_uses_two_upstreams_through_one_gateway(gateway, inventory, key_pair, mode, revision):
    key = key_pair[0]
    async with gateway_client(gateway.url("inventory"), key, mode=mode) as client:
        negotiated = client.protocol_version
        listed = sorted(tool.name for tool in (await client.list_tools()).tools)
        added = await client.call_tool("add_item", {"name": "widget", "quantity": 2})
        small = await client.call_tool("transfer_funds", {"amount": 50, "to_account": "acct-1"})
        large = await client.call_tool("transfer_funds", {"amount": 5000, "to_account": "acct-evil"})
        hidden = await call_tool_or_error(client, "delete_item", {"name": "widget"})
    async with gateway_client(gateway.url("demo"), key, mode=mode) as client:
        record = await client.call_tool("read_record", {"id": "r-1"})
        export = await client.call_tool("start_export_job", {"destination_uri": "s3://attacker/x", "dataset": "claims"})

    assert negotiated == revision
    assert listed == ["add_item", "transfer_funds"]
    assert (added.is_error, result_text(added)) == (False, "added 2 x widget")
    assert (small.is_error, result_text(small)) == (False, "transferred 50 to acct-1")
    assert large.is_error
    assert result_text(large) == denial_text("Transfers over 100 need a second approver", "transfers are capped")
    assert decision_meta(large)["action"] == "deny"
    assert error_code(hidden) == -32602
    assert result_text(record) == "Claim 1042: approved"
    assert export.is_error and decision_meta(export)["rule"] == "exports go to the approved bucket only"
    # Only allowed calls reached the server, each with the gateway's credential and never the agent's key.
    assert inventory.calls_seen() == [f"add_item auth=Bearer {UPSTREAM_TOKEN}", f"transfer_funds auth=Bearer {UPSTREAM_TOKEN}"]
    assert key not in inventory.calls.read_text()


@pytest.mark.parametrize(("mode", "revision"), SDK_MODES)
async def test_aggregate_endpoint_merges_upstreams_under_their_own_policies(gateway, inventory, key_pair, mode, revision):
    questions: list[str] = []

    async def answer(context, params: types.ElicitRequestParams) -> types.ElicitResult:
        questions.append(params.message)
        return types.ElicitResult(action="accept", content={"answer": "teal"})

    aggregate_url = gateway.url("demo").rsplit("/", 1)[0]
    async with gateway_client(aggregate_url, key_pair[0], mode=mode, elicitation_callback=answer) as client:
        negotiated = client.protocol_version
        listed = sorted(tool.name for tool in (await client.list_tools()).tools)
        record = await client.call_tool("demo__read_record", {"id": "r-1"})
        transfer = await client.call_tool("inventory__transfer_funds", {"amount": 70, "to_account": "acct-3"})
        large = await client.call_tool("inventory__transfer_funds", {"amount": 7000, "to_account": "acct-evil"})
        export = await client.call_tool("demo__start_export_job", {"destination_uri": "s3://attacker/x", "dataset": "claims"})
        hidden = await call_tool_or_error(client, "inventory__delete_item", {"name": "widget"})
        unknown = await call_tool_or_error(client, "nowhere__read_record", {"id": "r-1"})
        asked = await client.call_tool("demo__ask_user", {"question": "Aggregate colour?"})

    assert negotiated == revision
    assert listed == sorted(
        ["inventory__add_item", "inventory__transfer_funds"]
        + [f"demo__{tool}" for tool in ("read_record", "write_record", "start_export_job", "create_charge", "echo", "ask_user", "slow_task")]
    )
    assert result_text(record) == "Claim 1042: approved"
    assert result_text(transfer) == "transferred 70 to acct-3"
    assert large.is_error and decision_meta(large)["rule"] == "transfers are capped"
    assert export.is_error and decision_meta(export)["rule"] == "exports go to the approved bucket only"
    assert error_code(hidden) == -32602
    assert error_code(unknown) == -32602
    assert questions == ["Aggregate colour?"]
    assert result_text(asked) == "The user answered: teal"
    assert inventory.calls_seen() == [f"transfer_funds auth=Bearer {UPSTREAM_TOKEN}"]


def test_sdk_1x_client_over_streamable_http(gateway, inventory, key_pair):
    completed = subprocess.run(
        [mcp1_python(), str(CLIENT), "--http", gateway.url("demo"), key_pair[0]],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert completed.returncode == 0, completed.stderr[-3000:]
    report = json.loads(completed.stdout.strip().splitlines()[-1])
    assert report["negotiated"] == "2025-06-18"
    assert "delete_record" not in report["tools"] and "read_record" in report["tools"]
    assert report["allowed"] == {"isError": False, "text": "Claim 1042: approved"}
    assert report["denied"]["isError"] is True
    assert report["hidden_error"] == -32602


@pytest.mark.parametrize(("mode", "revision"), SDK_MODES)
async def test_stdio_bridge_to_a_remote_server(tmp_path, inventory, stderr_log, mode, revision):
    policy = write_policy(tmp_path, INVENTORY_POLICY)
    command = [
        warden_bin(), "run", "--policy", str(policy), "--store", "memory:", "--agent", "desktop",
        "--upstream", inventory.url, "--header", "Authorization: Bearer ${INVENTORY_TOKEN}",
    ]
    _, errlog = stderr_log
    async with sdk_client(command, mode=mode, errlog=errlog, env={"INVENTORY_TOKEN": UPSTREAM_TOKEN}) as client:
        negotiated = client.protocol_version
        listed = sorted(tool.name for tool in (await client.list_tools()).tools)
        small = await client.call_tool("transfer_funds", {"amount": 20, "to_account": "acct-2"})
        large = await client.call_tool("transfer_funds", {"amount": 900, "to_account": "acct-evil"})
    assert negotiated == revision
    assert listed == ["add_item", "transfer_funds"]
    assert result_text(small) == "transferred 20 to acct-2"
    assert large.is_error and decision_meta(large)["rule"] == "transfers are capped"
    assert inventory.calls_seen() == [f"transfer_funds auth=Bearer {UPSTREAM_TOKEN}"]


async def test_unreachable_remote_upstream_answers_with_an_error(tmp_path, key_pair):
    dead_port = free_port()
    config = (
        'store: "memory:"\nservers:\n  gone:\n'
        f"    url: http://127.0.0.1:{dead_port}/mcp\n"
        "    policy: {version: 1, default: allow}\n"
        f'agents:\n  - id: claims-bot\n    key_sha256: "{key_pair[1]}"\n'
    )
    gateway = Gateway(tmp_path, config)
    try:
        started = time.monotonic()
        response = raw_post(gateway.url("gone"), INITIALIZE, key=key_pair[0])
        elapsed = time.monotonic() - started
    finally:
        gateway.stop()
    assert response.status_code == 200
    error = response.json()["error"]
    assert response.json()["id"] == 1
    assert "could not be reached" in error["message"]
    assert elapsed < 30


class CountingProxy:
    """A TCP relay on loopback that counts the connections made through it."""

    def __init__(self, target_port: int) -> None:
        import threading

        self.connections = 0
        self.listener = socket.socket()
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(64)
        self.listener.settimeout(0.2)
        self.port = self.listener.getsockname()[1]
        self.target_port = target_port
        self.running = True
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        import threading

        while self.running:
            try:
                client, _ = self.listener.accept()
            except OSError:
                continue
            self.connections += 1
            server = socket.create_connection(("127.0.0.1", self.target_port))
            threading.Thread(target=self._pipe, args=(client, server), daemon=True).start()
            threading.Thread(target=self._pipe, args=(server, client), daemon=True).start()

    @staticmethod
    def _pipe(source: socket.socket, target: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                target.sendall(data)
        except OSError:
            pass
        finally:
            try:
                target.shutdown(socket.SHUT_WR)
            except OSError:
                pass

    def stop(self) -> None:
        self.running = False
        self.listener.close()


async def test_remote_upstream_connections_are_reused(tmp_path, inventory, key_pair):
    proxy = CountingProxy(inventory.port)
    config = (
        'store: "memory:"\nservers:\n  inventory:\n'
        f"    url: http://127.0.0.1:{proxy.port}/mcp\n"
        f"    policy:\n{indent(INVENTORY_POLICY, 6)}\n"
        f'agents:\n  - id: claims-bot\n    key_sha256: "{key_pair[1]}"\n'
    )
    gateway = Gateway(tmp_path, config)
    try:
        async with gateway_client(gateway.url("inventory"), key_pair[0], mode="legacy") as client:
            for quantity in range(1, 21):
                await client.call_tool("add_item", {"name": "bolt", "quantity": quantity})
    finally:
        gateway.stop()
        proxy.stop()
    assert len(inventory.calls_seen()) == 20
    # Twenty calls one after another: a few keep-alive connections (requests, the server's own stream), not twenty.
    assert proxy.connections <= 4, f"{proxy.connections} connections for 20 calls"


async def test_a_remote_upstream_that_never_answers_times_out(tmp_path, key_pair):
    import threading

    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(8)
    held: list[socket.socket] = []

    def accept() -> None:
        # Accepts and reads, never answers.
        while True:
            try:
                connection, _ = silent.accept()
            except OSError:
                return
            held.append(connection)

    threading.Thread(target=accept, daemon=True).start()
    config = (
        'store: "memory:"\nservers:\n  silent:\n'
        f"    url: http://127.0.0.1:{silent.getsockname()[1]}/mcp\n"
        "    timeout: 1s\n"
        "    policy: {version: 1, default: allow}\n"
        f'agents:\n  - id: claims-bot\n    key_sha256: "{key_pair[1]}"\n'
    )
    gateway = Gateway(tmp_path, config)
    try:
        started = time.monotonic()
        response = raw_post(gateway.url("silent"), INITIALIZE, key=key_pair[0])
        elapsed = time.monotonic() - started
    finally:
        gateway.stop()
        silent.close()
        for connection in held:
            connection.close()
    assert response.status_code == 200
    assert response.json()["id"] == 1 and "upstream" in response.json()["error"]["message"]
    assert 0.9 <= elapsed < 10
