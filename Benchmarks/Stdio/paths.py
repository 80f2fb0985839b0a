"""Times a tools/call round trip from a raw Python client to a raw Python stdio server over several paths at once.

Usage: python3 paths.py --relay NULL_RELAY [--warden LABEL=BINARY ...] [--fastmcp PYTHON] [--rounds R] [--batch B]

Every path (the server directly, through the null relay, through each Warden binary, through FastMCP's proxy) is
started once and initialized; then each round sends B calls on every path in turn, so all paths see the same
machine at the same minutes. The client is plain subprocess and JSON lines, no SDK, like the server.
Prints one table: median, p90 and p99 per path, and what each adds to the direct path. Gates on nothing.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SERVER = [sys.executable, os.path.join(HERE, "raw_server.py")]
POLICY = """version: 1
default: deny
rules:
  - name: the benchmark's tool
    tool: echo
    action: allow
"""


class Path:
    """One client session over one path: a process to write requests to and read answers from."""

    def __init__(self, label, command):
        self.label, self.command, self.samples, self.next_id = label, command, [], 0
        self.process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)

    def request(self, method, params):
        self.next_id += 1
        message = {"jsonrpc": "2.0", "id": self.next_id, "method": method, "params": params}
        self.process.stdin.write(json.dumps(message, separators=(",", ":")).encode() + b"\n")
        self.process.stdin.flush()
        while True:
            line = self.process.stdout.readline()
            if not line:
                raise RuntimeError(f"{self.label}: the process closed its output (command: {' '.join(self.command)})")
            answer = json.loads(line)
            if answer.get("id") == self.next_id:  # notifications and anything else are skipped
                if "error" in answer:
                    raise RuntimeError(f"{self.label}: {method} failed: {answer['error']}")
                return answer

    def start(self):
        client = {"name": "raw-bench-client", "version": "1"}
        self.request("initialize", {"protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": client})
        self.process.stdin.write(b'{"jsonrpc":"2.0","method":"notifications/initialized"}\n')
        self.process.stdin.flush()

    def call(self, record):
        start = time.perf_counter_ns()
        self.request("tools/call", {"name": "echo", "arguments": {"text": "hello from the benchmark"}})
        if record:
            self.samples.append(time.perf_counter_ns() - start)

    def stop(self):
        self.process.stdin.close()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def percentile(samples, fraction):
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def microseconds(nanoseconds):
    return f"{nanoseconds / 1000:,.0f} µs" if abs(nanoseconds) >= 10_000 else f"{nanoseconds / 1000:,.1f} µs"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--relay", required=True, help="the compiled null relay")
    parser.add_argument("--warden", action="append", default=[], metavar="LABEL=BINARY", help="a warden binary to time")
    parser.add_argument("--fastmcp", metavar="PYTHON", help="a Python with fastmcp installed, to time its stdio proxy")
    parser.add_argument("--rounds", type=int, default=40)
    parser.add_argument("--batch", type=int, default=50, help="calls on one path before moving to the next")
    parser.add_argument("--warmup", type=int, default=300, help="calls on each path before timing")
    options = parser.parse_args()

    scratch = tempfile.mkdtemp(prefix="warden-bench-stdio-")
    policy = os.path.join(scratch, "policy.yaml")
    with open(policy, "w") as file:
        file.write(POLICY)
    commands = [("direct", SERVER), ("null relay (C)", [options.relay] + SERVER)]
    for index, entry in enumerate(options.warden):
        label, _, binary = entry.rpartition("=")
        store = f"sqlite:{os.path.join(scratch, f'warden-{index}.db')}"
        commands.append((label or "warden run", [binary, "run", "--policy", policy, "--store", store, "--"] + SERVER))
    if options.fastmcp:
        commands.append(("FastMCP proxy", [options.fastmcp, os.path.join(HERE, "fastmcp_proxy.py")] + SERVER))

    paths = [Path(label, command) for label, command in commands]
    try:
        for path in paths:
            path.start()
            for _ in range(options.warmup):
                path.call(record=False)
        for number in range(options.rounds):
            # Rotate the order so no path always runs right after the same neighbour.
            for path in paths[number % len(paths):] + paths[:number % len(paths)]:
                for _ in range(options.batch):
                    path.call(record=True)
    finally:
        for path in paths:
            path.stop()

    calls = options.rounds * options.batch
    print(f"tools/call round trip, raw Python client and server over stdio ({calls} calls a path, interleaved in "
          f"{options.rounds} rounds of {options.batch}; {os.cpu_count()} cores; {time.strftime('%Y-%m-%d')})")
    direct = paths[0].samples
    base = {q: percentile(direct, q) for q in (0.5, 0.9, 0.99)}
    rows = [("path", "median", "p90", "p99", "added (median)", "added (p99)")]
    for path in paths:
        figures = {q: percentile(path.samples, q) for q in (0.5, 0.9, 0.99)}
        added = ("—", "—") if path is paths[0] else (microseconds(figures[0.5] - base[0.5]), microseconds(figures[0.99] - base[0.99]))
        rows.append((path.label, microseconds(figures[0.5]), microseconds(figures[0.9]), microseconds(figures[0.99])) + added)
    widths = [max(len(row[column]) for row in rows) for column in range(len(rows[0]))]
    for row in rows:
        print("  " + "  ".join(cell.ljust(widths[0]) if column == 0 else cell.rjust(widths[column]) for column, cell in enumerate(row)))


if __name__ == "__main__":
    main()
