"""A raw stdio MCP server that misbehaves on purpose, for the gateway's fault tests. Tools:

- `flood` {count, size}: sends `count` notifications/message of about `size` bytes each as fast as the pipe takes
  them, then answers; it writes its progress (notifications sent) to the file named by FLOOD_PROGRESS.
- `hang`: never answers (the call stays in flight until Warden cancels it or the process dies).
- `echo` {text, delay}: answers `text` after `delay` seconds, on a thread of its own.

With `--stubborn`, the process ignores SIGTERM and keeps running after its stdin closes.
"""

import json
import os
import signal
import sys
import threading
import time

lock = threading.Lock()
stubborn = "--stubborn" in sys.argv
if stubborn:
    signal.signal(signal.SIGTERM, signal.SIG_IGN)


def send(message):
    with lock:
        sys.stdout.write(json.dumps(message) + "\n")
        sys.stdout.flush()


def answer(message_id, result):
    send({"jsonrpc": "2.0", "id": message_id, "result": result})


def text(message_id, value):
    answer(message_id, {"content": [{"type": "text", "text": value}], "isError": False})


def flood(message_id, count, size):
    progress = os.environ.get("FLOOD_PROGRESS")
    filler = "x" * size
    for number in range(count):
        send({"jsonrpc": "2.0", "method": "notifications/message", "params": {"level": "info", "data": {"n": number, "fill": filler}}})
        if progress and number % 100 == 0:
            with open(progress, "w") as handle:
                handle.write(str(number))
    if progress:
        with open(progress, "w") as handle:
            handle.write(str(count))
    text(message_id, f"sent {count}")


def echo(message_id, value, delay):
    time.sleep(delay)
    text(message_id, value)


TOOLS = ["flood", "hang", "echo"]

for line in sys.stdin:
    message = json.loads(line)
    method = message.get("method")
    if "id" not in message or method is None:
        continue
    if method == "initialize":
        answer(message["id"], {
            "protocolVersion": message["params"]["protocolVersion"],
            "capabilities": {"tools": {}},
            "serverInfo": {"name": "faulty", "version": "1"},
        })
    elif method == "tools/list":
        answer(message["id"], {"tools": [{"name": name, "inputSchema": {"type": "object"}} for name in TOOLS]})
    elif method == "tools/call":
        name = message["params"]["name"]
        arguments = message["params"].get("arguments") or {}
        if name == "flood":
            threading.Thread(target=flood, args=(message["id"], int(arguments["count"]), int(arguments["size"]))).start()
        elif name == "echo":
            threading.Thread(target=echo, args=(message["id"], arguments["text"], float(arguments.get("delay", 0)))).start()
        # `hang` gets no answer.
    else:
        answer(message["id"], {})

if stubborn:
    # Stdin closed: a well-behaved server would exit now. This one lingers until it is killed.
    while True:
        time.sleep(1)
