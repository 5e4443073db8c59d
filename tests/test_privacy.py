"""Privacy and security of the published site.

A page asks nothing of any other origin (no fonts, analytics or CDNs), runs
under the strict Content-Security-Policy the README tells a host to serve,
has no inline event handlers, and a link that opens a new tab cannot reach
back to the page. The dependencies that make the site are pinned by hash.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import tomllib
import zipfile
from pathlib import Path

from lxml import etree
from lxml import html as lxml_html

from scholarly_edition.formats import security

ROOT = Path(__file__).resolve().parents[1]
_JS_TYPES = {"", "text/javascript", "application/javascript", "module"}


def _sha256(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def _pages(edition) -> list[tuple[str, etree._Element]]:
    return [
        (p.relative_to(edition.html).as_posix(), lxml_html.fromstring(p.read_bytes()))
        for p in sorted(edition.html.rglob("*.html"))
    ]


def test_no_page_requests_another_origin_and_the_policy_holds(browse, site, figures) -> None:
    page, visit = browse()
    served = 0
    pages = site.pages()
    for name in [*pages, "search.html?q=Khalimov"]:
        response = page.goto(name, wait_until="networkidle")
        assert response.status == 200, name
        served += response.headers.get("content-security-policy") == security.content_security_policy()
        if name.startswith("search.html?"):
            page.locator("#search-results ul.search li").first.wait_for(state="attached")
        violations = visit.violations(page)
        assert not violations, (name, violations)
    figures["requests to other origins"] = f"{len(visit.foreign)} while loading {len(pages) + 1} pages"
    figures["Content-Security-Policy violations"] = (
        f"{len([m for m in visit.console_errors if 'Content Security Policy' in m])}"
    )
    assert served == len(pages) + 1, "the test server did not send the policy"
    assert visit.foreign == []
    assert visit.console_errors == []
    assert visit.page_errors == []


def test_the_policy_blocks_what_it_should_in_the_test_browser(browse) -> None:
    """The browser really enforces the policy, so the test above can fail."""
    page, visit = browse()
    page.goto("index.html")
    page.evaluate("""() => {
        const s = document.createElement('script'); s.textContent = 'window.__ran = true'; document.body.append(s);
        const i = document.createElement('img'); i.src = 'https://example.org/pixel.gif'; document.body.append(i);
    }""")
    page.wait_for_function("window.__violations.length >= 2")
    assert page.evaluate("window.__ran === undefined")
    directives = " ".join(visit.violations(page))
    assert "script-src" in directives and "img-src" in directives


def test_every_inline_script_and_style_is_allowed_by_hash(edition) -> None:
    policy = security.CONTENT_SECURITY_POLICY
    missing = []
    for name, root in _pages(edition):
        for script in root.xpath("//script[not(@src)]"):
            if (script.get("type") or "").lower() in _JS_TYPES and _sha256(script.text or "") not in policy[
                "script-src"
            ]:
                missing.append((name, "script-src", _sha256(script.text or ""), (script.text or "")[:60]))
        for style in root.xpath("//style"):
            if _sha256(style.text or "") not in policy["style-src"]:
                missing.append((name, "style-src", _sha256(style.text or ""), (style.text or "")[:60]))
        for value in root.xpath("//@style"):
            if _sha256(value) not in policy["style-src-attr"]:
                missing.append((name, "style-src-attr", _sha256(value), value))
    assert missing == [], "add these hashes to edition.security (and the README), or move the code to a file"


def test_no_inline_event_handlers_or_javascript_urls(edition) -> None:
    found = []
    documents = _pages(edition)
    with zipfile.ZipFile(edition.epub) as book:
        documents += [(name, etree.fromstring(book.read(name))) for name in book.namelist() if name.endswith(".xhtml")]
    for name, root in documents:
        for element in root.iter(etree.Element):
            for attribute, value in element.attrib.items():
                local = etree.QName(attribute).localname.lower()
                if local.startswith("on") or value.strip().lower().startswith("javascript:"):
                    found.append((name, element.tag, attribute))
    assert found == []


def test_links_that_open_a_new_tab_cannot_reach_back_and_no_page_sends_a_referrer(edition) -> None:
    unsafe = []
    for name, root in _pages(edition):
        for link in root.xpath("//a[@target and @target != '_self']"):
            rel = set((link.get("rel") or "").split())
            if not {"noopener", "noreferrer"} <= rel:
                unsafe.append((name, link.get("href")))
        assert root.xpath("//meta[@name='referrer']/@content") == [security.REFERRER_POLICY], name
    assert unsafe == []


def test_the_readme_gives_the_policy_the_site_is_tested_with() -> None:
    readme = (ROOT / "README.md").read_text("utf-8")
    for name, value in security.headers().items():
        assert f"{name}: {value}" in readme, name


def test_dependencies_are_pinned_with_hashes() -> None:
    lock = tomllib.loads((ROOT / "uv.lock").read_text("utf-8"))
    unhashed = [
        p["name"]
        for p in lock["package"]
        if p.get("source", {}).get("registry")
        and not all(
            f.get("hash", "").startswith("sha256:")
            for f in [*p.get("wheels", []), *([p["sdist"]] if "sdist" in p else [])]
        )
    ]
    assert unhashed == []
    assert sum(1 for p in lock["package"] if p.get("source", {}).get("registry")) > 20
    npm_lock = json.loads((ROOT / "package-lock.json").read_text("utf-8"))
    wanted = json.loads((ROOT / "package.json").read_text("utf-8"))["devDependencies"]
    packages = {k: v for k, v in npm_lock["packages"].items() if k}
    assert {f"node_modules/{name}" for name in wanted} <= set(packages)
    assert all(re.fullmatch(r"sha512-[A-Za-z0-9+/=]+", p.get("integrity", "")) for p in packages.values())
    noxfile = (ROOT / "noxfile.py").read_text("utf-8")
    # every session installs from the locks, never a loose `pip install`
    assert "--locked" in noxfile and "npm_ci(session, ROOT)" in noxfile
    assert not re.search(r"session\.install\((?!f\"uv==\{UV_VERSION\}\")", noxfile)
