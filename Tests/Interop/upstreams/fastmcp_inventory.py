"""A FastMCP server used as Warden's upstream: an inventory with a money transfer and a destructive delete.

Every call that reaches a tool is appended to the file named by $INVENTORY_CALL_LOG, so a test can prove that a call
Warden denied never ran. With `--http PORT` it serves Streamable HTTP on 127.0.0.1 instead of stdio, and each logged
call also says which Authorization header the request carried, so a test can prove whose credential reached it.
"""

import os
import sys

from fastmcp import FastMCP

mcp = FastMCP("inventory")


HTTP_MODE = "--http" in sys.argv


def record(name: str) -> None:
    if HTTP_MODE:
        from fastmcp.server.dependencies import get_http_headers

        name += " auth=" + get_http_headers(include={"authorization"}).get("authorization", "none")
    with open(os.environ["INVENTORY_CALL_LOG"], "a") as log:
        log.write(name + "\n")


@mcp.tool
def add_item(name: str, quantity: int) -> str:
    """Adds items to the inventory."""
    record("add_item")
    return f"added {quantity} x {name}"


@mcp.tool
def transfer_funds(amount: float, to_account: str) -> str:
    """Moves money to another account."""
    record("transfer_funds")
    return f"transferred {amount:g} to {to_account}"


@mcp.tool
def delete_item(name: str) -> str:
    """Deletes an item permanently."""
    record("delete_item")
    return f"deleted {name}"


if __name__ == "__main__":
    if HTTP_MODE:
        port = int(sys.argv[sys.argv.index("--http") + 1])
        mcp.run(transport="http", host="127.0.0.1", port=port, show_banner=False)
    else:
        mcp.run(show_banner=False)
