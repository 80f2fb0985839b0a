"""Human approval with the official Python SDK 2.x as the client: Warden asks the client's own user through the
SDK's elicitation callback, and the answer decides whether the held call reaches the server."""

from __future__ import annotations

from pathlib import Path

import mcp_types as types
import pytest

from support import call_tool_or_error, decision_meta, demo_server_command, result_text, sdk_client, warden_bin, write_policy

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


def calls_seen_by_server(log: Path) -> list[str]:
    prefix = "demo-server: called "
    return [line[len(prefix):].strip() for line in log.read_text().splitlines() if line.startswith(prefix)]


@pytest.mark.parametrize("decision", ["approve", "deny"])
async def test_the_clients_user_decides_a_held_call(tmp_path: Path, stderr_log, decision: str):
    questions: list[str] = []

    async def answer(context, params: types.ElicitRequestParams) -> types.ElicitResult:
        questions.append(params.message)
        return types.ElicitResult(action="accept", content={"decision": decision, "reason": "checked the ticket"})

    policy = write_policy(tmp_path, POLICY)
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
