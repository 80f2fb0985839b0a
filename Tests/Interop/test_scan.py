"""`warden scan` against real third-party servers: FastMCP with annotations, AWS Labs HealthImaging, the SDK 1.x,
and Streamable HTTP directly and through a Warden gateway."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from gateway_support import Gateway, new_key
from support import DEMO_POLICY, DEMO_TOOLS, REPO_ROOT, demo_server_command, free_port, warden_bin
from test_mcp1_client import mcp1_python

UPSTREAMS = Path(__file__).parent / "upstreams"
SEVERITIES = ["low", "medium", "high", "critical"]


def scan(*arguments: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [warden_bin(), "scan", *arguments], capture_output=True, text=True, timeout=120, env=env or dict(os.environ)
    )


def scan_json(*arguments: str, env: dict[str, str] | None = None) -> dict[str, dict]:
    """The scan's --json output by tool name; the scan must succeed."""
    completed = scan("--json", *arguments, env=env)
    assert completed.returncode == 0, completed.stderr
    tools = json.loads(completed.stdout)
    assert isinstance(tools, list)
    return {tool["name"]: tool for tool in tools}


def at_least(tool: dict, severity: str) -> bool:
    return SEVERITIES.index(tool["severity"]) >= SEVERITIES.index(severity)


def evidence_mentions(tool: dict, text: str) -> bool:
    return any(text in item for item in tool["evidence"])


class HTTPServer:
    """A Python MCP server started with `--http PORT`, stopped at the end."""

    def __init__(self, script: Path) -> None:
        self.port = free_port()
        self.process = subprocess.Popen(
            [sys.executable, str(script), "--http", str(self.port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return
            except OSError:
                if self.process.poll() is not None:
                    raise AssertionError(f"{script.name} exited before listening")
                time.sleep(0.1)
        self.stop()
        raise AssertionError(f"{script.name} did not start listening")

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/mcp"

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def check_annotated(tools: dict[str, dict]) -> None:
    assert set(tools) == {"refresh_cache", "refresh_index", "delete_all_records", "fetch_page"}
    hinted, plain = tools["refresh_cache"], tools["refresh_index"]
    assert evidence_mentions(hinted, "destructiveHint"), hinted
    assert SEVERITIES.index(hinted["severity"]) > SEVERITIES.index(plain["severity"]), (hinted, plain)
    assert at_least(hinted, "high")
    # A read-only claim on a destructive name is reported, and lowers nothing.
    deleting = tools["delete_all_records"]
    assert deleting["category"] == "destructive", deleting
    assert at_least(deleting, "high"), deleting
    assert evidence_mentions(deleting, "readOnlyHint"), deleting
    assert evidence_mentions(tools["fetch_page"], "openWorldHint")


def test_scan_fastmcp_annotations_raise_and_never_lower():
    check_annotated(scan_json("--", sys.executable, str(UPSTREAMS / "fastmcp_annotated.py")))


def test_scan_fastmcp_over_streamable_http():
    server = HTTPServer(UPSTREAMS / "fastmcp_annotated.py")
    try:
        check_annotated(scan_json("--upstream", server.url))
        table = scan("--upstream", server.url, "--color", "never")
    finally:
        server.stop()
    assert table.returncode == 0, table.stderr
    assert table.stdout.splitlines()[0].split() == ["NAME", "CATEGORY", "SEVERITY", "EVIDENCE"]
    assert table.stdout.splitlines()[-1].startswith("4 tools: ")


@pytest.mark.parametrize("revision", [[], ["--revision", "2026-07-28"]])
def test_scan_through_a_gateway_with_a_key(tmp_path, revision):
    key, digest = new_key()
    config = (
        'store: "memory:"\n'
        "servers:\n"
        "  demo:\n"
        f"    command: {json.dumps(demo_server_command())}\n"
        "    policy:\n" + "".join(f"      {line}\n" for line in DEMO_POLICY.splitlines()) +
        f'agents:\n  - id: scanner\n    key_sha256: "{digest}"\n'
    )
    gateway = Gateway(tmp_path, config, env=dict(os.environ))
    try:
        refused = scan("--upstream", gateway.url("demo"), *revision)
        tools = scan_json("--upstream", gateway.url("demo"), "--header", "Authorization: Bearer ${SCAN_KEY}", *revision,
                          env={**os.environ, "SCAN_KEY": key})
    finally:
        gateway.stop()
    assert refused.returncode == 1 and "401" in refused.stderr, refused.stderr
    # The gateway's policy hides delete_record: the scan sees what an agent would.
    assert list(tools) == [name for name in DEMO_TOOLS if name != "delete_record"]
    assert tools["start_export_job"]["category"] == "execute"
    assert evidence_mentions(tools["start_export_job"], "destination_uri")


def test_scan_sdk_1x_server_speaking_an_older_revision():
    completed = scan("--json", "--", mcp1_python(), str(UPSTREAMS / "mcp1_server.py"))
    assert completed.returncode == 0, completed.stderr
    tools = {tool["name"]: tool for tool in json.loads(completed.stdout)}
    assert list(tools) == ["list_invoices", "send_invoice", "drop_table", "untitled_tool"]
    assert tools["drop_table"]["category"] == "destructive" and at_least(tools["drop_table"], "high")
    assert tools["send_invoice"]["category"] == "financial" and at_least(tools["send_invoice"], "high")
    assert tools["untitled_tool"]["description"] in ("", None)
    verbose = scan("--verbose", "--color", "never", "--", mcp1_python(), str(UPSTREAMS / "mcp1_server.py"))
    assert "(no description)" in verbose.stdout


def test_scan_paging_server_lists_every_page():
    tools = scan_json("--", sys.executable, str(UPSTREAMS / "paging_server.py"), "--pages", "3")
    assert list(tools) == [f"tool_{index}" for index in range(1, 10)]
    looping = scan("--", sys.executable, str(UPSTREAMS / "paging_server.py"), "--loop")
    assert looping.returncode == 1 and "cursor loop" in looping.stderr


def healthimaging_environment(tmp_path: Path) -> dict[str, str]:
    """A region and no credentials of any kind: listing tools must not need them."""
    environment = {name: value for name, value in os.environ.items() if not name.startswith("AWS_")}
    environment.update(
        AWS_REGION="us-east-1",
        AWS_CONFIG_FILE=str(tmp_path / "no-config"),
        AWS_SHARED_CREDENTIALS_FILE=str(tmp_path / "no-credentials"),
        AWS_EC2_METADATA_DISABLED="true",
    )
    return environment


def test_scan_aws_healthimaging_server(tmp_path):
    server = REPO_ROOT / ".venv-interop" / "bin" / "awslabs.healthimaging-mcp-server"
    assert server.exists(), f"{server} is missing; scripts/test installs requirements-interop.txt"
    tools = scan_json("--", str(server), env=healthimaging_environment(tmp_path))
    assert len(tools) > 20
    export = tools["start_dicom_export_job"]
    assert (export["category"], export["severity"]) == ("execute", "high"), export
    assert evidence_mentions(export, "output_s3_uri"), export
    delete = tools["delete_datastore"]
    assert delete["category"] == "destructive" and at_least(delete, "high"), delete
