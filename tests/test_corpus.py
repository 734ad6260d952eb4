"""The bad-input corpus (tests/corpus/manifest.yml): every hostile input gives its finding or a clean exit 2.

Each case runs the real command line (in process, through click's runner) on a
fresh repository, in every report format. A case passes when the rules reported
on its own files are exactly the expected ones (or the run stops with exit 2 and
a one-line message), no exception escapes, and every finding is complete.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from isodocs.app.check import CheckOptions, run_check
from isodocs.cli import main
from isodocs.reporters import REPORTERS
from isodocs.reporters.textsafe import readable, readable_data
from isodocs.rules import REGISTRY
from tests.conftest import BASE_CONFIG, approved

CORPUS = Path(__file__).parent / "corpus"
MANIFEST = yaml.safe_load((CORPUS / "manifest.yml").read_text("utf-8"))["cases"]
TODAY = "2026-11-27"


def valid_document(**overrides: Any) -> str:
    return "---\n" + yaml.safe_dump(approved("PRO-101", **overrides), sort_keys=False) + "---\n# Title\n\nBody.\n"


def _write(root: Path, rel: str, data: str | bytes) -> None:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)


# --------------------------------------------------------------------------- generated cases
# Inputs too big, binary, secret-looking or symlinked to commit. Each writes into
# the repository (and may use ``outside``, a folder next to it) and returns nothing.

GENERATORS: dict[str, Callable[[Path, Path], None]] = {}


def generator(func: Callable[[Path, Path], None]) -> Callable[[Path, Path], None]:
    GENERATORS[func.__name__.replace("_", "-")] = func
    return func


@generator
def ten_megabytes(root: Path, outside: Path) -> None:
    _write(root, "procedures/huge.md", valid_document() + "x" * (10 * 1024 * 1024))


@generator
def binary_png(root: Path, outside: Path) -> None:
    _write(root, "procedures/image.md", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)


@generator
def random_bytes(root: Path, outside: Path) -> None:
    _write(root, "procedures/noise.md", random.Random(7).randbytes(64 * 1024))


@generator
def huge_title(root: Path, outside: Path) -> None:
    # not through yaml.safe_dump: PyYAML's pure-Python emitter takes seconds over 3 MB
    _write(
        root, "procedures/title.md", valid_document().replace("title: Procedure PRO-101", "title: " + "T" * 3_000_000)
    )


@generator
def huge_front_matter_list(root: Path, outside: Path) -> None:
    items = "".join(f"  - PRO-{n:03d}\n" for n in range(60_000))
    _write(root, "procedures/list.md", valid_document().replace("---\n# Title", f"related:\n{items}---\n# Title", 1))


@generator
def many_unknown_keys(root: Path, outside: Path) -> None:
    keys = "".join(f"key{n}: {n}\n" for n in range(10_000))
    _write(root, "procedures/keys.md", valid_document().replace("---\n# Title", f"{keys}---\n# Title", 1))


@generator
def line_of_brackets(root: Path, outside: Path) -> None:
    _write(root, "procedures/brackets.md", valid_document() + "[" * 4_000_000 + "\n")


@generator
def line_of_backticks(root: Path, outside: Path) -> None:
    _write(root, "procedures/backticks.md", valid_document() + "`" * 4_000_000 + "\n")


@generator
def many_lines(root: Path, outside: Path) -> None:
    _write(root, "procedures/lines.md", valid_document() + "A line of text with a [link](#anchor).\n" * 100_000)


@generator
def secret(root: Path, outside: Path) -> None:
    body = (
        "# Backup\n\n"
        + "Access key: "
        + "AKIA"
        + "Z7QW2ERT5YUI8OPL\n\n"
        + "```\n-----BEGIN RSA "
        + "PRIVATE KEY-----\nMIIEpAIBAAKCAQEA\n```\n\n"
        + "token ghp_"
        + "a1B2c3D4" * 4
        + "e5F6\n"
    )
    _write(root, "procedures/backup.md", valid_document() + body)


@generator
def symlink_file_outside(root: Path, outside: Path) -> None:
    _write(outside, "secret.md", valid_document())
    (root / "procedures").mkdir(parents=True, exist_ok=True)
    (root / "procedures/link.md").symlink_to(outside / "secret.md")


@generator
def symlink_folder_outside(root: Path, outside: Path) -> None:
    _write(outside, "docs/secret.md", valid_document())
    (root / "procedures").mkdir(parents=True, exist_ok=True)
    (root / "procedures/linked").symlink_to(outside / "docs", target_is_directory=True)


@generator
def symlink_document_folder_outside(root: Path, outside: Path) -> None:
    _write(outside, "docs/secret.md", valid_document())
    (root / "procedures").symlink_to(outside / "docs", target_is_directory=True)


@generator
def symlink_loop(root: Path, outside: Path) -> None:
    (root / "procedures").mkdir(parents=True, exist_ok=True)
    (root / "procedures/a.md").symlink_to("b.md")
    (root / "procedures/b.md").symlink_to("a.md")


@generator
def broken_symlink(root: Path, outside: Path) -> None:
    (root / "procedures").mkdir(parents=True, exist_ok=True)
    (root / "procedures/gone.md").symlink_to("nowhere.md")


def _linking_document(root: Path, *links: str, **overrides: Any) -> None:
    """procedures/page.md, an approved document whose body links each of ``links``."""
    body = "# Links\n\n" + "\n".join(f"[file {n}]({link})" for n, link in enumerate(links)) + "\n"
    _write(root, "procedures/page.md", valid_document(**overrides) + body)


@generator
def symlink_document_to_git_config(root: Path, outside: Path) -> None:
    _write(root, ".git/config", "[http]\n\textraheader = AUTHORIZATION: basic c2VjcmV0\n")
    (root / "procedures").mkdir(parents=True, exist_ok=True)
    (root / "procedures/config.md").symlink_to("../.git/config")


@generator
def symlink_attachment_to_document(root: Path, outside: Path) -> None:
    _write(root, "drafts/secret.md", valid_document(classification="confidential"))
    _linking_document(root, "diagram.png")
    (root / "procedures/diagram.png").symlink_to("../drafts/secret.md")


@generator
def symlink_attachment_to_git_config(root: Path, outside: Path) -> None:
    _write(root, ".git/config", "[core]\n")
    _linking_document(root, "notes.txt")
    (root / "procedures/notes.txt").symlink_to("../.git/config")


@generator
def symlink_folder_to_git(root: Path, outside: Path) -> None:
    _write(root, ".git/logo.png", b"\x89PNG\r\n\x1a\n")
    _linking_document(root, "g/logo.png")
    (root / "procedures/g").symlink_to("../.git", target_is_directory=True)


@generator
def symlink_attachment_outside_repo(root: Path, outside: Path) -> None:
    _write(outside, "photo.png", b"\x89PNG\r\n\x1a\n")
    _linking_document(root, "photo.png")
    (root / "procedures/photo.png").symlink_to(outside / "photo.png")


@generator
def symlink_attachment_loop(root: Path, outside: Path) -> None:
    _linking_document(root, "a.png")
    (root / "procedures/a.png").symlink_to("b.png")
    (root / "procedures/b.png").symlink_to("a.png")


@generator
def attachment_active_types(root: Path, outside: Path) -> None:
    for name in ("page.xht", "page.xhtm", "drawing.svg"):
        _write(root, f"procedures/{name}", "<html><script>alert(1)</script></html>")
    _linking_document(root, "page.xht", "page.xhtm", "drawing.svg")


@generator
def attachment_outside_paths(root: Path, outside: Path) -> None:
    _write(root, "drafts/plan.pdf", b"%PDF-1.4")
    _linking_document(root, "../drafts/plan.pdf")


@generator
def attachment_of_withheld_document(root: Path, outside: Path) -> None:
    _write(root, "procedures/shared.png", b"\x89PNG\r\n\x1a\n")
    _linking_document(root, "shared.png")
    _write(
        root, "procedures/secret.md", valid_document(id="PRO-102", classification="confidential") + "![s](shared.png)\n"
    )


@generator
def link_with_nul_byte(root: Path, outside: Path) -> None:
    _linking_document(root, "a%00.png")


@generator
def fifo_document(root: Path, outside: Path) -> None:
    (root / "procedures").mkdir(parents=True, exist_ok=True)
    os.mkfifo(root / "procedures/fifo.md")


@generator
def upper_case_md(root: Path, outside: Path) -> None:
    _write(root, "procedures/Upper.MD", valid_document())
    _write(root, "procedures/Other.Md", "no front matter\n")


@generator
def symlink_inside(root: Path, outside: Path) -> None:
    _write(root, "procedures/real.md", valid_document())
    (root / "procedures/alias.md").symlink_to("real.md")


@generator
def unicode_file_name(root: Path, outside: Path) -> None:
    _write(root, "procedures/procédure été ✓ 检查.md", valid_document())


@generator
def non_utf8_file_name(root: Path, outside: Path) -> None:
    # Latin-1 bytes, as an old archive unpacked on Linux leaves them; read back with surrogate escapes.
    text = valid_document().replace("type: procedure\n", "type: procedure\ntitle: Second title\n")
    _write(root, os.fsdecode(b"procedures/proc\xe9dure.md"), text)


@generator
def folder_named_md(root: Path, outside: Path) -> None:
    (root / "procedures/x.md").mkdir(parents=True)
    _write(root, "procedures/x.md/inner.txt", "not a document")


@generator
def config_too_large(root: Path, outside: Path) -> None:
    _write(root, "isodocs.yml", yaml.safe_dump(BASE_CONFIG) + "# padding\n" * 600_000)


@generator
def config_symlink_outside(root: Path, outside: Path) -> None:
    _write(outside, "isodocs.yml", yaml.safe_dump(BASE_CONFIG))
    (root / "isodocs.yml").unlink()
    (root / "isodocs.yml").symlink_to(outside / "isodocs.yml")


@generator
def config_is_directory(root: Path, outside: Path) -> None:
    (root / "isodocs.yml").unlink()
    (root / "isodocs.yml").mkdir()


@generator
def no_config(root: Path, outside: Path) -> None:
    (root / "isodocs.yml").unlink()
    _write(root, "procedures/a.md", valid_document())


@generator
def max_file_bytes_configured(root: Path, outside: Path) -> None:
    _write(root, "isodocs.yml", yaml.safe_dump({**BASE_CONFIG, "limits": {"max_file_bytes": 2048}}))
    _write(root, "procedures/a.md", valid_document() + "x" * 3000)


@generator
def mkdocs_deep_nesting(root: Path, outside: Path) -> None:
    _write(root, "mkdocs.yml", "site_name: [" + "[" * 100_000 + "]" * 100_001 + "\n")


# --------------------------------------------------------------------------- running a case


def build_case(case: dict[str, Any], base: Path) -> tuple[Path, set[str]]:
    """A repository holding the case; returns its root and the paths the case wrote (repo-relative)."""
    root, outside = base / "repo", base / "outside"
    root.mkdir()
    outside.mkdir()
    _write(root, "isodocs.yml", yaml.safe_dump(BASE_CONFIG, sort_keys=False))
    before = _listing(root)
    if "file" in case:
        source = CORPUS / case["file"]
        _write(root, f"procedures/{source.name}", source.read_bytes())
    elif "config" in case:
        _write(root, "isodocs.yml", (CORPUS / case["config"]).read_bytes())
        _write(root, "procedures/a.md", valid_document())
    elif "files" in case:
        shutil.copytree(CORPUS / case["files"], root, dirs_exist_ok=True, symlinks=True)
    else:
        GENERATORS[case["generate"]](root, outside)
    written = (_listing(root) - before) | {"isodocs.yml"} if "config" in case else _listing(root) - before
    return root, written


def _listing(root: Path) -> set[str]:
    found = set()
    for folder, dirs, files in os.walk(root):
        for name in dirs + files:
            path = Path(folder) / name
            if name in files or path.is_symlink():
                found.add(path.relative_to(root).as_posix())
    return found


def run_cli(root: Path, output_format: str) -> Any:
    return CliRunner().invoke(main, ["-C", str(root), "check", "--format", output_format, "--today", TODAY])


def _owned(path: str, written: set[str]) -> bool:
    return any(path == w or path.startswith(w + "/") or w.startswith(path + "/") for w in written)


def assert_complete(finding: dict[str, Any]) -> None:
    assert finding["rule"] in REGISTRY, finding
    assert finding["severity"] in ("error", "warning"), finding
    assert isinstance(finding["path"], str) and finding["path"] and not finding["path"].startswith("/"), finding
    assert isinstance(finding["line"], int) and finding["line"] >= 1, finding
    assert isinstance(finding["message"], str) and 10 <= len(finding["message"]) <= 500, finding


@pytest.mark.parametrize("case", MANIFEST, ids=[c["name"] for c in MANIFEST])
def test_corpus_case(case: dict[str, Any], tmp_path: Path) -> None:
    if ("symlink" in case["name"] or "fifo" in case["name"]) and sys.platform == "win32":
        pytest.skip("symlinks need privileges on Windows; FIFOs do not exist there")
    root, written = build_case(case, tmp_path)
    started = time.perf_counter()
    result = run_cli(root, "json")
    elapsed = time.perf_counter() - started
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exc_info
    assert "Traceback" not in result.output
    assert elapsed < 20, f"{case['name']} took {elapsed:.1f}s"  # a quadratic scan would take minutes

    if case["expect"] == "exit 2":
        assert result.exit_code == 2, result.output
        message = result.stderr if hasattr(result, "stderr") else result.output
        assert message.startswith("isodocs: error: ") and message.count("\n") == 1, message
        assert case.get("message", "") in message
        return

    assert result.exit_code in (0, 1), result.output
    report = json.loads(result.stdout)
    for finding in report["findings"]:
        assert_complete(finding)
    # gap analysis speaks of the whole repository (on isodocs.yml, soa.yml), not of the hostile input
    shown = {readable(path) for path in written}  # reports show a name that is not UTF-8 as \xNN
    mine = [
        f
        for f in report["findings"]
        if _owned(f["path"], shown) and REGISTRY[f["rule"]].family not in ("gaps", "soa")
    ]
    assert sorted({f["rule"] for f in mine}) == sorted(case["expect"]), mine
    if "line" in case:
        first = next(f for f in mine if f["rule"] == case["expect"][0])
        assert first["line"] == case["line"], first
    # the other reporters, on the same findings (one more load rather than one per format)
    check = run_check(CheckOptions(root=root, today=dt.date.fromisoformat(TODAY)))
    assert [readable_data(f.as_dict()) for f in check.findings] == report["findings"]
    for output_format, render in REPORTERS.items():
        assert render(check).strip().encode("utf-8"), output_format


def test_manifest_is_complete() -> None:
    """Every committed input is in the manifest, every generator is used, and there are at least 60 cases."""
    names = [c["name"] for c in MANIFEST]
    assert len(names) == len(set(names)) and len(names) >= 60
    listed = {c.get("file") or c.get("config") or c.get("files") for c in MANIFEST} - {None}
    committed = {
        p.relative_to(CORPUS).as_posix()
        for kind in ("documents", "configs", "repos")
        for p in (CORPUS / kind).iterdir()
    }
    assert committed == listed
    assert {c["generate"] for c in MANIFEST if "generate" in c} == set(GENERATORS)
    for case in MANIFEST:
        assert case["expect"] == "exit 2" or all(slug in REGISTRY for slug in case["expect"]), case


def test_python_tags_run_nothing(tmp_path: Path) -> None:
    """The corpus's !!python/object/apply would write this file if YAML were loaded unsafely."""
    assert not Path("/tmp/isodocs-pwned").exists()


def test_whole_corpus_checks_in_seconds(tmp_path: Path) -> None:
    """All document cases (committed and generated) in one repository, one `isodocs check` process."""
    root = tmp_path / "all"
    root.mkdir()
    _write(root, "isodocs.yml", yaml.safe_dump(BASE_CONFIG))
    count = 0
    for case in MANIFEST:
        if case["expect"] == "exit 2" or "config" in case:
            continue
        case_dir = tmp_path / f"case-{count}"
        case_dir.mkdir()
        case_root, written = build_case(case, case_dir)
        for rel in written:
            source, target = case_root / rel, root / "procedures" / f"c{count}" / rel.replace("/", "_")
            if source.is_symlink() or source.is_file():
                target.parent.mkdir(parents=True, exist_ok=True)
                if source.is_symlink():
                    target.symlink_to(os.readlink(source))
                else:
                    shutil.copyfile(source, target)
        count += 1
    started = time.perf_counter()
    completed = subprocess.run(
        [sys.executable, "-m", "isodocs", "-C", str(root), "check", "--format", "json", "--today", TODAY],
        capture_output=True,
        text=True,
        timeout=120,
    )
    elapsed = time.perf_counter() - started
    assert completed.returncode == 1, completed.stderr
    assert "Traceback" not in completed.stderr
    report = json.loads(completed.stdout)
    assert report["documents"] >= 80
    assert elapsed < 20, f"corpus took {elapsed:.1f}s"
    print(f"\n{report['documents']} corpus files, {len(report['findings'])} findings in {elapsed:.2f}s")


def test_soa_symlinked_outside_is_not_read(tmp_path: Path) -> None:
    root, outside = tmp_path / "repo", tmp_path / "outside"
    root.mkdir()
    outside.mkdir()
    _write(root, "isodocs.yml", yaml.safe_dump(BASE_CONFIG))
    _write(outside, "soa.yml", "controls:\n  A.5.1: {applicable: true, status: implemented}\n")
    (root / "soa.yml").symlink_to(outside / "soa.yml")
    result = run_cli(root, "json")
    findings = [f for f in json.loads(result.stdout)["findings"] if f["path"] == "soa.yml"]
    assert findings and "outside the repository" in findings[0]["message"]
