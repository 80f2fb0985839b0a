"""A fleet: two `warden serve` replicas on one PostgreSQL, behind nginx configured by examples/nginx-fleet.conf.

They must behave as one Warden: a limit is exact across both under concurrent load from every kind of client, an
approval decided through one releases the call held on the other, a pin accepted through one applies on the other,
and a session is served only by the replica that holds it.
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import threading
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import httpx2
import pytest

from fleet_support import Nginx, PostgresServer, RawSession, Replica, allowed, answer_text, stateless_call, wait_until
from gateway_support import gateway_client, new_key
from support import demo_server_command, result_text, warden_bin

READ_LIMIT = 24
CHARGE_BUDGET = 50
CHARGE = 10
LIMITS_POLICY = f"""\
version: 1
default: allow
rules:
  - name: reads across the fleet
    tool: read_record
    rate_limit: {{max: {READ_LIMIT}, window: 1h, per: global}}
    reason: Fleet read quota reached
  - name: charges per agent
    tool: create_charge
    budget: {{sum: args.amount, max: {CHARGE_BUDGET}, window: 1h, per: agent}}
    reason: Charge budget spent
"""
APPROVAL_POLICY = """\
version: 1
default: allow
rules:
  - name: legal records need a human
    tool: write_record
    when:
      args.id: {starts_with: "legal-"}
    action: require_approval
    reason: Legal hold records change only with a person's consent
    approval: {timeout: 2m}
"""
PINS_POLICY = "version: 1\ndefault: allow\npins: {mode: enforce, new_tools: hold}\n"


class Fleet:
    """Replicas `a` and `b` on one store, and nginx in front of both."""

    def __init__(self, directory: Path, store: str, policy: str) -> None:
        self.store = store
        # Journals and anything else Warden keeps under the home directory stay in the test's directory.
        self.env = {**os.environ, "HOME": str(directory)}
        self.keys = {"alice": new_key(), "bob": new_key()}
        self.admin_key, admin_digest = new_key()
        agents = "".join(f'  - id: {agent}\n    key_sha256: "{pair[1]}"\n' for agent, pair in self.keys.items())
        policy_lines = "".join(f"      {line}\n" for line in policy.splitlines())
        config = (
            f"store: {json.dumps(store)}\n"
            f'admin: {{token_sha256: "{admin_digest}"}}\n'
            f"servers:\n  demo:\n    command: {json.dumps(demo_server_command())}\n    policy:\n{policy_lines}"
            f"agents:\n{agents}"
        )
        self.replicas: list[Replica] = []
        try:
            for name in ("a", "b"):
                self.replicas.append(Replica(directory, name, config, env=self.env))
            self.nginx = Nginx([replica.address for replica in self.replicas])
        except BaseException:
            self.stop()
            raise
        self.a, self.b = self.replicas

    def key(self, agent: str) -> str:
        return self.keys[agent][0]

    def forwarded(self, tool: str) -> int:
        return sum(replica.calls_forwarded(tool) for replica in self.replicas)

    def admin(self, replica: Replica, method: str, path: str, body: dict | None = None) -> httpx2.Response:
        with httpx2.Client(timeout=30) as http:
            headers = {"Authorization": f"Bearer {self.admin_key}"}
            return http.request(method, f"http://{replica.address}{path}", headers=headers, json=body)

    def stop(self) -> None:
        if getattr(self, "nginx", None) is not None:
            self.nginx.stop()
        for replica in self.replicas:
            replica.stop()


@pytest.fixture(scope="module")
def postgres() -> Iterator[PostgresServer]:
    server = PostgresServer()
    try:
        yield server
    finally:
        server.close()


@pytest.fixture
def store(postgres: PostgresServer, request: pytest.FixtureRequest) -> str:
    """A database of its own for each test, so that counts and records of one test never meet another's."""
    return postgres.create_database("fleet_" + request.node.name.removeprefix("test_")[:40])


@pytest.fixture
def fleet_factory(tmp_path: Path, store: str, request: pytest.FixtureRequest) -> Iterator:
    started: list[Fleet] = []

    def start(policy: str) -> Fleet:
        fleet = Fleet(tmp_path, store, policy)
        started.append(fleet)
        request.node.warden_stderr_path = fleet.a.log_path
        return fleet

    yield start
    for fleet in started:
        fleet.stop()


def test_limits_are_exact_across_the_fleet_under_concurrent_load(fleet_factory):
    fleet = fleet_factory(LIMITS_POLICY)
    url = fleet.nginx.url("demo")
    reads_per_worker, charges_per_worker = 12, 4
    workers = [("stateless", "alice"), ("stateless", "bob"), ("stateless", "alice"), ("stateless", "bob"),
               ("session", "alice"), ("session", "bob"), ("sdk-legacy", "alice"), ("sdk-2026-07-28", "bob")]
    start = threading.Barrier(len(workers), timeout=60)
    outcomes: list[tuple[str, str, bool, str]] = []
    failures: list[BaseException] = []
    lock = threading.Lock()

    def plan(index: int) -> list[tuple[str, dict]]:
        calls = [("read_record", {"id": "r-1"})] * reads_per_worker
        for position in range(charges_per_worker):
            calls.insert(position * 3 + index % 3, ("create_charge", {"amount": CHARGE, "currency": "EUR"}))
        return calls

    def record(agent: str, tool: str, ok: bool, text: str) -> None:
        with lock:
            outcomes.append((agent, tool, ok, text))

    def raw_worker(index: int, kind: str, agent: str) -> None:
        with httpx2.Client(timeout=60) as http:
            session = RawSession(http, url, fleet.key(agent)) if kind == "session" else None
            start.wait()
            for number, (tool, arguments) in enumerate(plan(index)):
                request_id = f"w{index}-{number}"
                if session is not None:
                    answer = session.call(request_id, tool, arguments)
                else:
                    answer = stateless_call(http, url, fleet.key(agent), request_id, tool, arguments)
                record(agent, tool, allowed(answer), answer_text(answer))

    async def sdk_worker(index: int, mode: str, agent: str) -> None:
        async with gateway_client(url, fleet.key(agent), mode=mode) as client:
            await asyncio.to_thread(start.wait)
            for tool, arguments in plan(index):
                result = await client.call_tool(tool, arguments)
                record(agent, tool, not result.is_error, result_text(result))

    def run(index: int, kind: str, agent: str) -> None:
        try:
            if kind.startswith("sdk-"):
                asyncio.run(sdk_worker(index, kind.removeprefix("sdk-"), agent))
            else:
                raw_worker(index, kind, agent)
        except BaseException as error:  # reported below, in the test's thread
            failures.append(error)
            start.abort()

    threads = [threading.Thread(target=run, args=(index, kind, agent)) for index, (kind, agent) in enumerate(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads), "a client did not finish within 120s"
    assert not failures, failures

    reads = [ok for _, tool, ok, _ in outcomes if tool == "read_record"]
    charges = Counter(agent for agent, tool, ok, _ in outcomes if tool == "create_charge" and ok)
    refusals = [text for _, _, ok, text in outcomes if not ok]
    assert len(outcomes) == len(workers) * (reads_per_worker + charges_per_worker)
    assert sum(reads) == READ_LIMIT, f"{sum(reads)} reads allowed across the fleet, the limit is {READ_LIMIT}"
    assert fleet.forwarded("read_record") == READ_LIMIT
    assert charges == {"alice": CHARGE_BUDGET // CHARGE, "bob": CHARGE_BUDGET // CHARGE}
    assert fleet.forwarded("create_charge") == 2 * CHARGE_BUDGET // CHARGE
    assert all("Fleet read quota reached" in text or "Charge budget spent" in text for text in refusals), refusals[:5]
    assert fleet.a.calls_forwarded("read_record") > 0 and fleet.b.calls_forwarded("read_record") > 0, "nginx used one replica"


def held_call(url: str, key: str, record: str, outcome: dict) -> threading.Thread:
    """Sends a call that waits for approval, in a thread; `outcome` gets its answer and when it came."""

    def send() -> None:
        with httpx2.Client(timeout=120) as http:
            outcome["answer"] = stateless_call(http, url, key, record, "write_record", {"id": record, "value": "x"})
        outcome["answered_at"] = time.monotonic()

    thread = threading.Thread(target=send)
    thread.start()
    return thread


def pending_approval(fleet: Fleet, record: str) -> dict:
    """The pending approval of the call writing `record`, as replica b's admin API lists it."""
    found: list[dict] = []

    def listed() -> bool:
        response = fleet.admin(fleet.b, "GET", "/admin/approvals")
        assert response.status_code == 200, response.text
        found[:] = [item for item in response.json()["approvals"] if record in json.dumps(item.get("arguments"))]
        return bool(found)

    wait_until(listed, timeout=20, interval=0.1, what=f"the approval of {record} to be pending")
    return found[0]


def test_an_approval_through_one_replica_releases_the_call_held_on_the_other(fleet_factory):
    fleet = fleet_factory(APPROVAL_POLICY)
    key = fleet.key("alice")
    released: dict[str, float] = {}

    # Decided through b's admin API.
    outcome: dict = {}
    thread = held_call(fleet.a.url("demo"), key, "legal-1", outcome)
    approval = pending_approval(fleet, "legal-1")
    deciding_at = time.monotonic()
    decided = fleet.admin(fleet.b, "POST", f"/admin/approvals/{approval['id']}/approve", {"by": "alice"})
    assert decided.status_code == 200, decided.text
    thread.join(timeout=30)
    assert "answered_at" in outcome, "the call held on a was not released within 30s of the approval on b"
    released["admin API"] = outcome["answered_at"] - deciding_at
    assert allowed(outcome["answer"]), outcome["answer"]

    # Decided with the CLI on the shared store.
    outcome = {}
    thread = held_call(fleet.a.url("demo"), key, "legal-2", outcome)
    approval = pending_approval(fleet, "legal-2")
    cli = [warden_bin(), "approvals", "approve", approval["id"], "--by", "alice", "--store", fleet.store]
    deciding_at = time.monotonic()
    completed = subprocess.run(cli, capture_output=True, text=True, timeout=30, env=fleet.env)
    assert completed.returncode == 0, completed.stderr
    thread.join(timeout=30)
    assert "answered_at" in outcome, "the call held on a was not released within 30s of the CLI's approval"
    released["CLI"] = outcome["answered_at"] - deciding_at
    assert allowed(outcome["answer"]), outcome["answer"]

    print(f"released after (from the start of the decision): {released}")
    assert all(seconds < 5 for seconds in released.values()), released
    assert (fleet.a.calls_forwarded("write_record"), fleet.b.calls_forwarded("write_record")) == (2, 0)


def test_a_pin_accepted_through_one_replica_applies_on_the_other(fleet_factory):
    fleet = fleet_factory(PINS_POLICY)
    key = fleet.key("bob")
    with httpx2.Client(timeout=60) as http:
        calls = iter(range(1000))

        def read_on(replica: Replica) -> dict:
            return stateless_call(http, replica.url("demo"), key, f"p{next(calls)}", "read_record", {"id": "r-1"})

        held_on_b = read_on(fleet.b)
        held_on_a = read_on(fleet.a)
        accepted = fleet.admin(fleet.a, "POST", "/admin/pins/demo/read_record/accept", {"by": "alice"})
        assert accepted.status_code == 200, accepted.text
        wait_until(lambda: allowed(read_on(fleet.b)), timeout=10, interval=0.2, what="replica b to forward read_record after a accepted its pin")
        wait_until(lambda: allowed(read_on(fleet.a)), timeout=10, interval=0.2, what="replica a to forward read_record after accepting its pin")
    assert not allowed(held_on_b) and not allowed(held_on_a)
    assert "read_record" in answer_text(held_on_b)
    assert fleet.b.calls_forwarded("read_record") >= 1


def test_a_session_is_served_by_the_replica_that_holds_it(fleet_factory):
    fleet = fleet_factory("version: 1\ndefault: allow\n")
    key = fleet.key("alice")
    with httpx2.Client(timeout=30) as http:
        on_a = RawSession(http, fleet.a.url("demo"), key)
        elsewhere = http.post(fleet.b.url("demo"), json={"jsonrpc": "2.0", "id": 2, "method": "tools/list"}, headers=on_a.headers)
        # Through nginx: sessions opened round-robin, then every request of each reaches the replica that holds it.
        sessions = [RawSession(http, fleet.nginx.url("demo"), key) for _ in range(6)]
        echoes = [session.call(f"e{index}-{turn}", "echo", {"text": f"{index}"}) for turn in range(3) for index, session in enumerate(sessions)]
    assert elsewhere.status_code == 404
    assert "this replica does not hold that session" in elsewhere.json()["error"]["message"]
    assert [answer_text(answer) for answer in echoes] == [f"{index}" for _ in range(3) for index in range(6)]
    holders = [[replica.name for replica in fleet.replicas if session.headers["Mcp-Session-Id"] in replica.log()] for session in sessions]
    assert all(len(names) == 1 for names in holders), f"a session's calls reached more than one replica: {holders}"
    assert {names[0] for names in holders} == {"a", "b"}, "nginx opened every session on one replica"


# Every echo needs the store: a limit no test reaches, counted in PostgreSQL. The arguments are kept in the trail,
# so that each record names its call (the gateway gives stateless calls request ids of its own upstream).
OUTAGE_POLICY = """\
version: 1
default: allow
audit: {args: full}
rules:
  - name: counted echoes
    tool: echo
    rate_limit: {max: 1000000, window: 1h, per: global}
"""



def audit_records(fleet: Fleet) -> list[dict]:
    completed = subprocess.run(
        [warden_bin(), "audit", "--json", "--store", fleet.store], capture_output=True, text=True, timeout=60, env=fleet.env
    )
    assert completed.returncode == 0, completed.stderr
    return json.loads(completed.stdout)


def test_the_database_going_away_fails_calls_closed_and_loses_no_record(fleet_factory, postgres: PostgresServer):
    fleet = fleet_factory(OUTAGE_POLICY)
    url = fleet.nginx.url("demo")
    key = fleet.key("alice")
    answers: list[tuple[float, float, str, dict]] = []  # (sent, answered, id, answer)
    phase = {"stop": False}
    failures: list[BaseException] = []
    lock = threading.Lock()

    def load(worker: int) -> None:
        try:
            with httpx2.Client(timeout=30) as http:
                for number in range(100_000):
                    if phase["stop"]:
                        return
                    request_id = f"o{worker}-{number}"
                    sent = time.monotonic()
                    try:
                        answer = stateless_call(http, url, key, request_id, "echo", {"text": request_id})
                    except httpx2.TimeoutException:
                        raise AssertionError(f"call {request_id} got no answer within 30s") from None
                    with lock:
                        answers.append((sent, time.monotonic(), request_id, answer))
                    time.sleep(0.01)
        except BaseException as error:  # reported below, in the test's thread
            failures.append(error)

    threads = [threading.Thread(target=load, args=(worker,)) for worker in range(4)]
    for thread in threads:
        thread.start()
    try:
        time.sleep(1.5)
        postgres.stop()
        down_from = time.monotonic()
        time.sleep(3)
        down_until = time.monotonic()
        postgres.start()
        back_at = time.monotonic()

        def succeeded_again() -> bool:
            with lock:
                return sum(1 for sent, _, _, answer in answers if sent > back_at and allowed(answer)) >= 20

        wait_until(succeeded_again, timeout=60, interval=0.2, what="calls to succeed again after PostgreSQL came back")
    finally:
        phase["stop"] = True
        for thread in threads:
            thread.join(timeout=60)

    assert not failures, failures
    during = [answer for sent, answered, _, answer in answers if sent > down_from and answered < down_until]
    assert during, "no call was answered while PostgreSQL was down"
    assert not any(allowed(answer) for answer in during), "a call needing the store went through while it was down"
    assert all("store" in answer_text(answer) for answer in during), answer_text(during[0])
    assert fleet.a.process.poll() is None and fleet.b.process.poll() is None, "a replica died"

    answered = Counter(request_id for _, _, request_id, _ in answers)
    recorded: Counter[str] = Counter()

    def every_answer_recorded() -> bool:
        calls = [record for record in audit_records(fleet) if record["tool"] == "echo"]
        recorded.clear()
        recorded.update(json.loads(record["arguments"])["text"] for record in calls)
        return all(recorded[request_id] >= 1 for request_id in answered)

    wait_until(every_answer_recorded, timeout=30, interval=0.5, what="every answered call to reach the audit trail")
    forwarded = sum(1 for *_, answer in answers if allowed(answer))
    assert set(recorded) == set(answered), "the trail has records of calls nobody answered"
    assert max(recorded.values()) == 1, [request_id for request_id, count in recorded.items() if count > 1][:5]
    assert fleet.forwarded("echo") == forwarded


