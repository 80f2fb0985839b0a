"""A broken store: a store file truncated to 0 bytes, or with a damaged header, is refused with a clear error naming the
file, by `warden run` and by `warden audit`, until `warden run --start-afresh` sets it aside."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

from support import LineProcess, demo_server_command, warden_bin, write_policy

POLICY = """\
version: 1
default: allow
"""


def run_calls(policy: Path, store: str, count: int, *extra: str) -> tuple[int, list[dict], str]:
    """`warden run` with `count` echo calls; returns its exit status, the answers and its stderr."""
    argv = [warden_bin(), "run", "--policy", str(policy), "--store", store, *extra, "--", *demo_server_command()]
    lines = [
        json.dumps({"jsonrpc": "2.0", "id": n, "method": "tools/call", "params": {"name": "echo", "arguments": {"text": f"{n}"}}})
        for n in range(count)
    ]
    done = subprocess.run(argv, input=("\n".join(lines) + "\n").encode(), capture_output=True, timeout=60)
    answers = [json.loads(line) for line in done.stdout.splitlines() if line.strip()]
    return done.returncode, answers, done.stderr.decode(errors="replace")


def audit(store: str) -> subprocess.CompletedProcess:
    return subprocess.run([warden_bin(), "audit", "--store", store, "--jsonl"], capture_output=True, timeout=60)


def answered(answers: list[dict]) -> int:
    return sum(1 for answer in answers if "result" in answer and not answer["result"].get("isError"))


def test_a_truncated_store_is_refused_until_started_afresh(tmp_path: Path):
    policy = write_policy(tmp_path, POLICY)
    path = tmp_path / "warden.db"
    store = f"sqlite:{path}"
    status, answers, _ = run_calls(policy, store, 5)
    assert status == 0 and answered(answers) == 5
    assert len(audit(store).stdout.splitlines()) == 5

    os.truncate(path, 0)
    shown = audit(store)
    assert shown.returncode == 1
    assert str(path) in shown.stderr.decode() and "the store file is empty" in shown.stderr.decode(), shown.stderr
    status, answers, errors = run_calls(policy, store, 3)
    assert answered(answers) == 0, f"calls went through on an emptied store: {answers}"
    assert str(path) in errors and "--start-afresh" in errors, errors
    assert path.stat().st_size == 0, "refusing changed the file"

    status, answers, errors = run_calls(policy, store, 3, "--start-afresh")
    assert status == 0 and answered(answers) == 3, errors
    assert "set aside" in errors
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith("warden.db.broken-")]
    assert len(audit(store).stdout.splitlines()) == 3


def test_a_store_with_a_damaged_header_is_refused_with_the_file_named(tmp_path: Path):
    policy = write_policy(tmp_path, POLICY)
    path = tmp_path / "warden.db"
    store = f"sqlite:{path}"
    assert run_calls(policy, store, 2)[0] == 0
    with open(path, "r+b") as handle:
        handle.write(b"this is not a SQLite header at all, it was overwritten" + b"\0" * 46)
    shown = audit(store)
    assert shown.returncode == 1
    assert str(path) in shown.stderr.decode() and "damaged" in shown.stderr.decode(), shown.stderr
    status, answers, errors = run_calls(policy, store, 2)
    assert answered(answers) == 0 and "damaged" in errors, errors
    status, answers, errors = run_calls(policy, store, 2, "--start-afresh")
    assert status == 0 and answered(answers) == 2, errors


def test_warden_serve_sets_an_emptied_store_aside_with_start_afresh(tmp_path: Path):
    policy = write_policy(tmp_path, POLICY)
    path = tmp_path / "warden.db"
    assert run_calls(policy, f"sqlite:{path}", 2)[0] == 0
    os.truncate(path, 0)
    config = tmp_path / "gateway.yaml"
    server = ", ".join(json.dumps(part) for part in demo_server_command())
    config.write_text(
        f"listen: 127.0.0.1:0\nstore: \"sqlite:{path}\"\nservers:\n  demo:\n    command: [{server}]\n    policy: {policy}\n"
        f"agents:\n  - id: a\n    key_sha256: \"{'0' * 64}\"\n"
    )
    process = subprocess.Popen(
        [warden_bin(), "serve", "--config", str(config), "--start-afresh"], stderr=subprocess.PIPE, stdout=subprocess.DEVNULL
    )
    try:
        lines = []
        for line in process.stderr:
            lines.append(line.decode(errors="replace"))
            if "set aside" in lines[-1] or "listening" in lines[-1].lower() or len(lines) > 50:
                break
        text = "".join(lines)
        assert "set aside" in text, text
        assert [p.name for p in tmp_path.iterdir() if p.name.startswith("warden.db.broken-")]
    finally:
        process.terminate()
        process.wait(timeout=30)
