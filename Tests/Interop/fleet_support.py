"""Helpers for the fleet tests: a throwaway PostgreSQL, nginx from examples/nginx-fleet.conf, and `warden serve`
replicas sharing a store.

PostgreSQL and nginx come from Debian's packages (scripts/test installs them). Both run as children of the test on
127.0.0.1 and free ports, with every file in a directory of their own that is removed when they stop. Every wait is
bounded.
"""

from __future__ import annotations

import glob
import json
import os
import re
import secrets
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path

import httpx2

from support import REPO_ROOT, free_port, stateless_meta, warden_bin

NGINX_EXAMPLE = REPO_ROOT / "examples" / "nginx-fleet.conf"
STATELESS_HEADERS = {"MCP-Protocol-Version": "2026-07-28", "Accept": "application/json, text/event-stream"}


def wait_until(condition, *, timeout: float, interval: float = 0.05, what: str) -> None:
    """Polls `condition` until it holds; fails the test with `what` when `timeout` seconds pass first."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what}")
        time.sleep(interval)


def postgres_bin(program: str) -> str:
    """A PostgreSQL program: Debian keeps them in /usr/lib/postgresql/<version>/bin, off PATH; the newest wins."""
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{program}"), key=lambda path: int(path.split("/")[4]))
    if found:
        return found[-1]
    on_path = shutil.which(program)
    if on_path is None:
        raise AssertionError(f"PostgreSQL's `{program}` is not installed; scripts/test and .ci/run install it (apt-get install postgresql)")
    return on_path


def private_directory(prefix: str, owner: str | None = None) -> Path:
    """A new directory under the system's temp directory (not pytest's, which other users cannot enter)."""
    path = Path(tempfile.mkdtemp(prefix=prefix))
    if owner is not None:
        shutil.chown(path, owner, owner)
    return path


class PostgresServer:
    """A throwaway PostgreSQL cluster on 127.0.0.1: role and database `warden`, password (SCRAM) authentication.

    As root the server runs as the `postgres` user (PostgreSQL refuses to run as root). `stop()` and `start()` again
    reuse the same data directory and port, for the tests that take the database away in the middle of a load.
    """

    user = "warden"
    database = "warden"

    def __init__(self) -> None:
        self.password = secrets.token_urlsafe(16)
        self.port = free_port()
        self._as_postgres = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        self.directory = private_directory("warden-pg-", "postgres" if self._as_postgres else None)
        self.data = self.directory / "data"
        self.log_path = self.directory / "server.log"
        password_file = self.directory / "password"
        password_file.write_text(self.password + "\n")
        if self._as_postgres:
            shutil.chown(password_file, "postgres", "postgres")
        try:
            self._run(
                postgres_bin("initdb"),
                "--pgdata", str(self.data),
                "--username", self.user,
                "--pwfile", str(password_file),
                "--auth", "scram-sha-256",
                "--encoding", "UTF8",
                "--no-sync",
                timeout=120,
            )
            password_file.unlink()
            with (self.data / "postgresql.conf").open("a") as conf:
                # Only TCP on loopback; durability traded for speed, since the cluster lives for one test module.
                conf.write(
                    f"listen_addresses = '127.0.0.1'\nport = {self.port}\nunix_socket_directories = ''\n"
                    "fsync = off\nsynchronous_commit = off\nfull_page_writes = off\n"
                    "shared_buffers = 16MB\nmax_connections = 200\n"
                )
            self.start()
            self._psql("postgres", f"CREATE DATABASE {self.database}")
        except BaseException:
            self.close()
            raise

    @property
    def dsn(self) -> str:
        return f"postgres://{self.user}:{self.password}@127.0.0.1:{self.port}/{self.database}"

    def create_database(self, name: str) -> str:
        """A new, empty database owned by `warden`, and the DSN that reaches it."""
        name = re.sub(r"[^a-z0-9_]", "_", name.lower())[:60]
        self._psql("postgres", f"CREATE DATABASE {name}")
        return f"postgres://{self.user}:{self.password}@127.0.0.1:{self.port}/{name}"

    def _run(self, *argv: str, timeout: float) -> subprocess.CompletedProcess:
        completed = subprocess.run(
            [*self._as_postgres, *argv], capture_output=True, text=True, timeout=timeout, cwd=self.directory
        )
        if completed.returncode != 0:
            raise AssertionError(f"{' '.join(argv)} failed ({completed.returncode}):\n{completed.stdout}{completed.stderr}")
        return completed

    def start(self) -> None:
        self._run(postgres_bin("pg_ctl"), "start", "--pgdata", str(self.data), "--log", str(self.log_path), "--wait", "--timeout", "60", timeout=90)

    def stop(self, mode: str = "fast") -> None:
        """Stops the server; `fast` ends every connection at once, as a database going away does to its clients."""
        self._run(postgres_bin("pg_ctl"), "stop", "--pgdata", str(self.data), "--mode", mode, "--wait", "--timeout", "60", timeout=90)

    def is_running(self) -> bool:
        status = subprocess.run(
            [*self._as_postgres, postgres_bin("pg_ctl"), "status", "--pgdata", str(self.data)], capture_output=True, timeout=30
        )
        return status.returncode == 0

    def _psql(self, database: str, sql: str) -> str:
        completed = subprocess.run(
            [postgres_bin("psql"), "-h", "127.0.0.1", "-p", str(self.port), "-U", self.user, "-d", database,
             "-v", "ON_ERROR_STOP=1", "-At", "-c", sql],
            capture_output=True,
            text=True,
            timeout=30,
            env={**os.environ, "PGPASSWORD": self.password, "PGCONNECT_TIMEOUT": "10"},
        )
        if completed.returncode != 0:
            raise AssertionError(f"psql {sql!r} failed: {completed.stderr}")
        return completed.stdout.strip()

    def sql(self, statement: str) -> str:
        """Runs one statement in the `warden` database as `warden`, and returns psql's unaligned output."""
        return self._psql(self.database, statement)

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def close(self) -> None:
        """Stops the server if it runs (immediately: nothing here needs keeping) and removes its files."""
        if self.data.exists() and self.is_running():
            self.stop("immediate")
        shutil.rmtree(self.directory, ignore_errors=True)


def nginx_config(example: str, *, listen_port: int, upstreams: list[str], directory: Path) -> str:
    """The example config with the test's addresses: every upstream block's servers replaced by `upstreams`, the
    listen port, and logs and temporary files kept in `directory`."""

    def replace_servers(block: re.Match) -> str:
        kept = [line for line in block.group(2).splitlines(keepends=True) if not re.match(r"\s*server\s+\S+\s*;", line)]
        servers = "".join(f"        server {address};\n" for address in upstreams)
        return block.group(1) + servers + "".join(kept) + block.group(3)

    text, count = re.subn(r"(upstream\s+\w+\s*\{\n)(.*?)(^\s*\})", replace_servers, example, flags=re.S | re.M)
    assert count >= 2, "examples/nginx-fleet.conf has no upstream blocks to fill in"
    text, count = re.subn(r"^(\s*)listen\s+\S+\s*;", rf"\1listen 127.0.0.1:{listen_port};", text, flags=re.M)
    assert count == 1, "examples/nginx-fleet.conf must listen on exactly one address"
    text = re.sub(r"^(\s*)access_log\s+\S+\s*;", rf"\1access_log {directory}/access.log;", text, flags=re.M)
    temporary = "".join(
        f"    {kind}_temp_path {directory}/{kind};\n" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    text, count = re.subn(r"^http\s*\{\n", lambda match: match.group(0) + temporary, text, count=1, flags=re.M)
    assert count == 1, "examples/nginx-fleet.conf has no http block"
    return re.sub(r"^worker_processes\s+\S+\s*;", "worker_processes 2;", text, flags=re.M)


class Nginx:
    """nginx in the foreground with examples/nginx-fleet.conf in front of `upstreams` (host:port), on a free port."""

    def __init__(self, upstreams: list[str]) -> None:
        program = shutil.which("nginx") or "/usr/sbin/nginx"
        if not os.access(program, os.X_OK):
            raise AssertionError("nginx is not installed; scripts/test and .ci/run install it (apt-get install nginx)")
        self.port = free_port()
        # Its workers run as an unprivileged user when the test is root: the directory must be theirs to enter.
        self.directory = private_directory("warden-nginx-")
        self.directory.chmod(0o755)
        self.config_path = self.directory / "nginx.conf"
        self.config_path.write_text(
            nginx_config(NGINX_EXAMPLE.read_text(), listen_port=self.port, upstreams=upstreams, directory=self.directory)
        )
        self.error_log = self.directory / "error.log"
        argv = [program, "-p", f"{self.directory}/", "-c", str(self.config_path), "-e", str(self.error_log)]
        checked = subprocess.run([*argv, "-t"], capture_output=True, text=True, timeout=30)
        if checked.returncode != 0:
            raise AssertionError(f"nginx rejects the fleet config:\n{checked.stderr}")
        self.process = subprocess.Popen(
            [*argv, "-g", f"daemon off; pid {self.directory}/nginx.pid;"],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            wait_until(self._accepts, timeout=20, what=f"nginx to listen on 127.0.0.1:{self.port}")
        except AssertionError:
            self.stop()
            raise AssertionError(f"nginx did not start:\n{self.log()}") from None

    def _accepts(self) -> bool:
        import socket

        if self.process.poll() is not None:
            raise AssertionError(f"nginx exited with {self.process.returncode}:\n{self.log()}")
        with socket.socket() as probe:
            probe.settimeout(1)
            return probe.connect_ex(("127.0.0.1", self.port)) == 0

    def url(self, server: str) -> str:
        return f"http://127.0.0.1:{self.port}/mcp/{server}"

    def log(self) -> str:
        return self.error_log.read_text(errors="replace") if self.error_log.exists() else ""

    def access_log(self) -> str:
        path = self.directory / "access.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGQUIT)  # graceful: workers finish what they serve
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        shutil.rmtree(self.directory, ignore_errors=True)


class Replica:
    """One `warden serve --config FILE --listen 127.0.0.1:PORT` of a fleet, its stderr (and its servers') in a log."""

    def __init__(self, directory: Path, name: str, config: str, *, env: dict[str, str] | None = None) -> None:
        self.name = name
        self.port = free_port()
        self.config_path = directory / f"replica-{name}.yaml"
        self.config_path.write_text(config)
        self.log_path = directory / f"replica-{name}.log"
        self._log = self.log_path.open("w")
        self.process = subprocess.Popen(
            [warden_bin(), "serve", "--config", str(self.config_path), "--listen", f"127.0.0.1:{self.port}", "--log-level", "info"],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=self._log,
            env={**os.environ, **(env or {})},
        )
        try:
            wait_until(self._serving, timeout=30, what=f"replica {name} to listen")
        except AssertionError:
            self.stop()
            raise AssertionError(f"replica {name} did not start:\n{self.log()}") from None

    def _serving(self) -> bool:
        if self.process.poll() is not None:
            raise AssertionError(f"replica {self.name} exited with {self.process.returncode}:\n{self.log()}")
        return f"serving on 127.0.0.1:{self.port}" in self.log()

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.port}"

    def url(self, server: str) -> str:
        return f"http://{self.address}/mcp/{server}"

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def calls_forwarded(self, tool: str) -> int:
        """How many calls of `tool` this replica's demo servers received (they log each with --log-calls)."""
        return len(re.findall(rf"^demo-server: called {re.escape(tool)}\b", self.log(), flags=re.M))

    def stop(self) -> int:
        """SIGTERM, then SIGKILL if the replica has not exited within 30 s."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self._log.close()
        return self.process.returncode


def stateless_call(http: httpx2.Client, url: str, key: str, request_id: str, tool: str, arguments: dict) -> dict:
    """One 2026-07-28 `tools/call` (no session): its JSON-RPC answer."""
    body = {"jsonrpc": "2.0", "id": request_id, "method": "tools/call",
            "params": {"name": tool, "arguments": arguments, "_meta": stateless_meta()}}
    headers = {**STATELESS_HEADERS, "Authorization": f"Bearer {key}", "Mcp-Method": "tools/call", "Mcp-Name": tool}
    response = http.post(url, json=body, headers=headers)
    assert response.status_code == 200, response.text
    return response.json()


class RawSession:
    """A 2025-11-25 session in raw HTTP: initialize, then every request carries its Mcp-Session-Id."""

    def __init__(self, http: httpx2.Client, url: str, key: str) -> None:
        self.http, self.url = http, url
        self.headers = {"Accept": "application/json, text/event-stream", "Authorization": f"Bearer {key}"}
        opened = self.post({"jsonrpc": "2.0", "id": "init", "method": "initialize", "params": {
            "protocolVersion": "2025-11-25", "capabilities": {}, "clientInfo": {"name": "fleet-raw", "version": "1"}}})
        self.headers["Mcp-Session-Id"] = opened.headers["mcp-session-id"]
        self.headers["MCP-Protocol-Version"] = "2025-11-25"
        self.post({"jsonrpc": "2.0", "method": "notifications/initialized"})

    def post(self, body: dict) -> httpx2.Response:
        response = self.http.post(self.url, json=body, headers=self.headers)
        assert response.status_code in (200, 202), response.text
        return response

    def call(self, request_id: str, tool: str, arguments: dict) -> dict:
        response = self.post({"jsonrpc": "2.0", "id": request_id, "method": "tools/call", "params": {"name": tool, "arguments": arguments}})
        if response.headers.get("content-type", "").startswith("text/event-stream"):
            events = [json.loads(line[5:]) for line in response.text.splitlines() if line.startswith("data:")]
            return next(event for event in events if event.get("id") == request_id)
        return response.json()


def allowed(answer: dict) -> bool:
    return "result" in answer and not answer["result"].get("isError")


def answer_text(answer: dict) -> str:
    if "error" in answer:
        return answer["error"]["message"]
    return "".join(block.get("text", "") for block in answer["result"].get("content", []))
