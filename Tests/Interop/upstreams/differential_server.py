"""An MCP server built with the official Python SDK that logs every tool call it executes, exactly as it read it.

The differential test sends hostile lines through `warden run` to this server and compares what it executed with what
Warden judged. Each executed call is appended to $DIFFERENTIAL_LOG as one JSON line holding the tool name and the
arguments as the SDK parsed them off the wire (before the tool's own type coercion), plus the values the tool then
acted on, in a tagged form that keeps what `json` would blur: ints and floats apart, big integers exact, keys as the
exact code points Python holds (`ensure_ascii`).

The tools read their arguments leniently, the way typical Python servers do: pydantic coerces `"1200"` to 1200.0 and
`"yes"` to True, and a JSON string given for a dict is parsed into one.
"""

from __future__ import annotations

import contextvars
import json
import os
from typing import Any

from pydantic import BaseModel, ConfigDict

from mcp.server.mcpserver import MCPServer

LOG_PATH = os.environ["DIFFERENTIAL_LOG"]

#: The tool name and raw arguments of the call being executed, set before the SDK validates them.
_current: contextvars.ContextVar[tuple[str, dict[str, Any]]] = contextvars.ContextVar("current_call")


def tagged(value: Any) -> Any:
    """`value` with every scalar labelled by its Python type, so a JSON dump of it is exact and unambiguous."""
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
    if isinstance(value, dict):
        return {"object": [[key, tagged(item)] for key, item in value.items()]}
    return {"other": repr(value)}


def record(acted_on: dict[str, Any]) -> None:
    """Appends the call being executed to the log; called by each tool once it has accepted its arguments."""
    name, arguments = _current.get()
    entry = {"tool": name, "arguments": tagged(arguments), "actedOn": tagged(acted_on)}
    with open(LOG_PATH, "a", encoding="ascii") as log:
        log.write(json.dumps(entry, ensure_ascii=True) + "\n")


class Options(BaseModel):
    """How `configure` reads its options: lenient booleans and integers, other keys kept."""

    model_config = ConfigDict(extra="allow")
    force: bool = False
    level: int | None = None
    Kind: str | None = None


class DifferentialServer(MCPServer):
    async def call_tool(self, name: str, arguments: dict[str, Any], context=None):
        _current.set((name, arguments))
        return await super().call_tool(name, arguments, context)


server = DifferentialServer("differential")


@server.tool()
async def transfer(amount: float, to: str) -> str:
    """Moves money to an account."""
    record({"amount": amount, "to": to})
    return f"transferred {amount!r} to {to}"


@server.tool()
async def configure(opts: dict) -> str:
    """Changes settings."""
    options = Options.model_validate(opts)
    record({"force": options.force, "level": options.level, "Kind": options.Kind, "opts": opts})
    return "configured"


@server.tool()
async def delete_record(id: str) -> str:
    """Deletes a record permanently."""
    record({"id": id})
    return f"deleted {id}"


@server.tool()
async def write_file(path: str, content: str) -> str:
    """Writes a file (only pretends to)."""
    record({"path": path, "content": content})
    return f"wrote {len(content)} characters to {path}"


@server.tool()
async def echo(text: str) -> str:
    """Echoes text."""
    record({"text": text})
    return text


if __name__ == "__main__":
    server.run()
