"""The demo server on its own (no Warden): the upstream the other tests rely on behaves as a real MCP server does."""

from __future__ import annotations

from support import DEMO_TOOLS, LineProcess, demo_server_command, stateless_meta

INITIALIZE = {
    "jsonrpc": "2.0",
    "id": 0,
    "method": "initialize",
    "params": {"protocolVersion": "2025-06-18", "capabilities": {"elicitation": {}}, "clientInfo": {"name": "t", "version": "1"}},
}


def test_handshake_negotiates_the_requested_revision_or_the_latest():
    for requested, expected in [("2024-11-05", "2024-11-05"), ("2025-06-18", "2025-06-18"), ("1999-01-01", "2025-11-25")]:
        server = LineProcess(demo_server_command())
        try:
            server.send({**INITIALIZE, "params": {**INITIALIZE["params"], "protocolVersion": requested}})
            assert server.read_response(0)["result"]["protocolVersion"] == expected
        finally:
            assert server.close() == 0


def test_errors_follow_json_rpc():
    server = LineProcess(demo_server_command())
    try:
        server.send_bytes(b'{"jsonrpc":"2.0","id":1,"method":')
        malformed = server.read()
        assert malformed["id"] is None and malformed["error"]["code"] == -32700
        server.send({"jsonrpc": "2.0", "id": 2, "method": "no/such/method"})
        assert server.read_response(2)["error"]["code"] == -32601
        server.send({"jsonrpc": "2.0", "id": 3, "method": "tools/call", "params": {"name": "no_such_tool", "arguments": {}}})
        assert server.read_response(3)["error"]["code"] == -32602
        server.send({"jsonrpc": "2.0", "method": "notifications/initialized"})
        server.send({"jsonrpc": "2.0", "id": 4, "method": "ping"})
        assert server.read() == {"jsonrpc": "2.0", "id": 4, "result": {}}, "a notification must get no answer"
    finally:
        server.close()


def test_pages_cover_every_tool_once():
    server = LineProcess(demo_server_command("--page-size", "3"))
    try:
        server.send(INITIALIZE)
        server.read_response(0)
        names: list[str] = []
        cursor = None
        for request_id in range(1, 10):
            server.send({"jsonrpc": "2.0", "id": request_id, "method": "tools/list", "params": {"cursor": cursor} if cursor else {}})
            page = server.read_response(request_id)["result"]
            assert len(page["tools"]) <= 3
            names.extend(tool["name"] for tool in page["tools"])
            cursor = page.get("nextCursor")
            if not cursor:
                break
        assert names == DEMO_TOOLS
    finally:
        server.close()


def test_stateless_requests_need_no_handshake_and_unknown_revisions_are_refused():
    server = LineProcess(demo_server_command())
    try:
        server.send({"jsonrpc": "2.0", "id": 1, "method": "server/discover", "params": {"_meta": stateless_meta()}})
        discovered = server.read_response(1)["result"]
        assert discovered["supportedVersions"] == ["2026-07-28"] and discovered["resultType"] == "complete"
        call = {"name": "echo", "arguments": {"text": "hi"}, "_meta": stateless_meta()}
        server.send({"jsonrpc": "2.0", "id": 2, "method": "tools/call", "params": call})
        echoed = server.read_response(2)["result"]
        assert echoed["content"][0]["text"] == "hi" and echoed["resultType"] == "complete"
        future = stateless_meta(**{"io.modelcontextprotocol/protocolVersion": "2099-01-01"})
        server.send({"jsonrpc": "2.0", "id": 3, "method": "tools/call", "params": {**call, "_meta": future}})
        refused = server.read_response(3)["error"]
        assert refused["code"] == -32022 and refused["data"]["supported"] == ["2026-07-28"]
    finally:
        server.close()


def test_ask_user_sends_elicitation_and_answers_when_the_client_replies():
    server = LineProcess(demo_server_command())
    try:
        server.send(INITIALIZE)
        server.read_response(0)
        server.send({"jsonrpc": "2.0", "id": 7, "method": "tools/call", "params": {"name": "ask_user", "arguments": {"question": "Q?"}}})
        elicitation = server.read()
        assert elicitation["method"] == "elicitation/create" and elicitation["params"]["message"] == "Q?"
        server.send({"jsonrpc": "2.0", "id": elicitation["id"], "result": {"action": "accept", "content": {"answer": "yes"}}})
        assert server.read_response(7)["result"]["content"][0]["text"] == "The user answered: yes"
    finally:
        server.close()


def test_log_calls_names_each_call_on_stderr(tmp_path):
    with (tmp_path / "stderr.log").open("wb") as stderr:
        server = LineProcess(demo_server_command(), stderr=stderr)
        try:
            server.send({"jsonrpc": "2.0", "id": 1, "method": "tools/call", "params": {"name": "echo", "arguments": {"text": "x"}}})
            server.read_response(1)
        finally:
            server.close()
    assert (tmp_path / "stderr.log").read_text().splitlines() == ["demo-server: called echo"]

