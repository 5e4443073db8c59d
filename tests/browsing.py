"""The built site in a real browser: Debian's Chromium driven by Playwright.

The site is served from 127.0.0.1 by a tiny HTTP server that sends the
headers the README tells a host to send (``edition.security.headers``), so
every browser test runs under the edition's Content-Security-Policy. Each
page visit records what a reader's browser would do behind their back:
requests to any other origin (aborted, and counted), policy violations,
console errors and uncaught exceptions.
"""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import system
from chromium import CHROMIUM, CHROMIUM_ARGS

_WATCH = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__violations.push(`${e.violatedDirective} blocked ${e.blockedURI || "inline"} ${e.sample || ""}`.trim());
});
"""


class _Handler(http.server.SimpleHTTPRequestHandler):
    extra_headers: dict[str, str] = {}

    def end_headers(self) -> None:
        for name, value in self.extra_headers.items():
            self.send_header(name, value)
        super().end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        pass


@dataclass
class Site:
    """The built HTML edition, served at ``url`` with ``headers``."""

    root: Path
    url: str
    headers: dict[str, str]

    @property
    def origin(self) -> str:
        parts = urlsplit(self.url)
        return f"{parts.scheme}://{parts.netloc}"

    def pages(self) -> list[str]:
        """Every HTML page, as a path relative to the site root."""
        return sorted(p.relative_to(self.root).as_posix() for p in self.root.rglob("*.html"))


def serve(root: Path, headers: dict[str, str]) -> tuple[http.server.ThreadingHTTPServer, str]:
    handler = type("Handler", (_Handler,), {"extra_headers": headers})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(root)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    host, port = server.server_address[:2]
    return server, f"http://{host}:{port}/"


@pytest.fixture(scope="session")
def site(edition: Any) -> Iterator[Site]:
    from scholarly_edition.formats.security import headers

    server, url = serve(edition.html, headers())
    try:
        yield Site(edition.html, url, headers())
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    # per module, not per session: Playwright's sync API allows one running
    # instance at a time, and other test modules may start their own
    system.require_browser()  # a driver that cannot start says why, not "Connection closed"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@dataclass
class Visit:
    """What one browser context saw beyond the page itself."""

    foreign: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)

    def violations(self, page: Any) -> list[str]:
        return page.evaluate("window.__violations || []")


def open_context(chromium: Any, site: Site, *, theme: str | None = None, **options: Any) -> tuple[Any, Visit]:
    """A fresh browser context on ``site`` that aborts and records every request to another origin."""
    context = chromium.new_context(base_url=site.url, reduced_motion="reduce", **options)
    visit = Visit()

    def route(route: Any) -> None:
        url = route.request.url
        if url.startswith(site.origin + "/"):
            route.continue_()
        else:
            visit.foreign.append(url)
            route.abort()

    context.route("**/*", route)
    context.add_init_script(_WATCH)
    if theme:
        context.add_init_script(f"localStorage.setItem('theme', {theme!r});")
    context.on("console", lambda msg: visit.console_errors.append(msg.text) if msg.type == "error" else None)
    context.on("weberror", lambda err: visit.page_errors.append(str(err.error)))
    return context, visit


@pytest.fixture
def browse(chromium: Any, site: Site) -> Iterator[Any]:
    """``browse(**context_options) -> (page, visit)``; contexts are closed after the test."""
    contexts = []

    def _browse(**options: Any) -> tuple[Any, Visit]:
        context, visit = open_context(chromium, site, **options)
        contexts.append(context)
        return context.new_page(), visit

    yield _browse
    for context in contexts:
        context.close()
