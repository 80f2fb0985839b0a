"""A stdio MCP server with no SDK: JSON lines in, JSON lines out, one tool (`echo`).

The upstream of every path scripts/bench times, so the figures measure the paths, not a server framework.
"""

import json
import sys

TOOLS = [
    {
        "name": "echo",
        "description": "Returns its text.",
        "inputSchema": {"type": "object", "properties": {"text": {"type": "string"}}, "required": ["text"]},
    }
]


def answer(request):
    method = request.get("method")
    if method == "initialize":
        version = request.get("params", {}).get("protocolVersion", "2025-06-18")
        return {
            "protocolVersion": version,
            "capabilities": {"tools": {}},
            "serverInfo": {"name": "raw-bench-server", "version": "1"},
        }
    if method == "ping":
        return {}
    if method == "tools/list":
        return {"tools": TOOLS}
    if method == "tools/call":
        text = request.get("params", {}).get("arguments", {}).get("text", "")
        return {"content": [{"type": "text", "text": text}], "isError": False}
    return None


def main():
    read, write, flush = sys.stdin.buffer.readline, sys.stdout.buffer.write, sys.stdout.buffer.flush
    while line := read():
        request = json.loads(line)
        if "id" not in request or "method" not in request:
            continue  # a notification, or an answer to something we never asked
        result = answer(request)
        if result is None:
            reply = {"jsonrpc": "2.0", "id": request["id"], "error": {"code": -32601, "message": "Method not found"}}
        else:
            reply = {"jsonrpc": "2.0", "id": request["id"], "result": result}
        write(json.dumps(reply, separators=(",", ":")).encode() + b"\n")
        flush()


if __name__ == "__main__":
    main()
