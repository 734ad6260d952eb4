"""Browser tests of the published example site: Playwright driving the system's Chromium.

The example management system of this repository is copied into a temporary Git
repository, a draft carrying a marker word is added, and two versions are
published with mike (`isodocs publish`). The gh-pages branch is served on
127.0.0.1 only, once per test session. Playwright never downloads a browser:
it drives Debian's /usr/bin/chromium. Without it the tests skip locally and
fail in CI (CI=true), where .ci/run installs it.
"""

from __future__ import annotations

import functools
import http.server
import io
import os
import shutil
import subprocess
import tarfile
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from isodocs.app.load import load_system
from isodocs.site.publish import PublishOptions, publish
from tests.conftest import REPO_ROOT, TODAY

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = REPO_ROOT / "test-artifacts"
EXAMPLE = ["isodocs.yml", "soa.yml", "mkdocs.yml", "policies", "procedures", "forms", "records", "objectives"]
DRAFT_MARKER = "zanzibarquillmarker"
GIT_ENV = {
    "GIT_AUTHOR_NAME": "Example Author",
    "GIT_AUTHOR_EMAIL": "author@example.org",
    "GIT_COMMITTER_NAME": "Example Author",
    "GIT_COMMITTER_EMAIL": "author@example.org",
}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/browser/" in item.nodeid.replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)


@dataclass
class PublishedExample:
    base_url: str  # the gh-pages root, served on loopback
    repo: Path
    procedure_id: str
    procedure_title: str
    procedure_path: str  # e.g. procedures/internal-audit.md
    body_word: str  # a word only that procedure's body has


def _git(root: Path, *args: str) -> str:
    env = {**os.environ, **GIT_ENV}
    return subprocess.run(["git", *args], cwd=root, env=env, check=True, capture_output=True).stdout.decode()


def _distinct_word(body: str, others: list[str]) -> str | None:
    """A long plain word of ``body`` that no other document contains."""
    words = sorted({w.strip(".,;:()").lower() for w in body.split()}, key=lambda w: (-len(w), w))
    for word in words:
        if 8 <= len(word) <= 20 and word.isalpha() and not any(word in text for text in others):
            return word
    return None


@pytest.fixture(scope="session")
def published_example(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PublishedExample]:
    if not (REPO_ROOT / "isodocs.yml").is_file():
        pytest.fail("the example management system (isodocs.yml, policies/, ...) is missing from the repository")
    repo = tmp_path_factory.mktemp("example") / "repo"
    repo.mkdir()
    for name in EXAMPLE:
        source = REPO_ROOT / name
        if source.is_dir():
            shutil.copytree(source, repo / name)
        elif source.is_file():
            shutil.copy2(source, repo / name)
    (repo / "procedures" / "zz-draft-marker.md").write_text(
        '---\nid: PRO-990\ntitle: Draft of the marker procedure\ntype: procedure\nversion: "0.1"\n'
        'status: draft\nowner: qm\nclassification: internal\nclauses: {iso9001: ["7.5"]}\n---\n'
        f"# Draft\n\nThe {DRAFT_MARKER} step is not approved yet.\n",
        "utf-8",
    )
    _git(repo, "init", "-q", "-b", "main")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-qm", "Example management system")
    for name, value in GIT_ENV.items():
        os.environ.setdefault(name, value)
    publish(PublishOptions(root=repo, version="1.0", aliases=["latest"], today=TODAY))
    publish(PublishOptions(root=repo, version="2.0", aliases=["latest"], today=TODAY))

    system, _ = load_system(repo, TODAY)
    documents = [system.complete(d) for d in system.documents]  # from the parse cache: read the bodies
    procedures = [d for d in documents if d.type == "procedure" and d.status == "approved"]
    bodies = {d.path: d.body.lower() for d in documents}
    for doc in sorted(procedures, key=lambda d: d.id or ""):
        word = _distinct_word(doc.body, [text for path, text in bodies.items() if path != doc.path])
        if word and (doc.classification or "internal") in ("public", "internal"):
            chosen, body_word = doc, word
            break
    else:
        pytest.fail("no approved procedure with a distinctive word in the example")

    served = repo.parent / "gh-pages"
    served.mkdir()
    archive = subprocess.run(["git", "archive", "gh-pages"], cwd=repo, check=True, capture_output=True).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(served, filter="data")

    class Handler(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Handler, directory=str(served)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield PublishedExample(
            base_url=f"http://127.0.0.1:{server.server_port}/",
            repo=repo,
            procedure_id=chosen.id or "",
            procedure_title=chosen.title or "",
            procedure_path=chosen.path,
            body_word=body_word,
        )
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} is missing: install Debian's chromium (apt-get install chromium)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


def open_page(browser, viewport: dict[str, int]) -> Iterator:
    """A page of its own browser context at ``viewport`` (15 s timeouts), closed with its context afterwards."""
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    page.set_default_timeout(15000)
    try:
        yield page
    finally:
        context.close()


@pytest.fixture
def page(browser):
    yield from open_page(browser, {"width": 1280, "height": 900})


def page_url(example: PublishedExample, version: str, doc_path: str = "") -> str:
    """URL of a page of a published version (directory URLs: a/b.md -> a/b/)."""
    path = doc_path[: -len(".md")] + "/" if doc_path.endswith(".md") else doc_path
    return f"{example.base_url}{version}/{path}"


def save_artifact(name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS / name
