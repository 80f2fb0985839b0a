"""What `warden serve` answers per second, alone and as a fleet of two replicas behind nginx, side by side.

Every row is wrk (Tests/Interop/load/tool_calls.lua) sending 2026-07-28 stateless `tools/call` requests for the demo
server's `echo` for SECONDS seconds over keep-alive connections, to one replica directly or to nginx configured from
examples/nginx-fleet.conf in front of two. With "limited", every call is under one `per: agent` rate limit that never
refuses, so each call reserves, forwards and commits in the store; without, it only writes its audit record. Run by
scripts/bench-fleet; everything (wrk, nginx, PostgreSQL, the replicas, the demo servers) shares this machine's cores,
so a fleet here shows what the shared store and nginx cost, not what two machines would add. Gates on nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "Tests" / "Interop"))

from fleet_support import Nginx, PostgresServer, Replica  # noqa: E402
from gateway_support import new_key  # noqa: E402
from support import demo_server_command, require_program  # noqa: E402

SCRIPT = ROOT / "Tests" / "Interop" / "load" / "tool_calls.lua"
LIMITED = "version: 1\ndefault: allow\nrules:\n  - name: calls per agent\n    tool: echo\n    rate_limit: {max: 1000000000, window: 1s, per: agent}\n"
OPEN = "version: 1\ndefault: allow\n"


def config(store: str, policy: str, digest: str) -> str:
    policy_lines = "".join(f"      {line}\n" for line in policy.splitlines())
    return (
        f"store: {json.dumps(store)}\n"
        f"servers:\n  demo:\n    command: {json.dumps(demo_server_command())}\n    policy:\n{policy_lines}"
        f'agents:\n  - id: bench\n    key_sha256: "{digest}"\n'
    )


def load(url: str, key: str, seconds: int, connections: int) -> dict[str, float]:
    """wrk for `seconds`: calls answered per second, the median and 99th percentile latency, and any failure."""
    argv = [require_program("wrk"), "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "30s", "-s", str(SCRIPT),
            url, "--", "1000000000", key, "echo", "stateless"]
    output = subprocess.run(argv, capture_output=True, text=True, timeout=seconds + 60).stdout
    fields = dict(re.findall(r"(\w+)=(\d+)", output, flags=re.M))
    rate = re.search(r"Requests/sec:\s+([\d.]+)", output)
    if rate is None or "answered" not in fields:
        raise SystemExit(f"wrk printed no figures:\n{output}")
    return {
        "rate": float(rate.group(1)),
        "p50": int(fields["latency_p50_us"]) / 1000,
        "p99": int(fields["latency_p99_us"]) / 1000,
        "failed": int(fields["answered"]) - int(fields["results"]),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=8)
    options = parser.parse_args()
    key, digest = new_key()
    home = Path(tempfile.mkdtemp(prefix="warden-bench-fleet-"))
    environment = {"HOME": str(home)}
    postgres = PostgresServer()
    rows: list[tuple[str, dict[str, float]]] = []
    try:
        for limited in (False, True):
            policy = LIMITED if limited else OPEN
            label = "limited" if limited else "open"
            for store in ("sqlite", "postgres"):
                dsn = f"sqlite:{home}/{label}.db" if store == "sqlite" else postgres.create_database(f"single_{label}")
                replica = Replica(home, f"single-{store}-{label}", config(dsn, policy, digest), env=environment)
                try:
                    rows.append((f"1 replica, direct      {store:8} {label:7}", load(replica.url("demo"), key, options.seconds, options.connections)))
                finally:
                    replica.stop()
            dsn = postgres.create_database(f"fleet_{label}")
            replicas = [Replica(home, f"{name}-{label}", config(dsn, policy, digest), env=environment) for name in "ab"]
            nginx = Nginx([replica.address for replica in replicas])
            try:
                rows.append((f"2 replicas, nginx      postgres {label:7}", load(nginx.url("demo"), key, options.seconds, options.connections)))
            finally:
                nginx.stop()
                for replica in replicas:
                    replica.stop()
    finally:
        postgres.close()
        subprocess.run(["rm", "-rf", str(home)], check=False)
    print(f"gateway                store    limits   calls/s  p50 ms  p99 ms  failed   ({options.seconds}s each, "
          f"{options.connections} connections, {os.cpu_count()} cores, {Path(os.environ.get('WARDEN_BIN', 'debug/warden')).parent.name} build)")
    for label, figures in rows:
        print(f"{label} {figures['rate']:8.0f} {figures['p50']:7.2f} {figures['p99']:7.2f} {figures['failed']:7d}")


if __name__ == "__main__":
    main()
