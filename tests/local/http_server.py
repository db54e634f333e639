"""The threaded HTTP servers of the local stack (the API, the platform sandbox) share one shape."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


def quiet_server(
    host: str, port: int, handle: Callable[[BaseHTTPRequestHandler], None], methods: Iterable[str]
) -> ThreadingHTTPServer:
    """An HTTP/1.1 server on its own threads that hands each request in `methods` to `handle` and writes no
    access log: the console prints what matters. Port 0 picks a free port (see `server_address`)."""

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:
            return

    def serve(request: BaseHTTPRequestHandler) -> None:
        handle(request)

    for method in methods:
        setattr(Handler, f"do_{method}", serve)
    httpd = ThreadingHTTPServer((host, port), Handler)
    httpd.daemon_threads = True
    return httpd
