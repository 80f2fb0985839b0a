"""`warden serve`: a body must read the same to every reader, or it is refused before it reaches a server.

The upstream is a Python SDK (FastMCP) server on stdio, whose reader splits lines on CR as well as LF. A body that
hides a second message behind a raw CR would make it run a tool Warden never judged (and hid).
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx2
import pytest

from gateway_support import INITIALIZE, Gateway, new_key, raw_post
from support import demo_server_command, stateless_meta

pytestmark = pytest.mark.anyio

INVENTORY = Path(__file__).parent / "upstreams" / "fastmcp_inventory.py"

POLICY = """\
      version: 1
      default: allow
      hide: ["delete_*"]
"""

#: A notification Warden reads as one message; a reader that splits on CR sees a tools/call of the hidden tool.
SMUGGLED = (
    b'{"jsonrpc":"2.0","method":"notifications/message","params":{"level":"info","data":\r'
    b'{"jsonrpc":"2.0","id":77,"method":"tools/call","params":{"name":"delete_item","arguments":{"name":"widget"}}}'
    b"\r}}"
)


def config(digest: str, calls: Path) -> str:
    return (
        'store: "memory:"\n'
        "servers:\n"
        "  inventory:\n"
        f"    command: {json.dumps([sys.executable, str(INVENTORY)])}\n"
        f"    env: {{INVENTORY_CALL_LOG: {json.dumps(str(calls))}}}\n"
        "    policy:\n"
        f"{POLICY}"
        "  demo:\n"
        f"    command: {json.dumps(demo_server_command())}\n"
        "    policy: {version: 1, default: allow}\n"
        "aggregate: [inventory]\n"
        f'agents:\n  - id: alice\n    key_sha256: "{digest}"\n'
    )


@pytest.fixture
def setup(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[tuple[Gateway, str, Path]]:
    key, digest = new_key()
    calls = tmp_path / "calls.log"
    calls.touch()
    gateway = Gateway(tmp_path, config(digest, calls))
    request.node.warden_stderr_path = gateway.log_path
    yield gateway, key, calls
    gateway.stop()


def open_session(url: str, key: str) -> str:
    opened = raw_post(url, INITIALIZE, key=key)
    assert opened.status_code == 200, opened.text
    session = opened.headers["Mcp-Session-Id"]
    initialized = raw_post(url, {"jsonrpc": "2.0", "method": "notifications/initialized"}, key=key, headers={"Mcp-Session-Id": session})
    assert initialized.status_code == 202
    return session


def call(url: str, key: str, session: str, name: str, arguments: dict) -> dict:
    body = {"jsonrpc": "2.0", "id": 5, "method": "tools/call", "params": {"name": name, "arguments": arguments}}
    response = raw_post(url, body, key=key, headers={"Mcp-Session-Id": session, "Accept": "application/json"})
    assert response.status_code == 200, response.text
    return response.json()


@pytest.mark.parametrize("endpoint", ["inventory", "aggregate"])
async def test_a_message_hidden_behind_a_raw_cr_never_reaches_the_server(setup, endpoint):
    gateway, key, calls = setup
    url = gateway.url("inventory") if endpoint == "inventory" else f"http://127.0.0.1:{gateway.port}/mcp"
    tool = "add_item" if endpoint == "inventory" else "inventory__add_item"
    session = open_session(url, key)

    smuggled = raw_post(url, None, key=key, headers={"Mcp-Session-Id": session}, content=SMUGGLED)
    # The upstream reads in order: once a later call is answered, anything the smuggled body held has run.
    after = call(url, key, session, tool, {"name": "widget", "quantity": 1})

    assert smuggled.status_code == 400, smuggled.text
    assert smuggled.json()["error"]["code"] in (-32700, -32600)
    assert "line break" in smuggled.json()["error"]["message"]
    assert "result" in after, after
    assert "delete_item" not in calls.read_text()
    assert "add_item" in calls.read_text()


async def test_a_stateless_request_with_two_ids_is_refused_and_nothing_hangs(setup):
    gateway, key, _ = setup
    headers = {"MCP-Protocol-Version": "2026-07-28", "Accept": "application/json"}
    params = json.dumps({"name": "read_record", "arguments": {"id": "r-1"}, "_meta": stateless_meta()})
    body = f'{{"jsonrpc":"2.0","id":41,"method":"tools/call","params":{params},"id":42}}'.encode()
    began = time.monotonic()
    swapped = raw_post(gateway.url("demo"), None, key=key, headers=headers, content=body)
    assert time.monotonic() - began < 5
    assert swapped.status_code == 400, swapped.text
    assert swapped.json()["error"]["code"] == -32600
    # The agent's shared session still works, and nothing meant for the refused request turns up.
    plain = {"jsonrpc": "2.0", "id": 43, "method": "tools/call", "params": json.loads(params)}
    answered = raw_post(gateway.url("demo"), plain, key=key, headers=headers)
    assert answered.status_code == 200
    assert answered.json()["id"] == 43
    # Shutdown does not wait on a request nobody answers.
    began = time.monotonic()
    assert gateway.stop() == 0
    assert time.monotonic() - began < 10
