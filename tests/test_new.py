"""``isodocs new``: drafts from templates with the next free id, never overwriting."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from isodocs.authoring.common import IdAllocator, dump_front_matter, slugify
from isodocs.authoring.new import NewOptions, create_document
from isodocs.cli import main
from isodocs.errors import UsageError
from tests.conftest import TODAY, approved


def new(repo, doc_type="procedure", title="Control of documents", owner="qm", **kwargs):
    return create_document(NewOptions(root=repo.root, type=doc_type, title=title, owner=owner, today=TODAY, **kwargs))


def front_matter(path: Path) -> dict:
    return yaml.safe_load(path.read_text("utf-8").split("---\n")[1])


def test_creates_draft_with_next_id_and_template_headings(repo, run_check):
    repo.doc("procedures/a.md", approved("PRO-001"))
    repo.doc("procedures/b.md", approved("PRO-007"))
    repo.doc("policies/p.md", approved("POL-012", type="policy"))
    result = new(repo, clauses="iso9001:7.5,iso27001:A.5.33")
    assert result.path == "procedures/control-of-documents.md"
    assert result.id == "PRO-008"
    data = front_matter(repo.root / result.path)
    assert data == {
        "id": "PRO-008",
        "title": "Control of documents",
        "type": "procedure",
        "version": "0.1",
        "status": "draft",
        "owner": "qm",
        "classification": "internal",
        "clauses": {"iso9001": ["7.5"], "iso27001": ["A.5.33"]},
    }
    text = (repo.root / result.path).read_text("utf-8")
    for heading in ("# Control of documents", "## Purpose", "## Scope", "## Responsibilities", "## Procedure",
                    "## Records", "## References"):  # fmt: skip
        assert f"\n{heading}\n" in text
    assert "Jane Smith (Quality Manager)" in text  # the owner placeholder is filled
    assert run_check(repo).findings == []


@pytest.mark.parametrize("doc_type", ["policy", "procedure", "work-instruction", "form", "record", "external"])
def test_every_type_passes_check(repo, run_check, doc_type):
    extra = {"source": "ISO, https://www.iso.org"} if doc_type == "external" else {}
    result = new(repo, doc_type=doc_type, title=f"A {doc_type}", clauses="iso9001:7.5", **extra)
    prefix = {"policy": "POL", "procedure": "PRO", "work-instruction": "WI", "form": "FRM", "record": "REC",
              "external": "EXT"}[doc_type]  # fmt: skip
    assert result.id == f"{prefix}-001"
    findings = run_check(repo).findings
    assert findings == [], findings


def test_unmapped_draft_is_only_a_warning(repo, run_check):
    result = new(repo)
    assert result.notes and "clauses" in result.notes[0]
    findings = run_check(repo).findings
    assert [(f.rule, f.severity.value) for f in findings] == [("unmapped", "warning")]
    assert "# clauses:" in (repo.root / result.path).read_text("utf-8")  # a hint for the owner


def test_refuses_to_overwrite(repo):
    repo.write("procedures/control-of-documents.md", "mine\n")
    with pytest.raises(UsageError, match="already exists"):
        new(repo)
    assert (repo.root / "procedures/control-of-documents.md").read_text() == "mine\n"


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"owner": "nobody"}, "not a key of people"),
        ({"owner": "qn"}, "Did you mean qm"),
        ({"clauses": "iso9001:7.9"}, "has no clause 7.9"),
        ({"clauses": "iso9001"}, "STANDARD:CLAUSE"),
        ({"clauses": "iso9999:1"}, "no known standard"),
        ({"clauses": "iso14001:7.5"}, "not in standards"),
        ({"doc_type": "record"}, "needs its clauses"),
        ({"doc_type": "external"}, "--source"),
        ({"doc_type": "memo"}, "unknown type"),
        ({"title": "  "}, "must not be empty"),
        ({"path": Path("elsewhere")}, "outside the document folders"),
    ],
)
def test_validates_before_writing(repo, kwargs, message):
    with pytest.raises(UsageError, match=message):
        new(repo, **kwargs)
    assert not any((repo.root / folder).exists() for folder in ("procedures", "records", "policies"))


def test_path_option_folder_and_file(repo):
    assert new(repo, path=Path("procedures/hr")).path == "procedures/hr/control-of-documents.md"
    assert new(repo, title="Other", path=Path("procedures/x.md")).path == "procedures/x.md"


def test_repository_template_overrides_builtin(repo, run_check):
    repo.write(
        "templates/procedure.md",
        "---\nclassification: confidential\nreview_interval: 24\nid: IGNORED-1\n---\n"
        "# {{ title }}\n\n## Our own heading\n",
    )
    result = new(repo, clauses="iso9001:7.5")
    data = front_matter(repo.root / result.path)
    assert data["classification"] == "confidential" and data["review_interval"] == 24
    assert data["id"] == "PRO-001"  # templates cannot set identity fields
    assert result.template == "templates/procedure.md"
    assert "## Our own heading" in (repo.root / result.path).read_text("utf-8")
    assert run_check(repo).findings == []


def test_dry_run_writes_nothing(repo):
    result = new(repo, dry_run=True)
    assert not result.written and "id: PRO-001" in result.text
    assert not (repo.root / result.path).exists()


def test_cli_prints_path_and_refuses(repo):
    runner = CliRunner()
    args = ["-C", str(repo.root), "new", "policy", "--title", "Quality policy", "--owner", "qm"]
    first = runner.invoke(main, args)
    assert first.exit_code == 0, first.output
    assert first.stdout.strip() == "policies/quality-policy.md"
    second = runner.invoke(main, args)
    assert second.exit_code == 2 and "already exists" in second.stderr


def test_new_needs_a_repository(tmp_path):
    result = CliRunner().invoke(main, ["-C", str(tmp_path), "new", "policy", "-t", "X", "-o", "qm"])
    assert result.exit_code == 2 and "isodocs init" in result.stderr


def test_id_allocator_pads_and_keeps_long_numbers():
    ids = IdAllocator(["WI-1042", "PRO-009", "POL-001", "not-an-id"])
    assert ids.next("PRO") == "PRO-010"
    assert ids.next("WI") == "WI-1043"
    assert ids.next("FRM") == "FRM-001"
    assert not ids.claim("POL-001") and ids.claim("POL-005") and ids.next("POL") == "POL-006"


@pytest.mark.parametrize(
    ("title", "slug"),
    [("Control of Documented Information", "control-of-documented-information"),
     ("Ünïcode — Pölicy!", "unicode-policy"), ("???", "document"), ("A" * 80, "a" * 60)],
)  # fmt: skip
def test_slugify(title, slug):
    assert slugify(title) == slug


def test_dump_front_matter_round_trips():
    data = {
        "title": "Yes: a title with 'quotes' and # hash",
        "id": "PRO-001",
        "version": "1.10",
        "owner": "on",
        "tags": ["true", "1.5", "plain"],
        "clauses": {"iso9001": ["7.5", "10"]},
        "retention_years": 6,
    }
    text = dump_front_matter(data)
    assert text.startswith("id: PRO-001\ntitle:")
    assert yaml.safe_load(text) == data


def test_owner_and_clauses_resolve_as_import_resolves_them(repo, run_check):
    """Issue 19, item 8: CISO names the person whose key is ciso; bare A.5.18 is ISO 27001; 2013 ids translate."""
    result = new(repo, owner="CISO", clauses="A.5.18,iso27001:A.9.2.5,ISO 9001:7.5")
    data = front_matter(repo.root / result.path)
    assert data["owner"] == "ciso"
    assert data["clauses"] == {"iso27001": ["A.5.18"], "iso9001": ["7.5"]}
    assert any("A.9.2.5 (27001:2013) -> A.5.18" in note for note in result.notes)  # not "did you mean A.8.25"
    assert new(repo, title="By name", owner="ann lee", clauses="iso9001:7.5").id == "PRO-002"
    assert run_check(repo).findings == []


@pytest.mark.parametrize(
    ("clauses", "message"),
    [("iso27001:A.09.01", "zero-padded"), ("iso27001:A.17.9", "no ISO/IEC 27001 control"),
     ("7.5", "names no standard"), ("iso27001:A.5.99", "no clause A.5.99")],
)  # fmt: skip
def test_clauses_that_map_to_nothing_are_refused(repo, clauses, message):
    with pytest.raises(UsageError, match=message):
        new(repo, clauses=clauses)


def test_external_documents_default_to_an_external_folder(repo):
    result = new(repo, doc_type="external", title="ISO 9001", source="ISO", clauses="iso9001:7.5")
    assert result.path == "policies/external/iso-9001.md"


def test_cli_says_how_a_2013_control_was_read(repo):
    args = ["-C", str(repo.root), "new", "procedure", "--title", "Access", "--owner", "CISO", "--clauses", "A.9.2.5"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert "A.9.2.5 (27001:2013) -> A.5.18 (27001:2022" in result.stderr
    assert front_matter(repo.root / "procedures/access.md")["owner"] == "ciso"


def test_a_template_symlinked_outside_the_repository_is_not_read(repo, tmp_path):
    """A template is read by the one reader: a symlink out of the repository stops `new` (exit 2), never copies."""
    outside = tmp_path / "private.md"
    outside.write_text("---\nclassification: internal\n---\n# zebraprivatemarker\n", "utf-8")
    (repo.root / "templates").mkdir()
    (repo.root / "templates/procedure.md").symlink_to(outside)
    with pytest.raises(UsageError, match="outside the repository"):
        new(repo, clauses="iso9001:7.5")
    assert not any("zebraprivatemarker" in p.read_text("utf-8") for p in repo.root.rglob("*.md") if not p.is_symlink())
