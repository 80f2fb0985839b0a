"""Fixtures for the interop tests. A test that needs a server starts it here; nothing is skipped."""

from __future__ import annotations

import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from support import DEMO_POLICY, free_port, require_program, warden_bin, write_policy


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture(scope="session", autouse=True)
def warden_executable() -> str:
    """Fails the whole run early, with a clear message, when there is no Warden to test."""
    return warden_bin()


@pytest.fixture
def demo_policy(tmp_path: Path) -> Path:
    return write_policy(tmp_path, DEMO_POLICY)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    """Attaches the end of Warden's stderr to a failed test's report: it usually says why the session broke."""
    report = yield
    log = getattr(item, "warden_stderr_path", None)
    if report.failed and log is not None and log.exists():
        lines = log.read_text(errors="replace").splitlines()
        report.sections.append(("warden stderr (last 40 lines)", "\n".join(lines[-40:])))
    return report


@pytest.fixture
def stderr_log(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[Path, object]]:
    """A file that receives Warden's stderr (and so the upstream's): the demo server logs each call it receives there."""
    path = tmp_path / "stderr.log"
    request.node.warden_stderr_path = path
    with path.open("w") as handle:
        yield path, handle


class RedisServer:
    """A throwaway redis-server on 127.0.0.1, with no persistence."""

    def __init__(self, directory: Path) -> None:
        self.port = free_port()
        self.process = subprocess.Popen(
            [
                require_program("redis-server"),
                "--port", str(self.port),
                "--bind", "127.0.0.1",
                "--save", "",
                "--appendonly", "no",
                "--dir", str(directory),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 20
        while self.cli("PING", check=False) != "PONG":
            if self.process.poll() is not None:
                raise AssertionError(f"redis-server exited with status {self.process.returncode}")
            if time.monotonic() > deadline:
                self.stop()
                raise AssertionError("redis-server did not answer PING within 20s")
            time.sleep(0.05)

    def cli(self, *command: str, check: bool = True) -> str:
        """Runs one redis-cli command and returns its raw output without the trailing newline."""
        completed = subprocess.run(
            [require_program("redis-cli"), "-h", "127.0.0.1", "-p", str(self.port), "--raw", *command],
            capture_output=True,
            text=True,
            timeout=10,
        )
        if check and completed.returncode != 0:
            raise AssertionError(f"redis-cli {' '.join(command)} failed: {completed.stderr}")
        return completed.stdout.rstrip("\n")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


@pytest.fixture(scope="module")
def redis_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RedisServer]:
    server = RedisServer(tmp_path_factory.mktemp("redis"))
    try:
        yield server
    finally:
        server.stop()


__all__ = ["DEMO_POLICY", "RedisServer"]
