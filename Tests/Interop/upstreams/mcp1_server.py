"""A server on the Python SDK 1.x (which speaks 2025-06-18 at most), run with that SDK's own interpreter, for `warden scan`.

`untitled_tool` has no docstring, so it is listed with no description.
"""

from mcp.server.fastmcp import FastMCP

mcp = FastMCP("legacy")


@mcp.tool()
def list_invoices(customer: str) -> str:
    """Lists a customer's invoices."""
    return customer


@mcp.tool()
def send_invoice(invoice_id: str, email: str) -> str:
    """Sends an invoice to a customer by email."""
    return invoice_id


@mcp.tool()
def drop_table(name: str) -> str:
    """Drops a database table."""
    return name


@mcp.tool()
def untitled_tool(value: str) -> str:
    return value


if __name__ == "__main__":
    mcp.run()
