"""A minimal stateless (2026-07-28) MCP server that records every line it receives, byte for byte.

The raw-client test uses it to check that Warden forwards messages it does not interpret without changing a byte,
in both directions. Each received line is appended to $RECORDER_LOG before the server answers it.
"""

import json
import os
import sys

LOG_PATH = os.environ["RECORDER_LOG"]
SERVER_INFO = {"io.modelcontextprotocol/serverInfo": {"name": "recorder", "version": "1.0.0"}}

#: Sent before the answer to `vendor/experimental`: odd spacing, key order and escapes that a re-encoder would change.
VENDOR_NOTIFICATION = b'{"method":"notifications/vendor_progress", "jsonrpc":"2.0","params":{"z":1.0e0,"a":"\\u00e9"}}'


def vendor_result(raw_id: bytes) -> bytes:
    return b'{"result":{"unknownField":true,"n":[1,2.50,-0],"s":"\\ud83d\\ude00"},"jsonrpc":"2.0","id":' + raw_id + b"}"


def send(line: bytes) -> None:
    sys.stdout.buffer.write(line + b"\n")
    sys.stdout.buffer.flush()


def answer(request_id, result=None, error=None) -> None:
    message = {"jsonrpc": "2.0", "id": request_id}
    if error is not None:
        message["error"] = error
    else:
        message["result"] = {"resultType": "complete", **result, "_meta": SERVER_INFO}
    send(json.dumps(message, separators=(",", ":")).encode())


TOOLS = [
    {"name": "echo", "description": "Echoes text.", "inputSchema": {"type": "object", "properties": {"text": {"type": "string"}}}},
    {
        "name": "create_charge",
        "description": "Charges money.",
        "inputSchema": {"type": "object", "properties": {"amount": {"type": "number"}, "currency": {"type": "string"}}},
    },
]


def main() -> None:
    with open(LOG_PATH, "ab", buffering=0) as log:
        for line in sys.stdin.buffer:
            log.write(line if line.endswith(b"\n") else line + b"\n")
            message = json.loads(line)
            if "method" not in message or "id" not in message:
                continue
            method, request_id, params = message["method"], message["id"], message.get("params") or {}
            if method == "server/discover":
                answer(request_id, {"supportedVersions": ["2026-07-28"], "capabilities": {"tools": {}}, "ttlMs": 0, "cacheScope": "public"})
            elif method == "tools/list":
                answer(request_id, {"tools": TOOLS, "ttlMs": 0, "cacheScope": "public"})
            elif method == "tools/call":
                arguments = params.get("arguments") or {}
                text = arguments.get("text") if params.get("name") == "echo" else f"charged {arguments.get('amount')}"
                answer(request_id, {"content": [{"type": "text", "text": text}], "isError": False})
            elif method == "vendor/experimental":
                raw_id = json.dumps(request_id, separators=(",", ":")).encode()
                send(VENDOR_NOTIFICATION)
                send(vendor_result(raw_id))
            else:
                answer(request_id, error={"code": -32601, "message": f"Method not found: {method}"})


if __name__ == "__main__":
    main()
