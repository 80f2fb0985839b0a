import Foundation

/// The console's page, script and style. Everything the agent controls (tool, arguments, reasons) reaches the page
/// as JSON and is put in with `textContent`, never parsed as HTML.
enum ConsoleAssets {
    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }

    static func loginPage(message: String?) -> String {
        """
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><title>Warden console: log in</title>
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <link rel="stylesheet" href="/console/app.css"></head>
        <body><main class="login">
        <h1>Warden</h1>
        <p>Held tool calls wait here for a person. Enter the console token to see them.</p>
        \(message.map { "<p class=\"error\">\(escape($0))</p>" } ?? "")
        <form method="post" action="/console/login">
        <label for="token">Console token</label>
        <input id="token" name="token" type="password" autocomplete="current-password" required autofocus>
        <button type="submit">Open the console</button>
        </form>
        </main></body></html>
        """
    }

    /// The console; `showsPins` adds the "Tool pins" section (see `pinScript`).
    static func consolePage(csrf: String, user: String, showsPins: Bool = false) -> String {
        """
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><title>Warden console</title>
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="warden-csrf" content="\(escape(csrf))">
        <link rel="stylesheet" href="/console/app.css"></head>
        <body>
        <header><h1>Warden: calls waiting for approval</h1>
        <form method="post" action="/console/logout"><span class="who">deciding as \(escape(user))</span>
        <button type="submit" class="quiet">Log out</button></form></header>
        <main>
        <p id="status" role="status" aria-live="polite"></p>
        <p id="empty">No call is waiting.</p>
        <table id="approvals" hidden>
        <thead><tr><th>Tool</th><th>Arguments</th><th>Why it waits</th><th>Agent</th><th>Expires</th><th>Decision</th></tr></thead>
        <tbody></tbody>
        </table>
        \(showsPins ? pinSection : "")
        </main>
        <script src="/console/app.js"></script>
        </body></html>
        """
    }

    static let script = #"""
        "use strict";
        const csrf = document.querySelector('meta[name="warden-csrf"]').content;
        const body = document.querySelector("#approvals tbody");
        const rows = new Map();
        const status = document.getElementById("status");

        function cell(row, text, className) {
          const td = document.createElement("td");
          if (className) td.className = className;
          td.textContent = text;
          row.appendChild(td);
          return td;
        }

        function expiresIn(ms) {
          const seconds = Math.max(0, Math.round(ms / 1000));
          return seconds >= 60 ? Math.floor(seconds / 60) + "m " + (seconds % 60) + "s" : seconds + "s";
        }

        function prettyArguments(text) {
          if (text === null) return "(not kept: held by a Warden that recorded only their digest)";
          try { return JSON.stringify(JSON.parse(text), null, 2); } catch (e) { return text; }
        }

        function makeRow(approval) {
          const row = document.createElement("tr");
          row.dataset.approvalId = approval.id;
          cell(row, (approval.server ? approval.server + " / " : "") + approval.tool, "tool");
          const args = document.createElement("pre");
          args.textContent = prettyArguments(approval.arguments);
          cell(row, "", "arguments").appendChild(args);
          const why = cell(row, "", "why");
          const rule = document.createElement("strong");
          rule.textContent = approval.rule || "(default action)";
          why.appendChild(rule);
          if (approval.reason) why.appendChild(document.createTextNode(": " + approval.reason));
          if (approval.approvers && approval.approvers.length) {
            why.appendChild(document.createElement("br"));
            why.appendChild(document.createTextNode("approvers: " + approval.approvers.join(", ")));
          }
          cell(row, (approval.agent || "(unknown agent)") + "\n" + approval.session, "agent");
          cell(row, "", "expires");
          const decision = cell(row, "", "decision");
          const reason = document.createElement("input");
          reason.className = "reason";
          reason.placeholder = "reason (needed to deny)";
          reason.setAttribute("aria-label", "reason for " + approval.tool);
          const approve = document.createElement("button");
          approve.className = "approve";
          approve.textContent = "Approve";
          approve.addEventListener("click", () => decide(approval.id, "approve", reason.value, row));
          const deny = document.createElement("button");
          deny.className = "deny";
          deny.textContent = "Deny";
          deny.addEventListener("click", () => decide(approval.id, "deny", reason.value, row));
          decision.append(reason, approve, deny);
          return row;
        }

        async function decide(id, action, reason, row) {
          if (action === "deny" && !reason.trim()) {
            status.textContent = "Give a reason to deny: the agent reads it.";
            return;
          }
          row.querySelectorAll("button").forEach((button) => { button.disabled = true; });
          try {
            const response = await fetch("/console/api/approvals/" + encodeURIComponent(id) + "/" + action, {
              method: "POST",
              credentials: "same-origin",
              headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf },
              body: JSON.stringify({ reason: reason }),
            });
            const answer = await response.json();
            const tool = row.querySelector(".tool").textContent;
            status.textContent = response.ok ? tool + ": " + (action === "approve" ? "approved" : "denied") : tool + ": " + answer.error;
          } catch (error) {
            status.textContent = "The decision did not reach Warden: " + error;
          }
          row.querySelectorAll("button").forEach((button) => { button.disabled = false; });
          refresh();
        }

        async function refresh() {
          let data;
          try {
            const response = await fetch("/console/api/approvals", { credentials: "same-origin" });
            if (response.status === 401) { window.location.reload(); return; }
            data = await response.json();
          } catch (error) {
            status.textContent = "Warden is not answering; retrying.";
            return;
          }
          const seen = new Set();
          for (const approval of data.approvals.slice().reverse()) {
            seen.add(approval.id);
            let row = rows.get(approval.id);
            if (!row) {
              row = makeRow(approval);
              rows.set(approval.id, row);
              body.prepend(row);
            }
            row.querySelector(".expires").textContent = expiresIn(approval.expiresAtMs - data.nowMs);
          }
          for (const [id, row] of rows) {
            if (!seen.has(id)) { row.remove(); rows.delete(id); }
          }
          document.getElementById("approvals").hidden = rows.size === 0;
          document.getElementById("empty").hidden = rows.size !== 0;
        }

        refresh();
        setInterval(refresh, 1000);
        """#

    static let style = """
        body { font: 15px/1.45 system-ui, sans-serif; margin: 0; color: #1d2125; background: #f6f7f9; }
        header { display: flex; justify-content: space-between; align-items: center; padding: 12px 24px;
          background: #1d2125; color: #fff; }
        header h1 { font-size: 18px; margin: 0; }
        header form { display: flex; gap: 12px; align-items: center; }
        main { padding: 16px 24px; }
        table { border-collapse: collapse; width: 100%; background: #fff; }
        th, td { text-align: left; vertical-align: top; padding: 8px 10px; border-bottom: 1px solid #dde1e6; }
        th { font-size: 13px; color: #5b636b; }
        td.agent { white-space: pre-line; font-size: 13px; color: #5b636b; }
        td.tool { font-weight: 600; }
        pre { margin: 0; max-width: 36em; max-height: 16em; overflow: auto; white-space: pre-wrap; word-break: break-word;
          font-size: 13px; background: #f1f3f5; padding: 6px; }
        td.decision { white-space: nowrap; }
        input.reason { width: 14em; margin-right: 6px; }
        button { font: inherit; padding: 4px 12px; border: 1px solid #8a939c; border-radius: 4px; background: #fff;
          cursor: pointer; margin-right: 4px; }
        button.approve { background: #1f7a3d; border-color: #1f7a3d; color: #fff; }
        button.deny { background: #b42318; border-color: #b42318; color: #fff; }
        button.quiet { background: transparent; color: inherit; border-color: #8a939c; }
        button:disabled { opacity: 0.5; }
        #status { min-height: 1.4em; font-weight: 600; }
        .login { max-width: 26em; margin: 10vh auto; background: #fff; padding: 24px; border: 1px solid #dde1e6; }
        .login input { display: block; width: 100%; box-sizing: border-box; margin: 6px 0 12px; padding: 6px; }
        .error { color: #b42318; }
        .who { font-size: 13px; color: #c9cfd5; }
        """
}
