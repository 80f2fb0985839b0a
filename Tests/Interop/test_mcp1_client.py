"""A Python SDK 1.x client, which speaks 2025-06-18, through Warden; it lives in its own venv ($MCP1_PYTHON)."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

from support import REPO_ROOT, demo_server_command, denial_text, warden_command

CLIENT = Path(__file__).parent / "clients" / "mcp1_client.py"


def mcp1_python() -> str:
    path = os.environ.get("MCP1_PYTHON") or str(REPO_ROOT / ".venv-mcp1" / "bin" / "python")
    assert os.path.exists(path), f"no SDK 1.x interpreter at {path}; scripts/test creates .venv-mcp1 (or set MCP1_PYTHON)"
    return path


def test_sdk_1x_client_speaking_2025_06_18_is_governed(demo_policy, tmp_path):
    command = warden_command(demo_policy, demo_server_command())
    completed = subprocess.run(
        [mcp1_python(), str(CLIENT), *command],
        capture_output=True,
        text=True,
        timeout=120,
        env=dict(os.environ),
    )
    assert completed.returncode == 0, completed.stderr
    report = json.loads(completed.stdout.strip().splitlines()[-1])

    assert report["sdk_protocol_version"] == "2025-06-18", "the pinned 1.x SDK must be one that speaks 2025-06-18"
    # The demo server agrees to the revision the client asked for, so this proves the request went through intact.
    assert report["negotiated"] == "2025-06-18"
    assert "delete_record" not in report["tools"] and "read_record" in report["tools"]
    assert report["allowed"] == {"isError": False, "text": "Claim 1042: approved"}
    assert report["denied"]["isError"] is True
    assert report["denied"]["text"] == denial_text(
        "Export destination must be the approved bucket", "exports go to the approved bucket only"
    )
    assert (report["denied"]["meta"] or {}).get("warden/decision", {}).get("action") == "deny"
    assert report["hidden_error"] == -32602
