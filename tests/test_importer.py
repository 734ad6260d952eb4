"""``isodocs import``: foreign Markdown in, schema-valid drafts out, sources untouched."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from isodocs.authoring.importer import ImportOptions, format_report, iso27001_2013_to_2022, run_import, split_source
from isodocs.cli import main
from isodocs.errors import UsageError
from isodocs.readers.catalog import builtin_catalogs
from tests.conftest import TODAY, approved
from tests.import_corpus import write_corpus, write_real_corpus


def run(repo, source, **kwargs):
    kwargs.setdefault("type", "procedure")
    return run_import(ImportOptions(root=repo.root, source=source, today=TODAY, **kwargs))


def digest(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.rglob("*")
            if p.is_file()}  # fmt: skip


def notes(item, kind=None):
    return [n.text for n in item.notes if kind is None or n.kind == kind]


@pytest.fixture
def corpus(tmp_path) -> Path:
    folder = tmp_path / "old-docs"
    write_corpus(folder)
    return folder


def test_thirty_mixed_files_become_drafts_that_check_only_warns_about(repo, corpus, run_check):
    before = digest(corpus)
    result = run(repo, corpus, owner="qm")
    assert len(result.imported) == 30
    assert digest(corpus) == before  # sources never modified
    outcome = run_check(repo)
    assert outcome.documents == 30
    assert {(f.rule, f.severity.value) for f in outcome.findings} == {("unmapped", "warning")}
    assert all(doc.status == "draft" and doc.id.startswith("PRO-") for doc in outcome.system.documents)
    skipped = {f.source: f.skipped for f in result.files if f.skipped}
    assert set(skipped) == {"broken/README.md", "broken/bad-yaml.md", "broken/latin1.md", "broken/not-a-mapping.md"}
    assert "UTF-8" in skipped["broken/latin1.md"] and "line 3" in skipped["broken/bad-yaml.md"]
    assert (repo.root / "procedures/quality/img/flow.png").is_file()  # linked image copied


def test_body_is_preserved_byte_for_byte(repo, corpus):
    run(repo, corpus, owner="qm")
    for rel in ("quality/crlf.md", "quality/trailing.md", "isms/access-control.md", "comply/encryption-policy.md",
                "quality/unicode.md"):  # fmt: skip
        source = (corpus / rel).read_bytes().decode("utf-8")
        written = (repo.root / "procedures" / rel).read_bytes().decode("utf-8")
        expected = split_source(source).body
        assert written.endswith(expected) and written.startswith("---\nid: PRO-")
    bom = (repo.root / "procedures/quality/bom.md").read_text("utf-8")
    assert bom.endswith("---\n# Customer complaints\n\nSaved by Word with a BOM.\n")


def front(repo, rel):
    return yaml.safe_load((repo.root / "procedures" / rel).read_text("utf-8").split("---\n")[1])


def test_comply_style_is_mapped(repo, corpus):
    result = run(repo, corpus, owner="qm")
    data = front(repo, "comply/encryption-policy.md")
    assert data["title"] == "Encryption Policy" and data["tags"] == ["EP"] and data["status"] == "draft"
    assert "clauses" not in data and "satisfies" not in data and "majorRevisions" not in data
    item = next(f for f in result.files if f.source == "comply/encryption-policy.md")
    assert any("CC6.1, CC6.7" in n and "no catalogue 'tsc'" in n for n in notes(item, "unmapped"))
    assert any(n.startswith("majorRevisions") for n in notes(item, "unmapped"))


def test_comply_criteria_map_when_the_repo_has_a_catalogue(repo, corpus, run_check):
    repo.write("standards/tsc.yml", yaml.safe_dump({
        "key": "tsc", "title": "Trust Services Criteria", "clauses": [],
        "controls": [{"id": "CC6", "title": "Logical and physical access controls",
                      "controls": [{"id": c, "title": c} for c in ("CC6.1", "CC6.2", "CC6.3", "CC6.7")]}],
    }))  # fmt: skip
    repo.config(standards=["iso9001", "iso27001", "tsc"], catalogs=["standards/tsc.yml"])
    run(repo, corpus / "comply", owner="qm")
    assert front(repo, "access-onboarding-and-termination-policy.md")["clauses"] == {"tsc": ["CC6.1", "CC6.2", "CC6.3"]}
    assert front(repo, "encryption-policy.md")["clauses"] == {"tsc": ["CC6.1", "CC6.7"]}


def test_docs_site_isms_style_is_mapped(repo, corpus):
    result = run(repo, corpus, owner="qm")
    by_source = {f.source: f for f in result.files}
    access = front(repo, "isms/access-control.md")
    assert access["owner"] == "qm"  # "Jane Smith" is qm's name
    assert access["version"] == "1.2" and access["status"] == "draft"
    assert access["clauses"] == {"iso27001": ["A.5.15", "A.5.18"]}
    assert "next_review" not in access
    assert any("next_review" in n for n in notes(by_source["isms/access-control.md"], "flagged"))
    user_access = front(repo, "isms/user-access.md")
    assert user_access["clauses"] == {"iso27001": ["A.5.16", "A.5.18", "A.8.3"]}  # 2013 -> 2022
    assert user_access["version"] == "2.0" and user_access["owner"] == "qm"  # github handle jsmith
    # a merged 2013 control maps to exactly its successor: mapped, not "to check" (issue 19, item 7)
    assert any("merged" in n for n in notes(by_source["isms/user-access.md"], "mapped"))
    assert not any("merged" in n for n in notes(by_source["isms/user-access.md"], "flagged"))
    crypto = by_source["isms/crypto.md"]
    assert front(repo, "isms/crypto.md")["owner"] == "qm"
    assert any("'IT Team'" in n and "--owner" in n for n in notes(crypto, "guessed"))
    logging = front(repo, "isms/logging.md")
    assert logging["classification"] == "confidential" and logging["owner"] == "ciso"
    assert logging["clauses"]["iso27001"][:2] == ["A.8.15", "A.8.16"]
    assets = by_source["isms/assets.md"]
    assert front(repo, "isms/assets.md")["clauses"] == {"iso27001": ["A.5.9"], "iso9001": ["7.1.3"]}
    assert any("A.99.1" in n for n in notes(assets, "unmapped"))
    assert any("department" in n for n in notes(assets, "unmapped"))
    backup = front(repo, "isms/backup.md")
    assert backup["description"] == "How we back up" and backup["tags"] == ["it", "ops"]
    assert any("not in standards" in n for n in notes(by_source["isms/backup.md"], "unmapped"))
    assert front(repo, "isms/clean-desk.md")["clauses"] == {"iso27001": ["A.7.7"]}


def test_foreign_ids_are_kept_when_they_fit_and_are_free(repo, corpus):
    repo.doc("procedures/existing.md", approved("PRO-067"))
    result = run(repo, corpus / "isms", owner="qm")
    by_source = {f.source: f for f in result.files}
    assert by_source["id-clash.md"].id == "PRO-050"  # first in order keeps it
    replaced = by_source["policy-native.md"].id  # taken: numbered after the highest in use
    assert replaced != "PRO-050" and int(replaced[4:]) > 67
    assert any("'PRO-050' kept under aliases" in n for n in notes(by_source["policy-native.md"], "mapped"))
    assert front(repo, "policy-native.md")["aliases"] == ["PRO-050"]


def test_mapping_table_has_every_2013_control_and_only_2022_targets():
    table = iso27001_2013_to_2022()
    assert len(table) == 114
    controls = {c.id for c in builtin_catalogs()["iso27001"].controls}
    assert all(set(s.to) <= controls for s in table.values())
    targets: dict[str, int] = {}
    for successor in table.values():
        for target in successor.to:
            targets[target] = targets.get(target, 0) + 1
    for control, successor in table.items():  # merged marks agree with the table itself
        assert successor.merged == any(targets[t] > 1 for t in successor.to), control
    assert (
        table["A.9.2.1"].to == ("A.5.16",) and table["A.12.4.3"].merged and table["A.18.2.3"].to == ("A.5.36", "A.8.8")
    )


def test_dry_run_writes_nothing_and_reports(repo, corpus):
    result = run(repo, corpus, dry_run=True)
    assert not result.written and len(result.imported) == 30
    assert not (repo.root / "procedures").exists()
    assert any("pass --owner" in n for f in result.imported for n in notes(f, "unmapped"))


def test_missing_owner_refuses_before_writing(repo, corpus):
    with pytest.raises(UsageError, match="pass --owner"):
        run(repo, corpus)
    assert not (repo.root / "procedures").exists()


def test_never_overwrites(repo, corpus):
    repo.write("procedures/crlf.md", "mine")
    result = run(repo, corpus / "quality", owner="qm")
    skipped = next(f for f in result.files if f.source == "crlf.md")
    assert "already exists" in skipped.skipped
    assert (repo.root / "procedures/crlf.md").read_text() == "mine"
    again = run(repo, corpus / "quality", owner="qm")
    assert again.imported == []


def test_map_option_and_clauses_option(repo, tmp_path, run_check):
    source = tmp_path / "src"
    source.mkdir()
    (source / "a.md").write_text("---\nheading: Supplier audits\nwho: ciso\nnoise: 1\n---\nBody\n")
    run(repo, source, mappings={"heading": "title", "who": "owner", "noise": "ignore"}, clauses="iso9001:8.4")
    data = yaml.safe_load((repo.root / "procedures/a.md").read_text().split("---\n")[1])
    assert data["title"] == "Supplier audits" and data["owner"] == "ciso"
    assert data["clauses"] == {"iso9001": ["8.4"]}
    assert run_check(repo).findings == []


def test_records_and_single_file(repo, tmp_path, run_check):
    source = tmp_path / "audit-2025.md"
    source.write_text("---\ntitle: Audit 2025\ndate: 2025-10-01\nowner: qm\n---\n# Audit\n")
    result = run(repo, source, type="record", clauses="iso9001:9.2.2")
    assert result.imported[0].target == "records/audit-2025.md"
    data = yaml.safe_load((repo.root / "records/audit-2025.md").read_text().split("---\n")[1])
    assert data["date"] == "2025-10-01" and data["retention_years"] == 6 and "status" not in data
    assert run_check(repo).findings == []


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [({"type": "memo"}, "unknown type"), ({"owner": "nobody"}, "not a key of people"),
     ({"mappings": {"x": "colour"}}, "no field colour"), ({"clauses": "iso9001:99"}, "no clause 99")],
)  # fmt: skip
def test_bad_options(repo, corpus, kwargs, message):
    with pytest.raises(UsageError, match=message):
        run(repo, corpus, **kwargs)


def test_refuses_a_source_inside_the_document_folders(repo):
    repo.write("procedures/old/a.md", "# A\n")
    with pytest.raises(UsageError, match="inside the document folder"):
        run(repo, repo.root / "procedures/old", owner="qm")


def test_cli_report(repo, corpus):
    result = CliRunner().invoke(
        main, ["-C", str(repo.root), "import", str(corpus), "--type", "procedure", "--owner", "qm", "--dry-run"]
    )
    assert result.exit_code == 0, result.output
    assert "would import 30 files as drafts (19 with front matter, 11 without), 4 skipped" in result.stdout
    assert "nothing written (--dry-run)" in result.stdout
    bad = CliRunner().invoke(main, ["-C", str(repo.root), "import", str(corpus), "--type", "policy", "--map", "x"])
    assert bad.exit_code == 2 and "KEY=FIELD" in bad.stderr


# --- issue 19: sources in their tools' real formats ---------------------------------------------------


@pytest.fixture
def real(tmp_path) -> Path:
    folder = tmp_path / "sources"
    write_real_corpus(folder)
    return folder


def written(repo, rel: str) -> tuple[dict, str]:
    """(front matter, body) of an imported file."""
    _, front_text, body = (repo.root / rel).read_text("utf-8").split("---\n", 2)
    return yaml.safe_load(front_text), body


def by_source(result) -> dict:
    return {f.source: f for f in result.files}


def test_comply_header_as_comply_writes_it_is_front_matter(repo, real):
    """Item 1: no opening ---; the title is the name, not "comment: Initial document"."""
    result = run(repo, real / "comply", type="policy", owner="qm")
    data, body = written(repo, "policies/policies/access.md")
    assert data["title"] == "Access Onboarding and Termination Policy" and data["tags"] == ["AOTP"]
    assert "majorRevisions" not in body and "name:" not in body
    onboarding, _ = written(repo, "policies/procedures/onboarding.md")
    assert onboarding["title"] == "Onboard New User" and onboarding["aliases"] == ["onboard"]
    assert all(f.foreign for f in result.imported) and result.count("mapped") >= 8
    assert all(any("comply header" in n for n in notes(f, "mapped")) for f in result.imported)
    access = by_source(result)["policies/access.md"]
    assert not any(n.startswith("live") for n in notes(access, "unmapped"))  # comply's publishing switch: no problem


@pytest.mark.parametrize(
    ("text", "foreign"),
    [("Note: read this first\n---\n\nBody.\n", False),  # a setext heading stays body
     ("Introduction\n---\n\nBody.\n", False),
     ("name: Policy\n---\n# Policy\n", True),  # a key isodocs knows
     ("Purpose: how we work\nScope: all staff\n---\nBody\n", False),  # prose that reads as YAML
     ("status: approved\nowner: qm\n---\nBody\n", True)],
)  # fmt: skip
def test_headerless_front_matter_is_told_from_setext_headings(text, foreign):
    parts = split_source(text)
    assert (parts.metadata is not None) is foreign and parts.headerless is foreign


def test_comply_lists_render_as_lists_and_the_title_is_the_first_heading(repo, real):
    """Item 2: a./i. markers and 2-4-space nesting become lists Python-Markdown renders, not code blocks."""
    import markdown

    result = run(repo, real / "comply", type="policy", owner="qm")
    for rel in ("policies/policies/access.md", "policies/policies/password.md"):
        data, body = written(repo, rel)
        assert body.lstrip("\n").startswith(f"# {data['title']}\n")  # the site's page heading is the title
        html = markdown.markdown(body)
        assert "<pre>" not in html and "<code>" not in html, html  # nothing cut off into a code block
        assert "<p>a." not in html and "<p>i." not in html
        assert html.count("<ol>") + html.count("<ul>") >= 2 and ("<li>\n<p>" in html or "<li>" in html)
    _, access = written(repo, "policies/policies/access.md")
    assert "## Purpose and Scope" in access and "\n    1. The hiring manager informs HR" in access
    assert "resource's owner" in access  # the lazy continuation line is kept
    _, password = written(repo, "policies/policies/password.md")
    assert "\n    - system passwords quarterly\n    - user passwords every six months\n    - at once" in password
    items = by_source(result)
    assert any("a./i. list markers" in n for n in notes(items["policies/access.md"], "converted"))
    assert any("{{.Name}}" in n for n in notes(items["narratives/control.md"], "flagged"))


def test_zero_padded_ids_are_not_mapped_and_say_why(repo, real):
    """Item 3: A.05.01 / A.10.01 map to nothing: "not mapped" as ambiguous numbering, never flagged with ()."""
    result = run(repo, real / "portal/docs", type="policy", owner="qm")
    items = by_source(result)
    for rel in ("10-policies/isms-05-01-access-control-policy.md",
                "10-policies/isms-10-01-incident-management-policy.md"):  # fmt: skip
        item = items[rel]
        assert any("zero-padded" in n and "ambiguous" in n for n in notes(item, "unmapped"))
        assert not any("()" in n for n in notes(item)) and "clauses" not in item.data
    assert "did you mean" not in " ".join(notes(items["10-policies/isms-05-01-access-control-policy.md"]))


def test_a_2013_objective_without_successors_is_not_mapped(repo):
    from isodocs.app.load import load_system
    from isodocs.authoring.common import ClauseResolver

    system, _ = load_system(repo.root, TODAY)
    resolver = ClauseResolver(system.catalogs, system.config)
    resolved, found = resolver.resolve("iso27001", "A.17.9")
    assert resolved == [] and [n.kind for n in found] == ["unmapped"]
    resolved, found = resolver.resolve("iso27001", "A.09.01")
    assert resolved == [] and "ambiguous" in found[0].text and found[0].kind == "unmapped"


def test_root_relative_links_copy_the_static_file_and_check_catches_the_rest(repo, real, run_check):
    """Item 4: /policies/x.pdf from Docusaurus static/ is copied and linked relatively; a link to nothing is found."""
    result = run(repo, real / "portal/docs", type="policy", owner="qm")
    _, body = written(repo, "policies/10-policies/isms-05-01-access-control-policy.md")
    assert "(../attachments/policies/ISMS.05.01%20-%20Access%20Control%20Policy.pdf)" in body
    copied = repo.root / "policies/attachments/policies/ISMS.05.01 - Access Control Policy.pdf"
    assert copied.read_bytes() == b"%PDF-1.4 access control"
    item = by_source(result)["10-policies/isms-10-01-incident-management-policy.md"]
    assert any("/policies/missing.pdf" in n and "404" in n for n in notes(item, "unmapped"))
    findings = [f for f in run_check(repo).findings if f.rule == "broken-root-link"]
    assert {(f.path, "/policies/missing.pdf" in f.message) for f in findings} == {
        ("policies/10-policies/isms-10-01-incident-management-policy.md", True)
    }
    assert not [f for f in run_check(repo).findings if f.rule in ("broken-link", "schema")]


def test_records_need_clauses_and_take_their_date_from_the_source(repo, tmp_path, run_check):
    """Item 5: no record without clauses; date from effective_date; no status line for records."""
    source = tmp_path / "audit.md"
    source.write_text("---\ntitle: Audit 2025\nstatus: approved\neffective_date: 2025-10-01\nowner: qm\n---\n# A\n")
    with pytest.raises(UsageError, match=r"record.*clauses"):
        run(repo, source, type="record")
    assert not (repo.root / "records").exists()
    dry = run(repo, source, type="record", dry_run=True)
    assert any("--clauses" in n for n in notes(dry.imported[0], "unmapped"))
    result = run(repo, source, type="record", clauses="iso9001:9.2.2")
    data, _ = written(repo, "records/audit.md")
    assert data["date"] == "2025-10-01" and data["clauses"] == {"iso9001": ["9.2.2"]}
    assert not any("status" in n for n in notes(result.imported[0]))
    assert run_check(repo).findings == []


def test_report_groups_repeated_notes_and_drops_boilerplate(repo, real):
    """Item 7: drafts say nothing of status, 1.0 is no "unquoted number", [TBD] is no repr; groups counted."""
    result = run(repo, real / "portal/docs", type="policy", owner="qm", section_pages=True)
    items = by_source(result)
    draft = items["10-policies/isms-05-01-access-control-policy.md"]
    assert not any("status" in n or "unquoted" in n or "effective_date" in n for n in notes(draft))
    assert all("['" not in n for f in result.imported for n in notes(f))
    assert written(repo, "policies/10-policies/access-control-policy.md")[0]["version"] == "1.10"  # as written
    report = format_report(result)
    assert report.index("Not mapped") < report.index("To check") < report.index("Mapped")
    assert "3 x status approved not carried over" in report  # one line for three files
    assert report.count("status: approved not carried over") == 0  # not once per file
    problems = report[: report.index("To check")]
    assert "iso27001:A.05.01: zero-padded" in problems and "iso27001:A.10.01: zero-padded" in problems  # details kept
    assert "/policies/missing.pdf" in problems


def test_a_rerun_counts_only_what_it_imports(repo, real):
    """Item 7: the second run skips every file and reports no notes of the skipped ones."""
    run(repo, real / "portal/docs", type="policy", owner="qm")
    again = run(repo, real / "portal/docs", type="policy", owner="qm")
    assert again.imported == []
    assert all(again.count(kind) == 0 for kind in ("mapped", "guessed", "flagged", "unmapped", "converted"))


def test_new_and_import_resolve_clauses_and_owners_alike(repo, real):
    """Item 8: one clause resolver and one person resolver: A.9.2.5 -> A.5.18, bare A.5.18, CISO -> ciso."""
    from isodocs.authoring.new import NewOptions, create_document

    result = run(repo, real / "portal/docs/30-procedures", type="procedure")
    assert result.imported[0].data["clauses"] == {"iso27001": ["A.5.18"]}
    made = create_document(NewOptions(root=repo.root, type="procedure", title="Access reviews", owner="CISO",
                                      clauses="iso27001:A.9.2.5,A.5.18", today=TODAY))  # fmt: skip
    data = yaml.safe_load(made.text.split("---\n")[1])
    assert data["owner"] == "ciso" and data["clauses"] == {"iso27001": ["A.5.18"]}
    assert any("A.9.2.5" in n and "A.5.18" in n for n in made.notes)


def test_section_pages_templates_and_source_ids(repo, real, run_check):
    """index.md kept as a document on request; _template-*.md skipped; ISMS.05.01 / SOP-17 kept as aliases."""
    plain = run(repo, real / "portal/docs", type="policy", owner="qm", dry_run=True)
    skipped = {f.source: f.skipped for f in plain.files if f.skipped}
    assert "--section-pages" in skipped["00-overview/index.md"]
    assert "template" in skipped["00-overview/_template-policy.md"]
    run(repo, real / "portal/docs", type="policy", owner="qm", section_pages=True)
    overview, _ = written(repo, "policies/00-overview/isms-overview.md")
    assert overview["title"] == "ISMS Overview" and overview["owner"] == "ciso"
    assert written(repo, "policies/10-policies/isms-05-01-access-control-policy.md")[0]["aliases"] == ["ISMS.05.01"]
    assert written(repo, "policies/30-procedures/user-access-provisioning.md")[0]["aliases"] == ["SOP-17"]
    assert not [f for f in run_check(repo).findings if f.rule == "schema"]  # aliases is in the schema


def test_external_documents_go_to_an_external_folder(repo, tmp_path):
    source = tmp_path / "iso-9001.md"
    source.write_text("---\ntitle: ISO 9001:2015\npublisher: ISO\n---\nThe standard.\n")
    result = run(repo, source, type="external", owner="qm")
    assert result.imported[0].target == "policies/external/iso-9001.md"


def test_mkdocs_docs_dir_is_the_static_root_and_reference_links_are_rewritten(repo, tmp_path):
    site = tmp_path / "handbook"
    (site / "content/files").mkdir(parents=True)
    (site / "mkdocs.yml").write_text("site_name: Handbook\ndocs_dir: content\n")
    (site / "content/files/form a.pdf").write_bytes(b"%PDF form")
    (site / "content/policies").mkdir()
    (site / "content/policies/p.md").write_text(
        "# Policy\n\nSee [the form][f] and <https://example.org>.\n\n[f]: </files/form a.pdf>\n"
    )
    run(repo, site / "content/policies", type="policy", owner="qm")
    body = (repo.root / "policies/p.md").read_text("utf-8")
    assert "[f]: <attachments/files/form%20a.pdf>" in body
    assert (repo.root / "policies/attachments/files/form a.pdf").read_bytes() == b"%PDF form"


def test_cli_section_pages_and_verbose(repo, real):
    args = ["-C", str(repo.root), "import", str(real / "portal/docs"), "--type", "policy", "--owner", "CISO"]
    grouped = CliRunner().invoke(main, [*args, "--dry-run"])
    assert grouped.exit_code == 0, grouped.output
    assert "skipped  00-overview/index.md" in grouped.stdout and "      mapped" not in grouped.stdout
    verbose = CliRunner().invoke(main, [*args, "--section-pages", "--verbose"])
    assert verbose.exit_code == 0, verbose.output
    assert "isms-overview.md" in verbose.stdout and "      mapped    owner 'CISO' -> ciso" in verbose.stdout


def test_root_relative_links_never_copy_from_outside_the_static_folder(repo, real):
    secret = real / "portal/secret.txt"
    secret.write_text("not for the site")
    (real / "portal/static/link.txt").symlink_to(secret)
    page = real / "portal/docs/10-policies/escape.md"
    page.write_text("---\ntitle: Escape\n---\n[a](/../secret.txt) [b](/link.txt) [c](/%2E%2E/secret.txt)\n")
    result = run(repo, page, type="policy", owner="qm")
    assert [asset for _, asset in result.imported[0].assets] == []
    assert len([n for n in notes(result.imported[0], "unmapped") if "no such file" in n]) == 3
    assert not any(p.name in ("secret.txt", "link.txt") for p in repo.root.rglob("*"))


def approve(path: Path) -> None:
    """What the pull request that approves an imported draft does to its front matter."""
    text = path.read_text("utf-8")
    path.write_text(
        text.replace("status: draft\n", "status: approved\napproved_by: [md]\napproved_on: 2026-11-01\n"
                     "last_reviewed: 2026-11-01\n", 1), "utf-8")  # fmt: skip


def test_imported_pages_publish_with_their_lists_title_and_attachments(repo, real):
    """Items 2 and 4 end to end: the staged site page renders lists, has the title as H1, carries the PDF."""
    import markdown

    from isodocs.app.load import load_system
    from isodocs.site.inputs import SiteInputs
    from isodocs.site.mkdocs_config import REQUIRED_EXTENSIONS
    from isodocs.site.render import stage

    run(repo, real / "comply/policies", type="policy", owner="qm", dest=Path("policies/comply"))
    run(repo, real / "portal/docs/10-policies", type="policy", owner="qm", dest=Path("policies/portal"))
    for rel in ("policies/comply/access.md", "policies/portal/isms-05-01-access-control-policy.md"):
        approve(repo.root / rel)
    system, _ = load_system(repo.root, TODAY)
    project = stage(SiteInputs(system=system, build_date=TODAY), site_dir="out")
    pdf = "docs/policies/portal/attachments/policies/ISMS.05.01 - Access Control Policy.pdf"
    assert project.files[pdf] == b"%PDF-1.4 access control"
    page = project.files["docs/policies/comply/access.md"]
    page = page if isinstance(page, str) else page.decode("utf-8")
    names = [e if isinstance(e, str) else next(iter(e)) for e in REQUIRED_EXTENSIONS]
    configs = {k: v for e in REQUIRED_EXTENSIONS if isinstance(e, dict) for k, v in e.items()}
    html = markdown.markdown(page.split("---\n", 2)[2], extensions=names, extension_configs=configs)
    assert "<h1" in html and ">Access Onboarding and Termination Policy" in html.split("</h1>")[0]
    assert "<pre>" not in html and "<p>a." not in html
    assert "<li>\n<p>The hiring manager informs HR" in html or "<li>The hiring manager informs HR" in html


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("- a\n  - b\n\n```\n  - not a list\n```\n", "- a\n    - b\n\n```\n  - not a list\n```\n"),  # fences kept
        ("- a\n\n* * *\n\nA. Smith wrote it.\n", "- a\n\n* * *\n\nA. Smith wrote it.\n"),  # a rule, a name
        ("1. one\n   more of one\n\n   next paragraph\n", "1. one\n   more of one\n\n    next paragraph\n"),
        ("Intro\n\n    code, not a list\n", "Intro\n\n    code, not a list\n"),  # an indented code block stays
    ],
)
def test_list_conversion_touches_only_lists(body, expected):
    from isodocs.authoring.import_body import convert_lists

    assert convert_lists(body)[0] == expected


LIST_LINES = ["a. x", "i. y", "  i. y", "    i. z", "- a", "  - b", "   - c", "      - d", "", "text", "  more",
              "```", "# H", "1. n", "* * *", "\tz", "A. Smith", "name: x", "---"]  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(LIST_LINES), max_size=14))
def test_list_conversion_is_idempotent_and_keeps_every_line(lines):
    from isodocs.authoring.import_body import convert_lists

    body = "\n".join(lines) + "\n"
    once = convert_lists(body)[0]
    assert convert_lists(once)[0] == once  # a second import of an imported file changes nothing
    assert len(once.splitlines()) == len(body.splitlines())
    assert [line.split()[-1] for line in once.splitlines() if line.strip()] == [
        line.split()[-1] for line in body.splitlines() if line.strip()
    ]  # only indentation and markers change
