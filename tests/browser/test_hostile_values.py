"""Hostile titles, organisation, people, catalogue names and commit subjects, in Chromium, on both engines.

Each value carries markup whose ``onerror`` (or ``<script>``) would set a global;
the pages and the search results must show the values as text and never run them.
"""

from __future__ import annotations

import functools
import http.server
import os
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from isodocs.site.build import BuildOptions, build_site
from tests.browser.conftest import GIT_ENV, save_artifact
from tests.conftest import BASE_CONFIG, TODAY, RepoBuilder, approved

TITLE = "Quality <img src=x onerror=window.__pwned=1> plan"
ORGANIZATION = "Org <img src=x onerror=window.__pwned=2>\n---\n<script>window.__pwned=3</script>"
PERSON = "Jane <img src=x onerror=window.__pwned=4>"
STANDARD = "HR <img src=x onerror=window.__pwned=5>"
SUBJECT = "Issue <img src=x onerror=window.__pwned=6> quokkasubject"


def _hostile_repository(root: Path) -> None:
    repo = RepoBuilder(root)
    root.mkdir(parents=True)
    people = {**BASE_CONFIG["people"], "qm": {"name": PERSON, "role": "QM"}}
    repo.config(organization=ORGANIZATION, people=people, standards=["iso9001", "house"], catalogs=["std/house.yml"])
    house = {"key": "house", "title": STANDARD, "standard": STANDARD, "clauses": [{"id": "1", "title": "Scope"}]}
    repo.write("std/house.yml", yaml.safe_dump(house))
    repo.doc("procedures/a.md", approved("PRO-001", title=TITLE, clauses={"iso9001": ["7.5"], "house": ["1"]}))
    repo.doc("procedures/b.md", approved("PRO-002", title="Second\n---\nprocedure"))
    env = {**os.environ, **GIT_ENV}
    for args in (["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-qm", SUBJECT]):
        subprocess.run(["git", *args], cwd=root, env=env, check=True, capture_output=True)


@pytest.fixture(scope="module", params=["mkdocs", "zensical"])
def hostile_site(request, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    """(engine, base URL) of the hostile repository's site, built with --force and served on loopback."""
    engine = request.param
    root = tmp_path_factory.mktemp(f"hostile-{engine}") / "repo"
    _hostile_repository(root)
    result = build_site(BuildOptions(root=root, engine=engine, today=TODAY, force=True))

    class Handler(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

    handler = functools.partial(Handler, directory=str(result.site_dir))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield engine, f"http://127.0.0.1:{server.server_port}/"
    finally:
        server.shutdown()
        server.server_close()


def _no_script_ran(page) -> None:
    page.wait_for_load_state("load")
    page.wait_for_timeout(300)  # an <img src=x> fails at once; give its onerror time to run
    assert page.evaluate("window.__pwned") is None


@pytest.mark.parametrize("path", ["", "procedures/a/", "register/", "coverage/house/", "missing-page/"])
def test_no_hostile_value_runs_and_each_shows_as_text(page, hostile_site, path):
    engine, base = hostile_site
    response = page.goto(base + path)
    if path == "missing-page/":
        assert response is not None and response.status == 404
        page.goto(base + "404.html")  # a static server sends no custom 404 page: open it directly
    _no_script_ran(page)
    header = page.locator(".md-header__topic").first.inner_text()
    assert "Org <img src=x onerror=window.__pwned=2> --- <script>" in header  # site_name, as written, on one line
    if path == "procedures/a/":  # navigation.prune: only this page's section lists the procedures
        nav = page.locator("nav.md-nav--primary").inner_text()
        assert "PRO-001 Quality <img src=x onerror=window.__pwned=1> plan" in nav
        assert "PRO-002 Second --- procedure" in nav
        assert TITLE in page.title() and page.locator("img[src=x]").count() == 0
        history = page.locator(".isodocs-history table").inner_text()
        assert SUBJECT in history and PERSON in page.locator(".isodocs-control").inner_text()
        page.screenshot(path=save_artifact(f"hostile-{engine}.png"), full_page=True)
    if path == "coverage/house/":
        assert STANDARD in page.title()


def test_search_results_show_a_hostile_title_as_text(page, hostile_site):
    engine, base = hostile_site
    page.goto(base + "procedures/a/")
    if engine == "mkdocs":
        page.locator("label.md-search__icon, .md-search__input").first.click()
        page.locator("input.md-search__input").fill("quality")
        page.locator("input.md-search__input").press("End")
    else:
        page.locator(".md-search__button").first.click()
        page.keyboard.type("quality")
    page.wait_for_function("document.body.innerText.includes('PRO-001 Quality <img src=x onerror')")
    _no_script_ran(page)
