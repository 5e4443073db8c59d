"""The live preview (``nox -s serve``): every save shown, as strictly as the build, in the browser.

The preview runs as ``nox -s serve`` runs it, on a free port, in a copy of
the project; the tests edit the copy's essay and read what the preview
serves, says on its console, and shows in Chromium. No test measures time
(``nox -s bench -- --only preview`` does).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browsing import Site, open_context
from previewing import TIMEOUT, Preview, copy_project, wait

from scholarly_edition.formats.security import headers
from scholarly_edition.preview import publishing, serving, watching
from scholarly_edition.preview.worker import Worker

BAD_KEY = "nosuchwork2024"
BAD_EDITS = {
    # what is appended to a paragraph, and the problem line the preview must give, as Sphinx and the extension word it
    "unknown work": (f" {{note}}`{BAD_KEY}`", rf"essay\.md:{{line}}: ERROR: unknown work '{BAD_KEY}'"),
    "unknown role": (" {nosuchrole}`text`", r'essay\.md:{line}: WARNING: Unknown interpreted text role "nosuchrole"'),
}


def paragraph_line(text: str) -> int:
    """The number (from 0) of the essay's first long paragraph with a note: a paragraph a writer edits."""
    for number, line in enumerate(text.splitlines()):
        if line[:1].isalpha() and len(line.split()) >= 40 and "{note}`" in line:
            return number
    raise AssertionError("the essay has no paragraph with a note")


def appended(text: str, words: str) -> str:
    """``text`` with ``words`` at the end of the paragraph :func:`paragraph_line` finds."""
    lines = text.splitlines(keepends=True)
    number = paragraph_line(text)
    lines[number] = lines[number].rstrip("\n") + words + "\n"
    return "".join(lines)


@pytest.fixture(scope="module")
def preview(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Preview]:
    project = copy_project(tmp_path_factory.mktemp("preview") / "project")
    running = Preview(project)
    original = running.essay.read_text("utf-8")
    try:
        yield running
    finally:
        running.essay.write_text(original, "utf-8")
        running.close()


@pytest.fixture
def essay(preview: Preview) -> Iterator[str]:
    """The essay as it was; saved back, and built clean, after the test."""
    original = preview.essay.read_text("utf-8")
    yield original
    preview.save(original)
    wait("the restored essay to build clean", lambda: preview.status()["problems"] == [] or None)


@pytest.mark.slow
def test_a_saved_edit_is_served(preview: Preview, essay: str) -> None:
    assert "Words the preview must show" not in preview.page("essay.html")
    citeproc = preview.project / "_build" / ".preview" / ".doctrees" / "citeproc"
    results = sorted(citeproc.glob("*.json"))
    assert results  # the CSL processor's results, kept with the doctrees
    preview.save(appended(essay, " Words the preview must show."))
    page = preview.until_page_has("essay.html", "Words the preview must show.")
    assert preview.status()["problems"] == []
    assert sorted(citeproc.glob("*.json")) == results  # a prose edit runs no pandoc
    # the page as built, the reload script added to its head, under the site's own policy
    assert '<script src="/_preview/preview.js"' in page.split("</head>")[0]
    status, sent, _ = preview.get("essay.html")
    assert sent["Content-Security-Policy"] == headers()["Content-Security-Policy"]
    assert re.search(r"preview: built in [\d.]+ s: essay\.html", preview.console())


@pytest.mark.slow
@pytest.mark.parametrize("bad", sorted(BAD_EDITS))
def test_a_bad_edit_shows_its_problems_and_the_last_good_page_stays(preview: Preview, essay: str, bad: str) -> None:
    preview.save(appended(essay, " The last good words."))
    preview.until_page_has("essay.html", "The last good words.")
    words, problem = BAD_EDITS[bad]
    preview.save(appended(essay, " Words with a fault." + words))
    problems = preview.until_problems()
    line = paragraph_line(essay) + 1
    expected = re.compile(problem.format(line=line))
    assert any(expected.search(p) for p in problems), problems
    # one line each, on the console too
    assert all("\n" not in p for p in problems if expected.search(p))
    wait("the problem on the console", lambda: any(expected.search(c) for c in preview.console().splitlines()))
    page = preview.page("essay.html")
    assert "The last good words." in page and "Words with a fault." not in page
    # fixed, the page follows again
    preview.save(appended(essay, " Fixed words."))
    preview.until_page_has("essay.html", "Fixed words.")
    assert preview.status()["problems"] == []


@pytest.mark.slow
def test_a_change_to_conf_py_restarts_the_builder(preview: Preview, essay: str) -> None:
    conf = preview.project / "conf.py"
    text = conf.read_text("utf-8")
    try:
        conf.write_text(text + "\n# touched by the preview's test\n", "utf-8")
        wait("the builder to start again", lambda: "the builder starts again" in preview.console())
        preview.save(appended(essay, " Words after a restart."))
        preview.until_page_has("essay.html", "Words after a restart.")
    finally:
        conf.write_text(text, "utf-8")
    # and again once conf.py is as it was: the next test starts with that builder's first build done
    wait("the builder to start again", lambda: preview.console().count("the builder starts again") >= 2 or None)
    preview.save(appended(essay, " Words after the second restart."))
    preview.until_page_has("essay.html", "Words after the second restart.")


@pytest.mark.slow
def test_the_page_in_the_browser_follows_the_edits(preview: Preview, essay: str, chromium: Any) -> None:
    site = Site(preview.project / "_build" / ".preview" / "html", preview.url, headers())
    context, visit = open_context(chromium, site)
    try:
        page = context.new_page()
        page.set_default_timeout(TIMEOUT * 1000)  # a busy machine's builds; no time is measured here
        page.goto(preview.url + "essay.html")
        page.wait_for_function("() => window.previewLoaded")
        page.evaluate("() => { window.stayed = true; }")  # gone if the page loads again
        # an edit of the text: the page changes in place
        preview.save(appended(essay, " Words the browser must show."))
        page.wait_for_function(
            "() => document.querySelector('article').innerText.includes('Words the browser must show.')"
        )
        assert page.evaluate("() => window.stayed === true && window.previewLoaded.how") == "merged"
        # and the page's own script still works on what was merged: a note shows beside its mark
        edited = page.locator("article p", has_text="Words the browser must show.")
        edited.locator("a[data-mark]").first.hover()
        page.wait_for_selector("#edition-note-popover:not([hidden])")
        # a new title: the navigation changes too, and the page loads again
        preview.save(essay.replace("\n# ", "\n# Retitled: ", 1))
        page.wait_for_function("() => document.querySelector('h1').innerText.startsWith('Retitled: ')")
        page.wait_for_function("() => window.previewLoaded && window.previewLoaded.how === 'loaded'")
        assert page.evaluate("() => window.stayed") is None
        # a bad edit: the problems over the last good page, and on the browser's console
        preview.save(appended(essay, f" Words with a fault. {{note}}`{BAD_KEY}`"))
        page.wait_for_selector("#preview-problems")
        listed = page.inner_text("#preview-problems")
        assert re.search(rf"essay\.md:{paragraph_line(essay) + 1}: ERROR: unknown work '{BAD_KEY}'", listed)
        assert "Words with a fault." not in page.inner_text("article")
        assert any(BAD_KEY in error for error in visit.console_errors)
        # fixed: the list goes, the page follows
        preview.save(appended(essay, " Words after the fix."))
        page.wait_for_selector("#preview-problems", state="detached")
        page.wait_for_function("() => document.querySelector('article').innerText.includes('Words after the fix.')")
        assert visit.violations(page) == []
        assert visit.page_errors == []
        assert visit.foreign == []
    finally:
        context.close()


@pytest.mark.slow
def test_an_incremental_build_writes_what_a_fresh_build_writes(tmp_path: Path) -> None:
    """Edits of every kind, one build each in the same application, then a fresh build of the result."""
    project = copy_project(tmp_path / "project")
    essay, notes = project / "edition" / "essay.md", project / "edition" / "textual-notes.md"
    text, notes_text = essay.read_text("utf-8"), notes.read_text("utf-8")
    line = text.splitlines()[paragraph_line(text)]
    edits = [
        (essay, appended(text, " New words."), True),
        (essay, text.replace(line, line + "\n\nA paragraph of its own, which numbers every later one anew.\n"), True),
        (notes, notes_text.replace("supply one.", "supply one, as edited.", 1), True),
        (essay, appended(text, " {nosuchrole}`x`"), False),  # written with a problem, then fixed
        (essay, appended(text, " Fixed."), True),
        (essay, text.replace("\n# ", "\n# Retitled ", 1), True),  # every page's navigation changes
        (essay, appended(text, f" {{note}}`{BAD_KEY}`"), False),  # stopped before any page is written
        (essay, appended(text, " {note}`turovsky2015`"), False),  # a note the copy-text lacks
        (essay, appended(text, " Last words."), True),
    ]
    out = tmp_path / "incremental"
    worker = Worker(project, project / "edition", out / "html", out / "doctrees")
    try:
        assert worker.start().ok
        for path, edited, clean in edits:
            path.write_text(edited, "utf-8")
            report = worker.build([str(path)])
            assert report.ok is clean, report.problems
            assert report.read and not report.full  # incremental: the application is not made anew
    finally:
        worker.stop()
    fresh = tmp_path / "fresh"
    worker = Worker(project, project / "edition", fresh / "html", fresh / "doctrees")
    try:
        assert worker.start().ok
    finally:
        worker.stop()
    assert _site(out / "html") == _site(fresh / "html")


def _site(folder: Path) -> dict[str, Any]:
    """Every file's bytes; the search index as data, without the terms no page has any more."""
    files: dict[str, Any] = {}
    for path in sorted(folder.rglob("*")):
        if not path.is_file():
            continue
        name = path.relative_to(folder).as_posix()
        if name == "searchindex.js":
            text = path.read_text("utf-8")
            index = json.loads(text[text.index("(") + 1 : text.rindex(")")])
            for key in ("terms", "titleterms"):  # Sphinx keeps a word every page lost, with no page
                index[key] = {word: pages for word, pages in index[key].items() if pages != []}
            files[name] = index
        else:
            files[name] = path.read_bytes()
    return files


# -- the parts, without Sphinx ---------------------------------------------------------------------


PAGE = (
    "<!doctype html><html><head><title>{title}</title></head><body><article role='main'>{text}</article></body></html>"
)


def test_only_a_clean_build_s_changed_files_are_published_pages_last(tmp_path: Path, monkeypatch) -> None:
    staging, served = tmp_path / "staging", tmp_path / "served"
    (staging / "_static").mkdir(parents=True)
    (staging / "a.html").write_text(PAGE.format(title="A", text="one"))
    (staging / "_static" / "a.css").write_text("p {}")
    publisher = publishing.Publisher(staging, served)
    order: list[str] = []
    write = publishing.write_atomic
    monkeypatch.setattr(publishing, "write_atomic", lambda path, data: (order.append(path.name), write(path, data)))
    first = publisher.publish()
    assert first.pages == {"a.html": publishing.PAGE} and first.files == ["_static/a.css"]
    assert order == ["a.css", "a.html"]  # what a page loads is there before the page
    assert (served / "a.html").read_text() == PAGE.format(title="A", text="one")
    assert not publisher.publish()  # nothing written since
    (staging / "_static" / "a.css").write_text("p {}")  # written again, the same bytes
    assert not publisher.publish()
    (staging / "a.html").write_text(PAGE.format(title="A", text="two"))
    assert publisher.publish().pages == {"a.html": publishing.ARTICLE}  # only the text changed
    (staging / "a.html").write_text(PAGE.format(title="B", text="two"))
    assert publisher.publish().pages == {"a.html": publishing.PAGE}  # the head changed
    assert sorted(p.name for p in served.rglob("*")) == ["_static", "a.css", "a.html"]  # no temporary file left


def test_a_published_file_is_replaced_in_one_step(tmp_path: Path) -> None:
    target = tmp_path / "page.html"
    target.write_text("old")
    with open(target) as reader:  # a request that opened the old file reads the old file whole
        publishing.write_atomic(target, b"new")
        assert reader.read() == "old"
    assert target.read_text() == "new" and oct(target.stat().st_mode & 0o777) == oct(publishing.FILE_MODE)


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[serving.PreviewServer, Path]]:
    folder = tmp_path / "served"
    server = serving.start("127.0.0.1", 0, folder, serving.Hub())
    try:
        yield server, folder
    finally:
        serving.stop(server)


def _get(url: str) -> tuple[int, Any, bytes]:
    import urllib.error
    import urllib.request

    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def test_the_server_sends_the_site_s_policy_and_adds_only_its_script(served) -> None:
    server, folder = served
    status, sent, body = _get(server.url + "essay.html")
    assert status == 503 and b"data-placeholder" in body  # nothing built yet: a page that waits for the build
    (folder / "index.html").write_text(PAGE.format(title="A", text="one"))
    (folder / "essay.html").write_text(PAGE.format(title="E", text="words"))
    status, sent, body = _get(server.url + "essay.html")
    assert status == 200
    for name, value in headers().items():
        assert sent[name] == value
    build = server.hub.build
    tag = f'<script src="/_preview/preview.js" data-build="{build}" defer></script>'
    assert body.decode() == PAGE.format(title="E", text="words").replace("</head>", tag + "</head>")
    assert sent["X-Preview-Build"] == build
    status, sent, script = _get(server.url + "_preview/preview.js")
    assert status == 200 and sent["Content-Type"].startswith(("application/javascript", "text/javascript"))
    assert sent["Content-Security-Policy"] == headers()["Content-Security-Policy"]
    assert script == (Path(serving.__file__).parent / "static" / "preview.js").read_bytes()
    assert _get(server.url + "../../etc/passwd")[0] == 404
    assert _get(server.url)[2] == _get(server.url + "index.html")[2]


def test_the_channel_tells_of_each_build_and_its_problems(served) -> None:
    import http.client

    server, folder = served
    host, port = server.server_address[:2]
    connection = http.client.HTTPConnection(str(host), port, timeout=10)
    connection.request("GET", serving.EVENTS)
    response = connection.getresponse()
    assert response.getheader("Content-Type").startswith("text/event-stream")

    def event() -> tuple[str, dict[str, Any]]:
        lines: list[str] = []
        while not lines or lines[-1] != "":
            lines.append(response.readline().decode().rstrip("\n"))
        fields = dict(line.split(": ", 1) for line in lines if ": " in line)
        return fields["event"], json.loads(fields["data"])

    assert event() == ("state", {"build": server.hub.build, "problems": []})
    before = server.hub.build
    server.hub.failed(["essay.md:3: ERROR: unknown work 'x'"])
    assert event() == ("problems", {"build": before, "problems": ["essay.md:3: ERROR: unknown work 'x'"]})
    server.hub.published(publishing.Published({"essay.html": publishing.ARTICLE}, []), {"built": 0.1})
    name, data = event()
    assert name == "build" and data["build"] != before and data["pages"] == {"essay.html": "article"}
    assert server.hub.state() == {"build": data["build"], "problems": []}
    connection.close()


def test_what_is_watched_and_what_a_change_asks_for(tmp_path: Path) -> None:
    project = tmp_path / "project"
    for folder in ("edition/_templates", "_static", "node_modules/x", "_build/html"):
        (project / folder).mkdir(parents=True)
    (project / "conf.py").write_text("html_static_path = ['_static']\ntemplates_path = ['edition/_templates']\n")
    watched = watching.Watched(project, project / "edition")
    assert project / "_static" in watched.folders and project / "edition" in watched.folders
    assert not any(
        f.is_relative_to(project / "node_modules") or f.is_relative_to(project / "_build") for f in watched.folders
    )
    added = watching.watchfiles.Change.added
    for name, wanted in {
        "edition/essay.md": True,
        "edition/_copytext/copy-text.txt": True,
        "_static/edition.css": True,
        "refs.bib": True,
        "conf.py": True,
        "README.md": False,
        "edition/.essay.md.swp": False,
        "edition/essay.md~": False,
        "edition/4913": False,
        "edition/essay.md___jb_tmp___": False,
        "edition/__pycache__/x.pyc": False,
        "_build/html/essay.html": False,
        "edition/.hidden/page.md": False,
    }.items():
        assert watched.is_source(added, str(project / name)) is wanted, name
    assert watched.sort({str(project / "edition/essay.md")}).restart is False
    assert watched.sort({str(project / "conf.py")}).restart is True
    assert watched.sort({str(watched.package / "text" / "notes.py")}).restart is True


def test_a_saved_file_is_one_batch_of_changes(tmp_path: Path) -> None:
    import threading

    project = tmp_path / "project"
    (project / "edition").mkdir(parents=True)
    (project / "conf.py").write_text("")
    stop = threading.Event()
    batches: list[watching.Changes] = []

    watcher = watching.Watcher(watching.Watched(project, project / "edition"), stop)

    def collect() -> None:
        for batch in watcher.batches():
            batches.append(batch)

    thread = threading.Thread(target=collect, daemon=True)
    thread.start()
    try:
        page = project / "edition" / "page.md"
        # as an editor saves: a swap file, then the page written and renamed into place
        wait("the watcher to start", lambda: (page.write_text("first"), batches)[1] or None)
        batches.clear()
        (project / "edition" / ".page.md.swp").write_text("swap")
        new = project / "edition" / "page.md.tmp"
        new.write_text("second")
        new.replace(page)
        got = wait("the save to be seen", lambda: batches or None)
        assert got[0].paths == {str(page)} and not got[0].restart
    finally:
        stop.set()
        thread.join(10)


def test_the_preview_starts_from_the_csl_results_a_build_left(tmp_path: Path) -> None:
    from scholarly_edition.preview.__main__ import seed_citeproc

    built, preview = tmp_path / "built", tmp_path / "preview"
    built.mkdir()
    (built / "a.json").write_text("{}")
    (built / "b.json").write_text("{}")
    preview.mkdir()
    (preview / "b.json").write_text('{"kept": true}')
    assert seed_citeproc(built, preview) == 1
    assert (preview / "a.json").read_text() == "{}" and (preview / "b.json").read_text() == '{"kept": true}'
    assert seed_citeproc(tmp_path / "none", preview) == 0
