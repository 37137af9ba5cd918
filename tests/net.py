"""Network helpers shared by tests that start servers and processes."""

from __future__ import annotations

import socket


def free_port() -> int:
    """A port nobody listens on right now (for a process that must be told its port up front)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])
