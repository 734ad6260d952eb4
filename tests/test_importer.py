"""``isodocs import``: foreign Markdown in, schema-valid drafts out, sources untouched."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from isodocs.catalog import builtin_catalogs
from isodocs.cli import main
from isodocs.errors import UsageError
from isodocs.importer import ImportOptions, iso27001_2013_to_2022, run_import, split_source
from tests.conftest import TODAY, approved
from tests.import_corpus import write_corpus


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
    assert any("merged" in n for n in notes(by_source["isms/user-access.md"], "flagged"))
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
    assert any("'PRO-050'" in n for n in notes(by_source["policy-native.md"], "flagged"))


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
