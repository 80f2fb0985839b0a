"""Differential test: what the real Python SDK server executes is exactly what Warden judged and allowed.

Thousands of hostile `tools/call` lines (see hostile_lines.py) go as raw bytes to `warden run`'s stdin, in front of a
server built with the official SDK that logs every call it executes as it parsed it. Then, for every executed call:

- the audit trail (`audit: {args: full}`) holds an `allowed` record for it whose tool and arguments equal what the
  server received (keys as exact code points, numbers as the server's reader reads the literal Warden recorded, no
  duplicate keys), and
- the server's own reading of it breaks no rule of the policy (no hidden tool, no transfer over 500, no forced
  configure, no level other than the allowed one, no write outside /safe/, no echo over 40 code points).

The run is seeded: the seed is printed and DIFFERENTIAL_SEED replays it; DIFFERENTIAL_MESSAGES sets the count.
A failure lists each disagreement with the exact line that was sent.
"""

from __future__ import annotations

import json
import os
import random
import re
import subprocess
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from hostile_lines import ALLOWED_LEVEL, NONCE_PATTERN, Case, generate
from support import LineProcess, warden_bin, write_policy

SERVER = Path(__file__).parent / "upstreams" / "differential_server.py"

POLICY = f"""\
version: 1
description: Differential test policy
default: allow
hide: [delete_record]
audit: {{args: full}}

rules:
  - name: large transfers need review
    tool: transfer
    when:
      args.amount: {{gt: 500}}
    action: deny
    reason: Transfers over 500 need review

  - name: no forced configuration
    tool: configure
    when:
      args.opts.force: {{eq: true}}
    action: deny
    reason: Forced configuration is not allowed

  - name: only the approved level
    tool: configure
    when:
      all:
        - args.opts.level: {{exists: true}}
        - args.opts.level: {{ne: {ALLOWED_LEVEL}}}
    action: deny
    reason: Only the approved level may be set

  - name: no dangerous kind
    tool: configure
    when:
      args.opts.Kind: {{eq: danger}}
    action: deny
    reason: The dangerous kind is not allowed

  - name: writes stay under /safe/
    tool: write_file
    when:
      args.path: {{not_starts_with: "/safe/"}}
    action: deny
    reason: Files are written under /safe/ only

  - name: short echoes
    tool: echo
    when:
      not:
        args.text: {{max_length: 40}}
    action: deny
    reason: Echoes are at most 40 characters
"""

#: Lines sent between two pings that wait for Warden to catch up, so the pipe never holds the whole run.
BATCH = 50


def untagged(value: dict[str, Any]) -> Any:
    """The Python value the server logged in tagged form (see differential_server.tagged)."""
    (kind, inner), = value.items()
    if kind == "int":
        return int(inner)
    if kind == "float":
        return float(inner)
    if kind == "array":
        return [untagged(item) for item in inner]
    if kind == "object":
        return {key: untagged(item) for key, item in inner}
    return inner


class DuplicateKey(Exception):
    pass


def reject_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    keys = [key for key, _ in pairs]
    if len(set(keys)) != len(keys):
        raise DuplicateKey(f"duplicate key {Counter(keys).most_common(1)[0][0]!r}")
    return dict(pairs)


def tagged(value: Any) -> Any:
    """A value read from the audit trail in the server's tagged form (the same rules as differential_server.tagged)."""
    if value is None:
        return {"null": None}
    if isinstance(value, bool):
        return {"bool": value}
    if isinstance(value, int):
        return {"int": str(value)}
    if isinstance(value, float):
        return {"float": repr(value)}
    if isinstance(value, str):
        return {"str": value}
    if isinstance(value, list):
        return {"array": [tagged(item) for item in value]}
    return {"object": [[key, tagged(item)] for key, item in value.items()]}


def unordered(value: Any) -> Any:
    """A tagged value with each object's members sorted by key (as code points): member order means nothing in JSON."""
    (kind, inner), = value.items()
    if kind == "array":
        return {kind: [unordered(item) for item in inner]}
    if kind == "object":
        return {kind: sorted(([key, unordered(item)] for key, item in inner), key=lambda pair: pair[0])}
    return value


def violations_of_policy(tool: str, acted_on: dict[str, Any]) -> list[str]:
    """The rules the server's own reading of an executed call breaks."""
    if tool == "delete_record":
        return ["the hidden tool delete_record ran"]
    if tool == "transfer" and acted_on["amount"] > 500:
        return [f"a transfer of {acted_on['amount']!r} ran (over 500)"]
    if tool == "configure":
        found = []
        if acted_on["force"] is True:
            found.append(f"configure ran with force {acted_on['opts'].get('force')!r} read as true")
        if acted_on["level"] not in (None, ALLOWED_LEVEL):
            found.append(f"configure ran with level {acted_on['level']!r}")
        if acted_on["Kind"] == "danger":
            found.append("configure ran with Kind danger")
        return found
    if tool == "write_file" and not acted_on["path"].startswith("/safe/"):
        return [f"write_file ran with path {acted_on['path']!r}"]
    if tool == "echo" and len(acted_on["text"]) > 40:
        return [f"echo ran with {len(acted_on['text'])} code points"]
    return []


def run_warden(cases: list[Case], tmp_path: Path, errlog) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Sends every case through `warden run` and returns the server's execution log and the audit trail."""
    log = tmp_path / "executed.jsonl"
    log.touch()
    store = f"sqlite:{tmp_path / 'warden.db'}"
    policy = write_policy(tmp_path, POLICY)
    argv = [warden_bin(), "run", "--policy", str(policy), "--store", store, "--agent", "diff", "--", sys.executable, str(SERVER)]
    warden = LineProcess(argv, env={"DIFFERENTIAL_LOG": str(log)}, stderr=errlog)
    try:
        warden.send_bytes(
            b'{"jsonrpc":"2.0","id":"init","method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},'
            b'"clientInfo":{"name":"differential","version":"1"}}}'
        )
        warden.read_response("init", timeout=30)
        warden.send_bytes(b'{"jsonrpc":"2.0","method":"notifications/initialized"}')
        for start in range(0, len(cases), BATCH):
            for case in cases[start:start + BATCH]:
                warden.send_bytes(case.line)
            sync = f"sync-{start}"
            warden.send({"jsonrpc": "2.0", "id": sync, "method": "ping"})
            try:
                warden.read_response(sync, timeout=30)
            except AssertionError as error:
                sent = "\n".join(repr(case.line) for case in cases[start:start + BATCH])
                raise AssertionError(f"Warden stopped answering ({error}) after these lines:\n{sent}") from None
        # Calls still running in the server finish before stdin closes: wait until its log stops growing.
        size, deadline = -1, time.monotonic() + 10
        while log.stat().st_size != size and time.monotonic() < deadline:
            size = log.stat().st_size
            time.sleep(0.5)
    finally:
        warden.close()
    executed = [json.loads(line) for line in log.read_text(encoding="ascii").split("\n") if line]
    audit = subprocess.run([warden_bin(), "audit", "--store", store, "--jsonl"], capture_output=True, text=True, timeout=60)
    assert audit.returncode == 0, f"warden audit failed: {audit.stderr}"
    # split("\n"), not splitlines(): a record may hold a raw U+2028 inside a string, which splitlines() breaks on.
    return executed, [json.loads(line) for line in audit.stdout.split("\n") if line.strip()]


def disagreements(cases: list[Case], executed: list[dict[str, Any]], audit: list[dict[str, Any]]) -> list[tuple[str, str, bytes]]:
    """(kind of line, what is wrong, the line sent) for each executed call Warden did not judge as the server read it."""
    by_nonce = {nonce: case for case in cases for nonce in case.nonces}
    allowed: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for record in audit:
        if record.get("decision") == "allowed" and record.get("arguments"):
            for nonce in set(NONCE_PATTERN.findall(record["arguments"])):
                allowed[nonce].append(record)
    found = []
    used: set[Any] = set()
    for entry in executed:
        nonces = sorted(set(NONCE_PATTERN.findall(json.dumps(entry["arguments"]))))
        case = next((by_nonce[n] for n in nonces if n in by_nonce), Case("unknown", b"(no nonce)"))
        problems = violations_of_policy(entry["tool"], untagged(entry["actedOn"]))
        candidates = [record for nonce in nonces for record in allowed.get(nonce, []) if record["id"] not in used]
        if not candidates:
            problems.append(f"the server ran {entry['tool']} with no allowed audit record for it")
        else:
            problems += audit_mismatch(entry, candidates, used)
        found += [(case.label, problem, case.line) for problem in problems]
    return found


def audit_mismatch(entry: dict[str, Any], candidates: list[dict[str, Any]], used: set[Any]) -> list[str]:
    """Why none of the allowed audit records matches the executed call, or nothing when one does."""
    reasons = []
    for record in candidates:
        try:
            judged = tagged(json.loads(record["arguments"], object_pairs_hook=reject_duplicates))
        except DuplicateKey as error:
            reasons.append(f"Warden judged arguments with a {error}: {record['arguments'][:300]}")
            continue
        if record["tool"] == entry["tool"] and unordered(judged) == unordered(entry["arguments"]):
            used.add(record["id"])  # each allowed decision accounts for one execution
            return []
        reasons.append(
            f"Warden judged {record['tool']!r} {record['arguments'][:300]} but the server ran {entry['tool']!r} "
            f"{json.dumps(untagged(entry['arguments']), ensure_ascii=True, default=repr)[:300]}"
        )
    return reasons[:1]


def problem_class(problem: str) -> str:
    """A problem with its values blanked out, so the report groups alike failures."""
    return re.sub(r"'[^']*'|\{.*|[-+\w.]*\d[\w.+-]*", "…", problem)


def report(found: list[tuple[str, str, bytes]]) -> str:
    """Every kind of failure, how often and in which kinds of line, with up to three lines that showed it."""
    groups: dict[str, list[tuple[str, str, bytes]]] = defaultdict(list)
    for label, problem, line in found:
        groups[problem_class(problem)].append((label, problem, line))
    parts = []
    for kind, examples in sorted(groups.items(), key=lambda item: -len(item[1])):
        labels = Counter(label for label, _, _ in examples)
        parts.append(f"* {kind}: {len(examples)} ({', '.join(f'{label}: {n}' for label, n in labels.most_common())})")
        shown = {label: (problem, line) for label, problem, line in reversed(examples)}
        parts += [f"    [{label}] {problem}\n      sent: {line[:600]!r}" for label, (problem, line) in list(shown.items())[:3]]
    return "\n".join(parts)


def test_the_server_executes_only_calls_warden_allowed_with_the_arguments_warden_judged(tmp_path, stderr_log):
    seed = int(os.environ.get("DIFFERENTIAL_SEED") or random.SystemRandom().randrange(1 << 32))
    count = int(os.environ.get("DIFFERENTIAL_MESSAGES") or 3000)
    print(f"differential test: seed {seed} (DIFFERENTIAL_SEED={seed} replays it), {count} lines")
    cases = generate(random.Random(seed), count)
    _, errlog = stderr_log
    executed, audit = run_warden(cases, tmp_path, errlog)

    found = disagreements(cases, executed, audit)
    if found:
        raise AssertionError(f"seed {seed}: {len(found)} executed calls disagree with what Warden judged\n" + report(found))
    ran = Counter(entry["tool"] for entry in executed)
    print(f"executed: {dict(ran)}; audit decisions: {dict(Counter(record['decision'] for record in audit))}")
    # Each allowed tool must have run sometimes, or the test proves nothing about it.
    assert all(ran[tool] > 0 for tool in ["transfer", "configure", "write_file", "echo"]), f"seed {seed}: only {dict(ran)} ran"
