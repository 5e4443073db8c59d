"""The live preview: the HTML edition rebuilt on every save and shown in the browser at once.

``python -m scholarly_edition.preview`` (``nox -s serve``) serves the HTML
edition on 127.0.0.1 and rebuilds it whenever a source changes. A new
``sphinx-build`` per change would pay for Python's imports and every
extension's set-up (about a second) before reading a word, so one Sphinx
application is kept in memory instead, in a process of its own, and each
change is an incremental build of it: Sphinx reads again only the pages
that changed, and the extension writes again only the pages whose notes,
apparatus or record changed with them.

It is as strict as the edition's build (``-W -n``): a build with any
warning or error publishes nothing. The browser keeps the last good page
and shows each problem, one line each, as Sphinx and the extension report
them (file, line, key); so does the console. Fixing the source brings the
page back.

The modules, one process apart:

- ``watching``: which files are watched, and what a change of each asks for.
- ``building``: the Sphinx application kept between builds (its own process).
- ``sparing``: what an incremental build may leave as the last clean build wrote it.
- ``worker``: how the server starts that process, hands it changes and reads its reports.
- ``publishing``: a clean build's new files copied, each in one atomic step, where they are served.
- ``serving``: the HTTP server, the page's reload script and the channel that tells it of a build.

Only ``building`` and ``sparing`` import Sphinx: the server starts at once, and a change
to ``conf.py`` or to this package restarts the builder, not the server,
so a browser keeps its page and its channel across the restart.
"""

from __future__ import annotations

from pathlib import Path

HERE = Path(__file__).parent
STATIC = HERE / "static"
"""The reload script and the stylesheet of its list of problems, served under ``/_preview/``."""

SERVED = "html"
"""The folder of ``--out`` the browser is served from: only ever a clean build's files."""
STAGING = ".staging"
"""Where Sphinx writes; its files reach ``SERVED`` once a build is clean."""
DOCTREES = ".doctrees"
"""Sphinx's saved environment and doctrees, and the CSL processor's cache (``citeproc/``)."""
