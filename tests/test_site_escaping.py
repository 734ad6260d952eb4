"""Values that reach the theme's templates: titles, organisation, people, catalogue names, commit subjects.

Both engines print nav labels, page titles (``page.meta.title``) and ``site_name``
without escaping, and their search indexes hold titles and navigation paths as
HTML. These tests check the staged project (nav, front matter) and the built site
of both engines: hostile markup shows as text and never reaches a page as markup.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path

import pytest
import yaml
from mkdocs.utils import meta as mkdocs_meta

from isodocs.app.check import check_system
from isodocs.app.load import load_system
from isodocs.site import pages
from isodocs.site.build import BuildOptions, build_site
from isodocs.site.inputs import Revision, SiteInputs
from isodocs.site.markdown import html_text
from isodocs.site.mdsanitize import trusted_line
from isodocs.site.mkdocs_config import _KeepTagsLoader
from isodocs.site.render import stage
from isodocs.site.sources import WITHHELD_SUBJECT, collect, coverage_views
from tests.conftest import BASE_CONFIG, TODAY, RepoBuilder, approved

IMG = "<img src=x onerror=window.__pwned=1>"
SCRIPT = "<script>window.__pwned=1</script>"
TITLE = f"Quality {IMG} & <b>bold</b>"
ORGANIZATION = f"Org {SCRIPT}\n---\n{SCRIPT}"
PERSON = f"Jane {IMG}\nSmith"
RAW_MARKUP = re.compile(r"<img src=x|<script>window|<b>bold", re.IGNORECASE)


def hostile_repo(repo: RepoBuilder) -> RepoBuilder:
    """A repository whose title, organisation, people and repository catalogue carry markup and line breaks."""
    people = {**BASE_CONFIG["people"], "qm": {"name": PERSON, "role": f"QM {IMG}"}}
    repo.config(organization=ORGANIZATION, people=people, standards=["iso9001", "house"], catalogs=["std/house.yml"])
    repo.write(
        "std/house.yml",
        yaml.safe_dump(
            {
                "key": "house",
                "title": f"House rules {IMG}",
                "standard": f"HR {IMG}",
                "edition": f"2026\n---\n{SCRIPT}",
                "clauses": [{"id": "1", "title": f"Scope {IMG}"}],
            }
        ),
    )
    repo.doc("procedures/a.md", approved("PRO-001", title=TITLE, clauses={"iso9001": ["7.5"], "house": ["1"]}))
    repo.doc("procedures/b.md", approved("PRO-002", title=f"Two\n---\nlines {SCRIPT}"))
    return repo


def hostile_inputs(repo: RepoBuilder) -> SiteInputs:
    system, _ = load_system(repo.root, TODAY)
    history = {
        doc.path: [Revision("1.0", TODAY, f"Eve {IMG}", f"Subject {SCRIPT}\n---\n{IMG}")] for doc in system.documents
    }
    return SiteInputs(system=system, history=history, coverage=coverage_views(system), build_date=TODAY)


def nav_labels(nav: list) -> list[str]:
    labels = []
    for entry in nav:
        for label, target in entry.items():
            labels.append(label)
            if isinstance(target, list):
                labels += nav_labels(target)
    return labels


@pytest.mark.parametrize("engine", ["mkdocs", "zensical"])
def test_nav_labels_and_site_name_are_escaped_text(repo, engine):
    project = stage(hostile_inputs(hostile_repo(repo)), site_dir="o", engine=engine)
    config = yaml.load(project.files["mkdocs.yml"], Loader=_KeepTagsLoader)
    labels = nav_labels(config["nav"])
    assert "PRO-001 Quality &lt;img src=x onerror=window.__pwned=1&gt; & &lt;b&gt;bold&lt;/b&gt;" in labels
    assert "PRO-002 Two --- lines &lt;script&gt;window.__pwned=1&lt;/script&gt;" in labels
    assert (
        "HR &lt;img src=x onerror=window.__pwned=1&gt;:2026 --- &lt;script&gt;window.__pwned=1&lt;/script&gt;" in labels
    )
    for label in [*labels, config["site_name"]]:
        assert "<" not in label and ">" not in label and "\n" not in label, label
    assert config["site_name"].startswith("Org &lt;script&gt;window.__pwned=1&lt;/script&gt; --- &lt;script&gt;")


def staged_pages(project) -> dict[str, str]:
    return {
        path: text
        for path, text in project.files.items()
        if path.endswith(".md") and not path.startswith("docs/about/") and isinstance(text, str)
    }


def test_front_matter_of_every_staged_page_is_one_escaped_title(repo):
    project = stage(hostile_inputs(hostile_repo(repo)), site_dir="o")
    titles = {}
    for path, text in staged_pages(project).items():
        if not text.startswith("---\n"):
            continue
        body, meta = mkdocs_meta.get_data(text)
        assert list(meta) == ["title"], (path, meta)
        titles[path] = meta["title"]
        assert "<" not in meta["title"] and "\n" not in meta["title"]
        front = text[: len(text) - len(body)]
        assert front.count("\n---\n") == 1 and front.rstrip("\n").count("\n") == 2, front  # "---", one line, "---"
    assert titles["docs/procedures/a.md"] == pages.template_text(f"PRO-001 {TITLE}")
    assert titles["docs/procedures/b.md"] == "PRO-002 Two --- lines &lt;script&gt;window.__pwned=1&lt;/script&gt;"
    assert titles["docs/index.md"] == "Dashboard"  # the <title> adds the site name, made of the organisation
    assert titles["docs/coverage/house.md"].startswith("HR &lt;img src=x")


def test_organisation_cannot_end_the_dashboard_front_matter_and_unlock_it(repo):
    project = stage(hostile_inputs(hostile_repo(repo)), site_dir="o")
    dashboard = project.files["docs/index.md"]
    body, _ = mkdocs_meta.get_data(dashboard)
    assert body.startswith(trusted_line())  # the token right after the real front matter, nowhere else
    assert dashboard.count(trusted_line()) == 1
    assert not RAW_MARKUP.search(dashboard)


def test_no_hostile_value_reaches_a_staged_page_as_markup(repo):
    """Titles, people, catalogue names, commit authors and subjects: escaped wherever they are written."""
    project = stage(hostile_inputs(hostile_repo(repo)), site_dir="o")
    for path, text in [*staged_pages(project).items(), ("mkdocs.yml", project.files["mkdocs.yml"])]:
        assert not RAW_MARKUP.search(text), (path, RAW_MARKUP.search(text))
    page = project.files["docs/procedures/a.md"]
    assert "Jane &lt;img src=x onerror=window.__pwned=1&gt; Smith" in page  # the owner
    assert "Subject &lt;script&gt;window.__pwned=1&lt;/script&gt; --- &lt;img" in page  # the commit subject
    assert "Eve &lt;img" in page and "Eve &lt;img" in project.files["docs/index.md"]


def test_catalogue_names_stay_on_one_line_in_the_raw_html_of_generated_pages(repo):
    """A blank line would end the chart's or the banner's HTML block and let Markdown read the rest."""
    hostile_repo(repo)
    repo.write(
        "std/house.yml",
        yaml.safe_dump(
            {
                "key": "house",
                "title": "T",
                "standard": "HR\n\n[x](javascript:alert(1))",
                "clauses": [{"id": "1", "title": "Scope"}],
            }
        ),
    )
    project = stage(hostile_inputs(repo), site_dir="o")
    for path in ("docs/index.md", "docs/coverage/house.md"):
        assert "HR\n\n[x]" not in project.files[path] and "HR [x](javascript:alert(1))" in project.files[path]


@pytest.mark.parametrize(
    ("text", "escaped"),
    [
        ("Health & Safety", "Health & Safety"),  # a lone "&" is text: not escaped, so never shown as "&amp;"
        ("O'Brien's policy", "O'Brien's policy"),
        ("AT&T &amp; co", "AT&amp;T &amp;amp; co"),  # "&amp;" as written stays visible as "&amp;"
        ('a < b > "c"', "a &lt; b &gt; &quot;c&quot;"),
        ("one\ntwo\r\nthree\u2028four\x85five\tsix", "one two three four five six"),
    ],
)
def test_template_text_escapes_only_what_a_theme_would_read_as_markup(text, escaped):
    assert pages.template_text(text) == escaped


@pytest.mark.parametrize("engine", ["mkdocs", "zensical"])
def test_built_site_shows_hostile_values_as_text_and_holds_no_markup_from_them(repo, engine):
    """The real engines: no raw markup in any HTML page or search index; a '---' title no longer breaks Zensical."""
    hostile_repo(repo)
    result = build_site(BuildOptions(root=repo.root, engine=engine, today=TODAY, force=True))
    files = {
        p.relative_to(result.site_dir).as_posix(): p.read_text("utf-8", "replace")
        for p in result.site_dir.rglob("*")
        if p.suffix in (".html", ".json")
    }
    assert "404.html" in files
    for name, text in files.items():
        assert not RAW_MARKUP.search(text), (name, RAW_MARKUP.search(text))
    page = files["procedures/a/index.html"]
    shown = "PRO-001 Quality &lt;img src=x onerror=window.__pwned=1&gt; & &lt;b&gt;bold&lt;/b&gt;"
    assert page.count(shown) >= 3  # header, <title>, navigation
    assert "&amp;lt;img" not in re.sub(r'title="[^"]*"|aria-label="[^"]*"', "", page)  # text not escaped twice
    search = next(text for name, text in files.items() if name.endswith(("search_index.json", "search.json")))
    json.loads(search)
    assert "&lt;img src=x onerror" in search


# --------------------------------------------------------------------------- commit subjects


def _git(root: Path, *args: str) -> None:
    env = {"GIT_AUTHOR_NAME": "A", "GIT_AUTHOR_EMAIL": "a@x", "GIT_COMMITTER_NAME": "A", "GIT_COMMITTER_EMAIL": "a@x"}
    subprocess.run(["git", *args], cwd=root, check=True, capture_output=True, env={**os.environ, **env})


def test_a_commit_that_also_changed_a_withheld_document_shows_no_subject(repo):
    repo.doc("procedures/a.md", approved("PRO-001", title="Visible"))
    _git(repo.root, "init", "-q", "-b", "main")
    _git(repo.root, "add", "-A")
    _git(repo.root, "commit", "-qm", "Issue the visible procedure")
    repo.doc("procedures/a.md", approved("PRO-001", title="Visible", version="1.1"))
    repo.doc("procedures/z.md", approved("PRO-009", title="Layoffs", classification="confidential"))
    _git(repo.root, "add", "-A")
    _git(repo.root, "commit", "-qm", "Plan the quokka layoffs; tidy the visible procedure")
    repo.doc("procedures/a.md", approved("PRO-001", title="Visible", version="1.2"))
    repo.doc("procedures/gone.md", approved("PRO-010", title="Gone"))
    _git(repo.root, "add", "-A")
    _git(repo.root, "commit", "-qm", "Add a wombat document that is deleted later")
    (repo.root / "procedures/gone.md").unlink()
    _git(repo.root, "commit", "-qam", "Remove it")
    _git(repo.root, "mv", "procedures/a.md", "procedures/renamed.md")
    _git(repo.root, "commit", "-qm", "Rename the visible procedure")
    system, problems = load_system(repo.root, TODAY)
    inputs = collect(system, check_system(system, problems), TODAY)
    summaries = [r.summary for r in inputs.history["procedures/renamed.md"]]
    assert summaries == [
        "Rename the visible procedure",
        WITHHELD_SUBJECT,
        WITHHELD_SUBJECT,
        "Issue the visible procedure",
    ]
    project = stage(inputs, site_dir="o")
    text = "\n".join(c for c in project.files.values() if isinstance(c, str)).lower()
    assert "quokka" not in text and "wombat" not in text
    assert html_text(WITHHELD_SUBJECT) in project.files["docs/procedures/renamed.md"]
