"""A minimal stdio MCP server that can be told to die, to test how Warden restarts an upstream.

Tools: `whoami` answers with its process id and whether this process saw `initialize`; `crash` exits at once.
With `--crash-every N`, the process also exits (without answering) on its Nth tools/call, so each process serves
N - 1 calls and then dies.
"""

import json
import os
import sys

initialized = False
crash_every = int(sys.argv[sys.argv.index("--crash-every") + 1]) if "--crash-every" in sys.argv else 0
calls = 0
for line in sys.stdin:
    message = json.loads(line)
    method = message.get("method")
    if method == "initialize":
        initialized = True
        result = {
            "protocolVersion": message["params"]["protocolVersion"],
            "capabilities": {"tools": {}},
            "serverInfo": {"name": "fragile", "version": "1"},
        }
    elif method == "tools/list":
        result = {"tools": [{"name": name, "inputSchema": {"type": "object"}} for name in ("whoami", "crash")]}
    elif method == "tools/call" and message["params"]["name"] == "crash":
        sys.exit(1)
    elif method == "tools/call" and crash_every and (calls := calls + 1) % crash_every == 0:
        sys.exit(1)
    elif method == "tools/call":
        text = f"pid={os.getpid()} initialized={initialized}"
        result = {"content": [{"type": "text", "text": text}], "isError": False}
    elif "id" in message and method is not None:
        result = {}
    else:
        continue
    sys.stdout.write(json.dumps({"jsonrpc": "2.0", "id": message["id"], "result": result}) + "\n")
    sys.stdout.flush()
