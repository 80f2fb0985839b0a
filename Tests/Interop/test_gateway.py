"""`warden serve`: the official Python SDK's Streamable HTTP client through the gateway to stdio upstreams.

Every SDK test runs at both revisions the 2.x SDK speaks: 2025-11-25 (initialize, Mcp-Session-Id) and 2026-07-28
(stateless, `_meta` and routing headers on every request). Raw HTTP tests cover what no SDK would send.
"""

from __future__ import annotations

import json
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import mcp_types as types
import pytest

from gateway_support import INITIALIZE, Gateway, gateway_client, new_key, raw_post
from support import (
    DEMO_POLICY,
    DEMO_TOOLS,
    SDK_MODES,
    call_tool_or_error,
    decision_meta,
    demo_server_command,
    denial_text,
    error_code,
    result_text,
    warden_bin,
)

pytestmark = pytest.mark.anyio

LIMITED_POLICY = """\
version: 1
default: allow
rules:
  - name: two reads per agent
    tool: read_record
    rate_limit: {max: 2, window: 1h, per: agent}
    reason: Read quota reached
"""


def indent(text: str, spaces: int) -> str:
    return "\n".join(" " * spaces + line if line else line for line in text.splitlines())


def config_text(keys: dict[str, str], *, extra: str = "", demo_policy: str = DEMO_POLICY) -> str:
    command = json.dumps(demo_server_command())
    agents = "".join(
        f"  - id: {agent}\n    key_sha256: \"{digest}\"\n    groups: [testers]\n" for agent, digest in keys.items()
    )
    return (
        f"store: \"memory:\"\n{extra}"
        "servers:\n"
        "  demo:\n"
        f"    command: {command}\n"
        "    policy:\n"
        f"{indent(demo_policy, 6)}\n"
        "  limited:\n"
        f"    command: {command}\n"
        "    policy:\n"
        f"{indent(LIMITED_POLICY, 6)}\n"
        f"agents:\n{agents}"
    )


@pytest.fixture
def keys() -> dict[str, tuple[str, str]]:
    return {"alice": new_key(), "bob": new_key()}


@pytest.fixture
def gateway(tmp_path: Path, keys, request: pytest.FixtureRequest) -> Iterator[Gateway]:
    extra = getattr(request, "param", "")
    running = Gateway(tmp_path, config_text({agent: pair[1] for agent, pair in keys.items()}, extra=extra))
    request.node.warden_stderr_path = running.log_path
    yield running
    running.stop()


@pytest.mark.parametrize(("mode", "revision"), SDK_MODES)
async def test_sdk_client_uses_the_gateway_with_policy_enforced(gateway, keys, mode, revision):
    key = keys["alice"][0]
    async with gateway_client(gateway.url("demo"), key, mode=mode) as client:
        negotiated = client.protocol_version
        tools = [tool.name for tool in (await client.list_tools()).tools]
        allowed = await client.call_tool("read_record", {"id": "r-1"})
        denied = await client.call_tool("start_export_job", {"destination_uri": "s3://attacker/x", "dataset": "claims"})
        hidden = await call_tool_or_error(client, "delete_record", {"id": "r-1"})
    assert negotiated == revision
    assert sorted(tools) == sorted(tool for tool in DEMO_TOOLS if tool != "delete_record")
    assert (allowed.is_error, result_text(allowed)) == (False, "Claim 1042: approved")
    assert denied.is_error
    assert result_text(denied) == denial_text("Export destination must be the approved bucket", "exports go to the approved bucket only")
    assert decision_meta(denied)["action"] == "deny"
    assert error_code(hidden) == -32602
    assert "demo-server: called delete_record" not in gateway.log()
    assert "demo-server: called start_export_job" not in gateway.log()


@pytest.mark.parametrize(("mode", "revision"), SDK_MODES)
async def test_two_agents_have_separate_per_agent_limits(gateway, keys, mode, revision):
    outcomes: dict[str, list[bool]] = {}
    for agent in ("alice", "bob"):
        async with gateway_client(gateway.url("limited"), keys[agent][0], mode=mode) as client:
            results = [await client.call_tool("read_record", {"id": "r-1"}) for _ in range(3)]
        outcomes[agent] = [bool(result.is_error) for result in results]
    assert outcomes == {"alice": [False, False, True], "bob": [False, False, True]}


@pytest.mark.parametrize(("mode", "revision"), SDK_MODES)
async def test_elicitation_is_relayed_over_the_event_stream(gateway, keys, mode, revision):
    questions: list[str] = []

    async def answer(context, params: types.ElicitRequestParams) -> types.ElicitResult:
        questions.append(params.message)
        return types.ElicitResult(action="accept", content={"answer": "green"})

    async with gateway_client(gateway.url("demo"), keys["alice"][0], mode=mode, elicitation_callback=answer) as client:
        result = await client.call_tool("ask_user", {"question": "Which colour?"})
    assert questions == ["Which colour?"]
    assert (result.is_error, result_text(result)) == (False, "The user answered: green")


@pytest.mark.parametrize(("mode", "revision"), SDK_MODES)
async def test_progress_notifications_are_relayed(gateway, keys, mode, revision):
    updates: list[tuple[float, float | None, str | None]] = []

    async def on_progress(progress: float, total: float | None, message: str | None) -> None:
        updates.append((progress, total, message))

    async with gateway_client(gateway.url("demo"), keys["bob"][0], mode=mode) as client:
        result = await client.call_tool("slow_task", {"steps": 3}, progress_callback=on_progress)
    assert result_text(result) == "Finished 3 steps"
    assert updates == [(1, 3, "Step 1 of 3"), (2, 3, "Step 2 of 3"), (3, 3, "Step 3 of 3")]


async def test_missing_and_bad_keys_get_401(gateway):
    url = gateway.url("demo")
    missing = raw_post(url, INITIALIZE, key=None)
    wrong = raw_post(url, INITIALIZE, key="wdn_not-a-real-key")
    for response in (missing, wrong):
        assert response.status_code == 401
        assert response.headers["www-authenticate"].startswith("Bearer ")
    assert "needs an agent credential" in missing.json()["error"]["message"]
    assert "not a known API key" in wrong.json()["error"]["message"]


async def test_foreign_origin_gets_403_and_local_origin_is_served(gateway, keys):
    key = keys["alice"][0]
    foreign = raw_post(gateway.url("demo"), INITIALIZE, key=key, headers={"Origin": "https://evil.example"})
    local = raw_post(gateway.url("demo"), INITIALIZE, key=key, headers={"Origin": "http://localhost:3000"})
    assert foreign.status_code == 403
    assert local.status_code == 200
    assert local.json()["result"]["serverInfo"]["name"] == "warden-demo-server"


async def test_delete_ends_the_session(gateway, keys):
    import httpx2

    key = keys["alice"][0]
    url = gateway.url("demo")
    opened = raw_post(url, INITIALIZE, key=key)
    session = opened.headers["mcp-session-id"]
    listing = {"jsonrpc": "2.0", "id": 2, "method": "tools/list"}
    before = raw_post(url, listing, key=key, headers={"Mcp-Session-Id": session})
    other_agent = raw_post(url, listing, key=keys["bob"][0], headers={"Mcp-Session-Id": session})
    with httpx2.Client(timeout=30) as client:
        deleted = client.delete(url, headers={"Authorization": f"Bearer {key}", "Mcp-Session-Id": session})
    after = raw_post(url, listing, key=key, headers={"Mcp-Session-Id": session})
    assert before.status_code == 200 and "tools" in before.json()["result"]
    assert other_agent.status_code == 404, "another agent must not use alice's session"
    assert deleted.status_code == 204
    assert after.status_code == 404


@pytest.mark.parametrize("gateway", ["session_idle_timeout: 1s\n"], indirect=True)
async def test_idle_sessions_expire(gateway, keys):
    key = keys["alice"][0]
    url = gateway.url("demo")
    session = raw_post(url, INITIALIZE, key=key).headers["mcp-session-id"]
    time.sleep(2.5)
    after = raw_post(url, {"jsonrpc": "2.0", "id": 2, "method": "tools/list"}, key=key, headers={"Mcp-Session-Id": session})
    assert after.status_code == 404
    assert "idled out" in gateway.log()


async def test_body_over_the_limit_gets_413(tmp_path, keys):
    config = config_text({"alice": keys["alice"][1]}, extra="max_message_size: 2048\n")
    gateway = Gateway(tmp_path, config)
    try:
        big = {"jsonrpc": "2.0", "id": 1, "method": "ping", "params": {"pad": "x" * 5000}}
        response = raw_post(gateway.url("demo"), big, key=keys["alice"][0])
    finally:
        gateway.stop()
    assert response.status_code == 413
    assert response.json()["error"]["code"] == -32600


async def test_malformed_body_gets_a_parse_error(gateway, keys):
    response = raw_post(gateway.url("demo"), None, key=keys["alice"][0], content=b'{"jsonrpc": "2.0", "id": 1,')
    assert response.status_code == 400
    assert response.json()["error"]["code"] == -32700


async def test_routing_headers_must_match_the_body(gateway, keys):
    call = {
        "jsonrpc": "2.0",
        "id": 7,
        "method": "tools/call",
        "params": {
            "name": "read_record",
            "arguments": {"id": "r-1"},
            "_meta": {
                "io.modelcontextprotocol/protocolVersion": "2026-07-28",
                "io.modelcontextprotocol/clientCapabilities": {},
            },
        },
    }
    base = {"MCP-Protocol-Version": "2026-07-28", "Mcp-Method": "tools/call"}
    renamed = raw_post(gateway.url("demo"), call, key=keys["alice"][0], headers={**base, "Mcp-Name": "write_record"})
    agreeing = raw_post(gateway.url("demo"), call, key=keys["alice"][0], headers={**base, "Mcp-Name": "read_record"})
    assert renamed.status_code == 400
    assert renamed.json()["error"]["code"] == -32020
    assert agreeing.status_code == 200
    assert result_text(types.CallToolResult.model_validate(agreeing.json()["result"])) == "Claim 1042: approved"


async def test_unknown_session_id_gets_404(gateway, keys):
    response = raw_post(
        gateway.url("demo"), {"jsonrpc": "2.0", "id": 2, "method": "tools/list"}, key=keys["alice"][0], headers={"Mcp-Session-Id": "nope"}
    )
    assert response.status_code == 404


async def test_dead_upstream_answers_with_errors_not_hangs(tmp_path, keys):
    config = (
        'store: "memory:"\nservers:\n  broken:\n    command: ["/bin/sh", "-c", "exit 3"]\n'
        "    policy: {version: 1, default: allow}\n"
        f'agents:\n  - id: alice\n    key_sha256: "{keys["alice"][1]}"\n'
    )
    gateway = Gateway(tmp_path, config)
    try:
        started = time.monotonic()
        first = raw_post(gateway.url("broken"), INITIALIZE, key=keys["alice"][0])
        again = raw_post(gateway.url("broken"), INITIALIZE, key=keys["alice"][0])
        elapsed = time.monotonic() - started
    finally:
        gateway.stop()
    assert first.status_code == 200 and "error" in first.json(), first.text
    assert "upstream" in first.json()["error"]["message"]
    assert "error" in again.json()
    assert elapsed < 20


FRAGILE = Path(__file__).parent / "upstreams" / "fragile_server.py"


def call(url: str, key: str, session: str, request_id: int, tool: str) -> dict:
    body = {"jsonrpc": "2.0", "id": request_id, "method": "tools/call", "params": {"name": tool, "arguments": {}}}
    response = raw_post(url, body, key=key, headers={"Mcp-Session-Id": session})
    assert response.status_code == 200, response.text
    return response.json()


async def test_a_dead_stdio_upstream_is_restarted_with_the_sessions_handshake(tmp_path, keys):
    import sys

    config = (
        'store: "memory:"\nservers:\n  fragile:\n'
        f"    command: {json.dumps([sys.executable, str(FRAGILE)])}\n"
        "    policy: {version: 1, default: allow}\n"
        f'agents:\n  - id: alice\n    key_sha256: "{keys["alice"][1]}"\n'
    )
    gateway = Gateway(tmp_path, config)
    key = keys["alice"][0]
    url = gateway.url("fragile")
    try:
        session = raw_post(url, INITIALIZE, key=key).headers["mcp-session-id"]
        raw_post(url, {"jsonrpc": "2.0", "method": "notifications/initialized"}, key=key, headers={"Mcp-Session-Id": session})
        before = call(url, key, session, 2, "whoami")["result"]["content"][0]["text"]
        crashed = call(url, key, session, 3, "crash")
        # The first restart waits a quarter of a second; give it a bounded while.
        after = None
        for attempt in range(40):
            time.sleep(0.1)
            answer = call(url, key, session, 10 + attempt, "whoami")
            if "result" in answer:
                after = answer["result"]["content"][0]["text"]
                break
    finally:
        gateway.stop()
    assert before.endswith("initialized=True")
    assert "error" in crashed and "exited" in crashed["error"]["message"]
    assert after is not None, "the upstream was not restarted"
    assert after.endswith("initialized=True"), "the restarted upstream must have been given the session's initialize"
    assert after.split()[0] != before.split()[0], "a new process should answer"


async def test_sigterm_lets_an_in_flight_call_finish(tmp_path, keys):
    import threading

    gateway = Gateway(tmp_path, config_text({"alice": keys["alice"][1]}))
    key = keys["alice"][0]
    url = gateway.url("demo")
    session = raw_post(url, INITIALIZE, key=key).headers["mcp-session-id"]
    raw_post(url, {"jsonrpc": "2.0", "method": "notifications/initialized"}, key=key, headers={"Mcp-Session-Id": session})
    outcome: dict = {}

    def slow_call() -> None:
        body = {"jsonrpc": "2.0", "id": 4, "method": "tools/call", "params": {"name": "slow_task", "arguments": {"steps": 3}}}
        response = raw_post(url, body, key=key, headers={"Mcp-Session-Id": session, "Accept": "application/json"})
        outcome["status"] = response.status_code
        outcome["body"] = response.json()

    def listen() -> None:
        import httpx2

        # An open GET stream must not keep the gateway from stopping: shutdown ends it.
        with httpx2.Client(timeout=30) as http:
            headers = {"Authorization": f"Bearer {key}", "Mcp-Session-Id": session, "Accept": "text/event-stream"}
            with http.stream("GET", url, headers=headers) as response:
                outcome["stream_status"] = response.status_code
                for _ in response.iter_bytes():
                    pass
        outcome["stream_closed"] = True

    listener = threading.Thread(target=listen)
    listener.start()
    worker = threading.Thread(target=slow_call)
    worker.start()
    time.sleep(0.5)
    started = time.monotonic()
    gateway.process.terminate()
    worker.join(timeout=30)
    listener.join(timeout=30)
    code = gateway.stop()
    assert time.monotonic() - started < 20
    assert outcome.get("stream_status") == 200 and outcome.get("stream_closed"), outcome
    assert outcome.get("status") == 200, outcome
    assert outcome["body"]["result"]["content"][0]["text"] == "Finished 3 steps"
    assert code == 0


def hs256_token(secret: str, claims: dict) -> str:
    import base64
    import hashlib
    import hmac

    def encode(part: bytes) -> str:
        return base64.urlsafe_b64encode(part).rstrip(b"=").decode()

    header = encode(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
    payload = encode(json.dumps(claims).encode())
    signature = hmac.new(secret.encode(), f"{header}.{payload}".encode(), hashlib.sha256).digest()
    return f"{header}.{payload}.{encode(signature)}"


@pytest.mark.parametrize(("mode", "revision"), SDK_MODES)
async def test_jwt_agents_get_their_own_limits(tmp_path, mode, revision):
    secret = "a-shared-secret-of-at-least-32-bytes!"
    config = config_text({}).replace(
        "agents:\n", f'jwt:\n  secret: "{secret}"\n  issuer: https://id.example\n  audience: warden\n'
    )
    gateway = Gateway(tmp_path, config)
    now = int(time.time())
    tokens = {
        agent: hs256_token(secret, {"sub": agent, "iss": "https://id.example", "aud": "warden", "exp": now + 600})
        for agent in ("jwt-one", "jwt-two")
    }
    expired = hs256_token(secret, {"sub": "late", "iss": "https://id.example", "aud": "warden", "exp": now - 600})
    try:
        outcomes = {}
        for agent, token in tokens.items():
            async with gateway_client(gateway.url("limited"), token, mode=mode) as client:
                outcomes[agent] = [bool((await client.call_tool("read_record", {"id": "r-1"})).is_error) for _ in range(3)]
        refused = raw_post(gateway.url("limited"), INITIALIZE, key=expired)
    finally:
        gateway.stop()
    assert outcomes == {"jwt-one": [False, False, True], "jwt-two": [False, False, True]}
    assert refused.status_code == 401 and "expired" in refused.json()["error"]["message"]


async def test_gateway_serves_health_and_metrics(gateway, keys):
    import httpx2

    async with gateway_client(gateway.url("demo"), keys["alice"][0], mode="legacy") as client:
        # Tool names become labels once the upstream has listed them; others count as (unlisted).
        await client.list_tools()
        await client.call_tool("read_record", {"id": "r-1"})
        await client.call_tool("start_export_job", {"destination_uri": "s3://attacker/x", "dataset": "claims"})
    base = f"http://127.0.0.1:{gateway.port}"
    with httpx2.Client(timeout=10) as http:
        health = http.get(f"{base}/healthz")
        metrics = http.get(f"{base}/metrics").text
    assert health.status_code == 200
    series = {line.rsplit(" ", 1)[0]: float(line.rsplit(" ", 1)[1]) for line in metrics.splitlines() if line.startswith("warden_tool_calls_total{")}
    allowed = [value for name, value in series.items() if 'server="demo"' in name and 'tool="read_record"' in name and 'decision="allowed"' in name]
    denied = [value for name, value in series.items() if 'tool="start_export_job"' in name and 'decision="denied"' in name]
    assert allowed == [1.0], metrics
    assert denied == [1.0], metrics


async def test_shared_upstream_serves_every_session_from_one_process(tmp_path, keys):
    import sys

    config = (
        'store: "memory:"\nservers:\n'
        "  fragile:\n"
        f"    command: {json.dumps([sys.executable, str(FRAGILE)])}\n"
        "    upstream: shared\n"
        "    policy: {version: 1, default: allow}\n"
        "  demo:\n"
        f"    command: {json.dumps(demo_server_command())}\n"
        "    upstream: shared\n"
        f"    policy:\n{indent(DEMO_POLICY, 6)}\n"
        f'agents:\n  - id: alice\n    key_sha256: "{keys["alice"][1]}"\n  - id: bob\n    key_sha256: "{keys["bob"][1]}"\n'
    )
    gateway = Gateway(tmp_path, config)
    try:
        url = gateway.url("fragile")
        answers = []
        for agent in ("alice", "bob"):
            key = keys[agent][0]
            session = raw_post(url, INITIALIZE, key=key).headers["mcp-session-id"]
            raw_post(url, {"jsonrpc": "2.0", "method": "notifications/initialized"}, key=key, headers={"Mcp-Session-Id": session})
            # Both sessions use id 2: the shared process must not mix them up.
            answers.append(call(url, key, session, 2, "whoami"))

        # Two clients at once on the shared demo server, each following its own progress.
        import anyio

        updates: dict[str, list[float]] = {"alice": [], "bob": []}
        results: dict[str, str] = {}

        async def run(agent: str) -> None:
            async def on_progress(progress: float, total: float | None, message: str | None) -> None:
                updates[agent].append(progress)

            async with gateway_client(gateway.url("demo"), keys[agent][0], mode="legacy") as client:
                result = await client.call_tool("slow_task", {"steps": 3}, progress_callback=on_progress)
                results[agent] = result_text(result)

        async with anyio.create_task_group() as group:
            group.start_soon(run, "alice")
            group.start_soon(run, "bob")
        log = gateway.log()
    finally:
        gateway.stop()
    texts = [answer["result"]["content"][0]["text"] for answer in answers]
    assert [answer["id"] for answer in answers] == [2, 2]
    assert texts[0] == texts[1], "both sessions should be served by the same process"
    assert texts[0].endswith("initialized=True")
    assert results == {"alice": "Finished 3 steps", "bob": "Finished 3 steps"}
    assert updates == {"alice": [1, 2, 3], "bob": [1, 2, 3]}, log[-2000:]


async def test_without_agents_the_gateway_stays_on_loopback(tmp_path):
    import subprocess

    config_path = tmp_path / "open.yaml"
    config_path.write_text(
        f'listen: 0.0.0.0:0\nstore: "memory:"\nservers:\n  demo:\n    command: {json.dumps(demo_server_command())}\n'
        "    policy: {version: 1, default: allow}\n"
    )
    completed = subprocess.run(
        [warden_bin(), "serve", "--config", str(config_path)], capture_output=True, text=True, timeout=30
    )
    assert completed.returncode == 78
    assert "refusing to listen on 0.0.0.0:0 without `agents:` or `jwt:`" in completed.stderr


async def test_agent_groups_from_the_key_feed_the_policy(tmp_path):
    night, night_hash = new_key()
    day, day_hash = new_key()
    policy = """\
version: 1
default: allow
rules:
  - name: the night shift does not charge cards
    tool: create_charge
    when:
      agent.groups: {contains: night}
    action: deny
    reason: No charges at night
"""
    config = (
        f'store: "memory:"\nservers:\n  demo:\n    command: {json.dumps(demo_server_command())}\n'
        f"    policy:\n{indent(policy, 6)}\n"
        f'agents:\n  - id: owl\n    key_sha256: "{night_hash}"\n    groups: [night, ops]\n'
        f'  - id: lark\n    key_sha256: "{day_hash}"\n    groups: [day]\n'
    )
    gateway = Gateway(tmp_path, config)
    try:
        outcomes = {}
        for agent, key in (("owl", night), ("lark", day)):
            async with gateway_client(gateway.url("demo"), key, mode="legacy") as client:
                outcomes[agent] = await client.call_tool("create_charge", {"amount": 20, "currency": "USD"})
    finally:
        gateway.stop()
    assert outcomes["owl"].is_error and decision_meta(outcomes["owl"])["rule"] == "the night shift does not charge cards"
    assert not outcomes["lark"].is_error


async def test_policy_files_reload_while_the_gateway_runs(tmp_path, keys):
    policy_path = tmp_path / "demo-policy.yaml"
    policy_path.write_text("version: 1\ndefault: allow\n")
    config = (
        f'store: "memory:"\nservers:\n  demo:\n    command: {json.dumps(demo_server_command())}\n'
        f"    policy: {policy_path.name}\n"
        f'agents:\n  - id: alice\n    key_sha256: "{keys["alice"][1]}"\n'
    )
    gateway = Gateway(tmp_path, config)
    key = keys["alice"][0]

    async def read_record():
        async with gateway_client(gateway.url("demo"), key, mode="legacy") as client:
            return await client.call_tool("read_record", {"id": "r-1"})

    async def wait_for(predicate) -> bool:
        import anyio

        for _ in range(60):
            if predicate(await read_record()):
                return True
            await anyio.sleep(0.1)
        return False

    try:
        before = await read_record()
        policy_path.write_text(
            "version: 1\ndefault: allow\nrules:\n  - name: reads paused\n    tool: read_record\n    action: deny\n    reason: Paused\n"
        )
        denied = await wait_for(lambda result: result.is_error)
        policy_path.write_text("version: 1\ndefault: allow\nrules: [this is not a rule\n")
        import anyio

        await anyio.sleep(1.2)
        still_denied = await read_record()
        log = gateway.log()
    finally:
        gateway.stop()
    assert not before.is_error
    assert denied, "the edited policy should apply without a restart"
    assert still_denied.is_error and decision_meta(still_denied)["rule"] == "reads paused"
    assert "demo-policy.yaml" in log


async def test_shutdown_stops_the_upstreams_of_every_session(tmp_path, keys):
    import os
    import sys

    config = (
        'store: "memory:"\nservers:\n'
        "  fragile:\n"
        f"    command: {json.dumps([sys.executable, str(FRAGILE)])}\n"
        "    policy: {version: 1, default: allow}\n"
        "aggregate: [fragile]\n"
        f'agents:\n  - id: alice\n    key_sha256: "{keys["alice"][1]}"\n'
    )
    gateway = Gateway(tmp_path, config)
    key = keys["alice"][0]
    pids = []
    try:
        for url, tool in ((gateway.url("fragile"), "whoami"), (f"http://127.0.0.1:{gateway.port}/mcp", "fragile__whoami")):
            session = raw_post(url, INITIALIZE, key=key).headers["mcp-session-id"]
            raw_post(url, {"jsonrpc": "2.0", "method": "notifications/initialized"}, key=key, headers={"Mcp-Session-Id": session})
            text = call(url, key, session, 2, tool)["result"]["content"][0]["text"]
            pids.append(int(text.split()[0].removeprefix("pid=")))
    finally:
        code = gateway.stop()
    assert code == 0
    assert len(set(pids)) == 2
    for _ in range(100):
        alive = []
        for pid in pids:
            try:
                os.kill(pid, 0)
                alive.append(pid)
            except ProcessLookupError:
                pass
        if not alive:
            break
        time.sleep(0.1)
    assert not alive, f"upstream processes still running after shutdown: {alive}"


def audit_records(store: str) -> list[dict]:
    """The `tools/call` decisions in the audit trail as `warden audit --json` prints them, from another process (the
    tools the SDK's own `tools/list` found hidden are recorded too, and left out here)."""
    done = subprocess.run([warden_bin(), "audit", "--json", "--store", store], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    records = json.loads(done.stdout)
    assert {r["tool"] for r in records if r["decision"] == "hidden"} <= {"delete_record"}
    return [r for r in records if r["decision"] != "hidden"]


async def test_the_audit_trail_survives_sigterm_and_sigkill(tmp_path, keys):
    """Decisions go to the journal before the call goes on; a stopped gateway moves it, a killed one leaves it for the
    next process to open the store."""
    database = tmp_path / "warden.db"
    journals = tmp_path / "warden.db.audit-journals"
    config = config_text({agent: pair[1] for agent, pair in keys.items()}).replace(
        'store: "memory:"', f'store: "sqlite:{database}"'
    )

    async def calls(gateway: Gateway, agent: str) -> None:
        async with gateway_client(gateway.url("demo"), keys[agent][0], mode="legacy") as client:
            await client.call_tool("read_record", {"id": "r-1"})
            await client.call_tool("start_export_job", {"destination_uri": "s3://attacker/x", "dataset": "claims"})

    (tmp_path / "first").mkdir()
    first = Gateway(tmp_path / "first", config)
    await calls(first, "alice")
    assert first.stop() == 0
    # A stopped gateway moved its journal into the database and deleted it.
    assert list(journals.iterdir()) == []
    assert [(r["agent"], r["tool"], r["decision"], r["outcome"]) for r in audit_records(f"sqlite:{database}")] == [
        ("alice", "read_record", "allowed", "result"),
        ("alice", "start_export_job", "denied", "refused"),
    ]

    (tmp_path / "second").mkdir()
    second = Gateway(tmp_path / "second", config)
    await calls(second, "bob")
    second.process.kill()
    second.process.wait(timeout=10)
    second.stop()
    # A killed gateway's journal is left behind; the next store opened (here `warden audit`) moves and deletes it.
    assert len(list(journals.iterdir())) == 1
    records = audit_records(f"sqlite:{database}")
    assert [(r["agent"], r["tool"], r["decision"]) for r in records] == [
        ("alice", "read_record", "allowed"),
        ("alice", "start_export_job", "denied"),
        ("bob", "read_record", "allowed"),
        ("bob", "start_export_job", "denied"),
    ]
    assert records[2]["outcome"] == "result"
    assert list(journals.iterdir()) == []
