"""Files, symlinks and attachments (SECURITY.md): one reader, and nothing withheld reaches the site.

Each vector of issue 13 is planted in one hostile repository: ``check`` must report
it, ``stage`` (the site's staging project) and a real build with each engine must
carry none of the withheld text or names. Builds are slow: one per engine, with
many assertions each.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from isodocs.app.load import load_system
from isodocs.readers import safefs
from isodocs.site.build import BuildOptions, build_site
from isodocs.site.inputs import SiteInputs
from isodocs.site.render import stage
from tests.conftest import TODAY, RepoBuilder, approved
from tests.test_site_build import site_files

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="symlinks and FIFOs need a POSIX system")

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 32
# Words that may appear in no output file: each sits only in something that must not be published.
SECRETS = {
    "confidential document": "zebraconfidential",
    "git config": "gitconfigtoken",
    "png under .git": "gitpngmarker",
    "pdf outside paths": "outsidepdfmarker",
    "png outside paths": "outsidepngmarker",
    "xht page": "xhtscriptmarker",
    "xhtm page": "xhtmscriptmarker",
    "svg": "svgscriptmarker",
    "upper-case .MD document": "uppercasesecret",
}

PUBLIC_BODY = """# Public policy

Every quokkapublic reader may see this.

![diagram](diagram.png)
[notes](notes.txt)
[git config through a folder link](g/config)
![git png through a folder link](g/evil.png)
[plan outside paths](../drafts/plan.pdf)
![plan png through a link](plan.png)
[page](page.xht) and [other page](page.xhtm) and ![drawing](drawing.svg)
[upper-case document](Secret.MD)
[null byte](a%00.png)
![fine](ok.png) ![shared](shared.png) ![real](real.png)
"""


def hostile_repo(repo: RepoBuilder) -> RepoBuilder:
    """An approved document linking every kind of file that must not be published, and three that may."""
    secret = SECRETS["confidential document"]
    repo.doc(
        "policies/secret.md",
        approved("POL-900", type="policy", title="Secret plans", classification="confidential"),
        f"# Secret plans\n\nThe {secret} plan.\n\n![shared](shared.png)\n",
    )
    repo.doc(
        "policies/Secret.MD",
        approved("POL-901", type="policy", title="Upper case", classification="confidential"),
        f"# Upper\n\n{SECRETS['upper-case .MD document']}\n",
    )
    repo.doc("policies/public.md", approved("POL-001", type="policy", title="Public policy"), PUBLIC_BODY)
    repo.write(".git/config", f"[http]\n\textraheader = AUTHORIZATION: basic {SECRETS['git config']}\n")
    repo.write(".git/evil.png", PNG + SECRETS["png under .git"].encode())
    repo.write("drafts/plan.pdf", b"%PDF-1.4 " + SECRETS["pdf outside paths"].encode())
    repo.write("drafts/plan.png", PNG + SECRETS["png outside paths"].encode())
    repo.write("policies/page.xht", f"<html><script>{SECRETS['xht page']}</script></html>")
    repo.write("policies/page.xhtm", f"<html><script>{SECRETS['xhtm page']}</script></html>")
    repo.write("policies/drawing.svg", f"<svg><script>{SECRETS['svg']}</script></svg>")
    repo.write("policies/real.png", PNG + b"realpngpublished")
    repo.write("policies/shared.png", PNG + b"sharedpngpublished")
    links = {
        "policies/diagram.png": "secret.md",
        "policies/notes.txt": "../.git/config",
        "policies/g": "../.git",
        "policies/plan.png": "../drafts/plan.png",
        "policies/ok.png": "real.png",  # a symlink to a publishable file: allowed
    }
    for link, target in links.items():
        os.symlink(target, repo.root / link)
    return repo


def test_reader_refuses_a_fifo_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "fifo.md"
    os.mkfifo(fifo)
    data, problem = safefs.read_bytes(tmp_path, fifo, 1000)
    assert data is None and problem is not None and problem.kind == "not-regular"


def test_reader_resolves_symlinks_before_deciding(tmp_path: Path) -> None:
    root, outside = tmp_path / "repo", tmp_path / "outside"
    root.mkdir()
    outside.mkdir()
    (outside / "x.md").write_text("outside", "utf-8")
    (root / "in.md").write_text("inside", "utf-8")
    (root / "out.md").symlink_to(outside / "x.md")
    (root / "alias.md").symlink_to("in.md")
    (root / "sub").symlink_to(outside, target_is_directory=True)
    assert safefs.read_text(root, root / "alias.md", 100) == ("inside", None)
    for name in ("out.md", "sub/x.md"):
        text, problem = safefs.read_text(root, root / name, 100)
        assert text is None and problem is not None and problem.kind == "outside", name
    assert safefs.read_text(root, root / "in.md", 3)[1].kind == "too-large"  # type: ignore[union-attr]
    assert safefs.read_bytes(root, str(root / "in\x00.md"), 100)[1].kind == "unreadable"  # type: ignore[union-attr]


@pytest.mark.parametrize(
    "rel",
    ["policies/a.xht", "policies/a.xhtm", "policies/a.XHTML", "policies/a.svg", "policies/a.html", "policies/a.js",
     "policies/a.xml", "policies/a.md", "policies/a.MD", "policies/a", "policies/a.png.html"],
)  # fmt: skip
def test_only_passive_types_are_attachments(tmp_path: Path, rel: str) -> None:
    (tmp_path / "policies").mkdir()
    (tmp_path / rel).write_bytes(b"x")
    real, problem = safefs.resolve_attachment(tmp_path, rel, frozenset({"policies"}))
    assert real is None and problem is not None and problem.kind == "type"
    (tmp_path / "policies/ok.PNG").write_bytes(b"x")
    assert safefs.resolve_attachment(tmp_path, "policies/ok.PNG", frozenset({"policies"}))[1] is None


def test_check_reports_every_vector(repo: RepoBuilder, run_check) -> None:
    hostile_repo(repo)
    findings = run_check(repo).findings
    on_public = {(f.rule, f.message.split(":", 1)[0]) for f in findings if f.path == "policies/public.md"}
    for target in ("diagram.png", "notes.txt", "g/evil.png", "plan.png"):
        assert ("symlinked-attachment", f"link to {target}") in on_public, (target, on_public)
    for target in ("g/config", "../drafts/plan.pdf", "page.xht", "page.xhtm", "drawing.svg"):
        assert ("attachment-not-published", f"link to {target}") in on_public, (target, on_public)
    assert not any("ok.png" in f.message or "real.png" in f.message for f in findings)
    shared = [f for f in findings if f.rule == "withheld-attachment"]
    assert [(f.path, f.severity.value) for f in shared] == [("policies/secret.md", "warning")], shared
    assert "POL-001" in shared[0].message
    null = [f for f in findings if "a%00.png" in f.message]
    assert [f.rule for f in null] == ["broken-link"], null
    messages = " ".join(f.message for f in findings)
    assert "(.git" not in messages and "gitconfigtoken" not in messages  # names the link, not the content
    # the real target of each symlink is named, so the owner sees what the link leads to
    assert "a symlink to policies/secret.md" in messages and "a symlink to .git/config" in messages


def staged_text(project) -> dict[str, str]:
    return {path: (c if isinstance(c, str) else c.decode("utf-8", "replace")) for path, c in project.files.items()}


def assert_nothing_withheld(files: dict[str, str]) -> None:
    for what, word in SECRETS.items():
        leaks = [name for name, text in files.items() if word.lower() in text.lower() or word.lower() in name.lower()]
        assert leaks == [], f"{what} leaked into {leaks}"
    for name in ("diagram.png", "notes.txt", "plan.png", "plan.pdf", "page.xht", "page.xhtm", "drawing.svg", "config"):
        assert not any(path.endswith("/" + name) for path in files), name


def test_stage_copies_only_publishable_attachments(repo: RepoBuilder) -> None:
    hostile_repo(repo)
    system, _problems = load_system(repo.root, today=TODAY)
    project = stage(SiteInputs(system), site_dir="site")
    assert sorted(project.assets) == ["policies/ok.png", "policies/real.png", "policies/shared.png"]
    assert project.files["docs/policies/ok.png"] == PNG + b"realpngpublished"
    files = staged_text(project)
    assert_nothing_withheld(files)
    assert files["docs/policies/public.md"].count("not published") >= 10


@pytest.mark.parametrize("engine", ["mkdocs", "zensical"])
def test_built_site_holds_nothing_withheld(repo: RepoBuilder, engine: str) -> None:
    """The whole hostile repository, built with --force (the check has errors), with each engine."""
    hostile_repo(repo)
    os.mkfifo(repo.root / "policies/fifo.md")  # the loader refuses it (unreadable), never blocks on it
    result = build_site(BuildOptions(root=repo.root, engine=engine, today=TODAY, force=True))
    files = site_files(result.site_dir)
    assert any("quokkapublic" in text for text in files.values())
    assert_nothing_withheld(files)
    assert any(name.endswith("policies/ok.png") for name in files)
    assert {f.rule for f in result.findings} >= {"symlinked-attachment", "attachment-not-published", "unreadable"}


def test_check_does_not_hang_on_a_fifo(repo: RepoBuilder) -> None:
    repo.doc("policies/a.md", approved("POL-001", type="policy"))
    os.mkfifo(repo.root / "policies/fifo.md")
    os.mkfifo(repo.root / "policies/pipe.png")
    repo.write("policies/b.md", "---\n" + "id: POL-002\n---\n![p](pipe.png)\n")
    completed = subprocess.run(
        [sys.executable, "-m", "isodocs", "-C", str(repo.root), "check", "--today", TODAY.isoformat()],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "ISODOCS_NO_CACHE": "1"},
    )
    assert completed.returncode == 1, completed.stderr
    assert "policies/fifo.md" in completed.stdout and "not a regular file" in completed.stdout
    assert "Traceback" not in completed.stderr


def test_history_search_does_not_hang_on_a_fifo(repo: RepoBuilder) -> None:
    """`isodocs history ID` reads every document when git finds no match: a FIFO among them must not block it."""
    subprocess.run(["git", "init", "-q", str(repo.root)], check=True)
    repo.doc("policies/a.md", approved("POL-001", type="policy"))
    os.mkfifo(repo.root / "policies/fifo.md")
    completed = subprocess.run(
        [sys.executable, "-m", "isodocs", "-C", str(repo.root), "history", "POL-404"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert completed.returncode == 2, completed.stderr
    assert "no document has id POL-404" in completed.stderr
