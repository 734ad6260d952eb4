"""`isodocs codeowners`: the marked block of CODEOWNERS, kept in step with the owners."""

from __future__ import annotations

from click.testing import CliRunner

from isodocs.cli import main
from tests.conftest import approved, record


def codeowners(repo, *args):
    return CliRunner().invoke(main, ["-C", str(repo.root), "codeowners", *args])


def test_writes_one_line_per_document_with_the_owners_handle(repo):
    repo.doc("procedures/doc control.md", approved("PRO-001"))
    repo.doc("policies/security.md", approved("POL-001", type="policy", owner="ciso"))
    repo.doc("records/audit.md", record("REC-001"))
    outcome = codeowners(repo)
    assert outcome.exit_code == 0, outcome.output
    assert "wrote .github/CODEOWNERS (3 documents)" in outcome.output
    text = (repo.root / ".github/CODEOWNERS").read_text()
    block = text[text.index("# BEGIN isodocs") :].splitlines()
    assert block[1:] == [
        "/policies/security.md @alee",
        "/procedures/doc\\ control.md @jsmith",
        "/records/audit.md @jsmith",
        "# END isodocs",
    ]


def test_check_fails_when_stale_and_passes_when_fresh(repo):
    repo.doc("procedures/a.md", approved("PRO-001"))
    assert codeowners(repo, "--check").exit_code == 1  # no file yet
    assert not (repo.root / ".github/CODEOWNERS").exists()  # --check writes nothing
    assert codeowners(repo).exit_code == 0
    outcome = codeowners(repo, "--check")
    assert outcome.exit_code == 0 and "up to date" in outcome.output
    repo.doc("procedures/a.md", approved("PRO-001", owner="ciso"))  # ownership moves
    outcome = codeowners(repo, "--check")
    assert outcome.exit_code == 1
    assert "out of date" in outcome.output


def test_hand_written_lines_outside_the_block_are_kept(repo):
    repo.doc("procedures/a.md", approved("PRO-001"))
    hand = "# Our own rules\r\n* @org/admins\r\n/isodocs/ @org/devs\r\n"
    repo.write(".github/CODEOWNERS", hand)
    codeowners(repo)
    raw = (repo.root / ".github/CODEOWNERS").read_bytes()
    assert raw.startswith(hand.encode())
    # A second run replaces only the block, and lines written after it survive too.
    (repo.root / ".github/CODEOWNERS").write_bytes(raw + b"/records/ @org/records\n")
    repo.doc("procedures/b.md", approved("PRO-002", owner="md"))
    outcome = codeowners(repo)
    assert "updated" in outcome.output
    text = (repo.root / ".github/CODEOWNERS").read_bytes().decode()
    assert text.startswith(hand) and text.endswith("# END isodocs\n/records/ @org/records\n")
    assert "/procedures/b.md @rpatel" in text


def test_an_existing_codeowners_elsewhere_is_the_one_edited(repo):
    repo.doc("procedures/a.md", approved("PRO-001"))
    repo.write("CODEOWNERS", "* @org/admins\n")
    codeowners(repo)
    assert not (repo.root / ".github/CODEOWNERS").exists()
    assert "/procedures/a.md @jsmith" in (repo.root / "CODEOWNERS").read_text()


def test_documents_without_a_handle_are_named(repo):
    repo.config(people={"qm": {"name": "Jane Smith"}})
    repo.doc("procedures/a.md", approved("PRO-001", approved_by=["qm"]))
    outcome = codeowners(repo)
    assert "no owner with a github handle" in outcome.output and "procedures/a.md" in outcome.output


def test_broken_markers_are_refused(repo):
    repo.doc("procedures/a.md", approved("PRO-001"))
    repo.write(".github/CODEOWNERS", "# BEGIN isodocs\n/x @y\n")
    outcome = codeowners(repo)
    assert outcome.exit_code == 2
    assert "marker lines" in outcome.output
    assert (repo.root / ".github/CODEOWNERS").read_text() == "# BEGIN isodocs\n/x @y\n"


def test_approvers_are_listed_after_the_owner_and_the_choice_is_kept(repo):
    """--approvers offers the recorded approver as a code owner; --check and later runs keep the choice."""
    repo.doc("procedures/a.md", approved("PRO-001", approved_by=["md", "ciso"]))
    repo.doc("procedures/b.md", approved("PRO-002", owner="ciso", approved_by=["md", "ciso"]))  # no repeat
    outcome = codeowners(repo, "--approvers")
    assert outcome.exit_code == 0 and "owners and approvers" in outcome.output
    text = (repo.root / ".github/CODEOWNERS").read_text()
    block = text[text.index("# BEGIN isodocs") :].splitlines()
    assert "isodocs codeowners --approvers" in block[0]
    assert block[1:] == ["/procedures/a.md @jsmith @rpatel @alee", "/procedures/b.md @alee @rpatel", "# END isodocs"]
    assert codeowners(repo, "--check").exit_code == 0  # the workflow's plain --check keeps --approvers
    repo.doc("procedures/a.md", approved("PRO-001", approved_by=["ciso"]))  # a new approval, another approver
    assert codeowners(repo, "--check").exit_code == 1
    assert codeowners(repo).exit_code == 0
    assert "/procedures/a.md @jsmith @alee\n" in (repo.root / ".github/CODEOWNERS").read_text()
    assert codeowners(repo, "--owners-only").exit_code == 0
    text = (repo.root / ".github/CODEOWNERS").read_text()
    assert "/procedures/a.md @jsmith\n" in text and "--approvers" not in text


def test_a_codeowners_symlinked_out_of_the_repository_is_refused(repo, tmp_path):
    """CODEOWNERS is read by safefs, like every repository file: a symlink leading outside is not followed."""
    outside = tmp_path / "elsewhere"
    outside.write_text("* @someone\n", "utf-8")
    repo.doc("procedures/a.md", approved("PRO-001"))
    (repo.root / ".github").mkdir()
    (repo.root / ".github/CODEOWNERS").symlink_to(outside)
    outcome = codeowners(repo)
    assert outcome.exit_code == 2, outcome.output
    assert "outside the repository" in outcome.output
    assert outside.read_text("utf-8") == "* @someone\n"  # nothing written through the link
