"""Human approval with the official Python SDK 2.x as the client: under `ask_client: true` Warden asks the client's
own user through the SDK's elicitation callback, and the answer decides whether the held call reaches the server;
without it the client is never asked, and the call waits for a person out of band."""

from __future__ import annotations

import json
import subprocess
import time
from pathlib import Path

import anyio
import mcp_types as types
import pytest

from support import (
    LineProcess,
    call_tool_or_error,
    decision_meta,
    demo_server_command,
    result_text,
    sdk_client,
    warden_bin,
    write_policy,
)

pytestmark = pytest.mark.anyio

POLICY = """\
version: 1
rules:
  - name: legal records need a human
    tool: write_record
    when:
      args.id: {starts_with: "legal-"}
    action: require_approval
    reason: Legal hold records change only with a person's consent
"""

ASK_CLIENT_POLICY = POLICY + "    approval: {ask_client: true}\n"


def calls_seen_by_server(log: Path) -> list[str]:
    prefix = "demo-server: called "
    return [line[len(prefix):].strip() for line in log.read_text().splitlines() if line.startswith(prefix)]


@pytest.mark.parametrize("decision", ["approve", "deny"])
async def test_the_clients_user_decides_a_held_call(tmp_path: Path, stderr_log, decision: str):
    questions: list[str] = []

    async def answer(context, params: types.ElicitRequestParams) -> types.ElicitResult:
        questions.append(params.message)
        return types.ElicitResult(action="accept", content={"decision": decision, "reason": "checked the ticket"})

    policy = write_policy(tmp_path, ASK_CLIENT_POLICY)
    command = [warden_bin(), "run", "--policy", str(policy), "--store", f"sqlite:{tmp_path}/warden.db", "--agent", "bot", "--"]
    command += demo_server_command()
    log, errlog = stderr_log
    async with sdk_client(command, mode="legacy", errlog=errlog, elicitation_callback=answer) as client:
        outcome = await call_tool_or_error(client, "write_record", {"id": "legal-7", "value": "x"})
    errlog.flush()

    assert len(questions) == 1
    assert "write_record" in questions[0] and "legal records need a human" in questions[0]
    assert isinstance(outcome, types.CallToolResult)
    if decision == "approve":
        assert outcome.is_error is not True
        assert calls_seen_by_server(log) == ["write_record"]
    else:
        assert outcome.is_error is True
        assert "checked the ticket" in result_text(outcome)
        assert decision_meta(outcome)["approvalId"].startswith("ap_")
        assert calls_seen_by_server(log) == []


async def test_an_agent_that_can_elicit_cannot_approve_its_own_call(tmp_path: Path, stderr_log):
    """The default: the SDK's callback is never called, and the call goes through only when a person approves it."""
    questions: list[str] = []

    async def answer(context, params: types.ElicitRequestParams) -> types.ElicitResult:
        questions.append(params.message)
        return types.ElicitResult(action="accept", content={"decision": "approve", "reason": "I am my own human"})

    store = f"sqlite:{tmp_path}/warden.db"
    policy = write_policy(tmp_path, POLICY)
    command = [warden_bin(), "run", "--policy", str(policy), "--store", store, "--agent", "bot", "--", *demo_server_command()]
    log, errlog = stderr_log

    def approve_out_of_band() -> dict:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            listed = subprocess.run([warden_bin(), "approvals", "list", "--json", "--store", store], capture_output=True, text=True)
            pending = json.loads(listed.stdout or "[]")
            if pending:
                decided = subprocess.run(
                    [warden_bin(), "approvals", "approve", pending[0]["id"], "--by", "alice", "--store", store],
                    capture_output=True, text=True, timeout=30,
                )
                assert decided.returncode == 0, decided.stderr
                return pending[0]
            time.sleep(0.1)
        raise AssertionError("no pending approval appeared")

    async with sdk_client(command, mode="legacy", errlog=errlog, elicitation_callback=answer) as client:
        async with anyio.create_task_group() as group:
            outcome: list = []

            async def call() -> None:
                outcome.append(await call_tool_or_error(client, "write_record", {"id": "legal-8", "value": "x"}))

            group.start_soon(call)
            pending = await anyio.to_thread.run_sync(approve_out_of_band)
    errlog.flush()

    assert questions == []
    assert json.loads(pending["arguments"]) == {"id": "legal-8", "value": "x"}
    assert isinstance(outcome[0], types.CallToolResult) and outcome[0].is_error is not True
    assert calls_seen_by_server(log) == ["write_record"]


class WebhookReceiver:
    """A local HTTP endpoint on 127.0.0.1 that records the JSON bodies POSTed to it; the first `failures` get a 500."""

    def __init__(self, failures: int = 0) -> None:
        import http.server
        import threading

        received: list[dict] = []
        remaining = [failures]

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 (the name is http.server's)
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                if remaining[0] > 0:
                    remaining[0] -= 1
                    self.send_response(500)
                else:
                    received.append(json.loads(body))
                    self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.received = received
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"

    def wait_for(self, count: int, timeout: float = 20) -> list[dict]:
        deadline = time.monotonic() + timeout
        while len(self.received) < count and time.monotonic() < deadline:
            time.sleep(0.05)
        return list(self.received)

    def close(self) -> None:
        self.server.shutdown()


def test_the_webhook_announces_new_and_resolved_approvals_and_retries(tmp_path: Path):
    receiver = WebhookReceiver(failures=1)
    store = f"sqlite:{tmp_path}/warden.db"
    policy = write_policy(tmp_path, POLICY)
    command = [warden_bin(), "run", "--policy", str(policy), "--store", store, "--agent", "bot", "--approval-webhook", receiver.url, "--"]
    proxy = LineProcess(command + demo_server_command())
    try:
        proxy.send({"jsonrpc": "2.0", "id": 1, "method": "tools/call", "params": {"name": "write_record", "arguments": {"id": "legal-1", "value": "x"}}})
        events = receiver.wait_for(1)
        assert [event["event"] for event in events] == ["approval.pending"]
        approval_id = events[0]["approval"]["id"]
        assert events[0]["approval"]["tool"] == "write_record"
        assert f"warden approvals approve {approval_id}" in events[0]["text"]
        denied = subprocess.run(
            [warden_bin(), "approvals", "deny", approval_id, "--reason", "not today", "--store", store],
            capture_output=True, text=True, timeout=30,
        )
        assert denied.returncode == 0, denied.stderr
        answer = proxy.read_response(1)
        assert answer["result"]["isError"] is True
        events = receiver.wait_for(2)
        assert [event["event"] for event in events] == ["approval.pending", "approval.resolved"]
        assert events[1]["approval"]["state"] == "denied"
    finally:
        proxy.close()
        receiver.close()
