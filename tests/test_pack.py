"""``isodocs pack``: the audit pack of a git revision, read with pypdf."""

from __future__ import annotations

import builtins
import hashlib
import io
import json
import os
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from isodocs.cli import main
from isodocs.errors import UsageError
from isodocs.pack.deps import require_weasyprint
from tests.conftest import WITHHELD, RepoBuilder, approved, record, write_withheld
from tests.gitutil import commit, git, init

try:
    require_weasyprint()
    from pypdf import PdfReader
except UsageError as missing:  # pragma: no cover - CI installs both (.ci/run, the pack extra)
    if os.environ.get("CI"):
        raise  # in CI a missing Pango is a broken set-up, never a quietly skipped feature
    pytestmark = pytest.mark.skip(reason=str(missing))


def marker(kind: str) -> str:
    return f"zorb{kind}word"


def make_repo(root: Path) -> RepoBuilder:
    """A repository with two tags: v1 (PRO-001 at 1.0) and v2 (PRO-001 at 1.1, edited)."""
    repo = RepoBuilder(root)
    root.mkdir()
    repo.config(rules={"unsafe-html": "warning"})  # the body's <script> must reach the sanitiser
    repo.doc(
        "policies/quality.md",
        approved("POL-001", type="policy", title="Quality policy", clauses={"iso9001": ["4.3", "5.2"]}),
        "# Quality policy\n\n**Scope statement:** the making of quokka widgets in Leeds.\n\n"
        "## Commitment\n\nWe aim high.\n\n![logo](logo.png)\n\n![remote](http://127.0.0.1:9/x.png)\n\n"
        f"See [the draft](../procedures/{marker('draft')}.md) and "
        f'<a href="../procedures/{marker("review")}.md">the one in review</a>.\n',
    )
    repo.write("policies/logo.png", _png())
    repo.doc(
        "procedures/handling.md",
        approved("PRO-001", title="Handling of nonconformities", clauses={"iso9001": ["10.2"]}),
        "# Handling of nonconformities\n\nEvery quokkavisible finding is logged.\n\n<script>alert('x')</script>\n",
    )
    write_withheld(repo, marker)
    repo.doc(
        "records/audit.md",
        record("REC-001", title="Internal audit 2026"),
        f"# Internal audit 2026\n\nResults. See [the obsolete one](../procedures/{marker('obsolete')}.md).\n",
    )
    wide = "| " + " | ".join(f"Column{n}" for n in range(12)) + " |\n|" + "---|" * 12 + "\n"
    wide += "| " + " | ".join("Supercalifragilisticexpialidocious" for _ in range(12)) + " |\n"
    repo.doc(
        "procedures/wide.md",
        approved("WI-001", type="work-instruction", title="Wide table"),
        f"# Wide table\n\n{wide}\n```\n{'x' * 300}\n```\n\nhttps://example.org/{'a' * 200}\n",
    )
    init(root)
    commit(root, "first issue", date="2026-06-01")
    git(root, "tag", "v1")
    repo.doc(
        "procedures/handling.md",
        approved(
            "PRO-001",
            title="Handling of nonconformities",
            version="1.1",
            approved_on="2026-07-01",
            last_reviewed="2026-07-01",
            clauses={"iso9001": ["10.2"]},
        ),
        "# Handling of nonconformities\n\nEvery quokkavisible finding is logged, quokkanewer within a day.\n",
    )
    commit(root, "PRO-001 1.1: log within a day", date="2026-07-01")
    git(root, "tag", "-a", "v2", "-m", "certification stage 1")
    return repo


def _png() -> bytes:
    """A 1x1 PNG."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0\0\0\0")) + chunk(b"IEND", b"")
    )


def run(root: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["-C", str(root), "pack", *args])
    assert not isinstance(result.exception, Exception) or isinstance(result.exception, SystemExit), result.exc_info
    return result.exit_code, result.output


@pytest.fixture(scope="module")
def packed(tmp_path_factory) -> tuple[RepoBuilder, Path, str]:
    """The example repository and its pack at HEAD (v2), written once for the module."""
    base = tmp_path_factory.mktemp("pack")
    repo = make_repo(base / "repo")
    out = base / "head.zip"
    code, output = run(repo.root, "--output", str(out))
    assert code == 0, output
    return repo, out, output


def pdf_text(data: bytes) -> tuple[PdfReader, list[str]]:
    reader = PdfReader(io.BytesIO(data))
    return reader, [page.extract_text() for page in reader.pages]


def outline_titles(reader: PdfReader) -> list[str]:
    titles: list[str] = []

    def walk(items: list) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                titles.append(item.title)

    walk(reader.outline)
    return titles


def everything_in(zip_path: Path) -> dict[str, str]:
    """Every file of the pack as lower-case text; a PDF as its pages' text, bookmarks and metadata."""
    out = {}
    with zipfile.ZipFile(zip_path) as archive:
        for name in archive.namelist():
            data = archive.read(name)
            if name.endswith(".pdf"):
                reader, pages = pdf_text(data)
                meta = " ".join(str(v) for v in (reader.metadata or {}).values())
                data = "\n".join([*pages, *outline_titles(reader), meta, data.decode("latin-1")]).encode()
            out[name] = data.decode("utf-8", "replace").lower()
    return out


def test_pack_holds_the_pdfs_records_csvs_and_a_manifest_of_the_commit(packed):
    repo, out, output = packed
    head = git(repo.root, "rev-parse", "HEAD").strip()
    assert f"commit {head[:7]} (tag v2)" in output
    with zipfile.ZipFile(out) as archive:
        names = archive.namelist()
        assert names == sorted(names)
        assert set(names) == {
            "manual.pdf",
            "evidence.pdf",
            "register.csv",
            "coverage.csv",
            "soa.csv",
            "manifest.json",
            "records/records/audit.md",
        }
        manifest = json.loads(archive.read("manifest.json"))
        for name, entry in manifest["files"].items():
            assert hashlib.sha256(archive.read(name)).hexdigest() == entry["sha256"]
        assert set(manifest["files"]) == set(names) - {"manifest.json"}
        copy = archive.read("records/records/audit.md").decode()
        committed = (repo.root / "records/audit.md").read_text()
        # As committed, but the link to a withheld document is text, as on the site.
        assert copy.split("\n---\n")[0] == committed.split("\n---\n")[0] and "Results. See the obsolete one" in copy
        register = archive.read("register.csv").decode()
    assert manifest["commit"] == head and manifest["tags"] == ["v2"]
    assert manifest["committed"].startswith("2026-07-01") and manifest["isodocs_version"]
    assert manifest["classification"] == "internal" and manifest["check"]["errors"] == 0
    documents = {d["id"]: d for d in manifest["documents"]}
    assert sorted(documents) == ["POL-001", "PRO-001", "WI-001"]
    assert documents["PRO-001"]["version"] == "1.1" and documents["PRO-001"]["approved_on"] == "2026-07-01"
    assert documents["PRO-001"]["approved_by"] == [{"key": "md", "name": "Raj Patel"}]
    assert [r["id"] for r in manifest["records"]] == ["REC-001"]
    assert manifest["records"][0]["git_blob"] == git(repo.root, "rev-parse", "HEAD:records/audit.md").strip()
    assert register.splitlines()[0].startswith("id,title,type,version") and "PRO-001" in register


def test_manual_has_a_cover_contents_and_each_document_from_a_new_page_with_header_and_footer(packed):
    repo, out, _ = packed
    head = git(repo.root, "rev-parse", "HEAD").strip()
    with zipfile.ZipFile(out) as archive:
        reader, pages = pdf_text(archive.read("manual.pdf"))
    cover = pages[0]
    assert "Test Ltd" in cover and "Management system manual" in cover
    assert "the making of quokka widgets in Leeds" in cover and "POL-001 Quality policy" in cover  # the scope
    assert head in cover and "2026-07-01" in cover and "ISO 9001:2015" in cover and "v2" in cover
    labels = reader.page_labels
    assert labels[0] == "i" and "Contents" in pages[1]
    first_body = labels.index("1")
    footer = f"Controlled copy of commit {head[:7]} issued 2026-07-01; uncontrolled when printed"
    assert all(footer in text for text in pages[1:])
    assert "Document register" in pages[first_body]
    # Each document starts on the page its contents line and its bookmark give, under its own header.
    contents = pages[1]
    for doc_id, title, version in (
        ("POL-001", "Quality policy", "1.0"),
        ("PRO-001", "Handling of nonconformities", "1.1"),
    ):
        label = next(line.rsplit(" ", 1)[1] for line in contents.splitlines() if line.startswith(f"{doc_id} {title}"))
        start = labels.index(label)
        header = f"{doc_id} · {title} · version {version}"
        assert header in pages[start] and "Page 1 of" in pages[start] and f"{doc_id} {title}" in outline_titles(reader)
        assert header not in pages[start - 1]  # a new page: the one before is another part
    text = "\n".join(pages)
    assert "quokkanewer" in text and "Revision history" in text and "PRO-001 1.1: log within a day" in text
    assert "alert(" not in text  # the site's sanitiser ran over the body
    assert reader.metadata["/CreationDate"] == "D:20260701120000Z" and reader.metadata["/Title"].startswith("Test Ltd")
    assert len(reader.pages) == len(labels) == labels.index("1") + int(labels[-1])


def text_runs(page) -> list[tuple[float, float]]:  # type: ignore[no-untyped-def]
    """(start, least end) in points of each text run of a page: where its Tm puts it, plus 0.45 em per glyph.

    WeasyPrint places every run with its own Tm and writes two bytes per glyph; no glyph of
    its fonts is narrower than 0.45 em, so a run whose least end is past the page ran off it.
    """
    state = {"x": 0.0, "size": 0.0}
    runs: list[tuple[float, float]] = []

    def before(operator, operands, cm, tm):  # type: ignore[no-untyped-def]
        if operator == b"Tf":
            state["size"] = float(operands[1])
        elif operator == b"Tm":
            state["x"] = float(operands[4])
        elif operator in (b"TJ", b"Tj"):
            items = operands[0] if operator == b"TJ" else [operands[0]]
            glyphs = sum(len(item) // 2 for item in items if isinstance(item, bytes))
            start = cm[0] * state["x"] + cm[4]
            runs.append((start, start + cm[0] * glyphs * state["size"] * 0.45))

    page.extract_text(visitor_operand_before=before)
    return runs


def test_nothing_runs_off_the_page(packed):
    """A table of twelve long words, a 300-character code line and a long URL stay inside the page."""
    _, out, _ = packed
    with zipfile.ZipFile(out) as archive:
        reader = PdfReader(io.BytesIO(archive.read("manual.pdf")))
    runs = 0
    for number, page in enumerate(reader.pages, start=1):
        width = float(page.mediabox.width)
        for start, end in text_runs(page):
            assert 0 <= start and end <= width, f"page {number}: a text run from {start:.0f} to {end:.0f} pt"
            runs += 1
    assert runs > 100


def test_evidence_holds_the_matrices_the_soa_the_calendar_and_the_records(packed):
    _, out, _ = packed
    with zipfile.ZipFile(out) as archive:
        reader, pages = pdf_text(archive.read("evidence.pdf"))
    titles = outline_titles(reader)
    for title in ("Clause matrices", "ISO 9001:2015 clause matrix", "Statement of Applicability", "Review calendar"):
        assert title in titles
    assert "REC-001 Internal audit 2026" in titles
    text = "\n".join(pages)
    assert "clause matrix" in text and "Statement of Applicability" in text and "Results." in text


def test_withheld_documents_enter_no_file_of_the_pack(packed, tmp_path):
    repo, out, _ = packed
    files = everything_in(out)
    assert any("quokkavisible" in text for text in files.values())  # the extraction sees published words
    for kind in WITHHELD:
        leaks = [name for name, text in files.items() if marker(kind) in text or marker(kind) in name]
        assert leaks == [], f"{kind} document leaked into {leaks}"
    for number in range(10, 10 + len(WITHHELD)):
        assert not [name for name, text in files.items() if f"pro-{number:03d}" in text]
    # A higher level for an auditor under a confidentiality agreement lets in that level, not more.
    wider = tmp_path / "confidential.zip"
    code, output = run(repo.root, "--classification", "confidential", "--output", str(wider))
    assert code == 0, output
    files = everything_in(wider)
    assert any(marker("confidential") in text for text in files.values())
    for kind in ("draft", "review", "obsolete", "restricted"):
        assert not [name for name, text in files.items() if marker(kind) in text], kind


def test_the_same_revision_gives_the_same_bytes_with_any_number_of_workers(packed, tmp_path):
    repo, out, _ = packed
    again = tmp_path / "again.zip"
    code, output = run(repo.root, "--at", "v2", "--jobs", "1", "--output", str(again))
    assert code == 0, output
    assert again.read_bytes() == out.read_bytes()


def test_an_older_tag_is_packed_as_it_was_and_the_working_tree_is_left_alone(packed, tmp_path):
    repo, _, _ = packed
    (repo.root / "procedures/handling.md").write_text(
        (repo.root / "procedures/handling.md").read_text().replace("Every", "Uncommitted quokkadirty. Every")
    )
    status = git(repo.root, "status", "--porcelain")
    index = (repo.root / ".git/index").read_bytes()
    try:
        older = tmp_path / "v1.zip"
        code, output = run(repo.root, "--at", "v1", "--output", str(older))
        assert code == 0, output
        files = everything_in(older)
        manifest = json.loads(zipfile.ZipFile(older).read("manifest.json"))
        assert manifest["tags"] == ["v1"] and manifest["committed"].startswith("2026-06-01")
        assert {d["id"]: d["version"] for d in manifest["documents"]}["PRO-001"] == "1.0"
        assert "quokkavisible" in files["manual.pdf"] and "quokkanewer" not in files["manual.pdf"]
        assert "log within a day" not in files["manual.pdf"]  # history stops at v1
        head = tmp_path / "head.zip"
        assert run(repo.root, "--output", str(head))[0] == 0
        assert "quokkadirty" not in everything_in(head)["manual.pdf"]  # the working tree is not the revision
        assert git(repo.root, "status", "--porcelain") == status
        assert (repo.root / ".git/index").read_bytes() == index
    finally:
        git(repo.root, "checkout", "--", "procedures/handling.md")


def test_check_errors_at_the_revision_refuse_the_pack_unless_forced(tmp_path):
    repo = make_repo(tmp_path / "repo")
    repo.doc(
        "procedures/broken.md",
        approved("PRO-002", title="Broken procedure", approved_on=None),
        "# Broken\n\nText.\n",
    )
    repo.doc(
        "procedures/secret-draft.md",
        approved("PRO-030", title="Zorbbrokendraft", status="draft", owner="nobody"),
        "# Draft\n",
    )
    commit(tmp_path / "repo", "a broken procedure", date="2026-08-01")
    out = tmp_path / "pack.zip"
    code, output = run(repo.root, "--output", str(out))
    assert code == 2 and "isodocs check found" in output and "--force" in output and "Traceback" not in output
    assert "procedures/broken.md" in output and not out.exists()
    code, output = run(repo.root, "--output", str(out), "--force")
    assert code == 0, output
    files = everything_in(out)
    findings = json.loads(zipfile.ZipFile(out).read("findings.json"))
    assert any(f["path"] == "procedures/broken.md" for f in findings["findings"]) and findings["not_shown"] >= 1
    assert "findings of isodocs check" in files["evidence.pdf"] and "broken.md:6" in files["evidence.pdf"]
    assert not [name for name, text in files.items() if "zorbbrokendraft" in text or "secret-draft" in text]
    assert json.loads(zipfile.ZipFile(out).read("manifest.json"))["check"]["forced"] is True


def test_a_revision_that_names_no_commit_is_a_usage_error(packed):
    repo, _, _ = packed
    code, output = run(repo.root, "--at", "no-such-tag")
    assert code == 2 and "--at no-such-tag: no such revision" in output


def test_without_pango_the_command_says_which_package_to_install(packed, monkeypatch):
    repo, _, _ = packed
    real_import = builtins.__import__

    def no_pango(name, *args, **kwargs):  # type: ignore[no-untyped-def]
        if name == "weasyprint":
            raise OSError("cannot load library 'libpango-1.0-0': libpango-1.0-0: cannot open shared object file")
        return real_import(name, *args, **kwargs)

    monkeypatch.delitem(__import__("sys").modules, "weasyprint")
    monkeypatch.setattr(builtins, "__import__", no_pango)
    code, output = run(repo.root, "--output", str(repo.root.parent / "nopango.zip"))
    assert code == 2 and "Traceback" not in output
    assert "apt-get install libpango-1.0-0" in output and "Pango" in output


def test_verify_says_whether_a_pack_is_intact_and_which_commit_it_came_from(packed, tmp_path):
    repo, out, _ = packed
    head = git(repo.root, "rev-parse", "HEAD").strip()
    code, output = run(repo.root, "--verify", str(out))
    assert code == 0 and "is intact" in output and head in output and "tag v2" in output
    tampered = tmp_path / "tampered.zip"
    with zipfile.ZipFile(out) as source, zipfile.ZipFile(tampered, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            target.writestr(
                item, data.replace(b"Results.", b"Changed.") if item.filename.endswith("audit.md") else data
            )
        target.writestr("extra.txt", "added later")
    code, output = run(repo.root, "--verify", str(tampered))
    assert code == 1 and "NOT intact" in output
    assert "records/records/audit.md: changed" in output and "extra.txt: not in the manifest" in output
    (tmp_path / "not.zip").write_text("hello")
    code, output = run(repo.root, "--verify", str(tmp_path / "not.zip"))
    assert code == 2 and "not a zip file" in output


def test_the_fetcher_loads_only_the_allowed_files(tmp_path):
    from isodocs.pack import pdf
    from isodocs.pack.html import base_url

    (tmp_path / "policies").mkdir()
    for name in ("a.png", "b.png"):
        (tmp_path / "policies" / name).write_bytes(_png())
    pdf._init_worker(tmp_path, {"policies/a.png": str(tmp_path / "policies/a.png")})
    fetcher = pdf._fetcher_class()()
    assert fetcher.fetch(base_url("policies") + "a.png").read() == _png()
    assert fetcher.fetch(base_url("procedures") + "../policies/a.png").read() == _png()
    refused = [
        base_url("policies") + "b.png",
        base_url("") + "../../etc/passwd",
        (tmp_path / "policies/a.png").as_uri(),
    ]
    for url in [*refused, "http://127.0.0.1:9/x.png", "file:///etc/passwd", "data:text/plain,x"]:
        with pytest.raises(ValueError):
            fetcher.fetch(url)


def test_usage_errors_exit_2_before_any_work(tmp_path, packed):
    repo, _, _ = packed
    code, output = run(repo.root, "--output", str(tmp_path / "no-such-folder" / "pack.zip"))
    assert code == 2 and "does not exist" in output
    code, output = run(repo.root, "--output", str(tmp_path))
    assert code == 2 and "is a directory" in output
    plain = RepoBuilder(tmp_path / "plain")
    plain.root.mkdir()
    plain.config()
    code, output = run(plain.root)
    assert code == 2 and "not in a git repository" in output and "Traceback" not in output


def test_audits_and_nonconformities_are_records_with_the_programme_and_register_in_the_evidence(tmp_path):
    from tests.test_rules import AUD, BASE, NC

    repo = RepoBuilder(tmp_path / "cycle")
    repo.root.mkdir()
    repo.config()
    repo.write("procedures/doc.md", f"---\n{BASE}---\n# Document control\n\nBody.\n")
    repo.write("records/audits/a1.md", f"---\n{AUD}---\n# Audit of document control\n\nThe audit's report.\n")
    repo.write("records/ncs/nc1.md", f"---\n{NC}---\n# Torque driver\n\nThe analysis.\n")
    init(repo.root)
    commit(repo.root, "cycle", date="2026-11-27")
    out = tmp_path / "cycle.zip"
    code, output = run(repo.root, "--output", str(out))
    assert code == 0, output
    with zipfile.ZipFile(out) as archive:
        manifest = json.loads(archive.read("manifest.json"))
        evidence, _pages = pdf_text(archive.read("evidence.pdf"))
        manual, _ = pdf_text(archive.read("manual.pdf"))
    assert [d["id"] for d in manifest["documents"]] == ["PRO-001"]
    assert sorted(r["id"] for r in manifest["records"]) == ["AUD-001", "NC-001"]
    titles = outline_titles(evidence)
    for title in ("Improvement", "Audit programme", "Nonconformity register", "Open actions", "Audits",
                  "Nonconformities"):  # fmt: skip
        assert title in titles, titles
    assert not any(title.startswith(("AUD-", "NC-")) for title in outline_titles(manual))


def test_evidence_holds_the_training_matrix_when_documents_name_an_audience(tmp_path):
    repo = RepoBuilder(tmp_path / "training")
    repo.root.mkdir()
    repo.config()
    repo.doc("policies/security.md", approved("POL-001", type="policy", title="Security", audience=["everyone"]))
    repo.doc(
        "records/training/ack.md",
        {
            "id": "TRN-001", "title": "Read and understood", "type": "training", "date": "2026-06-02",
            "method": "read-and-understood", "attendees": ["qm"], "documents": {"POL-001": "1.0"}, "owner": "qm",
            "clauses": {"iso9001": ["7.2"]},
        },
    )  # fmt: skip
    init(repo.root)
    commit(repo.root, "policy and acknowledgement", date="2026-06-02")
    out = tmp_path / "pack.zip"
    code, output = run(repo.root, "--output", str(out), "--force")
    assert code == 0, output
    with zipfile.ZipFile(out) as archive:
        reader, pages = pdf_text(archive.read("evidence.pdf"))
    assert "Training matrix" in outline_titles(reader)
    text = "\n".join(pages)
    assert "Training and awareness" in text and "1 of 3 (33%)" in text
