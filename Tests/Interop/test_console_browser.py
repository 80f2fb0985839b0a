"""The approval console in a real headless browser (Debian's chromium, driven by Selenium with chromedriver).

An agent (the Python SDK) calls a tool under `require_approval`; a person opens the console, sees the held call
with its tool, arguments, rule and reason, and clicks Approve or Deny; the agent gets its result or the denial.
Both the gateway's console (`console:` in the config) and `warden run --console PORT` are covered. The admin API
is tested here too, with plain HTTP, since it resolves the same records.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import re
import shutil
import time
from pathlib import Path

import httpx2
import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import WebDriverWait

from gateway_support import Gateway, gateway_client, new_key
from support import decision_meta, demo_server_command, result_text, sdk_client, warden_bin, write_policy

pytestmark = pytest.mark.anyio

# The audit keeps only a digest of the arguments (the default); approvers are shown them all the same, secrets hidden.
POLICY = """\
version: 1
default: allow
rules:
  - name: writes need a human
    tool: write_record
    action: require_approval
    reason: Writes change customer records
    approval: {timeout: 2m}
"""

ASK_CLIENT_POLICY = POLICY.replace("approval: {timeout: 2m}", "approval: {timeout: 2m, ask_client: true}")


def browser() -> webdriver.Chrome:
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    driver_path = shutil.which("chromedriver")
    assert chromium and driver_path, "chromium and chromedriver are needed (apt-get install chromium chromium-driver)"
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1400,900"):
        options.add_argument(argument)
    return webdriver.Chrome(service=Service(driver_path), options=options)


def decide_in_browser(console_url: str, tool: str, expected_argument: str, action: str, reason: str = "") -> dict:
    """Opens the console, waits for the held call's row, checks what it shows, clicks; returns what the row showed."""
    driver = browser()
    try:
        driver.get(console_url)
        wait = WebDriverWait(driver, 20)
        row = wait.until(expected_conditions.presence_of_element_located((By.CSS_SELECTOR, "tr[data-approval-id]")))
        shown = {
            "id": row.get_attribute("data-approval-id"),
            "tool": row.find_element(By.CSS_SELECTOR, ".tool").text,
            "arguments": row.find_element(By.CSS_SELECTOR, ".arguments").text,
            "why": row.find_element(By.CSS_SELECTOR, ".why").text,
        }
        assert tool in shown["tool"]
        assert expected_argument in shown["arguments"]
        if reason:
            row.find_element(By.CSS_SELECTOR, "input.reason").send_keys(reason)
        row.find_element(By.CSS_SELECTOR, f"button.{action}").click()
        wait.until(expected_conditions.text_to_be_present_in_element((By.ID, "status"), "approved" if action == "approve" else "denied"))
        # The row leaves the page once the decision is recorded.
        wait.until(lambda d: not d.find_elements(By.CSS_SELECTOR, f'tr[data-approval-id="{shown["id"]}"]'))
        return shown
    finally:
        driver.quit()


def sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def gateway_config(key_hash: str, console_token: str, admin_token: str, store: Path, policy: str = POLICY) -> str:
    policy = "\n".join("      " + line for line in policy.splitlines())
    return (
        f"store: sqlite:{store}\n"
        "servers:\n  demo:\n"
        f"    command: {json.dumps(demo_server_command())}\n"
        f"    policy:\n{policy}\n"
        f'agents:\n  - id: claims-bot\n    key_sha256: "{key_hash}"\n'
        f'console: {{token_sha256: "{sha(console_token)}", user: ops-desk}}\n'
        f'admin: {{token_sha256: "{sha(admin_token)}"}}\n'
    )


@pytest.mark.parametrize("action", ["approve", "deny"])
async def test_gateway_console_releases_or_refuses_a_held_call(tmp_path, action):
    key, key_hash = new_key()
    gateway = Gateway(tmp_path, gateway_config(key_hash, "console-token-1", "admin-token-1", tmp_path / "warden.db"))
    console_url = f"http://127.0.0.1:{gateway.port}/console?token=console-token-1"
    try:
        async with gateway_client(gateway.url("demo"), key, mode="legacy") as client:
            value = "from the agent, api key = sk-proj-AbCdEfGhIjKlMnOpQrSt"
            call = asyncio.ensure_future(client.call_tool("write_record", {"id": "r-7", "value": value}))
            shown = await asyncio.to_thread(decide_in_browser, console_url, "write_record", '"r-7"', action, "not during the audit")
            result = await asyncio.wait_for(call, 30)
    finally:
        gateway.stop()
    assert "from the agent, api key = [redacted]" in shown["arguments"] and "AbCdEf" not in shown["arguments"]
    assert "writes need a human" in shown["why"] and "Writes change customer records" in shown["why"]
    if action == "approve":
        assert (result.is_error, result_text(result)) == (False, "Wrote record r-7")
    else:
        assert result.is_error
        assert "not during the audit" in result_text(result)
        assert "ops-desk" in result_text(result)
        assert decision_meta(result)["approvalId"] == shown["id"]


async def test_console_needs_its_token_and_actions_need_the_csrf_token(tmp_path):
    key, key_hash = new_key()
    gateway = Gateway(tmp_path, gateway_config(key_hash, "console-token-2", "admin-token-2", tmp_path / "warden.db"))
    base = f"http://127.0.0.1:{gateway.port}"
    try:
        with httpx2.Client(timeout=10) as http:
            login_page = http.get(f"{base}/console")
            wrong = http.get(f"{base}/console?token=wrong")
            api_without_login = http.get(f"{base}/console/api/approvals")
            logged_in = http.get(f"{base}/console?token=console-token-2")
            cookie = logged_in.headers["set-cookie"].split(";")[0]
            page = http.get(f"{base}/console", headers={"Cookie": cookie})
            csrf = re.search(r'name="warden-csrf" content="([0-9a-f]+)"', page.text).group(1)
            no_csrf = http.post(f"{base}/console/api/approvals/ap_x/approve", headers={"Cookie": cookie}, json={})
            with_csrf = http.post(
                f"{base}/console/api/approvals/ap_x/approve", headers={"Cookie": cookie, "X-CSRF-Token": csrf}, json={}
            )
            cross_origin = http.post(
                f"{base}/console/api/approvals/ap_x/approve",
                headers={"Cookie": cookie, "X-CSRF-Token": csrf, "Origin": "https://evil.example"},
                json={},
            )
    finally:
        gateway.stop()
    assert login_page.status_code == 200 and "Console token" in login_page.text
    assert wrong.status_code == 401
    assert api_without_login.status_code == 401
    assert logged_in.status_code == 303 and "HttpOnly" in logged_in.headers["set-cookie"]
    assert "SameSite=Strict" in logged_in.headers["set-cookie"]
    assert page.headers["x-frame-options"] == "DENY"
    assert no_csrf.status_code == 403
    assert with_csrf.status_code == 404, "with the CSRF token the request is served (the approval does not exist)"
    assert cross_origin.status_code == 403


async def test_admin_api_lists_and_resolves_held_calls(tmp_path):
    key, key_hash = new_key()
    gateway = Gateway(tmp_path, gateway_config(key_hash, "console-token-3", "admin-token-3", tmp_path / "warden.db"))
    base = f"http://127.0.0.1:{gateway.port}/admin/approvals"
    admin = {"Authorization": "Bearer admin-token-3"}
    try:
        async with gateway_client(gateway.url("demo"), key, mode="legacy") as client:
            call = asyncio.ensure_future(client.call_tool("write_record", {"id": "r-8", "value": "postgres://admin:pw@db/claims"}))
            pending = []
            async with httpx2.AsyncClient(timeout=10) as http:
                unauthorized = await http.get(base)
                for _ in range(100):
                    pending = (await http.get(base, headers=admin)).json()["approvals"]
                    if pending:
                        break
                    await asyncio.sleep(0.1)
                approval_id = pending[0]["id"]
                empty_denial = await http.post(f"{base}/{approval_id}/deny", headers=admin, json={"by": "alice"})
                approved = await http.post(f"{base}/{approval_id}/approve", headers=admin, json={"by": "alice", "reason": "ok"})
                again = await http.post(f"{base}/{approval_id}/approve", headers=admin, json={"by": "bob"})
                shown = (await http.get(f"{base}/{approval_id}", headers=admin)).json()
            result = await asyncio.wait_for(call, 30)
    finally:
        gateway.stop()
    assert unauthorized.status_code == 401
    expected_arguments = {"id": "r-8", "value": "postgres://admin:[redacted]@db/claims"}
    assert pending[0]["tool"] == "write_record" and json.loads(pending[0]["arguments"]) == expected_arguments
    assert json.loads(shown["arguments"]) == expected_arguments
    assert empty_denial.status_code == 400
    assert approved.status_code == 200 and approved.json()["approval"]["state"] == "approved"
    assert again.status_code == 409 and "already approved by alice" in again.json()["error"]
    assert (shown["state"], shown["resolvedBy"], shown["resolutionReason"]) == ("approved", "alice", "ok")
    assert result_text(result) == "Wrote record r-8"


async def test_warden_run_serves_the_same_console(tmp_path):
    policy = write_policy(tmp_path, POLICY)
    errlog_path = tmp_path / "stderr.log"
    command = [
        warden_bin(), "run", "--policy", str(policy), "--store", f"sqlite:{tmp_path / 'warden.db'}",
        "--console", "0", "--console-user", "night-shift", "--", *demo_server_command(),
    ]
    with errlog_path.open("w") as errlog:
        async with sdk_client(command, mode="legacy", errlog=errlog) as client:
            call = asyncio.ensure_future(client.call_tool("write_record", {"id": "r-9", "value": "via stdio"}))
            console_url = None
            for _ in range(200):
                match = re.search(r"approval console at (http://127\.0\.0\.1:\d+/console\?token=\w+)", errlog_path.read_text())
                if match:
                    console_url = match.group(1)
                    break
                await asyncio.sleep(0.05)
            assert console_url, errlog_path.read_text()
            await asyncio.to_thread(decide_in_browser, console_url, "write_record", '"via stdio"', "deny", "use the nightly batch")
            result = await asyncio.wait_for(call, 30)
    assert result.is_error
    assert "use the nightly batch" in result_text(result) and "night-shift" in result_text(result)


async def test_client_user_approves_in_band_through_the_gateway(tmp_path):
    import mcp_types as types

    key, key_hash = new_key()
    config = gateway_config(key_hash, "console-token-4", "admin-token-4", tmp_path / "warden.db", policy=ASK_CLIENT_POLICY)
    gateway = Gateway(tmp_path, config)
    questions: list[str] = []

    async def answer(context, params: types.ElicitRequestParams) -> types.ElicitResult:
        questions.append(params.message)
        return types.ElicitResult(action="accept", content={"decision": "approve"})

    try:
        async with gateway_client(gateway.url("demo"), key, mode="legacy", elicitation_callback=answer) as client:
            result = await asyncio.wait_for(client.call_tool("write_record", {"id": "r-10", "value": "in band"}), 30)
        with httpx2.Client(timeout=10) as http:
            records = http.get(
                f"http://127.0.0.1:{gateway.port}/admin/approvals?state=all", headers={"Authorization": "Bearer admin-token-4"}
            ).json()["approvals"]
    finally:
        gateway.stop()
    assert len(questions) == 1 and "write_record" in questions[0]
    assert result_text(result) == "Wrote record r-10"
    assert [record["state"] for record in records] == ["approved"]
