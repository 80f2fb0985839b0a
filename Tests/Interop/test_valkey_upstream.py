"""awslabs.valkey-mcp-server as the upstream, against a real redis-server: a denied write leaves the key unchanged."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import pytest

from support import SDK_MODES, decision_meta, denial_text, result_text, sdk_client, warden_command, write_policy

pytestmark = pytest.mark.anyio

POLICY = """\
version: 1
default: allow
rules:
  - name: protected keys are read-only
    tool: valkey_write
    when:
      args.args[0]: {starts_with: "protected:"}
    action: deny
    reason: Keys under the protected prefix are read-only
"""


def valkey_server_command() -> list[str]:
    """The server's console script from the same environment as this interpreter."""
    script = Path(sys.executable).parent / "awslabs.valkey-mcp-server"
    if script.exists():
        return [str(script)]
    found = shutil.which("awslabs.valkey-mcp-server")
    assert found, "awslabs.valkey-mcp-server is not installed in the interop venv"
    return [found]


@pytest.mark.parametrize(("mode", "revision"), SDK_MODES)
async def test_denied_write_leaves_protected_key_unchanged(tmp_path, stderr_log, redis_server, mode, revision):
    redis_server.cli("SET", "protected:config", "original")
    redis_server.cli("SET", "open:note", "before")
    policy = write_policy(tmp_path, POLICY)
    environment = {
        "VALKEY_HOST": "127.0.0.1",
        "VALKEY_PORT": str(redis_server.port),
        "MCP_LOG_FILE": str(tmp_path / "valkey-mcp-server.log"),
        "MCP_LOG_LEVEL": "WARNING",
        "FASTMCP_LOG_LEVEL": "WARNING",
    }
    _, errlog = stderr_log
    command = warden_command(policy, valkey_server_command())
    async with sdk_client(command, mode=mode, errlog=errlog, env=environment) as client:
        negotiated = client.protocol_version
        denied = await client.call_tool("valkey_write", {"command": "SET", "args": ["protected:config", "hacked"]})
        allowed = await client.call_tool("valkey_write", {"command": "SET", "args": ["open:note", f"after-{mode}"]})
        read = await client.call_tool("valkey_read", {"command": "GET", "args": ["protected:config"]})

    assert negotiated == revision
    assert denied.is_error is True
    assert result_text(denied) == denial_text("Keys under the protected prefix are read-only", "protected keys are read-only")
    assert decision_meta(denied).get("rule") == "protected keys are read-only"
    assert redis_server.cli("GET", "protected:config") == "original"

    assert allowed.is_error is False, result_text(allowed)
    assert redis_server.cli("GET", "open:note") == f"after-{mode}"

    assert read.is_error is False, result_text(read)
    payload = read.structured_content or json.loads(result_text(read))
    assert payload.get("result") == "original", payload
