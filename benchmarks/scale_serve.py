"""One uvicorn worker of the benchmark's server: `python -m benchmarks.scale_serve PORT`.

`benchmarks/scale.py` starts several of these, each on a port of its own (or, with `--server
reuseport`, on one port: SO_REUSEPORT, the kernel spreads the connections over them) instead of
`uvicorn --workers`, because uvicorn's multi-process mode binds
its socket without naming the protocol (proto 0), so asyncio does not set TCP_NODELAY on the
connections it accepts, and a response written in two parts (headers, then body) waits for the
client's delayed ACK: about 40 ms added to every request, /healthz included. A socket made with
IPPROTO_TCP, as here (and as uvicorn's single-process mode makes it), has no such wait.
"""

from __future__ import annotations

import socket
import sys

import uvicorn


def listening_socket(port: int) -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind(("127.0.0.1", port))
    return sock


def main() -> None:
    port = int(sys.argv[1])
    config = uvicorn.Config(
        "jcpp.main:create_app",
        factory=True,
        log_level="info",
        access_log=False,
        timeout_keep_alive=300,
    )
    uvicorn.Server(config).run(sockets=[listening_socket(port)])


if __name__ == "__main__":
    main()
