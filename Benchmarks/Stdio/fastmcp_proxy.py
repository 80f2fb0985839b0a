"""FastMCP's stdio proxy in front of a stdio server: the Python peer scripts/bench compares Warden with.

Usage: python fastmcp_proxy.py COMMAND [ARG...] (a Python with fastmcp installed).
"""

import sys

from fastmcp.client.transports import StdioTransport
from fastmcp.server import create_proxy

if __name__ == "__main__":
    upstream = StdioTransport(command=sys.argv[1], args=sys.argv[2:])
    create_proxy(upstream, name="bench-proxy").run(transport="stdio", show_banner=False)
