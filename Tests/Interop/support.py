"""Shared helpers for the interop tests: where Warden is, how to write a policy, how to start it under an SDK client."""

from __future__ import annotations

import json
import os
import queue
import shutil
import socket
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import mcp_types as types
from mcp import Client, StdioServerParameters
from mcp.client.stdio import stdio_client
from mcp.shared.exceptions import MCPError

REPO_ROOT = Path(__file__).resolve().parents[2]

#: The revisions the Python SDK 2.x can be forced to speak, as (Client mode, the version it ends up on).
SDK_MODES = [("legacy", "2025-11-25"), ("2026-07-28", "2026-07-28")]

#: Every tool the demo server offers, in its listing order.
DEMO_TOOLS = [
    "read_record",
    "write_record",
    "delete_record",
    "start_export_job",
    "create_charge",
    "echo",
    "ask_user",
    "slow_task",
]

DEMO_POLICY = """\
version: 1
description: Interop policy for the demo server
default: allow
hide: [delete_record]

rules:
  - name: exports go to the approved bucket only
    tool: start_export_job
    when:
      args.destination_uri: {not_starts_with: "s3://approved/"}
    action: deny
    reason: Export destination must be the approved bucket

  - name: large charges need finance review
    tool: create_charge
    when:
      args.amount: {gt: 500}
    action: deny
    reason: Charges over 500 need finance review
"""


def warden_bin() -> str:
    """The Warden executable under test: $WARDEN_BIN, else the debug build of this checkout."""
    path = os.environ.get("WARDEN_BIN") or str(REPO_ROOT / ".build" / "debug" / "warden")
    if not (os.path.isfile(path) and os.access(path, os.X_OK)):
        raise AssertionError(f"Warden executable not found at {path}; run `swift build` or set WARDEN_BIN")
    return path


def write_policy(directory: Path, text: str, name: str = "policy.yaml") -> Path:
    path = directory / name
    path.write_text(text)
    return path


def warden_command(policy: Path, upstream: list[str], agent: str = "interop-agent") -> list[str]:
    """`warden run --policy FILE --agent ID -- UPSTREAM…` as an argument vector."""
    return [warden_bin(), "run", "--policy", str(policy), "--agent", agent, "--", *upstream]


def demo_server_command(*options: str) -> list[str]:
    return [warden_bin(), "demo-server", "--log-calls", *options]


def child_environment(extra: dict[str, str] | None = None) -> dict[str, str]:
    """The full environment (the SDK passes only a safe subset by default), plus `extra`."""
    environment = dict(os.environ)
    environment.update(extra or {})
    return environment


def sdk_client(
    command: list[str],
    *,
    mode: str,
    errlog,
    env: dict[str, str] | None = None,
    **options: Any,
) -> Client:
    """An SDK 2.x client that starts `command` as its stdio server, with the server's stderr going to `errlog`."""
    parameters = StdioServerParameters(command=command[0], args=command[1:], env=child_environment(env))
    return Client(stdio_client(parameters, errlog=errlog), mode=mode, read_timeout_seconds=30, **options)


async def call_tool_or_error(client: Client, name: str, arguments: dict[str, Any]) -> types.CallToolResult | MCPError:
    """Calls a tool and returns the JSON-RPC error instead of raising it.

    Assertions belong after the client's `async with` block: inside it, a failure surfaces wrapped in task-group
    exception groups that make the report hard to read.
    """
    try:
        return await client.call_tool(name, arguments)
    except MCPError as error:
        return error


def error_code(outcome: object) -> int | None:
    """The JSON-RPC error code of `call_tool_or_error`'s outcome, or None when the call returned a result."""
    return outcome.code if isinstance(outcome, MCPError) else None


def result_text(result: types.CallToolResult) -> str:
    return "".join(block.text for block in result.content if isinstance(block, types.TextContent))


def denial_text(reason: str, rule: str) -> str:
    return f'Denied by policy: {reason} (rule "{rule}")'


def decision_meta(result: types.CallToolResult) -> dict[str, Any]:
    meta = result.meta or {}
    decision = meta.get("warden/decision")
    assert isinstance(decision, dict), f"no warden/decision in _meta: {meta!r}"
    return decision


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def rss_kib(pid: int) -> int:
    """A process's resident memory, in KiB."""
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise AssertionError(f"no VmRSS for pid {pid}")


def require_program(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise AssertionError(f"`{name}` is not installed; scripts/test and .ci/run install it (apt-get install redis-server)")
    return path


class LineProcess:
    """A child process spoken to in JSON lines, with every read bounded by a timeout."""

    def __init__(self, argv: list[str], *, env: dict[str, str] | None = None, stderr=None) -> None:
        self.process = subprocess.Popen(
            argv,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=stderr if stderr is not None else subprocess.DEVNULL,
            env=child_environment(env),
        )
        self._lines: queue.Queue[bytes | None] = queue.Queue()
        threading.Thread(target=self._pump, daemon=True).start()

    def _pump(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self._lines.put(line)
        self._lines.put(None)

    def send_bytes(self, line: bytes) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(line if line.endswith(b"\n") else line + b"\n")
        self.process.stdin.flush()

    def send(self, message: dict[str, Any]) -> None:
        self.send_bytes(json.dumps(message, separators=(",", ":")).encode())

    def read_line(self, timeout: float = 20) -> bytes:
        try:
            line = self._lines.get(timeout=timeout)
        except queue.Empty:
            raise AssertionError(f"no line from {self.process.args[0]} within {timeout}s") from None
        if line is None:
            raise AssertionError(f"{self.process.args[0]} closed its stdout (exit status {self.process.poll()})")
        return line

    def read(self, timeout: float = 20) -> dict[str, Any]:
        return json.loads(self.read_line(timeout))

    def read_response(self, request_id: Any, timeout: float = 20) -> dict[str, Any]:
        """Reads until the response to `request_id`, skipping notifications."""
        while True:
            message = self.read(timeout)
            if message.get("id") == request_id and "method" not in message:
                return message

    def close(self) -> int:
        """Closes stdin (the stdio way to end a session) and waits for the process to exit."""
        if self.process.stdin is not None and not self.process.stdin.closed:
            self.process.stdin.close()
        try:
            return self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            raise AssertionError(f"{self.process.args[0]} did not exit within 20s after stdin closed") from None


def stateless_meta(**extra: Any) -> dict[str, Any]:
    """The `_meta` a 2026-07-28 client puts on every request."""
    meta: dict[str, Any] = {
        "io.modelcontextprotocol/protocolVersion": "2026-07-28",
        "io.modelcontextprotocol/clientInfo": {"name": "interop-raw-client", "version": "1.0.0"},
        "io.modelcontextprotocol/clientCapabilities": {},
    }
    meta.update(extra)
    return meta


def python_executable() -> str:
    return sys.executable
