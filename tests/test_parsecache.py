"""The cache: repeated runs reuse parsed front matter and findings, and never a stale or forged result."""

from __future__ import annotations

import datetime as dt
import marshal
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from isodocs.app.load import load_system
from isodocs.readers.known_files import TYPED_FIELDS
from isodocs.readers.parsecache import CACHE_DIR, CACHE_FILE, FileRecord, KnownFile, ParseCache
from tests.conftest import TODAY, approved

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


@pytest.fixture
def git_repo(repo):
    """The ``repo`` fixture inside a git work tree (the cache's signing key lives in .git)."""
    subprocess.run(["git", "init", "-q", str(repo.root)], check=True)
    return repo


def rules(result) -> list[tuple[str, str, int]]:
    return [(f.rule, f.path, f.line) for f in result.findings]


def test_second_run_builds_every_unchanged_document_from_its_record(git_repo, run_check, files_are_old, monkeypatch):
    git_repo.doc("procedures/a.md", approved("PRO-001"))
    git_repo.doc("procedures/b.md", approved("PRO-002", owner="nobody"))
    first = run_check(git_repo)
    assert (git_repo.root / CACHE_DIR / CACHE_FILE).is_file()

    opened: list[ParseCache] = []
    original = ParseCache.open

    def spy(root: Path) -> ParseCache | None:
        cache = original(root)
        opened.append(cache)
        return cache

    monkeypatch.setattr(ParseCache, "open", spy)
    second = run_check(git_repo)
    assert rules(second) == rules(first)
    assert ("unknown-owner", "procedures/b.md", 7) in rules(second)
    assert opened[0].file_hits == 2


def test_an_edit_with_the_same_size_and_mtime_is_seen(git_repo, run_check):
    path = git_repo.doc("procedures/a.md", approved("PRO-001", owner="qm"))
    assert "unknown-owner" not in [r for r, _, _ in rules(run_check(git_repo))]
    stat = path.stat()
    text = path.read_text("utf-8")
    path.write_text(text.replace("owner: qm", "owner: xx"), "utf-8")  # same length
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert path.stat().st_size == stat.st_size and path.stat().st_mtime_ns == stat.st_mtime_ns
    assert ("unknown-owner", "procedures/a.md", 7) in rules(run_check(git_repo))


def test_a_cache_file_not_signed_by_this_clone_is_ignored(git_repo, run_check):
    """A committed or copied cache cannot make a broken document look valid."""
    git_repo.doc("procedures/a.md", approved("PRO-001", owner="xx"))
    run_check(git_repo)
    cache_file = git_repo.root / CACHE_DIR / CACHE_FILE
    header, signature, payload = cache_file.read_bytes().split(b"\n", 2)
    tables = marshal.loads(payload)
    owner = len(FileRecord._fields) - len(KnownFile._fields) + KnownFile._fields.index("typed")
    for row in tables["files"].values():
        row[owner][TYPED_FIELDS.index("owner")] = "qm"  # the forged result: a valid owner ...
    for entry in tables["documents"].values():
        entry[0] = []  # ... and no findings
    forged = marshal.dumps(tables)
    cache_file.write_bytes(header + b"\n" + signature + b"\n" + forged)
    assert ("unknown-owner", "procedures/a.md", 7) in rules(run_check(git_repo))
    # The control: signed with this clone's key, the same entries are served (the signature is what protects).
    cache = ParseCache(git_repo.root)
    cache_file.write_bytes(header + b"\n" + cache._sign(forged).encode() + b"\n" + forged)
    assert "unknown-owner" not in [rule for rule, _, _ in rules(run_check(git_repo))]


def test_a_cache_file_of_another_format_is_ignored(git_repo, run_check, files_are_old):
    git_repo.doc("procedures/a.md", approved("PRO-001", owner="xx"))
    run_check(git_repo)
    cache_file = git_repo.root / CACHE_DIR / CACHE_FILE
    cache_file.write_bytes(b"isodocs-parse-cache 1 python 2.7\n" + cache_file.read_bytes().split(b"\n", 1)[1])
    assert ParseCache(git_repo.root).files == {}
    assert ("unknown-owner", "procedures/a.md", 7) in rules(run_check(git_repo))
    assert ParseCache(git_repo.root).files  # rewritten in this version's format


def test_the_cache_ignores_itself_in_git(git_repo, run_check):
    git_repo.doc("procedures/a.md", approved("PRO-001"))
    run_check(git_repo)
    status = subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=all"], cwd=git_repo.root, capture_output=True, text=True
    ).stdout
    assert CACHE_DIR not in status
    assert "procedures/a.md" in status


def test_no_cache_when_switched_off(git_repo, run_check, monkeypatch):
    monkeypatch.setenv("ISODOCS_NO_CACHE", "1")
    git_repo.doc("procedures/a.md", approved("PRO-001"))
    run_check(git_repo)
    assert not (git_repo.root / CACHE_DIR).exists()


def test_no_cache_outside_git(repo, run_check):
    repo.doc("procedures/a.md", approved("PRO-001"))
    run_check(repo)
    assert not (repo.root / CACHE_DIR).exists()


def test_front_matter_outside_the_subset_is_kept_as_yaml_gives_it(git_repo, files_are_old, monkeypatch):
    """Front matter the subset reader does not take is kept: a set, a key that is no string come back as
    YAML gives them, with the key lines, and no file is read for them."""
    git_repo.doc("procedures/a.md", "id: PRO-001\ntitle: T\ntype: procedure\ntags: !!set {a, b}\n1: x\n")
    system, _ = load_system(git_repo.root, TODAY)
    again, _ = load_system(git_repo.root, TODAY)
    doc = again.documents[0]
    assert not doc.front_read and not doc.body_read  # built from the record
    read = reads(monkeypatch)
    assert again.with_front(doc).data == system.documents[0].data
    assert isinstance(doc.data["tags"], set) and read == [] and not doc.body_read
    assert doc.line("tags") == 5 and doc.raw_scalars == system.documents[0].raw_scalars


def test_front_matter_in_the_subset_is_read_again_from_the_file(git_repo, files_are_old, monkeypatch):
    """The usual front matter is not kept (parsing it again costs less): one read of the file, checked against
    the record, gives front matter and body; an edit meanwhile is refused, not served."""
    from isodocs.errors import UsageError

    git_repo.write("procedures/a.md", "---\nid: PRO-001\ntitle: T\ntype: procedure\nrelated: [PRO-002]\n---\n# A\n")
    system, _ = load_system(git_repo.root, TODAY)
    assert ParseCache(git_repo.root).front == {}
    again, _ = load_system(git_repo.root, TODAY)
    doc = again.documents[0]
    read = reads(monkeypatch)
    assert again.with_front(doc).data == system.documents[0].data and doc.line("related", 0) == 5
    assert read == ["procedures/a.md"] and doc.body_read and doc.body == "# A\n"  # one read gave both
    third, _ = load_system(git_repo.root, TODAY)
    git_repo.write("procedures/a.md", "---\nid: PRO-001\ntitle: U\ntype: procedure\nrelated: [PRO-002]\n---\n# A\n")
    with pytest.raises(UsageError, match="changed while isodocs was reading"):
        third.with_front(third.documents[0])


def test_entries_of_files_gone_are_dropped(git_repo, run_check, files_are_old):
    git_repo.doc("procedures/a.md", approved("PRO-001"))
    path = git_repo.doc("procedures/b.md", approved("PRO-002"))
    run_check(git_repo)
    assert len(ParseCache(git_repo.root).files) == 2
    path.unlink()
    run_check(git_repo)
    assert len(ParseCache(git_repo.root).files) == 1


# -- the documents table: findings of per-document rules ------------------------------------------


def findings_json(result) -> list[dict]:
    return [f.as_dict() for f in result.findings]


def test_second_run_takes_per_document_findings_from_the_cache(git_repo, run_check, monkeypatch):
    git_repo.doc("procedures/a.md", approved("PRO-001", owner="nobody"), "See [b](b.md) and [gone](gone.md).\n")
    git_repo.doc("procedures/b.md", approved("PRO-002", related=["PRO-001", "PRO-404"]))
    first = run_check(git_repo)
    assert {f.rule for f in first.findings} == {"unknown-owner", "broken-link", "broken-reference"}

    from isodocs.rules import run as rules_run

    called: list[str] = []
    apply = rules_run._apply

    def spy(checks, doc, argument, system):
        called.extend(rule.slug for rule, _check in checks)
        return apply(checks, doc, argument, system)

    monkeypatch.setattr(rules_run, "_apply", spy)
    second = run_check(git_repo)
    assert findings_json(second) == findings_json(first)
    assert "unknown-owner" not in called  # taken from the cache ...
    assert "broken-link" in called and "broken-reference" in called  # ... cross-document rules always run


def test_cached_findings_follow_the_configuration(git_repo, run_check):
    git_repo.doc("procedures/a.md", approved("PRO-001", owner="qm"))
    assert not run_check(git_repo).findings
    config = git_repo.root / "isodocs.yml"
    config.write_text(config.read_text("utf-8").replace("  qm:", "  qm2:", 1), "utf-8")
    assert "unknown-owner" in [rule for rule, _, _ in rules(run_check(git_repo))]


def test_cached_findings_follow_the_date(git_repo, run_check):
    git_repo.doc("procedures/a.md", approved("PRO-001", last_reviewed="2026-01-15", review_interval=12))
    assert not run_check(git_repo).findings
    later = run_check(git_repo, today=TODAY.replace(year=TODAY.year + 1))
    assert "review-overdue" in [rule for rule, _, _ in rules(later)]


def test_cached_findings_follow_isodocs_own_code(git_repo, run_check, monkeypatch):
    """An edited rule (here: a changed code fingerprint) must not be served the old findings."""
    from isodocs.readers import parsecache
    from isodocs.rules import run as rules_run

    git_repo.doc("procedures/a.md", approved("PRO-001", owner="nobody"))
    run_check(git_repo)
    called: list[str] = []
    original = rules_run._apply
    monkeypatch.setattr(
        rules_run, "_apply", lambda r, d, c, s: called.extend(x.slug for x, _ in r) or original(r, d, c, s)
    )
    monkeypatch.setattr(parsecache, "code_fingerprint", lambda: "another version of isodocs")
    assert "unknown-owner" in [rule for rule, _, _ in rules(run_check(git_repo))]
    assert "unknown-owner" in called


def test_cross_document_findings_appear_on_unchanged_documents(git_repo, run_check):
    """A cached document still gets the findings another file's change causes."""
    git_repo.doc("procedures/a.md", approved("PRO-001", related=["PRO-002"]), "See [b](b.md).\n")
    path = git_repo.doc("procedures/b.md", approved("PRO-002"))
    assert not run_check(git_repo).findings
    path.unlink()
    found = {(rule, where) for rule, where, _ in rules(run_check(git_repo))}
    assert found == {("broken-reference", "procedures/a.md"), ("broken-link", "procedures/a.md")}


def test_a_run_without_rules_keeps_the_cached_findings(git_repo, run_check):
    git_repo.doc("procedures/a.md", approved("PRO-001"))
    run_check(git_repo)
    assert len(ParseCache(git_repo.root).documents) == 1
    load_system(git_repo.root, TODAY)  # what coverage, soa and reviews do
    assert len(ParseCache(git_repo.root).documents) == 1


def test_the_document_context_is_the_same_in_every_process(git_repo, run_check):
    """Hash order of sets differs between processes; the context hash must not."""
    import sys

    git_repo.doc("procedures/a.md", approved("PRO-001"))
    script = (
        "import sys; from pathlib import Path; from isodocs.app.load import load_system; "
        "from isodocs.rules.run import document_context; from isodocs.rules.registry import DocumentContext; "
        "import datetime as dt; "
        "print(document_context(DocumentContext.of(load_system(Path(sys.argv[1]), dt.date(2026, 11, 27))[0])))"
    )
    contexts = {
        subprocess.run(
            [sys.executable, "-c", script, str(git_repo.root)],
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "PYTHONHASHSEED": str(seed)},
        ).stdout
        for seed in range(6)
    }
    assert len(contexts) == 1


# -- the files table: unchanged files are not read again -----------------------------------------


@pytest.fixture
def files_are_old(monkeypatch):
    """Run as if a minute had passed since the test wrote its files: they are no longer racy."""
    from isodocs.readers import parsecache

    real = parsecache._now_ns
    monkeypatch.setattr(parsecache, "_now_ns", lambda: real() + 60 * 1_000_000_000)


def reads(monkeypatch) -> list[str]:
    """The relative paths the loader reads from now on."""
    from isodocs.readers import documents, known_files

    read: list[str] = []
    original = documents.read_text

    def spy(path, rel, max_bytes, *args, **kwargs):
        read.append(rel)
        return original(path, rel, max_bytes, *args, **kwargs)

    def spy_discovered(root, path, rel, max_bytes):
        read.append(rel)
        return original_discovered(root, path, rel, max_bytes)

    original_discovered = documents.read_discovered_text
    monkeypatch.setattr(documents, "read_text", spy)  # a file parsed in full
    monkeypatch.setattr(documents, "read_discovered_text", spy_discovered)  # (a file discover found)
    monkeypatch.setattr(known_files, "read_text", spy)  # the body of a document from the record
    return read


def test_unchanged_files_are_not_read_again(git_repo, run_check, files_are_old, monkeypatch):
    git_repo.doc("procedures/a.md", approved("PRO-001", owner="nobody"), "See [b](b.md) and [gone](gone.md).\n")
    git_repo.doc("procedures/b.md", approved("PRO-002", related=["PRO-001", "PRO-404"]))
    git_repo.doc("procedures/c.md", approved("PRO-003"))
    first = run_check(git_repo)
    assert {f.rule for f in first.findings} == {"unknown-owner", "broken-link", "broken-reference"}

    read = reads(monkeypatch)
    second = run_check(git_repo)
    assert read == []  # (front matter written by yaml.safe_dump, block lists: kept by the cache)
    assert findings_json(second) == findings_json(first)  # lines of cross-document findings too

    git_repo.doc("procedures/c.md", approved("PRO-003", owner="xx"))
    third = run_check(git_repo)
    assert read == ["procedures/c.md"]
    assert ("unknown-owner", "procedures/c.md", 7) in rules(third)


def test_a_document_from_the_record_equals_the_parsed_one(git_repo, files_are_old):
    """Everything of a document built from the record, deferred attributes included, is as parsed."""
    git_repo.doc(
        "procedures/a.md",
        approved("PRO-001", related=["PRO-002"], next_review="2027-01-31", clauses={"iso9001": ["7.5", "8.1"]}),
        "# A\n\nSee [b](b.md).\n",
    )
    git_repo.doc("records/r.md", "id: REC-001\ntype: record\ndate: 2026-02-30\nowner: qm\nowner: md\n")
    parsed, parsed_problems = load_system(git_repo.root, TODAY)
    again, again_problems = load_system(git_repo.root, TODAY)
    assert not any(doc.front_read or doc.body_read for doc in again.documents)  # both came from the record
    for doc in again.documents:
        assert again.complete(doc) is doc  # the loader's explicit call reads what the file holds as written
    assert again.documents == parsed.documents  # every field, data, lines, body and abspath included
    assert again_problems == parsed_problems  # the impossible date and the duplicate key
    assert {p.rule for p in again_problems} == {"schema", "duplicate-key"}


def test_a_document_from_the_record_is_plain_data(git_repo, files_are_old, monkeypatch):
    """Attribute access reads nothing: repr() of a cached document reads no file and cannot raise UsageError."""
    from isodocs.model import DocumentNotRead

    git_repo.doc("procedures/a.md", approved("PRO-001"), "# A\n")
    load_system(git_repo.root, TODAY)
    again, _ = load_system(git_repo.root, TODAY)
    (doc,) = again.documents
    read = reads(monkeypatch)
    (git_repo.root / "procedures/a.md").unlink()  # were anything read on access, it would fail now
    assert "PRO-001" in repr(doc) and doc.data == {}
    with pytest.raises(DocumentNotRead):
        doc.line("id")  # a forgotten with_front() is a loud error, never a silent line 1
    with pytest.raises(DocumentNotRead):
        doc.body  # noqa: B018  (a forgotten complete() is a loud error, never an empty body)
    assert again.with_front(doc).line("id") == 2 and doc.data["id"] == "PRO-001"  # kept: no read
    assert read == [] and not doc.body_read


def test_an_edit_that_keeps_size_and_mtime_is_seen_by_its_ctime(git_repo, run_check, files_are_old):
    """The issue's test, on the files table: same size, mtime set back; the ctime still moves."""
    import time

    path = git_repo.doc("procedures/a.md", approved("PRO-001", owner="qm"))
    assert not run_check(git_repo).findings
    assert "procedures/a.md" in ParseCache(git_repo.root).files
    before = path.stat()
    time.sleep(0.05)  # past the file system clock's tick
    path.write_text(path.read_text("utf-8").replace("owner: qm", "owner: xx"), "utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    after = path.stat()
    assert (after.st_size, after.st_mtime_ns, after.st_ino) == (before.st_size, before.st_mtime_ns, before.st_ino)
    assert after.st_ctime_ns != before.st_ctime_ns
    assert ("unknown-owner", "procedures/a.md", 7) in rules(run_check(git_repo))


def test_a_file_changed_just_before_the_run_is_not_recorded(git_repo, run_check, monkeypatch):
    """A second write within the same tick could keep size, mtime and ctime: such files are read every time."""
    git_repo.doc("procedures/a.md", approved("PRO-001"))
    run_check(git_repo)
    assert ParseCache(git_repo.root).files == {}
    read = reads(monkeypatch)
    run_check(git_repo)
    assert read == ["procedures/a.md"]


def test_the_typed_view_follows_the_configuration(git_repo, files_are_old):
    """next_review comes from the configured interval: a record made under another is not served."""
    git_repo.doc("procedures/a.md", approved("PRO-001", last_reviewed="2026-06-01"))
    system, _ = load_system(git_repo.root, TODAY)
    assert system.documents[0].next_review == dt.date(2027, 6, 1)
    git_repo.config(review={"interval_months": 6, "max_interval_months": 36, "warn_days": 30})
    system, _ = load_system(git_repo.root, TODAY)
    assert "_load" not in system.documents[0].__dict__
    assert system.documents[0].next_review == dt.date(2026, 12, 1)


def test_a_body_that_changed_after_the_file_was_looked_at_is_refused(git_repo, files_are_old):
    from isodocs.errors import UsageError

    path = git_repo.doc("procedures/a.md", approved("PRO-001"), "# Old\n")
    load_system(git_repo.root, TODAY)
    system, _ = load_system(git_repo.root, TODAY)
    path.write_text(path.read_text("utf-8").replace("# Old", "# New"), "utf-8")
    with pytest.raises(UsageError, match=r"procedures/a\.md changed while isodocs was reading"):
        system.complete(system.documents[0])  # the explicit read checks the text is the one recorded


def test_symlinked_documents_are_never_recorded(git_repo, run_check, files_are_old):
    git_repo.doc("procedures/a.md", approved("PRO-001"))
    (git_repo.root / "procedures" / "b.md").symlink_to("a.md")
    run_check(git_repo)
    assert list(ParseCache(git_repo.root).files) == ["procedures/a.md"]


def test_the_status_recorded_is_the_one_of_the_file_read(git_repo, run_check, files_are_old, monkeypatch):
    """A file the cache has no row for is read with one fstat, whose status is recorded (no lstat before);
    a file it has a row for is compared by lstat before anything is read."""
    path = git_repo.doc("procedures/a.md", approved("PRO-001"))
    looked: list[str] = []
    real_lstat = os.lstat

    def spy(name, *args, **kwargs):
        looked.append(os.fspath(name))
        return real_lstat(name, *args, **kwargs)

    monkeypatch.setattr(os, "lstat", spy)
    run_check(git_repo)
    assert str(path) not in looked
    info = real_lstat(path)
    (row,) = ParseCache(git_repo.root).files.values()
    assert row[:4] == [info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino]
    run_check(git_repo)
    assert str(path) in looked


def test_no_status_is_trusted_where_ctime_is_no_change_time(git_repo, run_check, files_are_old, monkeypatch):
    """On Windows st_ctime is the creation time: an edit keeping size and mtime would go unseen."""
    from isodocs.readers import parsecache

    monkeypatch.setattr(parsecache, "STATUS_TRUSTED", False)
    git_repo.doc("procedures/a.md", approved("PRO-001"))
    run_check(git_repo)
    assert ParseCache(git_repo.root).files == {}


def test_a_run_that_redid_only_a_few_documents_leaves_the_file_alone(git_repo, run_check, files_are_old, monkeypatch):
    """Rewriting megabytes costs more than redoing a few documents in the next run."""
    from isodocs.readers import parsecache

    monkeypatch.setattr(parsecache, "REWRITE_RATIO", 3)
    for number in range(1, 11):
        git_repo.doc(f"procedures/p{number}.md", approved(f"PRO-{number:03}"))
    run_check(git_repo)
    cache_file = git_repo.root / CACHE_DIR / CACHE_FILE
    written = cache_file.read_bytes()

    git_repo.doc("procedures/p1.md", approved("PRO-001", owner="xx"))  # 1 of 10: a few entries
    assert ("unknown-owner", "procedures/p1.md", 7) in rules(run_check(git_repo))
    assert cache_file.read_bytes() == written
    read = reads(monkeypatch)
    assert ("unknown-owner", "procedures/p1.md", 7) in rules(run_check(git_repo))  # redone, not stale
    assert read == ["procedures/p1.md"]

    for number in range(2, 8):  # most of them: worth writing
        git_repo.doc(f"procedures/p{number}.md", approved(f"PRO-{number:03}", owner="md"))
    run_check(git_repo)
    assert cache_file.read_bytes() != written


def test_the_code_fingerprint_covers_every_layer_a_cached_rule_runs():
    """A per-document rule's cached findings must not outlive an edit to the code it calls."""
    import isodocs.rules.registry as registry
    from isodocs.readers import parsecache
    from isodocs.rules import REGISTRY

    fingerprint = parsecache.code_fingerprint()
    cached = [rule for rule in REGISTRY.values() if isinstance(rule, registry.DocumentRule)]
    modules = {rule.check.__module__ for rule in cached}
    imported = set()
    for name in modules:
        module = __import__(name, fromlist=["_"])
        imported |= {
            value.__module__
            for value in vars(module).values()
            if callable(value) and getattr(value, "__module__", "").startswith("isodocs.")
        }
    for name in modules | imported:
        layer = name.split(".")[1]
        assert f"{layer}/" in fingerprint or name.count(".") == 1, f"{name}: its layer is not in code_fingerprint"
