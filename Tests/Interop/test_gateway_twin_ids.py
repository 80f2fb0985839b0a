"""`warden serve`, stateless (2026-07-28): requests that reuse one id at the same time cannot settle each other's limits.

A budget of 100 fits one charge of 90. The agent sends each charge together with a twin under the same id that
the server answers with an error; if the twin's error settled the charge's reservation, every charge would be
refunded and all five would go through.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from gateway_support import Gateway, new_key, raw_post
from support import demo_server_command, stateless_meta

HEADERS = {"MCP-Protocol-Version": "2026-07-28", "Accept": "application/json"}


@pytest.fixture
def gateway(tmp_path: Path) -> Iterator[tuple[Gateway, str]]:
    key, digest = new_key()
    config = (
        'store: "memory:"\n'
        "servers:\n"
        "  demo:\n"
        f"    command: {json.dumps(demo_server_command())}\n"
        "    policy:\n"
        "      version: 1\n"
        # Definitions off, so the twin (an unknown tool) reaches the server, whose error is what must not refund.
        "      validate_arguments: false\n"
        "      poisoning: off\n"
        "      pins: {mode: off}\n"
        "      rules:\n"
        "        - name: charge budget\n"
        "          tool: create_charge\n"
        "          budget: {sum: args.amount, max: 100, window: 1d, per: agent}\n"
        f'agents:\n  - id: alice\n    key_sha256: "{digest}"\n'
    )
    running = Gateway(tmp_path, config)
    try:
        yield running, key
    finally:
        running.stop()


def call(gateway: Gateway, key: str, request_id: int, tool: str, arguments: dict) -> dict:
    body = {
        "jsonrpc": "2.0",
        "id": request_id,
        "method": "tools/call",
        "params": {"name": tool, "arguments": arguments, "_meta": stateless_meta()},
    }
    answer = raw_post(gateway.url("demo"), body, key=key, headers=HEADERS)
    assert answer.status_code == 200, answer.text
    return answer.json()


def test_twin_requests_under_one_id_cannot_refund_a_budget(gateway):
    running, key = gateway
    charged = 0
    with ThreadPoolExecutor(max_workers=2) as pool:
        for round_id in range(1, 6):
            charge = pool.submit(call, running, key, round_id, "create_charge", {"amount": 90, "currency": "EUR", "customer": "c-1"})
            twin = pool.submit(call, running, key, round_id, "no_such_tool", {})
            charge_answer, twin_answer = charge.result(timeout=30), twin.result(timeout=30)
            # Each request gets its own answer, under the id it was sent with.
            assert charge_answer["id"] == round_id and twin_answer["id"] == round_id
            assert "error" in twin_answer, twin_answer
            result = charge_answer.get("result") or {}
            if "result" in charge_answer and "warden/decision" not in (result.get("_meta") or {}):
                charged += 1
    assert charged == 1
    assert running.log().count("called create_charge") == 1
