"""`isodocs build`, `serve` and `publish` with the real engines."""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest
from click.testing import CliRunner

from isodocs.cli import main
from isodocs.errors import UsageError
from isodocs.site import build as build_module
from isodocs.site.build import BuildOptions, CheckFailed, build_site
from tests.conftest import TODAY, WITHHELD, RepoBuilder, approved, record, write_withheld


def marker(kind: str) -> str:
    return f"xylo{kind}marker"


def leaky_repo(repo: RepoBuilder) -> RepoBuilder:
    """Published documents that link to withheld ones carrying marker words."""
    write_withheld(repo, marker)
    links = [f"- [{kind} document]({marker(kind)}.md)" for kind in WITHHELD]
    related = [f"PRO-{n:03d}" for n in range(10, 10 + len(WITHHELD))]
    repo.doc(
        "procedures/visible.md",
        approved("PRO-001", title="Handling of nonconformities", related=related, clauses={"iso9001": ["10.2"]}),
        "# Handling of nonconformities\n\nEvery quokkavisible finding is logged.\n\n" + "\n".join(links) + "\n",
    )
    repo.doc("policies/quality.md", approved("POL-001", type="policy", title="Quality policy"), "We aim high.\n")
    repo.doc("records/audit.md", record("REC-001", title="Internal audit 2026"), "Results.\n")
    return repo


def site_files(site: Path) -> dict[str, str]:
    """Every file of the built site as text (gzip files decompressed)."""
    out = {}
    for path in site.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            if path.suffix == ".gz":
                data = gzip.decompress(data)
            out[path.relative_to(site).as_posix()] = data.decode("utf-8", "replace").lower()
    return out


def tree_digest(root: Path, exclude: str) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in root.rglob("*")
        if p.is_file() and not p.relative_to(root).as_posix().startswith(exclude)
    }


@pytest.mark.parametrize("engine", ["mkdocs", "zensical"])
def test_withheld_documents_leak_into_no_output_file(repo, engine):
    leaky_repo(repo)
    before = tree_digest(repo.root, "site")
    result = build_site(BuildOptions(root=repo.root, engine=engine, today=TODAY))
    files = site_files(result.site_dir)
    assert result.published == 3 and result.withheld == len(WITHHELD)
    assert any("quokkavisible" in text for text in files.values())  # the search can see published words
    search = [name for name in files if name.endswith(("search_index.json", "search.json"))]
    assert search and "quokkavisible" in files[search[0]]
    for kind in WITHHELD:
        leaks = [name for name, text in files.items() if marker(kind) in text or marker(kind) in name]
        assert leaks == [], f"{kind} document leaked into {leaks}"
    page = next(text for name, text in files.items() if name.startswith("procedures/visible"))
    assert page.count("(not published)") >= 2 * len(WITHHELD)  # the body links and the related ids
    assert tree_digest(repo.root, "site") == before  # no source file was touched


def test_build_fails_on_check_errors_unless_forced(repo):
    repo.doc("procedures/a.md", approved("PRO-001", owner="nobody"))
    result = CliRunner().invoke(main, ["-C", str(repo.root), "build", "--today", "2026-11-27"])
    assert result.exit_code == 1
    assert "unknown-owner" in result.output and "--force" in result.output
    assert not (repo.root / "site").exists()
    forced = CliRunner().invoke(main, ["-C", str(repo.root), "build", "--force", "--today", "2026-11-27"])
    assert forced.exit_code == 0, forced.output
    assert (repo.root / "site" / "index.html").is_file()


def test_a_failed_build_leaves_the_previous_site(repo, monkeypatch):
    repo.doc("procedures/a.md", approved("PRO-001"), "First edition.\n")
    site = repo.root / "out"
    build_site(BuildOptions(root=repo.root, site_dir=site, today=TODAY))
    assert "First edition" in (site / "procedures/a/index.html").read_text()

    def broken_engine(*args, **kwargs):
        raise UsageError("mkdocs build failed (exit 1)")

    monkeypatch.setattr(build_module, "run_engine", broken_engine)
    with pytest.raises(UsageError):
        build_site(BuildOptions(root=repo.root, site_dir=site, today=TODAY))
    assert "First edition" in (site / "procedures/a/index.html").read_text()
    assert sorted(p.name for p in repo.root.iterdir() if p.name.startswith(".")) == []  # no temp left


@pytest.mark.parametrize("where", [".", "procedures", "procedures/sub"])
def test_site_dir_may_not_replace_the_repository_or_its_documents(repo, where):
    repo.doc("procedures/a.md", approved("PRO-001"))
    with pytest.raises(UsageError, match="site-dir"):
        build_site(BuildOptions(root=repo.root, site_dir=repo.root / where, today=TODAY))


def test_site_dir_holding_other_files_is_not_replaced(repo):
    repo.doc("procedures/a.md", approved("PRO-001"))
    repo.write("notes/keep.txt", "mine")
    with pytest.raises(UsageError, match="does not hold a built site"):
        build_site(BuildOptions(root=repo.root, site_dir=repo.root / "notes", today=TODAY))
    assert (repo.root / "notes/keep.txt").read_text() == "mine"


def test_a_check_failure_names_the_errors(repo):
    repo.doc("procedures/a.md", approved("PRO-001", status="approved", approved_on=None))
    with pytest.raises(CheckFailed, match="1 error"):
        build_site(BuildOptions(root=repo.root, today=TODAY))


def git(root: Path, *args: str) -> str:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "T",
        "GIT_AUTHOR_EMAIL": "t@example.org",
        "GIT_COMMITTER_NAME": "T",
        "GIT_COMMITTER_EMAIL": "t@example.org",
    }
    return subprocess.run(["git", *args], cwd=root, env=env, check=True, capture_output=True, text=True).stdout


def test_publish_two_versions_with_mike(repo, monkeypatch):
    for name, value in {
        "GIT_AUTHOR_NAME": "T",
        "GIT_AUTHOR_EMAIL": "t@example.org",
        "GIT_COMMITTER_NAME": "T",
        "GIT_COMMITTER_EMAIL": "t@example.org",
    }.items():
        monkeypatch.setenv(name, value)
    repo.doc("procedures/a.md", approved("PRO-001"), "Edition one text.\n")
    git(repo.root, "init", "-q", "-b", "main")
    git(repo.root, "add", "-A")
    git(repo.root, "commit", "-qm", "first")
    runner = CliRunner()
    first = runner.invoke(main, ["-C", str(repo.root), "publish", "1.0", "--alias", "latest"])
    assert first.exit_code == 0, first.output
    repo.doc("procedures/a.md", approved("PRO-001"), "Edition two text.\n")
    second = runner.invoke(main, ["-C", str(repo.root), "publish", "2.0", "--alias", "latest"])
    assert second.exit_code == 0, second.output
    versions = json.loads(git(repo.root, "show", "gh-pages:versions.json"))
    assert [v["version"] for v in versions] == ["2.0", "1.0"]
    assert versions[0]["aliases"] == ["latest"] and versions[1]["aliases"] == []
    assert "url=../2.0/" in git(repo.root, "show", "gh-pages:latest/index.html")
    assert "Edition one text" in git(repo.root, "show", "gh-pages:1.0/procedures/a/index.html")
    assert "Edition two text" in git(repo.root, "show", "gh-pages:2.0/procedures/a/index.html")
    assert "latest/" in git(repo.root, "show", "gh-pages:index.html")
    assert git(repo.root, "status", "--porcelain") == " M procedures/a.md\n"  # only our edit: nothing else written


def test_publish_outside_git_is_a_usage_error(repo):
    repo.doc("procedures/a.md", approved("PRO-001"))
    result = CliRunner().invoke(main, ["-C", str(repo.root), "publish", "1.0"])
    assert result.exit_code == 2 and "not a Git repository" in result.output


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as response:  # loopback only
        return response.read().decode()


def wait_for(predicate, seconds: float = 60) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if predicate():
                return True
        except OSError:
            pass
        time.sleep(0.5)
    return False


def test_serve_re_renders_when_a_document_changes(repo):
    from isodocs.site.serve import ServeOptions, serve

    repo.doc("procedures/a.md", approved("PRO-001"), "Original wording.\n")
    port = free_port()
    stop = threading.Event()
    said: list[str] = []
    thread = threading.Thread(
        target=serve,
        args=(ServeOptions(root=repo.root, address=f"127.0.0.1:{port}", poll_seconds=0.3), said.append, stop.is_set),
        daemon=True,
    )
    thread.start()
    url = f"http://127.0.0.1:{port}/procedures/a/"
    try:
        assert wait_for(lambda: "Original wording" in fetch(url)), said
        repo.doc("procedures/a.md", approved("PRO-001"), "Changed wording.\n")
        assert wait_for(lambda: "Changed wording" in fetch(url)), said
    finally:
        stop.set()
        thread.join(timeout=20)
    assert any("re-rendered" in line for line in said)


def _build_command(root: Path) -> list[str]:
    return [sys.executable, "-m", "isodocs", "-C", str(root), "build", "--today", TODAY.isoformat()]


def _complete_site(site: Path) -> bool:
    return all((site / name).is_file() for name in ("index.html", "sitemap.xml", "search/search_index.json"))


def test_an_interrupted_build_leaves_the_previous_site_intact(repo):
    leaky_repo(repo)
    first = build_site(BuildOptions(root=repo.root, today=TODAY))
    before = tree_digest(first.site_dir, "-")
    # Add a page, start a second build and kill it while the engine runs.
    repo.doc("procedures/extra.md", approved("PRO-002", title="Extra procedure"))
    process = subprocess.Popen(_build_command(repo.root), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not list(repo.root.glob(".site.build-*/staging/mkdocs.yml")):
        time.sleep(0.02)
    process.kill()
    process.wait()
    assert tree_digest(first.site_dir, "-") == before  # the previous site, untouched and complete
    assert _complete_site(first.site_dir)
    # The killed build left its temporary folder; the next build removes it, but not
    # the folder of a build still running (here: this test's own process id).
    [abandoned] = repo.root.glob(f".site.build-{process.pid}-*")
    in_progress = repo.root / f".site.build-{os.getpid()}-inprogress"
    in_progress.mkdir()
    build_site(BuildOptions(root=repo.root, today=TODAY))
    assert not abandoned.exists() and in_progress.is_dir()
    assert "Extra procedure" in (first.site_dir / "search" / "search_index.json").read_text("utf-8")


def test_two_builds_at_once_end_with_one_complete_site(repo):
    leaky_repo(repo)
    processes = [
        subprocess.Popen(_build_command(repo.root), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for _ in range(2)
    ]
    outcomes = [process.communicate(timeout=300) for process in processes]
    assert [process.returncode for process in processes] == [0, 0], outcomes
    site = repo.root / "site"
    assert _complete_site(site)
    assert "quokkavisible" in (site / "search" / "search_index.json").read_text("utf-8")
    leftovers = [p.name for p in repo.root.iterdir() if p.name.startswith((".site.build-", ".site.old-"))]
    assert leftovers == []


NO_NETWORK = '''\
import os
import socket

def _refuse(*args, **kwargs):
    # Logged as well as refused: a caller that swallows the error is still caught.
    with open(os.environ["ISODOCS_NETWORK_LOG"], "a") as log:
        log.write(f"{args!r}\\n")
    raise OSError("isodocs test: network access attempted during build")

socket.socket.connect = _refuse
socket.socket.connect_ex = _refuse
socket.create_connection = _refuse
socket.getaddrinfo = _refuse
'''


@pytest.mark.parametrize("engine", ["mkdocs", "zensical"])
def test_build_makes_no_network_access_and_the_site_loads_nothing_from_outside(repo, tmp_path, engine):
    leaky_repo(repo)
    guard = tmp_path / "no-network"
    guard.mkdir()
    (guard / "sitecustomize.py").write_text(NO_NETWORK, "utf-8")
    attempts = tmp_path / "network.log"
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(guard), os.environ.get("PYTHONPATH", "")]),
        "ISODOCS_NETWORK_LOG": str(attempts),
    }
    command = [*_build_command(repo.root), "--engine", engine]
    completed = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
    assert completed.returncode == 0, completed.stderr
    assert not attempts.exists(), attempts.read_text("utf-8")
    site = repo.root / "site"
    for page in (site / "index.html", *site.glob("procedures/*/index.html")):
        html = page.read_text("utf-8")
        # No stylesheet, script, font or image from another host: the manual works offline.
        external = [
            m.group(0)
            for m in re.finditer(r'<(?:link|script|img)\b[^>]*(?:href|src)="(?:https?:)?//[^"]*"', html)
        ]
        assert external == [], (page, external)


def test_folders_named_like_leftovers_are_removed_only_when_isodocs_made_them(repo):
    # A repository may commit folders whose names look like a build's leftovers: they are
    # not the tool's to delete. Only folders carrying the marker a build writes are removed.
    repo.doc("procedures/a.md", approved("PRO-001"))
    dead = 4000000  # above any pid_max: no such process
    committed = [repo.root / f".site.old-{dead}", repo.root / f".site.build-{dead}-mine"]
    for folder in committed:
        repo.write(f"{folder.name}/keep.md", "mine")
    leftover = repo.root / f".site.build-{dead}-abandoned"
    leftover.mkdir()
    build_module.mark_leftover(leftover)
    build_site(BuildOptions(root=repo.root, today=TODAY))
    assert [(folder / "keep.md").read_text() for folder in committed] == ["mine", "mine"]
    assert not leftover.exists()
    build_site(BuildOptions(root=repo.root, today=TODAY))  # a second build swaps the first site out
    assert sorted(p.name for p in repo.root.iterdir() if p.name.startswith(".site.")) == sorted(
        f.name for f in committed
    )


def test_the_previous_site_moved_aside_is_marked_as_a_leftover(tmp_path, monkeypatch):
    # A build killed between the swap and the removal leaves .site.old-PID: marked, so the next build removes it.
    target, new = tmp_path / "site", tmp_path / "new"
    (target / "index.html").parent.mkdir()
    (target / "index.html").write_text("old")
    new.mkdir()
    monkeypatch.setattr(build_module.shutil, "rmtree", lambda *a, **k: None)  # "killed" before the removal
    build_module.swap_in(new, target)
    [old] = tmp_path.glob(".site.old-*")
    assert (old / build_module.WORK_MARKER).is_file() and (old / "index.html").read_text() == "old"


FRONT_MATTER_TRAPS = {
    # What a reviewer reads first, then what YAML keeps (the last key wins).
    "twoclass": "classification: confidential\nclassification: internal\n",
    "twostatus": "status: draft\nstatus: approved\n",
    # Not a string: read as absent, and an absent classification is the default (internal).
    "listclass": "classification: [confidential]\n",
}


def trap_repo(repo: RepoBuilder) -> RepoBuilder:
    """Approved-looking documents whose front matter has errors, each carrying a marker word."""
    for number, (kind, trap) in enumerate(FRONT_MATTER_TRAPS.items(), start=10):
        word = marker(kind)
        front = approved(f"PRO-{number:03d}", title=f"Procedure {word}")
        front.pop("classification")
        if kind == "twostatus":
            front.pop("status")
        text = yaml_front(front) + trap
        repo.doc(f"procedures/{word}.md", text, f"# Procedure {word}\n\nThe {word} steps.\n")
    repo.doc("procedures/visible.md", approved("PRO-001"), "Every quokkavisible finding is logged.\n")
    return repo


def yaml_front(front: dict) -> str:
    import yaml

    return yaml.safe_dump(front, sort_keys=False)


@pytest.mark.parametrize("engine", ["mkdocs", "zensical"])
def test_build_force_withholds_documents_whose_front_matter_has_errors(repo, engine):
    trap_repo(repo)
    refused = CliRunner().invoke(main, ["-C", str(repo.root), "build", "--engine", engine, "--today", "2026-11-27"])
    assert refused.exit_code == 1 and "duplicate-key" in refused.output
    forced = CliRunner().invoke(
        main, ["-C", str(repo.root), "build", "--engine", engine, "--force", "--today", "2026-11-27"]
    )
    assert forced.exit_code == 0, forced.output
    assert "1 document published, 3 withheld" in forced.output
    for kind in FRONT_MATTER_TRAPS:  # named, with the reason
        reason = rf"withheld procedures/{marker(kind)}\.md: it has errors in its front matter \("
        assert re.search(reason, forced.output)
    assert "duplicate-key on line" in forced.output and "schema on line" in forced.output
    files = site_files(repo.root / "site")
    assert any("quokkavisible" in text for text in files.values())
    for kind in FRONT_MATTER_TRAPS:
        leaks = [name for name, text in files.items() if marker(kind) in text or marker(kind) in name]
        assert leaks == [], f"{kind} document leaked into {leaks}"


def test_a_duplicate_key_withholds_its_document_even_with_the_rule_turned_off(repo):
    repo.config(rules={"duplicate-key": "off"})
    trap_repo(repo)
    result = build_site(BuildOptions(root=repo.root, force=True, today=TODAY))
    withheld = dict(result.withheld_for_problems)
    assert f"procedures/{marker('twoclass')}.md" in withheld and f"procedures/{marker('twostatus')}.md" in withheld
    assert "duplicate-key" in withheld[f"procedures/{marker('twostatus')}.md"]
    files = site_files(result.site_dir)
    assert not [name for name, text in files.items() if marker("twoclass") in text or marker("twostatus") in text]


@pytest.mark.parametrize("engine", ["mkdocs", "zensical"])
def test_build_withholds_a_document_whose_file_name_is_not_utf8(repo, engine):
    repo.doc("procedures/visible.md", approved("PRO-001"), "Every quokkavisible finding is logged.\n")
    repo.doc("procedures/a.md", approved("PRO-002", title="Procedure xylobadnamemarker"), "xylobadnamemarker\n")
    os.rename(repo.root / "procedures/a.md", repo.root / os.fsdecode(b"procedures/bad\xff.md"))
    completed = subprocess.run(
        [*_build_command(repo.root), "--engine", engine], capture_output=True, check=False
    )
    assert completed.returncode == 0, completed.stderr
    assert b"Traceback" not in completed.stderr
    stderr = completed.stderr.decode("utf-8")  # valid UTF-8, the byte shown as \xff
    assert "withheld procedures/bad\\xff.md: it has a file name that is not valid UTF-8" in stderr
    files = site_files(repo.root / "site")
    assert any("quokkavisible" in text for text in files.values())
    assert not [name for name, text in files.items() if "xylobadnamemarker" in text]


# Markdown and HTML forms of a link to the withheld document procedures/xylodraftmarker.md, from
# procedures/visible.md. Each must end up as its text and "(not published)", the file's name nowhere.
LINK_FORMS = {
    "two-line text": "See [the draft\nprocedure](xylodraftmarker.md) now.",
    "reference in a block quote": "> See [the draft][d].\n>\n> [d]: xylodraftmarker.md",
    "reference in a list": "- See [the draft][e].\n\n    [e]: xylodraftmarker.md#steps",
    "site-absolute": "See [the draft](/procedures/xylodraftmarker.md).",
    "backslashes": "See [the draft](..\\procedures\\xylodraftmarker.md).",
    "percent-encoded": "See [the draft](%78ylodraftmarker.md).",
    "raw inline html": 'See <a href="xylodraftmarker.md">the draft</a>.',
    "raw html block": '<div>\n<a href="./xylodraftmarker.md"><b>the draft</b></a>\n</div>',
    "attr_list href": "See [the draft](visible.md){: href='xylodraftmarker.md' }.",
    "image": "![the draft](xylodraftmarker.md)",
    "heading": "## Also [the draft](xylodraftmarker.md)",
}


@pytest.mark.parametrize("engine", ["mkdocs", "zensical"])
def test_links_to_a_withheld_document_in_every_form_leave_no_name_in_the_site(repo, engine):
    repo.doc(
        "procedures/xylodraftmarker.md",
        approved("PRO-002", status="draft", title="Procedure xylodraftmarker"),
        "# Procedure xylodraftmarker\n\n## Steps\n\nThe xylodraftmarker steps.\n",
    )
    body = "\n\n".join(LINK_FORMS.values())
    repo.doc(
        "procedures/visible.md",
        approved("PRO-001", title="Visible"),
        f"# Visible\n\nEvery quokkavisible finding is logged; see [ourselves](visible.md).\n\n{body}\n",
    )
    # --force: broken-link reads the backslashes literally (a browser reads them as slashes).
    result = build_site(BuildOptions(root=repo.root, engine=engine, force=True, today=TODAY))
    files = site_files(result.site_dir)
    assert any("quokkavisible" in text for text in files.values())
    leaks = [name for name, text in files.items() if "xylodraftmarker" in text or "xylodraftmarker" in name]
    assert leaks == [], f"the withheld name leaked into {leaks}"
    assert not [w for w in result.engine_warnings if "xylodraftmarker" in w.lower()]
    page = next(text for name, text in files.items() if name.startswith("procedures/visible") and "html" in name)
    assert page.count("the draft") >= len(LINK_FORMS) - 1  # the text stays (the image: its alt text)
    assert page.count(">(not published)<") >= len(LINK_FORMS)
    assert 'href="./"' in page or 'href="."' in page or "visible" in page  # the link to a published page stays
