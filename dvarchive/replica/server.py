"""``ReplicaServer``: the replica over real HTTP/1.1 on a loopback address, in a background thread."""
from __future__ import annotations

import ipaddress
import re
import socket
import threading
import time
from collections.abc import Iterable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any

from dvarchive.replica.app import Reply, ReplicaApp
from dvarchive.replica.site import ReplicaSite

_HOST_HEADER = re.compile(r"(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?")
_DISCONNECTED = (BrokenPipeError, ConnectionResetError, ConnectionAbortedError, socket.timeout)


def ensure_loopback(host: str) -> str:
    """The replica has unauthenticated admin endpoints: it only ever listens on loopback."""
    if host == "localhost":
        return host
    try:
        if ipaddress.ip_address(host).is_loopback:
            return host
    except ValueError:
        pass
    raise ValueError(f"the replica listens on loopback addresses only, not {host!r}")


def url_of(server: ThreadingHTTPServer) -> str:
    """``http://127.0.0.1:PORT`` (or ``http://[::1]:PORT``) of a bound server."""
    host, port = str(server.server_address[0]), int(server.server_address[1])
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    block_on_close = False
    request_queue_size = 128

    def __init__(self, address: tuple[str, int], app: ReplicaApp) -> None:
        self.app = app
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        super().__init__(address, _Handler)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "Microsoft-IIS/8.5"
    timeout = 60                      # idle keep-alive connections give their thread back
    server: _Server

    def version_string(self) -> str:
        return self.server_version

    def log_message(self, format: str, *args: Any) -> None:   # noqa: A002 - the base class's name
        """Quiet: every request is in the app's log (``GET /__replica__/log``)."""

    def do_GET(self) -> None:
        self._serve("GET")

    def do_HEAD(self) -> None:
        self._serve("HEAD")

    def do_POST(self) -> None:
        self._serve("POST")

    def _base_url(self) -> str:
        host = self.headers.get("Host", "")
        return f"http://{host}" if _HOST_HEADER.fullmatch(host) else url_of(self.server)

    def _serve(self, method: str) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        app = self.server.app
        reply = app.handle(method, self.path, self.headers, self._base_url())
        app.record(method, self.path, self.headers, reply)
        try:
            self._write(reply, with_body=method != "HEAD")
        except _DISCONNECTED:
            self.close_connection = True

    def _write(self, reply: Reply, *, with_body: bool) -> None:
        if reply.delay:
            time.sleep(reply.delay)
        if reply.action == "drop":
            self.close_connection = True
            return
        self.send_response(reply.status)
        for name, value in reply.headers:
            self.send_header(name, value)
        if reply.content_type:
            self.send_header("Content-Type", reply.content_type)
        if reply.status != 304:
            self.send_header("Content-Length", str(reply.content_length))
        if reply.action == "short":
            self.send_header("Connection", "close")
        self.end_headers()
        if with_body:
            self._write_body(reply)

    def _write_body(self, reply: Reply) -> None:
        if reply.action == "short":
            self.wfile.write(reply.body[:len(reply.body) // 2])
            self.wfile.flush()
            self.close_connection = True
            return
        chunks: Iterable[bytes] = reply.stream() if reply.stream is not None else (reply.body,)
        for chunk in chunks:
            self.wfile.write(chunk)


class ReplicaServer:
    """Serve a :class:`ReplicaSite` on ``host:port`` (0 = a free port) from a background thread.

    Use as a context manager; ``base_url`` is like ``http://127.0.0.1:PORT`` (no trailing slash).
    """

    def __init__(self, site: ReplicaSite, *, host: str = "127.0.0.1", port: int = 0,
                 faults: Iterable[str] = frozenset(), traps: bool = True, stall_seconds: float = 5.0,
                 style: str = "danvan") -> None:
        self.site = site
        self.app = ReplicaApp(site, faults=frozenset(faults), traps=traps, stall_seconds=stall_seconds, style=style)
        self._address = (ensure_loopback(host), port)
        self._httpd: _Server | None = None
        self._thread: threading.Thread | None = None

    @property
    def base_url(self) -> str:
        if self._httpd is None:
            raise RuntimeError("the replica server is not running")
        return url_of(self._httpd)

    def start(self) -> ReplicaServer:
        self.site.warm()
        self._httpd = _Server(self._address, self.app)
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.1},
                                        name="replica-server", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> ReplicaServer:
        return self.start()

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 traceback: TracebackType | None) -> None:
        self.stop()
