"""The official Python SDK 2.x as the agent's client, the demo server as the upstream, `warden run` in between.

Each test runs at both revisions the SDK can be forced to: 2025-11-25 (initialize handshake) and 2026-07-28
(stateless, `_meta` on every request). The demo server logs each call it receives to stderr, which Warden passes
through, so a test can prove that a denied or hidden call never reached it.
"""

from __future__ import annotations

from pathlib import Path

import mcp_types as types
import pytest

from support import (
    DEMO_TOOLS,
    SDK_MODES,
    call_tool_or_error,
    decision_meta,
    demo_server_command,
    denial_text,
    error_code,
    result_text,
    sdk_client,
    warden_command,
)

pytestmark = pytest.mark.anyio

EXPORT_RULE = "exports go to the approved bucket only"
EXPORT_REASON = "Export destination must be the approved bucket"
CHARGE_RULE = "large charges need finance review"
CHARGE_REASON = "Charges over 500 need finance review"


def calls_seen_by_server(log: Path) -> list[str]:
    """The tools the demo server says it was called with, read after the session ended (so the log is complete)."""
    prefix = "demo-server: called "
    return [line[len(prefix):].strip() for line in log.read_text().splitlines() if line.startswith(prefix)]


async def list_all_tools(client) -> tuple[list[str], int]:
    """Follows `nextCursor` to the end; returns the names and the number of pages."""
    names: list[str] = []
    cursor = None
    pages = 0
    while True:
        page = await client.list_tools(cursor=cursor) if cursor else await client.list_tools()
        pages += 1
        names.extend(tool.name for tool in page.tools)
        cursor = page.next_cursor
        if not cursor:
            return names, pages
        assert pages < 20, "tools/list never ended"


@pytest.mark.parametrize(("mode", "revision"), SDK_MODES)
@pytest.mark.parametrize("page_size", [None, 2])
async def test_hidden_tool_is_absent_from_every_page_of_tools_list(demo_policy, stderr_log, mode, revision, page_size):
    options = ["--page-size", str(page_size)] if page_size else []
    _, errlog = stderr_log
    async with sdk_client(warden_command(demo_policy, demo_server_command(*options)), mode=mode, errlog=errlog) as client:
        negotiated = client.protocol_version
        names, pages = await list_all_tools(client)
    assert negotiated == revision
    assert "delete_record" not in names
    assert sorted(names) == sorted(tool for tool in DEMO_TOOLS if tool != "delete_record")
    assert len(names) == len(set(names)), f"a tool was listed twice: {names}"
    if page_size:
        assert pages > 1, "the upstream paged its list, so the client should have followed a cursor"


@pytest.mark.parametrize(("mode", "revision"), SDK_MODES)
async def test_allowed_calls_return_the_servers_results(demo_policy, stderr_log, mode, revision):
    log, errlog = stderr_log
    async with sdk_client(warden_command(demo_policy, demo_server_command()), mode=mode, errlog=errlog) as client:
        negotiated = client.protocol_version
        first = await client.call_tool("read_record", {"id": "r-1"})
        written = await client.call_tool("write_record", {"id": "r-9", "value": "written through warden"})
        read_back = await client.call_tool("read_record", {"id": "r-9"})
        charge = await client.call_tool("create_charge", {"amount": 40, "currency": "EUR"})
    assert negotiated == revision
    assert (first.is_error, result_text(first)) == (False, "Claim 1042: approved")
    assert (written.is_error, result_text(written)) == (False, "Wrote record r-9")
    assert (read_back.is_error, result_text(read_back)) == (False, "written through warden")
    assert charge.is_error is False and result_text(charge).startswith("Charged 40 EUR")
    assert "warden/decision" not in (first.meta or {})
    assert calls_seen_by_server(log) == ["read_record", "write_record", "read_record", "create_charge"]


@pytest.mark.parametrize(("mode", "revision"), SDK_MODES)
async def test_denied_call_returns_the_denial_and_never_reaches_the_server(demo_policy, stderr_log, mode, revision):
    log, errlog = stderr_log
    async with sdk_client(warden_command(demo_policy, demo_server_command()), mode=mode, errlog=errlog) as client:
        denied = await client.call_tool("create_charge", {"amount": 1200, "currency": "EUR"})
        after = await client.call_tool("echo", {"text": "still connected"})
    assert denied.is_error is True
    assert result_text(denied) == denial_text(CHARGE_REASON, CHARGE_RULE)
    decision = decision_meta(denied)
    assert decision.get("action") == "deny"
    assert decision.get("rule") == CHARGE_RULE
    assert decision.get("reason") == CHARGE_REASON
    assert denied.structured_content is None, "decision details belong in _meta, never in structuredContent"
    assert result_text(after) == "still connected"
    assert calls_seen_by_server(log) == ["echo"]


@pytest.mark.parametrize(("mode", "revision"), SDK_MODES)
async def test_argument_condition_allows_the_approved_bucket_only(demo_policy, stderr_log, mode, revision):
    log, errlog = stderr_log
    async with sdk_client(warden_command(demo_policy, demo_server_command()), mode=mode, errlog=errlog) as client:
        approved = await client.call_tool("start_export_job", {"destination_uri": "s3://approved/q3", "dataset": "claims"})
        elsewhere = await client.call_tool("start_export_job", {"destination_uri": "s3://attacker/q3", "dataset": "claims"})
        lookalike = await client.call_tool("start_export_job", {"destination_uri": "s3://approved-not/q3", "dataset": "claims"})
        missing = await client.call_tool("start_export_job", {"dataset": "claims"})
    assert approved.is_error is False
    assert result_text(approved) == "Started export job job-1: claims to s3://approved/q3"
    for denied in (elsewhere, lookalike, missing):
        assert denied.is_error is True
        assert result_text(denied) == denial_text(EXPORT_REASON, EXPORT_RULE)
        assert decision_meta(denied).get("rule") == EXPORT_RULE
    assert calls_seen_by_server(log) == ["start_export_job"]


@pytest.mark.parametrize(("mode", "revision"), SDK_MODES)
async def test_calling_a_hidden_tool_is_an_unknown_tool_error(demo_policy, stderr_log, mode, revision):
    log, errlog = stderr_log
    async with sdk_client(warden_command(demo_policy, demo_server_command()), mode=mode, errlog=errlog) as client:
        hidden = await call_tool_or_error(client, "delete_record", {"id": "r-1"})
        unknown = await call_tool_or_error(client, "no_such_tool", {})
        still_there = await client.call_tool("read_record", {"id": "r-1"})
    assert error_code(hidden) == -32602, f"a hidden tool must look unknown, got {hidden!r}"
    assert error_code(unknown) == -32602
    assert result_text(still_there) == "Claim 1042: approved", "the hidden delete must not have run"
    assert "delete_record" not in calls_seen_by_server(log)


@pytest.mark.parametrize(("mode", "revision"), SDK_MODES)
async def test_elicitation_round_trips_through_the_proxy(demo_policy, stderr_log, mode, revision):
    questions: list[str] = []

    async def answer(context, params: types.ElicitRequestParams) -> types.ElicitResult:
        questions.append(params.message)
        return types.ElicitResult(action="accept", content={"answer": "blue"})

    _, errlog = stderr_log
    command = warden_command(demo_policy, demo_server_command())
    async with sdk_client(command, mode=mode, errlog=errlog, elicitation_callback=answer) as client:
        result = await client.call_tool("ask_user", {"question": "Which colour?"})
    assert questions == ["Which colour?"]
    assert (result.is_error, result_text(result)) == (False, "The user answered: blue")


@pytest.mark.parametrize(("mode", "revision"), SDK_MODES)
async def test_progress_notifications_reach_the_client(demo_policy, stderr_log, mode, revision):
    updates: list[tuple[float, float | None, str | None]] = []

    async def on_progress(progress: float, total: float | None, message: str | None) -> None:
        updates.append((progress, total, message))

    _, errlog = stderr_log
    async with sdk_client(warden_command(demo_policy, demo_server_command()), mode=mode, errlog=errlog) as client:
        result = await client.call_tool("slow_task", {"steps": 3}, progress_callback=on_progress)
    assert result_text(result) == "Finished 3 steps"
    assert updates == [(1, 3, "Step 1 of 3"), (2, 3, "Step 2 of 3"), (3, 3, "Step 3 of 3")]


async def test_auto_mode_probe_settles_on_2026_07_28_through_the_proxy(demo_policy, stderr_log):
    _, errlog = stderr_log
    async with sdk_client(warden_command(demo_policy, demo_server_command()), mode="auto", errlog=errlog) as client:
        negotiated = client.protocol_version
        discovered = client.session.discover_result
        denied = await client.call_tool("create_charge", {"amount": 900, "currency": "USD"})
    assert negotiated == "2026-07-28"
    assert discovered is not None, "server/discover should have passed through"
    assert result_text(denied) == denial_text(CHARGE_REASON, CHARGE_RULE)
