"""The built site served on 127.0.0.1, and what a page costs a reader to load.

The server compresses text with gzip when the browser asks, as any real
host of the edition does (Read the Docs among them), so that the browser
and Lighthouse see the bytes a reader would. Page weight is measured in
Debian's Chromium through Playwright: every response the page receives,
its decoded size, and its size gzipped at level 6 (the common server
default) for text, as sent for everything else.
"""

from __future__ import annotations

import contextlib
import gzip
import mimetypes
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from chromium import CHROMIUM, playwright_driver_error
from chromium import CHROMIUM_ARGS as _ARGS

CHROMIUM_ARGS = ["--headless=new" if a == "--headless" else a for a in _ARGS]
GZIP_LEVEL = 6
COMPRESSIBLE = ("text/", "application/javascript", "application/json", "image/svg+xml", "application/xml")


def _compressible(content_type: str) -> bool:
    return content_type.startswith(COMPRESSIBLE)


class _Handler(SimpleHTTPRequestHandler):
    """Static files, gzip-encoded when the client accepts it."""

    def do_GET(self) -> None:
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        ctype = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        if not path.is_file() or not _compressible(ctype) or "gzip" not in self.headers.get("Accept-Encoding", ""):
            super().do_GET()
            return
        body = gzip.compress(path.read_bytes(), GZIP_LEVEL, mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", ctype + ("; charset=utf-8" if ctype.startswith("text/") else ""))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Vary", "Accept-Encoding")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextlib.contextmanager
def serve(root: Path) -> Iterator[str]:
    """Serve ``root`` on a free port of 127.0.0.1; yields the base URL."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_Handler, directory=str(root)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@dataclass
class PageWeight:
    requests: int = 0
    raw_bytes: int = 0
    gzip_bytes: int = 0
    fonts: int = 0
    font_faces: int = 0
    render_blocking: list[str] = field(default_factory=list)
    resources: list[dict[str, Any]] = field(default_factory=list)


_RENDER_BLOCKING_JS = """() => Array.from(document.querySelectorAll(
  'head link[rel~="stylesheet"]:not([media="print"]), head script[src]:not([async]):not([defer]):not([type="module"])'
)).map(e => e.href || e.src)"""


def page_weight(url: str) -> PageWeight:
    """Load ``url`` in Chromium and add up everything it fetched."""
    error = playwright_driver_error()
    if error:
        raise RuntimeError(error)
    from playwright.sync_api import sync_playwright

    weight = PageWeight()
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            responses = []
            page.on("response", lambda response: responses.append(response))
            page.goto(url, wait_until="networkidle")
            weight.render_blocking = page.evaluate(_RENDER_BLOCKING_JS)
            weight.font_faces = page.evaluate("() => document.fonts.size")
            for response in responses:
                body = response.body() if response.status < 300 else b""
                ctype = response.headers.get("content-type", "")
                zipped = len(gzip.compress(body, GZIP_LEVEL, mtime=0)) if _compressible(ctype) else len(body)
                kind = response.request.resource_type
                weight.requests += 1
                weight.raw_bytes += len(body)
                weight.gzip_bytes += zipped
                weight.fonts += kind == "font"
                weight.resources.append(
                    {
                        "url": response.url.removeprefix(url.rsplit("/", 1)[0] + "/"),
                        "type": kind,
                        "status": response.status,
                        "raw": len(body),
                        "gzip": zipped,
                    }
                )
        finally:
            browser.close()
    return weight
