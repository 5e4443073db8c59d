"""Compiled templates kept beside the doctrees, for the next build."""

from __future__ import annotations

import pytest

from scholarly_edition.formats import templatecache


@pytest.mark.sphinx("html", testroot="assets", freshenv=True)
def test_templates_compiled_once_are_reused_and_change_nothing(app, warning, make_app) -> None:
    app.build()
    assert not warning.getvalue()
    cache = app.doctreedir / templatecache.FOLDER
    compiled = sorted(p.name for p in cache.iterdir())
    assert compiled, "no template bytecode was kept"
    first = (app.outdir / "prose.html").read_text("utf-8")
    # a second run with the same doctrees reads the bytecode and writes the same page
    again = make_app("html", srcdir=app.srcdir, builddir=app.outdir.parent)
    assert again.builder.templates.environment.bytecode_cache is not None
    again.build(force_all=True)
    assert sorted(p.name for p in cache.iterdir()) == compiled
    assert (again.outdir / "prose.html").read_text("utf-8") == first
