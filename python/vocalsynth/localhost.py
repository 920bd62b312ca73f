"""Running the package's HTTP servers on loopback (tests, benchmarks, tools): a free port and a
wait until the server answers its health endpoint."""
from __future__ import annotations

import socket
import time

import requests


def free_port() -> int:
    """A free TCP port on 127.0.0.1."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_until_ready(url: str, timeout_s: float = 60.0, interval_s: float = 0.2) -> bool:
    """Polls `url` until it answers 200; False when `timeout_s` passes first."""
    deadline = time.time() + timeout_s
    while time.time() < deadline:
        try:
            if requests.get(url, timeout=1).status_code == 200:
                return True
        except requests.ConnectionError:
            pass
        time.sleep(interval_s)
    return False
