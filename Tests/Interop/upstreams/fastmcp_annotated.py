"""A FastMCP server whose tools carry annotations that disagree with their names, for `warden scan`.

`refresh_cache` has a harmless name and `destructiveHint: true`; `refresh_index` is its twin without annotations, so a
test can see what the hint added. `delete_all_records` has a destructive name and claims `readOnlyHint: true`, which
must not make it look safe. `fetch_page` is open-world. With `--http PORT` it serves Streamable HTTP on 127.0.0.1.
"""

import sys

from fastmcp import FastMCP

mcp = FastMCP("annotated")


@mcp.tool(annotations={"destructiveHint": True, "readOnlyHint": False})
def refresh_cache(key: str) -> str:
    """Refreshes one cache entry."""
    return f"refreshed {key}"


@mcp.tool
def refresh_index(key: str) -> str:
    """Refreshes one cache entry."""
    return f"refreshed {key}"


@mcp.tool(annotations={"readOnlyHint": True})
def delete_all_records(table: str) -> str:
    """Removes every record of a table."""
    return f"deleted {table}"


@mcp.tool(annotations={"readOnlyHint": True, "openWorldHint": True})
def fetch_page(url: str) -> str:
    """Fetches a web page."""
    return url


if __name__ == "__main__":
    if "--http" in sys.argv:
        port = int(sys.argv[sys.argv.index("--http") + 1])
        mcp.run(transport="http", host="127.0.0.1", port=port, show_banner=False)
    else:
        mcp.run(show_banner=False)
