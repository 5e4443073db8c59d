"""One stylesheet per HTML page instead of five.

Furo, its extensions and the edition each bring a stylesheet, and every one
is a request the browser makes before it draws the page. Concatenated in
the order Sphinx would link them, the cascade is the same rule for rule, so
the page links one file instead. The bundle's name is its content's hash:
pages that load the same stylesheets share one bundle, and a changed
stylesheet makes a new name, never a stale cached copy.

Only plain stylesheets are bundled: local files linked with no ``media``,
``title`` or other attribute. Anything else keeps its own ``<link>``, in its
place, and bundling never crosses it, so the order of the cascade holds.
Scripts are left alone: they load at the end of the page, after the text.
``edition_bundle_css = False`` in ``conf.py`` links every stylesheet on its own.
"""

from __future__ import annotations

import hashlib
import os
import posixpath
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx

from scholarly_edition.config import settings

PREFIX = "_static/edition-styles-"
HEADER = "/* bundled: {name} */"
"""Opens each file's part of a bundle, naming the file."""
PLAIN = {"rel": "stylesheet", "type": "text/css"}
"""The attributes of a stylesheet that can be bundled: ``html_css_files`` given no options."""

_SOURCE_MAP = re.compile(r"/\*#\s*sourceMappingURL=[^*]*\*/")
_URL = re.compile(r"""url\(\s*(['"]?)(?!data:|[a-z]+:|/|#)([^'")]+)\1\s*\)""", re.I)


def _bundleable(asset: Any, outdir: Path) -> bool:
    filename = os.fspath(getattr(asset, "filename", ""))
    return (
        bool(filename)
        and "://" not in filename
        and getattr(asset, "attributes", None) == PLAIN
        and (outdir / filename.split("?", 1)[0]).is_file()
    )


def rebase_urls(css: str, source: str, target: str) -> str:
    """``url()`` paths of a stylesheet at ``source`` rewritten for one at ``target`` (both relative to the outdir)."""
    src_dir, dst_dir = posixpath.dirname(source), posixpath.dirname(target)

    def rebase(match: re.Match[str]) -> str:
        path = posixpath.normpath(posixpath.join(src_dir, match[2]))
        return f"url({match[1]}{posixpath.relpath(path, dst_dir or '.')}{match[1]})"

    return _URL.sub(rebase, css)


def bundle(filenames: Sequence[str], outdir: Path) -> str:
    """Write the concatenation of ``filenames`` (relative to ``outdir``) once; return its filename."""
    sources = [(name, _SOURCE_MAP.sub("", (outdir / name).read_text("utf-8")).rstrip()) for name in filenames]
    digest = hashlib.sha256("".join(f"{name}\n{text}\n" for name, text in sources).encode()).hexdigest()
    target = f"{PREFIX}{digest[:12]}.css"
    path = outdir / target
    if not path.exists():
        body = "".join(f"{HEADER.format(name=name)}\n{rebase_urls(text, name, target)}\n" for name, text in sources)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(body, "utf-8")
        os.replace(tmp, path)
    return target


def bundle_page(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any) -> None:
    """Replace each run of plain stylesheets on the page with their bundle."""
    if app.builder.name not in ("html", "dirhtml") or not settings(app.config).bundle_css or "css_files" not in context:
        return
    outdir = Path(app.builder.outdir)
    ordered = sorted(context["css_files"], key=lambda css: getattr(css, "priority", 500))
    result: list[Any] = []
    run: list[Any] = []

    def flush() -> None:
        if len(run) > 1:
            first = run[0]
            name = bundle([os.fspath(a.filename).split("?", 1)[0] for a in run], outdir)
            result.append(type(first)(name, priority=first.priority))
        else:
            result.extend(run)
        run.clear()

    for asset in ordered:
        if _bundleable(asset, outdir):
            run.append(asset)
        else:
            flush()
            result.append(asset)
    flush()
    # a new list: the context's is the builder's own, which a live preview's next build starts from
    context["css_files"] = result


def setup(app: Sphinx) -> None:
    # Last of all, once every extension has added its stylesheets to the page.
    app.connect("html-page-context", bundle_page, priority=990)
