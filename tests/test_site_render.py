"""The staging project: what is published, links to withheld documents, pages, mkdocs.yml."""

from __future__ import annotations

import datetime as dt
import posixpath
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from isodocs.app.load import load_system
from isodocs.errors import UsageError
from isodocs.model.publishing import withheld_reason
from isodocs.site.inputs import ClauseRow, Revision, SiteInputs, StandardCoverage
from isodocs.site.markdown import html_text, relative_url, rewrite_withheld_links
from isodocs.site.mkdocs_config import _KeepTagsLoader, merged_config, read_repo_config
from isodocs.site.render import stage, write_staging
from isodocs.site.sources import WITHHELD_SUBJECT
from tests.conftest import TODAY, RepoBuilder, approved, record


def inputs_for(repo: RepoBuilder, **kwargs) -> SiteInputs:
    system, _ = load_system(repo.root, TODAY)
    return SiteInputs(system=system, build_date=TODAY, **kwargs)


def staged_text(project) -> str:
    return "\n".join(c if isinstance(c, str) else c.decode("utf-8", "replace") for c in project.files.values())


@pytest.mark.parametrize(
    ("overrides", "published"),
    [
        ({}, True),
        ({"status": "draft"}, False),
        ({"status": "in-review"}, False),
        ({"status": "obsolete"}, False),
        ({"classification": "public"}, True),
        ({"classification": "confidential"}, False),
        ({"classification": "restricted"}, False),
        ({"classification": "secret"}, False),  # unknown level: withheld, not guessed
        ({"classification": None}, True),  # default level: internal
        ({"classification": ["confidential"]}, False),  # not text: not read as absent (the default)
        ({"classification": {"level": "confidential"}}, False),
    ],
)
def test_only_approved_documents_within_the_classification_are_published(repo, overrides, published):
    repo.doc("procedures/a.md", approved("PRO-001", **overrides))
    system, _ = load_system(repo.root, TODAY)
    assert (withheld_reason(system.documents[0], system.config) is None) is published


def test_a_classification_that_is_not_text_withholds_even_with_the_schema_rule_off(repo):
    from isodocs.app.check import check_system
    from isodocs.site.sources import collect

    repo.config(rules={"schema": "off"})
    repo.doc("procedures/a.md", approved("PRO-001", classification=["confidential"]))
    system, problems = load_system(repo.root, TODAY)
    inputs = collect(system, check_system(system, problems), TODAY, problems)
    assert inputs.published == [] and "classification" in inputs.reason(system.documents[0])
    assert [path for path, _reason in inputs.withheld_for_problems()] == ["procedures/a.md"]  # build names it


def test_records_are_published_and_max_classification_is_configurable(repo):
    repo.config(site={"max_classification": "confidential"})
    repo.doc("records/r.md", record("REC-001"))
    repo.doc("procedures/c.md", approved("PRO-001", classification="confidential"))
    repo.doc("procedures/r.md", approved("PRO-002", classification="restricted"))
    inputs = inputs_for(repo)
    assert sorted(d.id for d in inputs.published) == ["PRO-001", "REC-001"]


def test_withheld_documents_never_enter_the_staging_project(repo):
    repo.doc("procedures/ok.md", approved("PRO-001", title="Visible procedure", related=["PRO-002"]), "Body ok.\n")
    repo.doc("procedures/zzdraft.md", approved("PRO-002", title="Quokkadraft", status="draft"), "quokkadraft\n")
    repo.doc("procedures/zzconf.md", approved("PRO-003", title="Wombatconf", classification="confidential"))
    project = stage(inputs_for(repo), site_dir="out")
    text = staged_text(project).lower()
    assert "visible procedure" in text
    for marker in ("quokkadraft", "wombatconf", "zzdraft", "zzconf"):
        assert marker not in text
    assert not any("zz" in path for path in project.files)
    nav = yaml.load(project.files["mkdocs.yml"], Loader=_KeepTagsLoader)["nav"]
    assert "PRO-002" not in str(nav) and "PRO-001 Visible procedure" in str(nav)


def cells(*values: str) -> str:
    """A row's cells as isodocs' HTML tables on document pages write them (site/pages.py): as the sanitiser does."""
    return "\n".join(f'<td style="text-align:left">{v}</td>' for v in values)


def link(href: str, text: str) -> str:
    """A link of isodocs' HTML on a document page, as the sanitiser writes it."""
    return f'<a href="{href}" rel="noopener noreferrer">{text}</a>'


def keep_only(*kept: str):
    return lambda target: target.split("#")[0] in kept


def test_links_to_withheld_documents_become_plain_text_with_a_note():
    body = (
        "See [the draft](draft.md) and [the policy](policy.md#scope).\n"
        "![diagram](secret.png)\n"
        "Read [the plan][plan] or [plan].\n\n"
        "[plan]: ../plans/plan.md\n"
        "`[in code](draft.md)`\n\n"
        "```\n[fenced](draft.md)\n```\n"
        "[web](https://example.org/draft.md) [anchor](#top)\n"
    )
    out, count = rewrite_withheld_links(body, keep_only("policy.md"))
    assert count == 4
    assert "(draft.md)" not in out.split("`")[0]
    assert 'the draft <span class="isodocs-unpublished"' in out
    assert "[the policy](policy.md#scope)" in out
    assert "secret.png" not in out and "diagram <span" in out
    assert "plan.md" not in out and "the plan <span" in out and "plan <span" in out
    assert "`[in code](draft.md)`" in out and "[fenced](draft.md)" in out
    assert "[web](https://example.org/draft.md)" in out and "[anchor](#top)" in out


def test_a_page_links_to_withheld_documents_as_not_published(repo):
    repo.doc("procedures/ok.md", approved("PRO-001"), "See [the draft](draft.md) and [ok 2](ok2.md).\n")
    repo.doc("procedures/ok2.md", approved("PRO-003"))
    repo.doc("procedures/draft.md", approved("PRO-002", status="draft"))
    project = stage(inputs_for(repo), site_dir="out")
    page = project.files["docs/procedures/ok.md"]
    assert "draft.md" not in page and "(not published)" in page
    assert "[ok 2](ok2.md)" in page
    assert project.withheld_links == 1


def test_images_beside_published_documents_are_copied(repo):
    repo.doc("procedures/ok.md", approved("PRO-001"), "![flow](img/flow.png) ![gone](../isodocs.yml)\n")
    repo.write("procedures/img/flow.png", b"\x89PNG")
    project = stage(inputs_for(repo), site_dir="out")
    assert project.files["docs/procedures/img/flow.png"] == b"\x89PNG"
    assert "isodocs.yml" not in project.files["docs/procedures/ok.md"]
    assert not any(p.endswith("isodocs.yml") for p in project.files)


def test_control_block_shows_the_document_control_fields(repo):
    repo.doc(
        "procedures/ok.md",
        approved(
            "PRO-001",
            title="Control of records",
            version="2.1",
            effective_date="2026-06-10",
            next_review="2026-12-10",
            approved_by=["md", "ciso"],
            related=["POL-001", "PRO-009"],
            clauses={"iso9001": ["7.5.3"]},
        ),
        "# Control of records\n\nText.\n",
    )
    repo.doc("policies/q.md", approved("POL-001", type="policy", title="Quality policy"))
    repo.doc("procedures/x.md", approved("PRO-009", title="Hidden title", status="draft"))
    system, _ = load_system(repo.root, TODAY)
    clause = system.catalogs["iso9001"].clauses["7.5.3"]
    row = ClauseRow(clause, ("PRO-001",), False, covered=True)
    coverage = StandardCoverage(system.catalogs["iso9001"], (row,), 1, 1)
    history = {"procedures/ok.md": [Revision("2.1", dt.date(2026, 6, 1), "Jane Smith", "Tighten retention")]}
    inputs = SiteInputs(system=system, coverage=[coverage], history=history, build_date=TODAY)
    page = stage(inputs, site_dir="out").files["docs/procedures/ok.md"]
    head, _, tail = page.partition("Text.")
    for expected in (
        "<strong>PRO-001</strong>",
        cells("Version", "2.1"),
        cells("Status", "Approved"),
        "Jane Smith (Quality Manager)",
        "Raj Patel (Managing Director); Ann Lee (CISO) on 2026-06-01",
        cells("Effective", "2026-06-10"),
        '2026-12-10 <span class="isodocs-badge isodocs-due-soon">review due in 13 days</span>',
        cells("Classification", "Internal"),
        # the engine's final URLs (MkDocs, directory URLs): it does not rewrite links in isodocs' HTML
        link("../../coverage/iso9001/#clause-7-5-3", "7.5.3"),
        link("../../policies/q/", "POL-001 Quality policy"),
        'PRO-009 <span class="isodocs-unpublished"',
    ):
        assert expected in head
    assert "Hidden title" not in page
    assert page.count("# Control of records") == 1  # the body's own H1 is kept once, above the block
    assert cells("2.1", "2026-06-01", "Jane Smith", "Tighten retention") in tail
    assert "## Revision history" in tail  # a Markdown heading: the table of contents lists it
    organization = html_text(system.config.organization, sanitised=True)
    assert f"Uncontrolled when printed · {organization} · PRO-001 version 2.1" in tail
    matrix = stage(inputs, site_dir="out").files["docs/coverage/iso9001.md"]
    assert '<span id="clause-7-5-3"></span>' in matrix
    assert '<a href="../../procedures/ok/">PRO-001 Control of records</a>' in matrix


def test_control_block_names_the_published_successors(repo):
    repo.doc("policies/old.md", approved("POL-001", type="policy", title="Old policy"))
    repo.doc("policies/new.md", approved("POL-002", type="policy", title="New policy", supersedes="POL-001"))
    repo.doc("policies/wip.md", approved("POL-003", type="policy", title="Draft policy", supersedes="POL-001",
                                         status="draft"))  # fmt: skip
    repo.doc("policies/other.md", approved("POL-004", type="policy", title="Other policy"))
    files = stage(inputs_for(repo), site_dir="out").files
    assert cells("Superseded by", link("../new/", "POL-002 New policy")) in files["docs/policies/old.md"]
    assert "Draft policy" not in files["docs/policies/old.md"]  # withheld successors are not named
    assert cells("Supersedes", link("../old/", "POL-001 Old policy")) in files["docs/policies/new.md"]
    assert "Superseded by" not in files["docs/policies/new.md"] + files["docs/policies/other.md"]


def test_overdue_badge_and_generated_pages(repo):
    repo.doc("procedures/late.md", approved("PRO-001", title="Late one", next_review="2026-11-01"))
    repo.doc("procedures/soon.md", approved("PRO-002", title="Soon one", next_review="2027-01-10"))
    repo.doc(
        "procedures/hid.md",
        approved("PRO-003", title="Hidden late", classification="restricted", next_review="2026-10-01"),
    )
    project = stage(inputs_for(repo), site_dir="out")
    home = project.files["docs/index.md"]
    assert "## Reviews overdue (2)" in home and "overdue by 26 days" in home
    assert "and 1 document not published on this site" in home and "Hidden late" not in home
    assert "## Reviews due in the next 60 days (1)" in home and "Soon one" in home
    register = project.files["docs/register.md"]
    assert "Late one" in register and "Hidden late" not in register
    calendar = project.files["docs/reviews.md"]
    assert "## Overdue (1)" in calendar and "## January 2027" in calendar


def test_a_generated_page_name_cannot_be_taken_by_a_document_folder(repo):
    repo.config(paths=["policies", "coverage"])
    with pytest.raises(UsageError, match="coverage"):
        stage(inputs_for(repo), site_dir="out")


def test_repo_mkdocs_yml_is_merged_and_its_tags_kept(repo):
    repo.write("own.css", "body { color: teal; }\n")
    repo.write(
        "mkdocs.yml",
        "site_name: Our manual\n"
        "edit_uri: edit/main/\n"
        "nav: [secret.md]\n"
        "theme:\n  name: material\n  features: [navigation.expand, content.code.copy]\n"
        "  palette: {primary: teal}\n"
        "markdown_extensions:\n  - toc: {permalink: '#'}\n"
        "  - pymdownx.emoji:\n      emoji_index: !!python/name:material.extensions.emoji.twemoji\n"
        "extra_css: [own.css]\n",
    )
    config = merged_config(
        read_repo_config(repo.root),
        organization="Org",
        nav=[{"Dashboard": "index.md"}],
        site_dir="/tmp/out",
        extra_css=["x.css"],
        extra_javascript=[],
        versioned=False,
    )
    assert config["site_name"] == "Our manual"
    assert config["nav"] == [{"Dashboard": "index.md"}]
    assert "edit_uri" not in config
    assert config["theme"]["font"] is False and config["theme"]["palette"] == {"primary": "teal"}
    assert "navigation.prune" in config["theme"]["features"] and "navigation.expand" not in config["theme"]["features"]
    assert "content.code.copy" in config["theme"]["features"]
    assert config["extra_css"] == ["own.css", "x.css"]
    names = [next(iter(e)) if isinstance(e, dict) else e for e in config["markdown_extensions"]]
    assert names.count("toc") == 1 and "md_in_html" in names
    project_yaml = stage(inputs_for(repo), site_dir="out").files["mkdocs.yml"]
    assert "!!python/name:material.extensions.emoji.twemoji" in project_yaml
    assert "version" not in yaml.load(project_yaml, Loader=_KeepTagsLoader).get("extra", {})


def test_versioned_config_adds_mike_with_redirect_aliases(repo):
    config = yaml.load(
        stage(inputs_for(repo), site_dir="o", versioned=True).files["mkdocs.yml"], Loader=_KeepTagsLoader
    )
    assert {"mike": {"alias_type": "redirect", "canonical_version": "latest"}} in config["plugins"]
    assert config["extra"]["version"]["provider"] == "mike"


def test_an_unparsable_mkdocs_yml_is_a_usage_error(repo):
    repo.write("mkdocs.yml", "site_name: [unclosed\n")
    with pytest.raises(UsageError, match=r"mkdocs\.yml"):
        read_repo_config(repo.root)


def test_write_staging_rewrites_only_changed_files_and_removes_stale(repo, tmp_path: Path):
    repo.doc("procedures/a.md", approved("PRO-001"))
    repo.doc("procedures/b.md", approved("PRO-002"))
    staging = tmp_path / "staging"
    write_staging(stage(inputs_for(repo), site_dir="o"), staging)
    assert (staging / "docs/procedures/b.md").is_file()
    repo.doc("procedures/b.md", approved("PRO-002", status="draft"))
    changed = write_staging(stage(inputs_for(repo), site_dir="o"), staging)
    assert "docs/procedures/b.md" in changed and not (staging / "docs/procedures/b.md").exists()
    assert "docs/procedures/a.md" not in changed


def test_matrices_soa_and_gaps_come_from_the_gap_analysis(repo):
    from isodocs.app.check import check_system
    from isodocs.site.sources import collect

    repo.doc("procedures/a.md", approved("PRO-001", clauses={"iso9001": ["7.5.3"], "iso27001": ["A.5.1"]}))
    repo.doc("procedures/c.md", approved("PRO-002", classification="confidential", clauses={"iso9001": ["8.1"]}))
    repo.write(
        "soa.yml",
        "controls:\n  A.5.1: {applicable: true, status: implemented}\n"
        "  A.7.4: {applicable: false, justification: No premises of our own}\n",
    )
    system, problems = load_system(repo.root, TODAY)
    project = stage(collect(system, check_system(system, problems), TODAY), site_dir="out")
    matrix = project.files["docs/coverage/iso9001.md"].split("<tr>")  # table rows
    row = next(row for row in matrix if 'id="clause-4-3"' in row)
    assert "isodocs-gap" in row and "no approved document maintained" in row
    row = next(row for row in matrix if 'id="clause-7-5-3"' in row)
    assert "isodocs-covered" in row and ">PRO-001 " in row
    row = next(row for row in matrix if 'id="clause-8-1"' in row)
    assert "1 document not published" in row and "PRO-002" not in row  # counted, never named
    row = next(row for row in matrix if 'id="clause-7-5"' in row)
    assert "covered</span> by its sub-clauses" in row
    soa = project.files["docs/soa.md"]
    assert "1 of 93 controls applicable" in soa
    row = next(row for row in soa.split("<tr>") if '<td style="text-align: left;">A.7.4</td>' in row)
    assert "No premises of our own" in row
    home = project.files["docs/index.md"]
    assert 'class="isodocs-chart"' in home and "ISO 9001:2015 matrix" in home


def test_long_navigation_sections_are_grouped_by_id_range(repo):
    for n in range(1, 53):
        repo.doc(f"procedures/p{n:03d}.md", approved(f"PRO-{n:03d}"))
    nav = yaml.load(stage(inputs_for(repo), site_dir="o").files["mkdocs.yml"], Loader=_KeepTagsLoader)["nav"]
    procedures = next(item["Procedures"] for item in nav if "Procedures" in item)
    assert [next(iter(group)) for group in procedures] == ["PRO-001 – PRO-050", "PRO-051 – PRO-052"]


def test_revision_history_comes_from_git(repo, monkeypatch):
    import subprocess

    from isodocs.app.check import check_system
    from isodocs.site.sources import collect

    for name in ("GIT_AUTHOR_NAME", "GIT_COMMITTER_NAME"):
        monkeypatch.setenv(name, "Jane Smith")
    for name in ("GIT_AUTHOR_EMAIL", "GIT_COMMITTER_EMAIL"):
        monkeypatch.setenv(name, "jane@example.org")

    def git(*args: str) -> None:
        subprocess.run(["git", *args], cwd=repo.root, check=True, capture_output=True)

    repo.doc("procedures/a.md", approved("PRO-001", title="Handling"), "First.\n")
    repo.doc("procedures/d.md", approved("PRO-002", status="draft"), "Draft.\n")
    git("init", "-q", "-b", "main")
    git("add", "-A")
    git("commit", "-qm", "Issue the handling procedure")
    repo.doc("procedures/a.md", approved("PRO-001", title="Handling", version="1.1"), "Second.\n")
    git("commit", "-qam", "Clarify the handling steps")
    system, problems = load_system(repo.root, TODAY)
    inputs = collect(system, check_system(system, problems), TODAY)
    assert inputs.history is not None and "procedures/d.md" not in inputs.history
    project = stage(inputs, site_dir="o")
    page = project.files["docs/procedures/a.md"]
    assert cells("1.1", dt.date.today().isoformat(), "Jane Smith", "Clarify the handling steps") in page
    # The first commit also added the draft: its subject could name withheld work, so it is not shown.
    assert cells("1.0") in page and "Issue the handling procedure" not in page
    assert WITHHELD_SUBJECT in page
    assert "Clarify the handling steps" in project.files["docs/index.md"]  # latest changes
    assert "Issue the handling procedure" not in staged_text(project)


def test_revision_history_reads_from_git_only_what_the_working_tree_does_not_hold(repo, monkeypatch):
    import subprocess

    from isodocs.readers.git import HistoryIndex
    from isodocs.site.sources import history_views

    def git(*args: str) -> None:
        subprocess.run(["git", "-c", "user.name=J", "-c", "user.email=j@example.org", *args], cwd=repo.root,
                       check=True, capture_output=True)  # fmt: skip

    repo.doc("procedures/a.md", approved("PRO-001", version="1.0"), "First.\n")
    repo.doc("procedures/b.md", approved("PRO-002", version="1.0"), "First.\n")
    git("init", "-q", "-b", "main")
    git("add", "-A")
    git("commit", "-qm", "Issue")
    repo.doc("procedures/a.md", approved("PRO-001", version="1.1"), "Second.\n")
    repo.doc("procedures/b.md", approved("PRO-002", version="1.1"), "Second.\n")
    git("commit", "-qam", "Revise")
    repo.doc("procedures/b.md", approved("PRO-002", version="2.0"), "Not committed yet.\n")
    reads: list[str] = []
    original = HistoryIndex.read
    monkeypatch.setattr(HistoryIndex, "read", lambda self, change: reads.append(change.path) or original(self, change))
    system, _ = load_system(repo.root, TODAY)
    views = history_views(system)
    assert views is not None
    assert [r.version for r in views["procedures/a.md"]] == ["1.1", "1.0"]
    assert [r.version for r in views["procedures/b.md"]] == ["1.1", "1.0"]  # as committed, not as on disk
    # a.md on disk is its last commit: that blob is the loaded document, not read again.
    assert sorted(reads) == ["procedures/a.md", "procedures/b.md", "procedures/b.md"]


def test_about_this_manual_holds_the_owners_guide_and_the_rule_reference(repo):
    from isodocs.rules import REGISTRY

    repo.doc("procedures/a.md", approved("PRO-001"))
    project = stage(inputs_for(repo), site_dir="_site")
    guide = project.files["docs/about/index.md"]
    rules = project.files["docs/about/rules.md"]
    assert isinstance(guide, str) and "pull request" in guide.lower() and "](rules.md)" in guide
    assert isinstance(rules, str) and all(f"`{slug}`" in rules for slug in REGISTRY)
    config = yaml.load(project.files["mkdocs.yml"], Loader=_KeepTagsLoader)
    about = next(entry["About this manual"] for entry in config["nav"] if "About this manual" in entry)
    assert about == [{"Owner's guide": "about/index.md"}, {"Rule reference": "about/rules.md"}]


PATH_PARTS = st.sampled_from(["a", "b", "procedures", "x.md", "index.md", ".", "..", "", ".hidden", "a.b"])


@settings(max_examples=500, deadline=None)
@given(st.lists(PATH_PARTS, min_size=1, max_size=5), st.lists(PATH_PARTS, min_size=1, max_size=5))
def test_relative_url_is_posix_relpath_from_the_page_folder(page, target):
    from_page, to_page = "/".join(page), "/".join(target)
    try:
        expected = posixpath.relpath(to_page, posixpath.dirname(from_page) or ".")
    except ValueError:  # an empty path: relpath refuses it
        return
    assert relative_url(from_page, to_page) == expected


def _rewrite_line_by_line(body: str, keep) -> tuple[str, int]:
    """``rewrite_withheld_links`` as it was before it skipped lines without "[": every line through every pattern."""
    from isodocs.site.markdown import (
        INLINE_LINK,
        NOT_PUBLISHED,
        REFERENCE_DEFINITION,
        REFERENCE_USE,
        _map_prose,
        _plain,
        is_relative_link,
    )
    from isodocs.text.mdtext import FENCE

    lines, fence = [], None
    for line in body.split("\n"):
        match = FENCE.match(line)
        if match:
            marker = match.group(1)
            fence = marker[0] * len(marker) if fence is None else (None if marker.startswith(fence) else fence)
            lines.append((False, line))
        else:
            lines.append((fence is None and not line.startswith("    "), line))
    labels = set()
    for prose, line in lines:
        definition = REFERENCE_DEFINITION.match(line) if prose else None
        if definition and is_relative_link(definition.group(2)) and not keep(definition.group(2)):
            labels.add(definition.group(1).strip().lower())
    count = 0

    def inline(segment: str) -> str:
        def replace(m):
            nonlocal count
            if not is_relative_link(m.group(3)) or keep(m.group(3)):
                return m.group(0)
            count += 1
            return f"{_plain(m.group(2))} {NOT_PUBLISHED}"

        def replace_reference(m):
            nonlocal count
            if (m.group(3) or m.group(2)).strip().lower() not in labels:
                return m.group(0)
            count += 1
            return f"{_plain(m.group(2))} {NOT_PUBLISHED}"

        segment = INLINE_LINK.sub(replace, segment)
        return REFERENCE_USE.sub(replace_reference, segment) if labels else segment

    out = []
    for prose, line in lines:
        definition = REFERENCE_DEFINITION.match(line) if prose else None
        if definition and definition.group(1).strip().lower() in labels:
            continue
        out.append(_map_prose(line, inline) if prose else line)
    return "\n".join(out), count


LINES = ["~~~", "```", "````", "    ![i](y.md)", "![i](z.png)", "[b]: y.md", "[d]: x.md", "text [c][b] [b]", "[d][]",
         "`[a](y.md)` [a](x.md)", "plain", "", "  ~~~", "a [ b ] ( c )", "[a](<y.md> 't')"]  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(LINES), max_size=12))
def test_rewriting_withheld_links_skips_only_lines_without_a_link(lines):
    body = "\n".join(lines)
    keep = lambda target: "x" in target  # noqa: E731
    assert rewrite_withheld_links(body, keep) == _rewrite_line_by_line(body, keep)
