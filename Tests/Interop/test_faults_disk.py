"""A full disk under the store: `warden run` with its SQLite store on a 2 MiB tmpfs.

Hundreds of calls fit (the write-ahead log is checkpointed and emptied after each journal batch, journals are
replaced once moved); when the disk is full, calls are refused fail-closed with the reason; `warden audit` and
`warden status` read the trail throughout; and once space is freed, every answered call is in the trail with its
outcome, including one answered while the disk was full. Mounting needs root, as `.ci/run` is.
"""

from __future__ import annotations

import json
import os
import subprocess
import time
from pathlib import Path

import pytest

from support import REPO_ROOT, LineProcess, python_executable, warden_bin, write_policy

UPSTREAM = [python_executable(), str(REPO_ROOT / "Tests" / "Interop" / "upstreams" / "faulty_server.py")]

POLICY = """\
version: 1
default: allow
"""


@pytest.fixture
def small_volume(tmp_path: Path):
    """A 2 MiB tmpfs, unmounted afterwards."""
    assert os.geteuid() == 0, "this test mounts a tmpfs and must run as root (as .ci/run does)"
    volume = tmp_path / "volume"
    volume.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(volume)], check=True)
    try:
        yield volume
    finally:
        subprocess.run(["umount", "-l", str(volume)], check=False)


def fill(volume: Path) -> Path:
    """Fills the volume to the last byte with one file (grown again on each call), and returns it.

    Warden frees space of its own while the disk is full (a journal moved into the database is deleted), so the test
    fills the disk again before each call it expects to be refused.
    """
    filler = volume / "filler"
    descriptor = os.open(filler, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    try:
        for size in (65536, 4096, 1):
            try:
                while os.write(descriptor, b"\0" * size) > 0:
                    pass
            except OSError:
                pass
    finally:
        os.close(descriptor)
    return filler


def call(process: LineProcess, request_id: int, tool: str = "echo", arguments: dict | None = None) -> dict:
    process.send({
        "jsonrpc": "2.0", "id": request_id, "method": "tools/call",
        "params": {"name": tool, "arguments": arguments if arguments is not None else {"text": f"call {request_id}"}},
    })
    return process.read_response(request_id, timeout=30)


def audit(store: str) -> list[dict]:
    done = subprocess.run([warden_bin(), "audit", "--store", store, "--jsonl"], capture_output=True, timeout=60)
    assert done.returncode == 0, f"warden audit failed ({done.returncode}): {done.stderr.decode()}"
    return [json.loads(line) for line in done.stdout.splitlines() if line.strip()]


def is_result(answer: dict) -> bool:
    return "result" in answer and not answer["result"].get("isError")


def test_a_full_disk_refuses_calls_with_the_reason_and_loses_no_answered_call(tmp_path: Path, small_volume: Path):
    store = f"sqlite:{small_volume}/warden.db"
    policy = write_policy(tmp_path, POLICY)
    errors = open(tmp_path / "warden.err", "w+b")
    argv = [warden_bin(), "run", "--policy", str(policy), "--store", store, "--agent", "disk", "--", *UPSTREAM]
    process = LineProcess(argv, stderr=errors)
    answered: dict[str, str] = {}
    try:
        process.send({
            "jsonrpc": "2.0", "id": "init", "method": "initialize",
            "params": {"protocolVersion": "2025-11-25", "capabilities": {}, "clientInfo": {"name": "disk", "version": "1"}},
        })
        process.read_response("init")
        process.send({"jsonrpc": "2.0", "method": "notifications/initialized"})

        # Hundreds of calls fit on 2 MiB.
        for request_id in range(1, 401):
            answer = call(process, request_id)
            assert is_result(answer), f"call {request_id} failed on a disk with room: {answer}"
            answered[str(request_id)] = "result"
        assert len(audit(store)) >= 400

        # A call in flight when the disk fills is answered; its outcome waits in memory until there is room.
        process.send({
            "jsonrpc": "2.0", "id": 1000, "method": "tools/call",
            "params": {"name": "echo", "arguments": {"text": "slow", "delay": 2}},
        })
        time.sleep(0.5)
        filler = fill(small_volume)
        slow = process.read_response(1000, timeout=30)
        assert is_result(slow), f"the slow call failed: {slow}"
        answered["1000"] = "result"

        # While the disk is full, calls are refused with the reason, and the trail can be read. A few calls may still
        # be recorded and forwarded first: the journal's last page on the volume has room for some records.
        refused = 0
        for request_id in range(2000, 2040):
            fill(small_volume)
            answer = call(process, request_id)
            if is_result(answer):
                answered[str(request_id)] = "result"
                continue
            refused += 1
            text = json.dumps(answer)
            # The journal says why: the disk is full, or an outcome it could not write on the full disk waits first.
            reason_named = "No space left on device" in text or "outcomes still wait for it" in text
            assert "audit trail cannot be written" in text and reason_named, text
            if refused == 10:
                break
        assert refused == 10, f"only {refused} of {request_id - 1999} calls on a full disk were refused"
        records = audit(store)
        assert len(records) >= 400
        for command in (["status"], ["approvals", "list"]):
            done = subprocess.run([warden_bin(), *command, "--store", store], capture_output=True, timeout=60)
            assert done.returncode == 0, f"warden {' '.join(command)} failed on a full disk: {done.stderr.decode()}"

        # Space comes back: calls go through again.
        filler.unlink()
        time.sleep(1)
        for request_id in range(3000, 3050):
            answer = call(process, request_id)
            assert is_result(answer), f"call {request_id} failed after space was freed: {answer}"
            answered[str(request_id)] = "result"
    finally:
        assert process.close() == 0

    records = audit(store)
    outcomes = {record["requestId"]: record.get("outcome") for record in records if record.get("decision") == "allowed"}
    missing = sorted(set(answered) - set(outcomes), key=int)
    assert not missing, f"answered calls missing from the trail: {missing[:20]}"
    without = sorted((request_id for request_id in answered if outcomes[request_id] != "result"), key=int)
    assert not without, f"answered calls without their outcome: {without[:20]}"
    errors.seek(0)
    log = errors.read().decode(errors="replace")
    assert "audit" in log, "the full disk was not reported"
