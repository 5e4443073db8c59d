"""The preview's HTTP server: the published site, its reload script, and the channel that tells it of builds.

Every response carries the headers the README tells a host to send
(:func:`scholarly_edition.formats.security.headers`), so the preview runs
under the site's own Content-Security-Policy and shows any page that breaks
it as the published site would. The policy allows no inline script, so the
reload script is a file of the server's own, ``/_preview/preview.js``, which
the server adds to the head of each page it sends (under ``'self'``); the
built pages themselves are never changed.

The script listens on ``/_preview/events`` (Server-Sent Events, allowed by
``connect-src 'self'``). On connecting it is told which build is served and
the last build's problems; after each clean build, which pages and files
changed and how (:class:`~scholarly_edition.preview.publishing.Published`);
after one that was not clean, its problems, while the last good page stays.
``/_preview/status`` gives the same state as JSON.
"""

from __future__ import annotations

import json
import mimetypes
import queue
import threading
import time
from email.utils import formatdate
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote, urlsplit

from scholarly_edition.formats.security import headers as site_headers
from scholarly_edition.preview import STATIC
from scholarly_edition.preview.publishing import Published

EVENTS = "/_preview/events"
STATUS = "/_preview/status"
SCRIPT = "/_preview/preview.js"
OWN_FILES = {SCRIPT: STATIC / "preview.js", "/_preview/preview.css": STATIC / "preview.css"}
HEARTBEAT = 15.0
"""Seconds between comments on an idle channel, so that a closed browser tab is noticed."""
RETRY_MS = 300
"""How soon a browser connects again after losing the channel (the builder or the server restarted)."""
PLACEHOLDER = (
    "<!doctype html><html lang='en'><head><meta charset='utf-8'><title>Building the preview</title></head>"
    "<body><main><p>The preview is being built; this page loads it when it is ready.</p></main></body></html>"
)


class Hub:
    """The state every open page is told of: the build served and the last build's problems."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._session = f"{time.time_ns():x}"  # a new server's builds never share a name with an old one's
        self._count = 0
        self.problems: list[str] = []
        self._listeners: set[queue.SimpleQueue[str]] = set()

    @property
    def build(self) -> str:
        """The name of the build served now."""
        return f"{self._session}.{self._count}"

    def state(self) -> dict[str, Any]:
        with self._lock:
            return {"build": self.build, "problems": list(self.problems)}

    def listen(self) -> queue.SimpleQueue[str]:
        listener: queue.SimpleQueue[str] = queue.SimpleQueue()
        with self._lock:
            self._listeners.add(listener)
        return listener

    def leave(self, listener: queue.SimpleQueue[str]) -> None:
        with self._lock:
            self._listeners.discard(listener)

    def _send(self, event: str, data: dict[str, Any]) -> None:
        message = f"event: {event}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n"
        for listener in self._listeners:
            listener.put(message)

    def published(self, published: Published, timing: dict[str, float] | None = None) -> None:
        """A clean build was published: a new build is served, and there are no problems.

        ``timing`` says when the change was seen and the build published (milliseconds since 1970)
        and how long the build took (seconds, and of them the builder's processor time), for the
        benchmark to tell the steps apart.
        """
        with self._lock:
            self.problems = []
            if published:
                self._count += 1
            data = {"build": self.build, "pages": published.pages, "files": published.files, "timing": timing or {}}
            self._send("build", data)

    def failed(self, problems: list[str]) -> None:
        """A build had problems: the served build stays; every page shows the problems."""
        with self._lock:
            self.problems = list(problems)
            self._send("problems", {"build": self.build, "problems": self.problems})


class PreviewServer(ThreadingHTTPServer):
    daemon_threads = True  # a page's open channel never keeps the server from stopping

    def __init__(self, address: tuple[str, int], served: Path, hub: Hub) -> None:
        super().__init__(address, Handler)
        self.served = served
        self.hub = hub
        self.headers = site_headers()

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host!s}:{port}/"


class Handler(BaseHTTPRequestHandler):
    server: PreviewServer
    protocol_version = "HTTP/1.1"  # one connection for a page and all it loads

    def log_message(self, format: str, *args: Any) -> None:
        pass  # the console is for builds and their problems

    def _send(self, status: int, body: bytes, content_type: str, extra: dict[str, str] | None = None) -> None:
        self.send_response(status)
        for name, value in {**self.server.headers, **(extra or {})}.items():
            self.send_header(name, value)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-cache")  # always asked again: a preview changes under the reader
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def do_HEAD(self) -> None:
        self.do_GET()

    def do_GET(self) -> None:
        path = unquote(urlsplit(self.path).path)
        if path == EVENTS:
            self._events()
        elif path == STATUS:
            self._send(HTTPStatus.OK, json.dumps(self.server.hub.state()).encode(), "application/json")
        elif path in OWN_FILES:
            self._file(OWN_FILES[path], inject=False)
        else:
            self._site(path)

    def _site(self, path: str) -> None:
        root = self.server.served.resolve()
        target = (root / path.lstrip("/")).resolve()
        if not target.is_relative_to(root):
            self._send(HTTPStatus.NOT_FOUND, b"not found", "text/plain; charset=utf-8")
            return
        if target.is_dir():
            if not path.endswith("/"):
                self.send_response(HTTPStatus.MOVED_PERMANENTLY)
                self.send_header("Location", quote(path + "/"))
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            target = target / "index.html"
        if target.is_file():
            self._file(target, inject=target.suffix == ".html")
        elif not (root / "index.html").is_file():
            # nothing published yet: a page that loads the preview once its first build is done
            self._send(
                HTTPStatus.SERVICE_UNAVAILABLE,
                self._inject(PLACEHOLDER.encode(), self.server.hub.build, placeholder=True),
                "text/html",
            )
        else:
            self._send(HTTPStatus.NOT_FOUND, b"not found", "text/plain; charset=utf-8")

    def _inject(self, page: bytes, build: str, *, placeholder: bool = False) -> bytes:
        """The page with the reload script in its head, told which build the page is."""
        mark = ' data-placeholder=""' if placeholder else ""
        tag = f'<script src="{SCRIPT}" data-build="{build}"{mark} defer></script>'.encode()
        head = page.find(b"</head>")
        return page[:head] + tag + page[head:] if head >= 0 else tag + page

    def _file(self, path: Path, *, inject: bool) -> None:
        # named before the file is read: a file newer than its name is only merged again; an older
        # file named as newer would never be
        build = self.server.hub.build
        try:
            stat = path.stat()
            tag = f'"{stat.st_size:x}-{stat.st_mtime_ns:x}"'
            if not inject and self.headers.get("If-None-Match") == tag:
                self.send_response(HTTPStatus.NOT_MODIFIED)
                self.send_header("ETag", tag)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            body = path.read_bytes()
        except OSError:
            self._send(HTTPStatus.NOT_FOUND, b"not found", "text/plain; charset=utf-8")
            return
        if inject:
            body = self._inject(body, build)
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        if content_type.startswith("text/") or content_type.endswith(("javascript", "json", "xml")):
            content_type += "; charset=utf-8"
        extra = {
            "ETag": tag,
            "Last-Modified": formatdate(stat.st_mtime, usegmt=True),
            "X-Preview-Build": build,
        }
        self._send(HTTPStatus.OK, body, content_type, extra)

    def _events(self) -> None:
        """The channel: the state now, then every build and every build's problems, until the page goes."""
        hub = self.server.hub
        listener = hub.listen()
        self.close_connection = True
        try:
            self.send_response(HTTPStatus.OK)
            for name, value in self.server.headers.items():
                self.send_header(name, value)
            self.send_header("Content-Type", "text/event-stream; charset=utf-8")
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            state = json.dumps(hub.state(), ensure_ascii=False)
            self.wfile.write(f"retry: {RETRY_MS}\nevent: state\ndata: {state}\n\n".encode())
            self.wfile.flush()
            while True:
                try:
                    message = listener.get(timeout=HEARTBEAT)
                except queue.Empty:
                    message = ": still here\n\n"
                self.wfile.write(message.encode())
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError, TimeoutError):
            pass
        finally:
            hub.leave(listener)


def start(host: str, port: int, served: Path, hub: Hub) -> PreviewServer:
    """Serve ``served`` on ``host:port`` (port 0: any free port) in a thread of its own."""
    served.mkdir(parents=True, exist_ok=True)
    server = PreviewServer((host, port), served, hub)
    threading.Thread(target=server.serve_forever, name="preview-server", daemon=True).start()
    return server


def stop(server: PreviewServer) -> None:
    server.shutdown()
    server.server_close()
