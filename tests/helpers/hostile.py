"""A hostile site of our own design (issue 11): loopback servers in threads in front of the replica.

``front`` relays every request to the real replica (keeping the client's ``Host``, so the pages it
renders link to the front's origin) and lets a test rewrite chosen answers; ``OffsiteHandler`` is
the *other* origin (another port on the same IP): it logs every request, so a test can assert that
a crawl never contacted it.
"""
from __future__ import annotations

import http.client
import json
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

RELAYED_HEADERS = ("Content-Type", "ETag", "Last-Modified", "Location")


@dataclass
class Server:
    """A loopback server in a thread; ``log`` holds the path of every request it received."""

    httpd: ThreadingHTTPServer
    log: list[str] = field(default_factory=list)
    page: bytes = b"<html><body><h1>Not the site</h1></body></html>"

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def start(handler: type[BaseHTTPRequestHandler]) -> Server:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server = Server(httpd)
    httpd.scope_server = server  # type: ignore[attr-defined]
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return server


class QuietHandler(BaseHTTPRequestHandler):
    """A handler that writes whole answers and logs nothing to stderr."""

    def answer(self, status: int, body: bytes, content_type: str, headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass


class OffsiteHandler(QuietHandler):
    """The other port: serves ``Server.page`` for any path (a crawler that came would archive it
    under the site's id); logs every request."""

    def do_GET(self) -> None:
        self.server.scope_server.log.append(self.path)  # type: ignore[attr-defined]
        self.answer(200, self.server.scope_server.page, "text/html; charset=utf-8")  # type: ignore[attr-defined]


def relay(replica: str, handler: BaseHTTPRequestHandler) -> tuple[int, dict[str, str], bytes]:
    """The replica's answer to the request ``handler`` received: status, relayed headers, body."""
    parts = urlsplit(replica)
    connection = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port, timeout=30)
    try:
        headers = {k: v for k, v in handler.headers.items() if k.lower() not in ("connection", "accept-encoding")}
        connection.request("GET", handler.path, headers=headers)
        answer = connection.getresponse()
        body = answer.read()
        relayed = {name: value for name in RELAYED_HEADERS if (value := answer.getheader(name))}
        return answer.status, relayed, body
    finally:
        connection.close()


Rewrite = Callable[[bytes], bytes]


def rewriting_front(replica: str, rewrites: dict[str, Rewrite]) -> type[BaseHTTPRequestHandler]:
    """A front that relays to the replica and passes the body of each path in ``rewrites`` through
    its function (the dict may be filled after the server started)."""

    class FrontHandler(QuietHandler):
        def do_GET(self) -> None:
            status, headers, body = relay(replica, self)
            if self.path in rewrites:
                body = rewrites[self.path](body)
            content_type = headers.pop("Content-Type", "application/octet-stream")
            self.answer(status, body, content_type, headers)

    return FrontHandler


def get(origin: str, path: str) -> bytes:
    parts = urlsplit(origin)
    connection = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port, timeout=30)
    connection.request("GET", path)
    body = connection.getresponse().read()
    connection.close()
    return body


def truth_through(origin: str) -> dict[str, dict[str, Any]]:
    """The replica's truth records as seen through a front (their URLs on the front's origin)."""
    lines = get(origin, "/__replica__/truth.jsonl").decode("utf-8").splitlines()
    return {str(r["id"]): r for r in map(json.loads, filter(None, lines))}
