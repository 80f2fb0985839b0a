"""A bare stdio MCP server (no SDK) whose tools/list pages a scan must follow, or must refuse to follow.

    paging_server.py [--pages N]   nine tools split over N pages (default 3)
    paging_server.py --loop        page 2 hands out page 1's cursor again: a cursor loop
    paging_server.py --endless     every page hands out a new cursor, forever
    paging_server.py --stateless   speaks only 2026-07-28: no initialize; server/discover, then every request must
                                   carry the revision and the client's identity in params._meta
    paging_server.py --ask         before the first page, asks the client `ping` and `roots/list` and sends it a
                                   notification; the list comes only if ping got `{}` and roots/list error -32601

It speaks the handshake revisions; every line it reads is echoed to stderr, so a failed test shows the conversation.
"""

import json
import sys

TOOLS = [
    {"name": f"tool_{index}", "description": f"Reads record set {index}.", "inputSchema": {"type": "object"}}
    for index in range(1, 10)
]


def send(message: dict) -> None:
    sys.stdout.write(json.dumps(message) + "\n")
    sys.stdout.flush()


def read() -> dict | None:
    line = sys.stdin.readline()
    if not line:
        return None
    sys.stderr.write(f"paging_server read: {line}")
    return json.loads(line)


def page(params: dict, pages: int, mode: str) -> dict:
    cursor = params.get("cursor")
    number = int(cursor.split("-")[1]) if cursor else 1
    if mode == "loop":
        return {"tools": [TOOLS[number - 1]], "nextCursor": "page-2"}
    if mode == "endless":
        return {"tools": [], "nextCursor": f"page-{number + 1}"}
    size = -(-len(TOOLS) // pages)
    chosen = TOOLS[(number - 1) * size : number * size]
    result: dict = {"tools": chosen}
    if number < pages:
        result["nextCursor"] = f"page-{number + 1}"
    return result


def ask_client() -> str | None:
    """Asks the client what a server may ask; returns why its answers were wrong, or None when they were right."""
    send({"jsonrpc": "2.0", "method": "notifications/message", "params": {"level": "info", "data": "scanning"}})
    send({"jsonrpc": "2.0", "id": "server-1", "method": "ping"})
    send({"jsonrpc": "2.0", "id": "server-2", "method": "roots/list"})
    answers = {}
    while len(answers) < 2:
        message = read()
        if message is None:
            return "the client went away"
        if message.get("id") in ("server-1", "server-2"):
            answers[message["id"]] = message
    if answers["server-1"].get("result") != {}:
        return f"ping got {answers['server-1']}"
    if answers["server-2"].get("error", {}).get("code") != -32601:
        return f"roots/list got {answers['server-2']}"
    return None


def main() -> None:
    mode = "pages"
    pages = 3
    if "--loop" in sys.argv:
        mode = "loop"
    if "--endless" in sys.argv:
        mode = "endless"
    if "--pages" in sys.argv:
        pages = int(sys.argv[sys.argv.index("--pages") + 1])
    asking = "--ask" in sys.argv
    stateless = "--stateless" in sys.argv
    while (message := read()) is not None:
        if "id" not in message or "method" not in message:
            continue
        method, params = message["method"], message.get("params") or {}
        meta = params.get("_meta") or {}
        if stateless and method != "server/discover" and (
            meta.get("io.modelcontextprotocol/protocolVersion") != "2026-07-28"
            or "name" not in (meta.get("io.modelcontextprotocol/clientInfo") or {})
            or not isinstance(meta.get("io.modelcontextprotocol/clientCapabilities"), dict)
        ):
            send({"jsonrpc": "2.0", "id": message["id"], "error": {"code": -32601, "message": f"{method} needs 2026-07-28's _meta"}})
            continue
        if stateless and method == "server/discover":
            result = {"supportedVersions": ["2026-07-28"], "capabilities": {"tools": {}}}
        elif method == "initialize":
            result = {
                "protocolVersion": params.get("protocolVersion", "2025-06-18"),
                "capabilities": {"tools": {}},
                "serverInfo": {"name": "paging-server", "version": "1"},
            }
        elif method == "tools/list":
            if asking:
                asking = False
                problem = ask_client()
                if problem:
                    send({"jsonrpc": "2.0", "id": message["id"], "error": {"code": -32603, "message": problem}})
                    continue
            result = page(params, pages, mode)
        else:
            send({"jsonrpc": "2.0", "id": message["id"], "error": {"code": -32601, "message": "Method not found"}})
            continue
        send({"jsonrpc": "2.0", "id": message["id"], "result": result})


if __name__ == "__main__":
    main()
