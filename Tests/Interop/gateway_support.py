"""Helpers for the gateway tests: a `warden serve` process with a config, and SDK clients pointed at it."""

from __future__ import annotations

import hashlib
import re
import secrets
import subprocess
import time
from pathlib import Path
from typing import Any

import httpx2
from mcp import Client
from mcp.client.streamable_http import streamable_http_client

from support import warden_bin


def new_key() -> tuple[str, str]:
    """An API key and the SHA-256 the config stores."""
    key = "wdn_" + secrets.token_urlsafe(24)
    return key, hashlib.sha256(key.encode()).hexdigest()


class Gateway:
    """`warden serve --config FILE` on a free loopback port, stopped with SIGTERM."""

    def __init__(self, directory: Path, config: str, *, env: dict[str, str] | None = None) -> None:
        self.config_path = directory / "gateway.yaml"
        self.config_path.write_text(config)
        self.log_path = directory / "gateway.log"
        self._log = self.log_path.open("w")
        self.process = subprocess.Popen(
            [warden_bin(), "serve", "--config", str(self.config_path), "--listen", "127.0.0.1:0", "--log-level", "info"],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=self._log,
            env=env,
        )
        self.port = self._wait_for_port()

    def _wait_for_port(self) -> int:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            text = self.log_path.read_text(errors="replace")
            match = re.search(r"warden: serving on 127\.0\.0\.1:(\d+)", text)
            if match:
                return int(match.group(1))
            if self.process.poll() is not None:
                raise AssertionError(f"warden serve exited with {self.process.returncode}:\n{text}")
            time.sleep(0.05)
        raise AssertionError(f"warden serve did not start listening:\n{self.log_path.read_text(errors='replace')}")

    def url(self, server: str) -> str:
        return f"http://127.0.0.1:{self.port}/mcp/{server}"

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def stop(self) -> int:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self._log.close()
        return self.process.returncode


def gateway_client(url: str, key: str | None, *, mode: str, **options: Any) -> Client:
    """An SDK 2.x client on Streamable HTTP with the agent's key as a bearer token."""
    headers = {"Authorization": f"Bearer {key}"} if key else {}
    http = httpx2.AsyncClient(headers=headers, timeout=httpx2.Timeout(30, read=60))
    return Client(streamable_http_client(url, http_client=http), mode=mode, read_timeout_seconds=30, **options)


def raw_post(url: str, body: Any, *, key: str | None, headers: dict[str, str] | None = None, content: bytes | None = None):
    """One POST with httpx2, for what an SDK would never send."""
    all_headers = {"Accept": "application/json, text/event-stream", "Content-Type": "application/json"}
    if key:
        all_headers["Authorization"] = f"Bearer {key}"
    all_headers.update(headers or {})
    with httpx2.Client(timeout=30) as client:
        if content is not None:
            return client.post(url, content=content, headers=all_headers)
        return client.post(url, json=body, headers=all_headers)


INITIALIZE = {
    "jsonrpc": "2.0",
    "id": 1,
    "method": "initialize",
    "params": {"protocolVersion": "2025-11-25", "capabilities": {}, "clientInfo": {"name": "raw", "version": "1"}},
}
