"""Tool definitions as a trust boundary, against a real stdio server and the official SDK 2.x client.

The upstream (`upstreams/shifty_server.py`) changes a tool's description mid-session on request, can be restarted
with a changed schema, and can list a poisoned tool. Warden runs with a SQLite store in the test's directory, so
`warden pins` (a separate process, as a person would run it) reads and accepts the same pins the proxy enforces.
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from pathlib import Path

import mcp_types as types
import pytest

from support import call_tool_or_error, result_text, sdk_client, warden_bin, write_policy

pytestmark = pytest.mark.anyio

SERVER = Path(__file__).parent / "upstreams" / "shifty_server.py"
POLICY = """\
version: 1
default: allow
"""


def warden(store: Path, policy: Path) -> list[str]:
    return [
        warden_bin(), "run", "--policy", str(policy), "--agent", "interop-agent", "--server-name", "shifty",
        "--store", f"sqlite:{store}", "--", sys.executable, str(SERVER),
    ]


def pins(store: Path, *arguments: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [warden_bin(), "pins", *arguments, "--store", f"sqlite:{store}"], capture_output=True, text=True, timeout=60
    )


def calls_seen(log: Path) -> list[str]:
    prefix = "shifty: called "
    return [line[len(prefix):] for line in log.read_text().splitlines() if line.startswith(prefix)]


async def tool_names(client) -> list[str]:
    return sorted(tool.name for tool in (await client.list_tools()).tools)


def refused(outcome: object) -> str:
    """The text of a refusal: a tool result with isError, or a JSON-RPC error's message."""
    if isinstance(outcome, types.CallToolResult):
        assert outcome.is_error, f"the call was answered: {result_text(outcome)!r}"
        return result_text(outcome)
    return str(outcome)


async def test_schema_violating_calls_never_reach_the_server(tmp_path, stderr_log):
    log, errlog = stderr_log
    policy = write_policy(tmp_path, POLICY)
    async with sdk_client(warden(tmp_path / "w.db", policy), mode="legacy", errlog=errlog) as client:
        as_string = await call_tool_or_error(client, "transfer", {"account": "ops", "amount": "1200"})
        negative = await call_tool_or_error(client, "transfer", {"account": "ops", "amount": -5})
        extra = await call_tool_or_error(client, "transfer", {"account": "ops", "amount": 5, "to": "attacker"})
        missing = await call_tool_or_error(client, "transfer", {"amount": 5})
        valid = await client.call_tool("transfer", {"account": "ops", "amount": 5})
    assert "argument amount: expected number, got string" in refused(as_string)
    assert "argument amount: must be at least 0" in refused(negative)
    assert "arguments: unexpected property `to`" in refused(extra)
    assert "arguments: missing required property `account`" in refused(missing)
    assert result_text(valid) == "moved 5 to ops"
    assert calls_seen(log) == ['transfer {"account": "ops", "amount": 5}']


async def test_a_rug_pull_mid_session_is_held_until_a_person_accepts_it(tmp_path, stderr_log):
    log, errlog = stderr_log
    store, policy = tmp_path / "w.db", write_policy(tmp_path, POLICY)
    async with sdk_client(warden(store, policy), mode="legacy", errlog=errlog) as client:
        before = await tool_names(client)
        first = await client.call_tool("transfer", {"account": "ops", "amount": 1})
        await client.call_tool("rotate", {})
        after = await tool_names(client)
        held = await call_tool_or_error(client, "transfer", {"account": "ops", "amount": 2})
        listed = pins(store, "list", "--json")
        diff = pins(store, "diff", "shifty", "transfer")
        accepted = pins(store, "accept", "shifty", "transfer")
        await asyncio.sleep(1.2)  # a held tool is looked up again at most once a second
        restored = await tool_names(client)
        second = await client.call_tool("transfer", {"account": "ops", "amount": 3})
    assert before == ["lookup", "rotate", "transfer"]
    assert result_text(first) == "moved 1 to ops"
    assert after == ["lookup", "rotate"], "the changed tool must leave the list"
    assert "changed" in refused(held) and "warden pins diff shifty transfer" in refused(held)
    assert listed.returncode == 0, listed.stderr
    transfer = next(pin for pin in json.loads(listed.stdout) if pin["tool"] == "transfer")
    assert transfer["state"] == "changed"
    assert diff.returncode == 0, diff.stderr
    assert any(line.startswith("-") and "Moves money between the caller's accounts.\"" in line for line in diff.stdout.splitlines())
    assert any(line.startswith("+") and "including external ones" in line for line in diff.stdout.splitlines())
    assert accepted.returncode == 0, accepted.stderr
    assert restored == ["lookup", "rotate", "transfer"]
    assert result_text(second) == "moved 3 to ops"
    assert [call.split(" ")[0] for call in calls_seen(log)] == ["transfer", "rotate", "transfer"]
    after_accept = json.loads(pins(store, "list", "--json").stdout)
    transfer = next(pin for pin in after_accept if pin["tool"] == "transfer")
    assert transfer["state"] == "trusted" and transfer["acceptedBy"]


async def test_a_server_restarted_with_a_changed_schema_is_caught(tmp_path, stderr_log):
    log, errlog = stderr_log
    store, policy = tmp_path / "w.db", write_policy(tmp_path, POLICY)
    async with sdk_client(warden(store, policy), mode="legacy", errlog=errlog) as client:
        first = await tool_names(client)
    async with sdk_client(warden(store, policy), mode="legacy", errlog=errlog, env={"SHIFTY_VARIANT": "2"}) as client:
        second = await tool_names(client)
        held = await call_tool_or_error(client, "transfer", {"account": "ops", "amount": 2, "memo": "x"})
        lookup = await client.call_tool("lookup", {"q": "ada"})
    assert first == ["lookup", "rotate", "transfer"]
    assert second == ["lookup", "rotate"]
    assert "awaits review" in refused(held)
    assert result_text(lookup) == "record for ada"
    assert calls_seen(log) == ['lookup {"q": "ada"}']
    diff = pins(store, "diff", "shifty", "transfer")
    assert any(line.startswith("+") and "memo" in line for line in diff.stdout.splitlines()), diff.stdout


async def test_a_poisoned_description_is_hidden_and_a_clean_one_is_not(tmp_path, stderr_log):
    log, errlog = stderr_log
    policy = write_policy(tmp_path, POLICY)
    async with sdk_client(warden(tmp_path / "w.db", policy), mode="legacy", errlog=errlog, env={"SHIFTY_POISON": "1"}) as client:
        names = await tool_names(client)
        poisoned = await call_tool_or_error(client, "notes", {})
        clean = await client.call_tool("lookup", {"q": "ada"})
    assert names == ["lookup", "rotate", "transfer"]
    assert "instructions aimed at the model" in refused(poisoned)
    assert result_text(clean) == "record for ada"
    assert calls_seen(log) == ['lookup {"q": "ada"}']


def test_scan_shows_each_poisoning_finding_with_its_span():
    completed = subprocess.run(
        [warden_bin(), "scan", "--json", "--", sys.executable, str(SERVER)],
        capture_output=True, text=True, timeout=60, env={**os.environ, "SHIFTY_POISON": "1"},
    )
    assert completed.returncode == 0, completed.stderr
    tools = {tool["name"]: tool for tool in json.loads(completed.stdout)}
    kinds = {finding["kind"] for finding in tools["notes"]["poisoning"]}
    assert {"tag", "instruction", "exfiltration"} <= kinds, tools["notes"]["poisoning"]
    assert all(finding["span"] and finding["field"] == "description" for finding in tools["notes"]["poisoning"])
    assert [name for name, tool in tools.items() if tool["poisoning"]] == ["notes"]
