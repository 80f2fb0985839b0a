"""A hand-written 2026-07-28 client (JSON lines, no initialize) through Warden: what Warden interprets and what it
must leave alone, byte for byte."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from support import (
    LineProcess,
    demo_server_command,
    denial_text,
    stateless_meta,
    warden_command,
    write_policy,
)

RECORDER = Path(__file__).parent / "upstreams" / "recorder.py"

POLICY = """\
version: 1
default: allow
rules:
  - name: large charges need finance review
    tool: create_charge
    when:
      args.amount: {gt: 500}
    action: deny
    reason: Charges over 500 need finance review
"""

META_JSON = json.dumps(stateless_meta(), separators=(",", ":"))
UNKNOWN_REQUEST = (
    '{"params":{"zeta":1.50,"alpha":"\\u00e9x","big":12345678901234567890123,"nested":{"b":[true,null],"a":{}},'
    '"_meta":' + META_JSON + '},"method":"vendor/experimental","id":41,  "jsonrpc":"2.0"}'
).encode()
NOTIFICATION = b'{"method":"notifications/vendor_event","jsonrpc":"2.0","params":{"b":2,"a":"\\u2603","x":1e2}}'


def recorded_lines(log: Path) -> list[bytes]:
    return [line.rstrip(b"\n") for line in log.read_bytes().splitlines(keepends=True)]


def request(request_id: int, method: str, params: dict | None = None) -> dict:
    return {"jsonrpc": "2.0", "id": request_id, "method": method, "params": {**(params or {}), "_meta": stateless_meta()}}


def test_stateless_client_is_governed_and_unknown_traffic_passes_byte_for_byte(tmp_path):
    log = tmp_path / "received.log"
    log.touch()
    policy = write_policy(tmp_path, POLICY)
    with (tmp_path / "warden.stderr").open("wb") as stderr:
        proxy = LineProcess(
            warden_command(policy, [sys.executable, str(RECORDER)]), env={"RECORDER_LOG": str(log)}, stderr=stderr
        )
        try:
            proxy.send(request(1, "server/discover"))
            discovered = proxy.read_response(1)
            assert "2026-07-28" in discovered["result"]["supportedVersions"]

            proxy.send(request(2, "tools/call", {"name": "echo", "arguments": {"text": "hi"}}))
            echoed = proxy.read_response(2)
            assert echoed["result"]["content"][0]["text"] == "hi"

            proxy.send(request(3, "tools/call", {"name": "create_charge", "arguments": {"amount": 1200, "currency": "EUR"}}))
            denied = proxy.read_response(3)["result"]
            assert denied["isError"] is True
            assert denied["content"][0]["text"] == denial_text(
                "Charges over 500 need finance review", "large charges need finance review"
            )
            assert denied["_meta"]["warden/decision"]["action"] == "deny"
            assert denied.get("resultType") == "complete", "2026-07-28 results must carry resultType"

            # Unknown method: the request reaches the server unchanged, and its notification and answer come back
            # unchanged.
            proxy.send_bytes(UNKNOWN_REQUEST)
            assert proxy.read_line().rstrip(b"\n") == (
                b'{"method":"notifications/vendor_progress", "jsonrpc":"2.0","params":{"z":1.0e0,"a":"\\u00e9"}}'
            )
            assert proxy.read_line().rstrip(b"\n") == (
                b'{"result":{"unknownField":true,"n":[1,2.50,-0],"s":"\\ud83d\\ude00"},"jsonrpc":"2.0","id":41}'
            )

            # A notification has no answer; the echo after it proves the server has read past it.
            proxy.send_bytes(NOTIFICATION)
            proxy.send(request(4, "tools/call", {"name": "echo", "arguments": {"text": "after"}}))
            assert proxy.read_response(4)["result"]["content"][0]["text"] == "after"
        finally:
            status = proxy.close()

    received = recorded_lines(log)
    assert UNKNOWN_REQUEST in received
    assert NOTIFICATION in received
    assert received.index(NOTIFICATION) > received.index(UNKNOWN_REQUEST)
    methods = [json.loads(line).get("method") for line in received]
    assert "initialize" not in methods, "Warden must not invent a handshake for a stateless client"
    calls = [json.loads(line)["params"] for line in received if json.loads(line).get("method") == "tools/call"]
    assert [call["name"] for call in calls] == ["echo", "echo"], "the denied charge must never reach the server"
    assert all(call["_meta"] == stateless_meta() for call in calls), "the per-request _meta must reach the server intact"
    assert status == 0, "Warden exits with its upstream's status when the client closes stdin"


def test_stateless_client_against_the_demo_server(tmp_path, demo_policy):
    with (tmp_path / "warden.stderr").open("wb") as stderr:
        proxy = LineProcess(warden_command(demo_policy, demo_server_command("--page-size", "3")), stderr=stderr)
        try:
            proxy.send(request(1, "server/discover"))
            assert proxy.read_response(1)["result"]["supportedVersions"] == ["2026-07-28"]

            names: list[str] = []
            cursor = None
            for request_id in range(10, 20):
                proxy.send(request(request_id, "tools/list", {"cursor": cursor} if cursor else {}))
                page = proxy.read_response(request_id)["result"]
                assert page.get("resultType") == "complete"
                assert "ttlMs" in page and page.get("cacheScope") in ("public", "private")
                names.extend(tool["name"] for tool in page["tools"])
                cursor = page.get("nextCursor")
                if not cursor:
                    break
            assert "delete_record" not in names and "read_record" in names

            proxy.send(request(2, "tools/call", {"name": "start_export_job", "arguments": {"destination_uri": "s3://elsewhere/x"}}))
            denied = proxy.read_response(2)["result"]
            assert denied["isError"] is True
            assert decision_meta_from_raw(denied)["rule"] == "exports go to the approved bucket only"

            proxy.send(request(3, "tools/call", {"name": "delete_record", "arguments": {"id": "r-1"}}))
            assert proxy.read_response(3)["error"]["code"] == -32602

            proxy.send(request(4, "no/such/method"))
            assert proxy.read_response(4)["error"]["code"] == -32601
        finally:
            proxy.close()


def decision_meta_from_raw(result: dict) -> dict:
    decision = (result.get("_meta") or {}).get("warden/decision")
    assert isinstance(decision, dict), result
    return decision

