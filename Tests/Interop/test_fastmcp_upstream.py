"""A FastMCP server as the upstream, the Python SDK 2.x as the client: Warden enforces policy on a third-party server."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from support import (
    SDK_MODES,
    call_tool_or_error,
    decision_meta,
    denial_text,
    error_code,
    result_text,
    sdk_client,
    warden_command,
    write_policy,
)

pytestmark = pytest.mark.anyio

SERVER = Path(__file__).parent / "upstreams" / "fastmcp_inventory.py"

POLICY = """\
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


@pytest.mark.parametrize(("mode", "revision"), SDK_MODES)
async def test_fastmcp_upstream_allowed_and_denied_calls(tmp_path, stderr_log, mode, revision):
    calls = tmp_path / "calls.log"
    calls.touch()
    policy = write_policy(tmp_path, POLICY)
    _, errlog = stderr_log
    command = warden_command(policy, [sys.executable, str(SERVER)])
    async with sdk_client(command, mode=mode, errlog=errlog, env={"INVENTORY_CALL_LOG": str(calls)}) as client:
        negotiated = client.protocol_version
        listed = [tool.name for tool in (await client.list_tools()).tools]
        added = await client.call_tool("add_item", {"name": "widget", "quantity": 2})
        small = await client.call_tool("transfer_funds", {"amount": 50, "to_account": "acct-1"})
        large = await client.call_tool("transfer_funds", {"amount": 5000, "to_account": "acct-evil"})
        hidden = await call_tool_or_error(client, "delete_item", {"name": "widget"})

    assert negotiated == revision
    assert sorted(listed) == ["add_item", "transfer_funds"]
    assert (added.is_error, result_text(added)) == (False, "added 2 x widget")
    assert (small.is_error, result_text(small)) == (False, "transferred 50 to acct-1")
    assert large.is_error is True
    assert result_text(large) == denial_text("Transfers over 100 need a second approver", "transfers are capped")
    assert decision_meta(large).get("action") == "deny"
    assert error_code(hidden) == -32602, f"a hidden tool must look unknown, got {hidden!r}"
    assert calls.read_text().splitlines() == ["add_item", "transfer_funds"]
