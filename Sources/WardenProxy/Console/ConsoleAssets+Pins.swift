/// The console's "Tool pins" section: each held tool with the diff of its definition and an Accept button. Like the
/// approvals, everything the server wrote (names, descriptions) reaches the page as JSON and goes in as text.
extension ConsoleAssets {
    /// What `/console/app.js` and `/console/app.css` serve: the approvals' script and style, then the pins'.
    static let pageScript = script + pinScript
    static let pageStyle = style + pinStyle

    static let pinSection = """
        <section id="pins">
        <h2>Tool pins: definitions held for review</h2>
        <p id="pins-empty">No tool definition is held.</p>
        <div id="pin-list"></div>
        </section>
        """

    /// Appended to ``script``: it runs only on a page with the pins section, and uses that script's `csrf` and `status`.
    static let pinScript = #"""

        (function () {
          const section = document.getElementById("pins");
          if (!section) return;
          const list = document.getElementById("pin-list");
          const cards = new Map();

          function identity(pin) { return pin.server + "\u0000" + pin.tool + "\u0000" + pin.pendingFingerprint; }
          function short(fingerprint) { return fingerprint ? fingerprint.slice(0, 12) : "none"; }

          function makeCard(entry) {
            const pin = entry.pin;
            const card = document.createElement("article");
            card.className = "pin";
            card.dataset.pinServer = pin.server;
            card.dataset.pinTool = pin.tool;
            const title = document.createElement("h3");
            title.className = "tool";
            title.textContent = pin.server + " / " + pin.tool;
            const state = document.createElement("p");
            state.className = "state";
            state.textContent = (pin.state === "held-new" ? "new tool, held" : "definition changed") + ": " +
              short(pin.trustedFingerprint) + " → " + short(pin.pendingFingerprint) + (pin.changedAt ? " at " + pin.changedAt : "");
            const diff = document.createElement("pre");
            diff.className = "diff";
            for (const line of (entry.diff || "").replace(/\n$/, "").split("\n")) {
              const span = document.createElement("span");
              if (line.startsWith("+++") || line.startsWith("---")) span.className = "head";
              else if (line.startsWith("+")) span.className = "add";
              else if (line.startsWith("-")) span.className = "del";
              else if (line.startsWith("@@")) span.className = "hunk";
              span.textContent = line + "\n";
              diff.appendChild(span);
            }
            const accept = document.createElement("button");
            accept.className = "accept approve";
            accept.textContent = "Accept";
            accept.addEventListener("click", () => acceptPin(pin, card));
            card.append(title, state, diff, accept);
            return card;
          }

          async function acceptPin(pin, card) {
            card.querySelectorAll("button").forEach((button) => { button.disabled = true; });
            const name = pin.server + "/" + pin.tool;
            try {
              const response = await fetch("/console/api/pins/" + encodeURIComponent(pin.server) + "/" + encodeURIComponent(pin.tool) + "/accept", {
                method: "POST",
                credentials: "same-origin",
                headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf },
                body: "{}",
              });
              const answer = await response.json();
              status.textContent = response.ok ? name + ": definition accepted" : name + ": " + answer.error;
            } catch (error) {
              status.textContent = "The acceptance did not reach Warden: " + error;
            }
            card.querySelectorAll("button").forEach((button) => { button.disabled = false; });
            refreshPins();
          }

          async function refreshPins() {
            let data;
            try {
              const response = await fetch("/console/api/pins", { credentials: "same-origin" });
              if (!response.ok) return;
              data = await response.json();
            } catch (error) {
              return;
            }
            const seen = new Set();
            for (const entry of data.pins) {
              const id = identity(entry.pin);
              seen.add(id);
              if (!cards.has(id)) {
                const card = makeCard(entry);
                cards.set(id, card);
                list.appendChild(card);
              }
            }
            for (const [id, card] of cards) {
              if (!seen.has(id)) { card.remove(); cards.delete(id); }
            }
            document.getElementById("pins-empty").hidden = cards.size !== 0;
          }

          refreshPins();
          setInterval(refreshPins, 2000);
        })();
        """#

    static let pinStyle = """
        #pins { margin-top: 28px; }
        #pins h2 { font-size: 16px; }
        article.pin { background: #fff; border: 1px solid #dde1e6; padding: 10px 14px; margin-bottom: 12px; }
        article.pin h3 { font-size: 15px; margin: 0 0 4px; }
        article.pin .state { margin: 0 0 8px; font-size: 13px; color: #5b636b; }
        pre.diff { max-width: none; max-height: 28em; margin-bottom: 8px; }
        pre.diff .add { color: #1f7a3d; background: #e6f4ea; }
        pre.diff .del { color: #b42318; background: #fdecea; }
        pre.diff .hunk { color: #5b636b; }
        pre.diff .head { font-weight: 600; }
        """
}
