"""One good and one bad fixture for every per-document and loader rule.

Each bad fixture must give exactly the expected findings of its rule: slug,
severity, path, the 1-based line of the offending key, id and a message that
says what to do. Each good fixture is a near miss that must give no finding of
that rule. ``test_every_rule_has_fixtures`` fails when a rule is registered
without an entry here, so a new rule cannot land untested.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
import yaml

from isodocs.model import Severity
from isodocs.rules import REGISTRY
from tests.conftest import BASE_CONFIG, RepoBuilder

E, W = Severity.ERROR, Severity.WARNING

# A clean approved procedure. Line numbers in the file: "---" is line 1, so
# id 2, title 3, type 4, version 5, status 6, owner 7, approved_by 8,
# approved_on 9, last_reviewed 10, classification 11, clauses 12, iso9001 13,
# the closing "---" 14 and the body from line 15.
BASE = """\
id: PRO-001
title: Document control
type: procedure
version: "1.0"
status: approved
owner: qm
approved_by: [md]
approved_on: 2026-06-01
last_reviewed: 2026-06-01
classification: internal
clauses:
  iso9001: ["7.5"]
"""
DOC = "procedures/doc.md"


def edit(*replacements: tuple[str, str], text: str = BASE) -> str:
    """BASE with each (old, new) replaced once; every ``old`` must be present."""
    for old, new in replacements:
        assert old in text, old
        text = text.replace(old, new, 1)
    return text


def front(text: str, body: str = "# Title\n\nBody.\n") -> str:
    return f"---\n{text}---\n{body}"


@dataclass
class Expect:
    line: int
    says: tuple[str, ...]  # substrings the message must contain (what is wrong and what to do)
    path: str = DOC
    id: str | None = "PRO-001"
    severity: Severity | None = None  # default: the rule's registered severity


@dataclass
class Case:
    files: dict[str, str | bytes]
    expect: list[Expect] = field(default_factory=list)
    config: dict[str, Any] = field(default_factory=dict)
    setup: Callable[[RepoBuilder], None] | None = None


def outside_symlink(repo: RepoBuilder) -> None:
    target = repo.root.parent / "elsewhere.md"
    target.write_text(front(BASE), "utf-8")
    (repo.root / "procedures").mkdir(exist_ok=True)
    os.symlink(target, repo.root / "procedures" / "link.md")


def inside_symlink(repo: RepoBuilder) -> None:
    (repo.root / "procedures").mkdir(exist_ok=True)
    os.symlink(repo.root / "procedures" / "doc.md", repo.root / "procedures" / "link.md")


def broken_symlink(repo: RepoBuilder) -> None:
    (repo.root / "procedures").mkdir(exist_ok=True)
    os.symlink("nowhere.md", repo.root / "procedures" / "link.md")


OBSOLETE = {
    "procedures/old.md": front(edit(("PRO-001", "PRO-002"), ("status: approved", "status: obsolete"))),
    "procedures/new.md": front(edit(("PRO-001", "PRO-003")) + "supersedes: PRO-002\n"),
}

TRN = "records/trn-001.md"
# BASE approved a week before TODAY (2026-11-27): within the default grace period of 30 days.
RECENT = edit(
    ("approved_on: 2026-06-01", "approved_on: 2026-11-20"), ("last_reviewed: 2026-06-01", "last_reviewed: 2026-11-20")
)


def trn(attendees: str = "[qm, md, ciso]", documents: str = '{PRO-001: "1.0"}') -> str:
    """A read-and-understood record; ``documents`` is on line 8."""
    return front(
        "id: TRN-001\ntitle: Read and understood\ntype: training\ndate: 2026-11-01\nmethod: read-and-understood\n"
        f"attendees: {attendees}\ndocuments: {documents}\nowner: qm\nclauses: {{iso9001: ['7.2']}}\n"
    )


BAD: dict[str, Case] = {
    # --- loader ---
    "front-matter-missing": Case(
        {DOC: "# Document control\n\nNo front matter here.\n"},
        [Expect(1, ("no front matter", "start the file with '---'"), id=None)],
    ),
    "front-matter-invalid": Case(
        {DOC: front("id: PRO-001\ntitle: Document control\ntype: procedure: nested\n")},
        [Expect(4, ("YAML syntax error", "mapping values are not allowed"), id=None)],
    ),
    "duplicate-key": Case(
        {DOC: front(BASE + "owner: md\n")},
        [Expect(14, ("key 'owner' appears twice", "first on line 7"))],
    ),
    "encoding": Case(
        {DOC: b"---\nid: PRO-001\ntitle: Caf\xe9\n---\n"},
        [Expect(3, ("0xe9 is not valid UTF-8", "save the file as UTF-8"), id=None)],
    ),
    "file-too-large": Case(
        {DOC: front(BASE, body="x" * 2000)},
        [Expect(1, ("over the limit of 1,024", "limits.max_file_bytes"), id=None)],
        config={"limits": {"max_file_bytes": 1024}},
    ),
    "outside-repo": Case(
        {},
        [Expect(1, ("outside the repository", "not followed"), path="procedures/link.md", id=None)],
        setup=outside_symlink,
    ),
    "unreadable": Case(
        {},
        [Expect(1, ("broken symlink", "fix or remove the link"), path="procedures/link.md", id=None)],
        setup=broken_symlink,
    ),
    "markdown-suffix": Case(
        {"procedures/Doc.MD": front(BASE)},
        [Expect(1, ("file name ends in .MD", "rename it to end in .md"), path="procedures/Doc.MD")],
    ),
    "soa-invalid": Case(
        {DOC: front(BASE), "soa.yml": "# decisions\ncontrols: [A.5.1]\n"},
        [Expect(2, ("must be a mapping with 'controls:'", "e.g. A.5.1: {applicable: true"), path="soa.yml", id=None)],
    ),
    # --- schema and identity ---
    "schema": Case(
        {DOC: front(edit(("classification: internal", "classification: secret")))},
        [Expect(11, ("classification: 'secret' is not one of public | internal | confidential | restricted",))],
    ),
    "duplicate-id": Case(
        {"procedures/a.md": front(BASE), "procedures/b.md": front(BASE)},
        [
            Expect(2, ("also used by procedures/b.md", "give each document its own id"), path="procedures/a.md"),
            Expect(2, ("also used by procedures/a.md", "give each document its own id"), path="procedures/b.md"),
        ],
    ),
    "id-prefix": Case(
        {DOC: front(edit(("PRO-001", "POL-001")))},
        [Expect(2, ("has prefix POL", "rename it PRO-NNN"), id="POL-001")],
    ),
    "wrong-folder": Case(
        {"policies/doc.md": front(BASE)},
        [Expect(4, ("belongs in procedures/, not policies/", "move the file"), path="policies/doc.md")],
    ),
    # --- people ---
    "unknown-owner": Case(
        {DOC: front(edit(("owner: qm", "owner: qmm")))},
        [Expect(7, ("owner 'qmm' is not a key of people", "did you mean 'qm'", "add the person"))],
    ),
    "unknown-approver": Case(
        {DOC: front(edit(("approved_by: [md]", "approved_by:\n  - md\n  - boss")))},
        [Expect(10, ("approved_by 'boss' is not a key of people", "use a listed key"))],
    ),
    "self-approval": Case(
        {DOC: front(edit(("approved_by: [md]", "approved_by: [qm]")))},
        [Expect(8, ("owner qm also approved", "have someone independent approve it"))],
    ),
    "unknown-reviewer": Case(
        {DOC: front(edit(("last_reviewed: 2026-06-01", "last_reviewed: 2026-06-01\nreviewed_by: auditor")))},
        [Expect(11, ("reviewed_by 'auditor' is not a key of people", "use a listed key"))],
    ),
    "approval-missing": Case(
        {DOC: front(edit(("approved_by: [md]\n", "")))},
        [Expect(6, ("approved_by is missing", "record who approved it"))],
    ),
    # --- dates ---
    "date-in-future": Case(
        {DOC: front(edit(("approved_on: 2026-06-01", "approved_on: 2026-11-28")))},
        [Expect(9, ("approved_on 2026-11-28 is after today (2026-11-27)",))],
    ),
    "effective-before-approval": Case(
        {DOC: front(edit(("approved_on: 2026-06-01\n", "approved_on: 2026-06-01\neffective_date: 2026-05-31\n")))},
        [Expect(10, ("effective_date 2026-05-31 is before approved_on 2026-06-01",))],
    ),
    "review-overdue": Case(
        {DOC: front(edit(("last_reviewed: 2026-06-01", "last_reviewed: 2025-06-01")))},
        [Expect(10, ("due on 2026-06-01, 179 days ago", "owner Jane Smith (qm) should review it"))],
    ),
    "review-due-soon": Case(
        {DOC: front(edit(("last_reviewed: 2026-06-01", "last_reviewed: 2025-12-15")))},
        [Expect(10, ("due on 2026-12-15, in 18 days", "owner Jane Smith (qm) should plan it"))],
    ),
    "review-interval-too-long": Case(
        {DOC: front(edit(("classification:", "review_interval: 48\nclassification:")))},
        [Expect(11, ("review_interval 48 months is longer than the maximum of 36", "shorten it"))],
    ),
    # --- mapping ---
    "unmapped": Case(
        {DOC: front(edit(('clauses:\n  iso9001: ["7.5"]\n', "")))},
        [Expect(4, ("no clause mapping", "add clauses:"))],
    ),
    "unknown-standard": Case(
        {DOC: front(edit(("iso9001:", "iso9000:")))},
        [Expect(13, ("'iso9000' is no known standard", "did you mean iso9001?"))],
    ),
    "standard-not-in-scope": Case(
        {DOC: front(BASE + '  iso14001: ["7.5"]\n')},
        [Expect(14, ("ISO 14001:2015", "not in standards:", "add it to the scope or drop the mapping"))],
    ),
    "unknown-clause": Case(
        {DOC: front(BASE + '  iso27001: ["5.1", "A5.1"]\n')},
        [
            Expect(
                14, ("ISO/IEC 27001:2022 has no clause A5.1", "did you mean A.5.1 (Policies for information security)?")
            )
        ],
    ),
    # --- references ---
    "broken-reference": Case(
        {DOC: front(BASE + "related: [PRO-999]\n")},
        [Expect(14, ("PRO-999 is no document of this repository", "correct the id or remove it"))],
    ),
    "obsolete-reference": Case(
        {**OBSOLETE, DOC: front(BASE + "related: [PRO-003, PRO-002]\n")},
        [Expect(14, ("PRO-002 (Document control) is obsolete", "refer to PRO-003 instead"))],
    ),
    "broken-link": Case(
        {DOC: front(BASE, body="# Title\n\nFill in [the form](../forms/missing.md).\n")},
        [Expect(17, ("points to no file (forms/missing.md)", "correct the path or remove the link"))],
    ),
    "broken-root-link": Case(
        {DOC: front(BASE, body="# Title\n\n[Policy (PDF)](/policies/ISMS.05.01%20-%20Access.pdf)\n")},
        [Expect(17, ("/policies/ISMS.05.01%20-%20Access.pdf points to no file", "copy the file in"))],
    ),
    "attachment-not-published": Case(
        {DOC: front(BASE, body="# Title\n\nSee [the page](page.xht).\n"), "procedures/page.xht": "<html/>"},
        [Expect(17, ("link to page.xht", ".xht files are not published", "only passive types"))],
    ),
    "symlinked-attachment": Case(
        {DOC: front(BASE, body="# Title\n\n![diagram](diagram.png)\n"), "procedures/secret.md": "text"},
        [Expect(17, ("link to diagram.png", "a symlink to procedures/secret.md", "not a passive attachment type"))],
        setup=lambda repo: os.symlink("secret.md", repo.root / "procedures/diagram.png"),
    ),
    # --- content ---
    "unsafe-html": Case(
        {DOC: front(BASE, body='# Title\n\n<iframe src="https://evil.example"></iframe>\n')},
        [Expect(17, ("<iframe> element", "remove it"))],
    ),
    "title-markup": Case(
        {DOC: front(edit(("title: Document control", "title: Document <b>control</b>")))},
        [Expect(3, ("title holds HTML markup", "shows it as literal text", "plain text"))],
    ),
    "secret-in-document": Case(
        {DOC: front(BASE, body="# Title\n\nThe service account: password: " + "Tr0ub4dor&3\n")},
        [Expect(17, ("a password or token", "rotate the credential", "Git keeps every committed version"))],
    ),
    "list-indent": Case(
        {DOC: front(BASE, body="# Title\n\n1. Assess:\n   - quality;\n   - safety.\n2. Approve.\n")},
        [Expect(18, ("nested list item indented 3 space(s)", "four spaces per level"))],
    ),
    "placeholder": Case(
        {DOC: front(BASE, body="# Title\n\nEscalate to [TBD].\n")},
        [Expect(17, ("placeholder text ([TBD])", "set the status back to draft"))],
    ),
    # --- the site's mkdocs.yml (read as untrusted input, see tests/test_site_config.py) ---
    "mkdocs-config-refused": Case(
        {DOC: front(BASE), "mkdocs.yml": "site_name: Manual\ntheme:\n  name: material\nhooks: [evil.py]\n"},
        [Expect(4, ("hooks: is not taken", "Python files the engine runs"), path="mkdocs.yml", id=None)],
    ),
    # --- training and awareness ---
    "unknown-audience": Case(
        {DOC: front(BASE + "audience: [everyone, production]\n")},
        [Expect(14, ("'production' is no group, no person and not everyone", "groups: none yet"))],
        config={"rules": {"training-overdue": "off"}},
    ),
    "training-due": Case(
        {DOC: front(RECENT + "audience: [everyone]\n"), TRN: trn("[md]")},
        [Expect(14, ("due by 2026-12-20 (23 days left)", "2 of 3 people", "qm, ciso", "isodocs acknowledge PRO-001"))],
    ),
    "training-overdue": Case(
        {DOC: front(edit(('"1.0"', '"2.0"')) + "audience: [everyone]\n"), TRN: trn("[qm, md]")},
        [Expect(14, ("was due by 2026-07-01", "3 of 3 people", "qm, md, ciso", "2 of them trained on an earlier"))],
        config={"rules": {"training-version-unknown": "off"}},
    ),
    "training-version-unknown": Case(
        {DOC: front(BASE), TRN: trn(documents='{PRO-001: "1.2"}')},
        [Expect(8, ("PRO-001 never had version 1.2", "current version is 1.0"), path=TRN, id="TRN-001")],
    ),
}

# Near misses: each must give no finding of its rule.
GOOD: dict[str, Case] = {
    "front-matter-missing": Case({DOC: front(BASE)}),
    "front-matter-invalid": Case({DOC: front(BASE)}),
    "duplicate-key": Case({DOC: front(BASE)}),
    "encoding": Case({DOC: front(BASE.replace("Document control", "Café control")).encode("utf-8")}),
    "file-too-large": Case({DOC: front(BASE, body="x" * 200)}, config={"limits": {"max_file_bytes": 1024}}),
    "outside-repo": Case({DOC: front(BASE)}, setup=inside_symlink),
    "markdown-suffix": Case({"procedures/README.MD": "a section page, not a document\n", DOC: front(BASE)}),
    "unreadable": Case({DOC: front(BASE), "procedures/link.md": front(edit(("PRO-001", "PRO-002")))}),
    "soa-invalid": Case({DOC: front(BASE), "soa.yml": "controls:\n  A.5.1: {applicable: true, status: implemented}\n"}),
    "schema": Case({DOC: front(BASE)}),
    "duplicate-id": Case({"procedures/a.md": front(BASE), "procedures/b.md": front(edit(("PRO-001", "PRO-002")))}),
    "id-prefix": Case({DOC: front(edit(("PRO-001", "WI-001"), ("type: procedure", "type: work-instruction")))}),
    "wrong-folder": Case({"records/form.md": front(edit(("PRO-001", "FRM-001"), ("type: procedure", "type: form")))}),
    "unknown-owner": Case({DOC: front(BASE)}),
    "unknown-approver": Case({DOC: front(edit(("approved_by: [md]", "approved_by: [md, ciso]")))}),
    "self-approval": Case({DOC: front(BASE)}),
    "unknown-reviewer": Case(
        {DOC: front(edit(("last_reviewed: 2026-06-01", "last_reviewed: 2026-06-01\nreviewed_by: ciso")))}
    ),
    "approval-missing": Case(
        {DOC: front(edit(("approved_by: [md]\n", ""), ("status: approved", "status: in-review")))}
    ),
    "date-in-future": Case({DOC: front(edit(("approved_on: 2026-06-01", "approved_on: 2026-11-27")))}),
    "effective-before-approval": Case(
        {DOC: front(edit(("approved_on: 2026-06-01\n", "approved_on: 2026-06-01\neffective_date: 2026-06-01\n")))}
    ),
    # next review exactly today: due, not overdue
    "review-overdue": Case({DOC: front(edit(("last_reviewed: 2026-06-01", "last_reviewed: 2025-11-27")))}),
    # next review in 31 days, one past the 30-day window
    "review-due-soon": Case({DOC: front(edit(("last_reviewed: 2026-06-01", "last_reviewed: 2025-12-28")))}),
    "review-interval-too-long": Case({DOC: front(edit(("classification:", "review_interval: 36\nclassification:")))}),
    # an obsolete document needs no mapping
    "unmapped": Case(
        {DOC: front(edit(('clauses:\n  iso9001: ["7.5"]\n', ""), ("status: approved", "status: obsolete")))}
    ),
    "unknown-standard": Case({DOC: front(BASE + '  iso14001: ["7.5"]\n')}),
    "standard-not-in-scope": Case({DOC: front(BASE + '  iso27001: ["A.5.1"]\n')}),
    "unknown-clause": Case({DOC: front(BASE + '  iso27001: ["5.1", "A.5.1", "A.8.34"]\n')}),
    "broken-reference": Case({**OBSOLETE, DOC: front(BASE + "related: [PRO-003]\nsupersedes: PRO-002\n")}),
    # supersedes may name an obsolete document; a draft may still refer to one
    "obsolete-reference": Case(
        {**OBSOLETE, DOC: front(edit(("status: approved", "status: draft")) + "related: [PRO-002]\n")}
    ),
    # a passive type beside the documents; a link to the .svg on a web page is no attachment
    "attachment-not-published": Case(
        {DOC: front(BASE, body="# Title\n\n![a](a.png) [b](https://example.org/b.svg)\n"), "procedures/a.png": "x"}
    ),
    # a symlink to a publishable file is fine
    "symlinked-attachment": Case(
        {DOC: front(BASE, body="# Title\n\n![diagram](diagram.png)\n"), "procedures/real.png": "x"},
        setup=lambda repo: os.symlink("real.png", repo.root / "procedures/diagram.png"),
    ),
    "broken-link": Case(
        {
            "forms/form.md": front(edit(("PRO-001", "FRM-001"), ("type: procedure", "type: form"))),
            DOC: front(
                BASE,
                body="# Title\n\n[form](../forms/form.md), [web](https://example.org/x.md), [top](#title)\n\n"
                "```\n[code](missing.md)\n```\n\nInline `[code](missing.md)` too.\n",
            ),
        }
    ),
    "broken-root-link": Case(
        {
            "policies/files/a b.pdf": "%PDF",
            DOC: front(
                BASE,
                body="# Title\n\n[pdf](/policies/files/a%20b.pdf), [web](//cdn.example/x.js)\n\n"
                "```\n[code](/missing.pdf)\n```\n",
            ),
        }
    ),
    "unsafe-html": Case({DOC: front(BASE, body="# Title\n\nShown as code: `<iframe src=x>`.\n")}),
    "title-markup": Case({DOC: front(edit(("title: Document control", "title: Health & Safety: a < b, <= 3")))}),
    "secret-in-document": Case({DOC: front(BASE, body="# Title\n\nPasswords must be at least 14 characters.\n")}),
    # a draft may hold placeholders
    "list-indent": Case(
        {DOC: front(BASE, body="# T\n\n1. Assess:\n    - quality;\n        - torque\n2. Approve.\n\n - a\n - b\n")}
    ),
    "placeholder": Case({DOC: front(edit(("status: approved", "status: draft")), body="# Title\n\n[TBD]\n")}),
    "mkdocs-config-refused": Case(
        {DOC: front(BASE), "mkdocs.yml": "site_name: Manual\ntheme:\n  name: material\n  features: [navigation.tabs]\n"}
    ),
    # --- training and awareness ---
    "unknown-audience": Case({DOC: front(BASE + "audience: [everyone, qm]\n"), TRN: trn()}),
    "training-due": Case({DOC: front(RECENT + "audience: [everyone]\n"), TRN: trn(documents='{PRO-001: "1.0"}')}),
    # a minor version after the training needs none (retrain_on: major)
    "training-overdue": Case({DOC: front(edit(('"1.0"', '"1.3"')) + "audience: [qm, md]\n"), TRN: trn("[qm, md]")}),
    "training-version-unknown": Case({DOC: front(BASE), TRN: trn()}),
}

# --- the improvement cycle: an audit and a nonconformity (line numbers as commented) ---
AUD_DOC, NC_DOC = "records/audit.md", "records/nc.md"
AUD = """\
id: AUD-001
title: Internal audit of document control
type: audit
status: completed
owner: qm
lead_auditor: ciso
auditors: [md]
auditees: [qm]
start: 2026-05-18
end: 2026-05-19
scope:
  iso9001: ["7.5"]
documents: [PRO-001]
conclusion: Conforming.
classification: internal
"""  # id 2, lead_auditor 7, auditors 8, auditees 9, start 10, end 11, scope 12, documents 14
NC = """\
id: NC-001
title: Torque driver used past its calibration date
type: nonconformity
status: open
grade: minor
source: audit
audit: AUD-001
raised: 2026-10-20
raised_by: ciso
owner: qm
against: {iso9001: ["7.1.5.1"]}
root_cause: Ancillary tools were not linked to their stations.
actions:
  - {action: Link the ancillary tools to their stations, owner: qm, due: 2026-12-19}
effectiveness:
  due: 2027-01-31
classification: internal
"""  # status 5, raised 9, raised_by 10, actions 14, action 0 on 15, effectiveness 16, its due 17
CLOSED_NC = edit(
    ("status: open", "status: closed"),
    ("due: 2026-12-19}", "due: 2026-12-19, done: 2026-11-02}"),
    (
        "  due: 2027-01-31\n",
        "  due: 2026-11-20\n  checked: 2026-11-20\n  by: md\n  result: effective\nclosed: 2026-11-21\n",
    ),
    text=NC,
)


def cycle(nc: str = NC, audit: str = AUD) -> dict[str, str | bytes]:
    """The base procedure (PRO-001, owned by qm), an audit of it and a nonconformity it raised."""
    return {DOC: front(BASE), AUD_DOC: front(audit), NC_DOC: front(nc)}


def in_nc(line: int, *says: str) -> Expect:
    return Expect(line, says, path=NC_DOC, id="NC-001")


def in_audit(line: int, *says: str) -> Expect:
    return Expect(line, says, path=AUD_DOC, id="AUD-001")


BAD.update(
    {
        "unknown-person": Case(
            cycle(edit(("raised_by: ciso", "raised_by: cso"), ("owner: qm, due", "owner: tcl, due"), text=NC)),
            [
                in_nc(10, "raised_by: 'cso' is not a key of people", "did you mean 'ciso'?"),
                in_nc(15, "actions.0.owner: 'tcl'", "add the person there"),
            ],
        ),
        "action-overdue": Case(
            cycle(edit(("due: 2026-12-19", "due: 2026-11-01"), text=NC)),
            [
                in_nc(
                    15,
                    "action 1 'Link the ancillary tools",
                    "qm (Jane Smith)",
                    "2026-11-01 (26 days ago)",
                    "done: DATE",
                )
            ],
        ),
        "audit-overdue": Case(
            cycle(
                audit=edit(("status: completed", "status: planned"), ("end: 2026-05-19", "end: 2026-11-20"), text=AUD)
            ),
            [
                in_audit(
                    11, "planned to end 2026-11-20 (7 days ago)", "ciso (Ann Lee)", "status: completed", "cancelled"
                )
            ],
        ),
        "auditor-not-independent": Case(
            cycle(audit=edit(("auditors: [md]", "auditors: [qm]"), ("auditees: [qm]", "auditees: [md]"), text=AUD)),
            [in_audit(8, "auditor qm (Jane Smith) owns PRO-001", "choose another auditor")],
        ),
        "nonconformity-closed-early": Case(
            cycle(
                edit(
                    ("status: open", "status: closed"),
                    ("  due: 2027-01-31\n", "  due: 2027-01-31\nclosed: 2026-11-20\n"),
                    text=NC,
                )
            ),
            [
                in_nc(15, "action 1 'Link the ancillary tools", "has no done date", "set status: open"),
                in_nc(16, "without an effectiveness check", "result: effective"),
            ],
        ),
        "effectiveness-check-overdue": Case(
            cycle(edit(("due: 2027-01-31", "due: 2026-11-01"), text=NC)),
            [in_nc(17, "effectiveness check of NC-001 was due 2026-11-01 (26 days ago)", "qm (Jane Smith)")],
        ),
        "nonconformity-without-action": Case(
            cycle(
                edit(("raised: 2026-10-20", "raised: 2026-09-01"), text=NC).replace(
                    "actions:\n  - {action: Link the ancillary tools to their stations, owner: qm, due: 2026-12-19}\n",
                    "",
                )
            ),
            [in_nc(9, "raised 2026-09-01, 87 days ago, and has no action", "action_days: 30", "qm (Jane Smith)")],
        ),
    }
)
GOOD.update(
    {
        "unknown-person": Case(cycle()),
        # due today is not overdue; a late action that is done is not either
        "action-overdue": Case(
            cycle(
                edit(
                    (
                        "due: 2026-12-19}",
                        "due: 2026-11-27}\n  - {action: Old, owner: md, due: 2026-01-01, done: 2026-02-01}",
                    ),
                    text=NC,
                )
            )
        ),
        "audit-overdue": Case(
            cycle(
                audit=edit(("status: completed", "status: planned"), ("end: 2026-05-19", "end: 2026-11-27"), text=AUD)
            )
        ),
        "auditor-not-independent": Case(cycle()),
        "nonconformity-closed-early": Case(cycle(CLOSED_NC)),
        "effectiveness-check-overdue": Case(cycle(edit(("due: 2027-01-31", "due: 2026-11-27"), text=NC))),
        # open exactly action_days: not yet late; an observation needs no action
        "nonconformity-without-action": Case(
            cycle(
                edit(("raised: 2026-10-20", "raised: 2026-10-28"), text=NC).replace(
                    "actions:\n  - {action: Link the ancillary tools to their stations, owner: qm, due: 2026-12-19}\n",
                    "",
                )
            )
        ),
    }
)


TESTED_SCOPES = ("document", "loader")


def build(repo: RepoBuilder, case: Case) -> None:
    if case.config:
        repo.config(**case.config)
    for rel, content in case.files.items():
        repo.write(rel, content)
    if case.setup:
        case.setup(repo)


def slugs_in_scope() -> list[str]:
    return [slug for slug, rule in REGISTRY.items() if rule.scope in TESTED_SCOPES]


@pytest.mark.parametrize("slug", slugs_in_scope())
def test_every_rule_has_fixtures(slug):
    assert slug in BAD, f"rule {slug} has no bad fixture in tests/test_rules.py"
    assert slug in GOOD, f"rule {slug} has no good fixture in tests/test_rules.py"


def test_fixtures_name_registered_rules():
    assert set(BAD) <= set(REGISTRY) and set(GOOD) <= set(REGISTRY)


@pytest.mark.parametrize("slug", sorted(BAD))
def test_bad_fixture_gives_exactly_the_expected_findings(slug, repo, run_check):
    case = BAD[slug]
    build(repo, case)
    findings = [f for f in run_check(repo).findings if f.rule == slug]
    got = [(f.path, f.line, f.severity, f.id) for f in findings]
    wanted = [(e.path, e.line, e.severity or REGISTRY[slug].severity, e.id) for e in case.expect]
    assert got == wanted, findings
    for finding, expect in zip(findings, case.expect, strict=True):
        for text in expect.says:
            assert text in finding.message, (text, finding.message)


@pytest.mark.parametrize("slug", sorted(GOOD))
def test_good_fixture_gives_no_finding(slug, repo, run_check):
    build(repo, GOOD[slug])
    findings = run_check(repo).findings
    assert [f for f in findings if f.rule == slug] == []


def test_base_document_is_clean(repo, run_check):
    repo.write(DOC, front(BASE))
    assert run_check(repo).findings == []


# --- rule details beyond the one bad fixture ---


def findings_of(result, slug):
    return [f for f in result.findings if f.rule == slug]


@pytest.mark.parametrize(
    ("standard", "written", "suggested"),
    [
        ("iso27001", "A5.1", "A.5.1"),
        ("iso27001", "a.5.1", "A.5.1"),
        ("iso27001", "A8.34", "A.8.34"),
        ("iso27001", "5.37", "A.5.37"),  # a control written without its "A."
        ("iso27001", "A.5.38", "A.5.37"),  # past the last control of its theme
        ("iso27001", "A.8.35", "A.8.34"),
        ("iso9001", "7.5.4", "7.5.3"),  # the nearest sibling, not 8.5.4
        ("iso9001", "8.5.1.2", "8.5.1"),  # a parent without sub-clauses
        ("iso9001", "7.5.", "7.5"),
        ("iso9001", "75", "7.5"),
    ],
)
def test_unknown_clause_suggests_the_nearest_id(repo, run_check, standard, written, suggested):
    repo.write(DOC, front(BASE + f'  {standard}: ["{written}"]\n'))
    [finding] = findings_of(run_check(repo), "unknown-clause")
    assert f"has no clause {written}: did you mean {suggested} (" in finding.message
    assert finding.line == 14


@pytest.mark.parametrize("written", ["A.5.1", "a5.1", "A 5.1"])
def test_an_annex_a_control_under_another_standard_says_where_it_belongs(repo, run_check, written):
    repo.write(DOC, front(BASE + f'  iso9001: ["7.5", "{written}"]\n'))
    [finding] = findings_of(run_check(repo), "unknown-clause")
    assert f"ISO 9001:2015 has no clause {written}: {written} is a control of ISO/IEC 27001:2022" in finding.message
    assert "list it under iso27001" in finding.message and "did you mean" not in finding.message


def test_unknown_clause_on_the_line_of_its_list_item(repo, run_check):
    repo.write(DOC, front(BASE.replace('  iso9001: ["7.5"]\n', '  iso9001:\n    - "7.5"\n    - "7.5.4"\n')))
    [finding] = findings_of(run_check(repo), "unknown-clause")
    assert finding.line == 15


def test_review_overdue_on_explicit_next_review_line(repo, run_check):
    repo.write(DOC, front(BASE + "next_review: 2026-11-26\n"))
    [finding] = findings_of(run_check(repo), "review-overdue")
    assert finding.line == 14
    assert "1 day ago" in finding.message and "Jane Smith (qm)" in finding.message


def test_review_overdue_counts_in_review_documents_not_drafts(repo, run_check):
    overdue = edit(("last_reviewed: 2026-06-01", "last_reviewed: 2025-01-01"))
    repo.write("procedures/review.md", front(edit(("status: approved", "status: in-review"), text=overdue)))
    repo.write(
        "procedures/draft.md", front(edit(("PRO-001", "PRO-002"), ("status: approved", "status: draft"), text=overdue))
    )
    assert [f.path for f in findings_of(run_check(repo), "review-overdue")] == ["procedures/review.md"]


@pytest.mark.parametrize(("last_reviewed", "days"), [("2025-11-27", 0), ("2025-12-27", 30)])
def test_review_due_soon_window_includes_both_ends(repo, run_check, last_reviewed, days):
    repo.write(DOC, front(edit(("last_reviewed: 2026-06-01", f"last_reviewed: {last_reviewed}"))))
    [finding] = findings_of(run_check(repo), "review-due-soon")
    assert f"in {days} day" in finding.message


def test_review_interval_uses_document_interval(repo, run_check):
    repo.write(DOC, front(edit(("classification:", "review_interval: 6\nclassification:"))))
    # 2026-06-01 + 6 months = 2026-12-01: due in 4 days
    [finding] = findings_of(run_check(repo), "review-due-soon")
    assert "due on 2026-12-01, in 4 days" in finding.message


def test_review_interval_too_long_for_explicit_next_review(repo, run_check):
    repo.write(DOC, front(BASE + "next_review: 2029-06-02\n"))
    [finding] = findings_of(run_check(repo), "review-interval-too-long")
    assert finding.line == 14 and "set it no later than 2029-06-01" in finding.message


@pytest.mark.parametrize(("status", "severity"), [("draft", W), ("in-review", E), ("approved", E), ("obsolete", None)])
def test_unmapped_severity_follows_status(repo, run_check, status, severity):
    text = edit(('clauses:\n  iso9001: ["7.5"]\n', ""), ("status: approved", f"status: {status}"))
    repo.write(DOC, front(text))
    found = findings_of(run_check(repo), "unmapped")
    assert [f.severity for f in found] == ([severity] if severity else [])


def test_unmapped_with_empty_clauses_points_at_clauses(repo, run_check):
    repo.write(DOC, front(edit(('clauses:\n  iso9001: ["7.5"]\n', "clauses:\n  iso9001: []\n"))))
    [finding] = findings_of(run_check(repo), "unmapped")
    assert finding.line == 12


def test_records_need_a_mapping_like_approved_documents(repo, run_check):
    repo.write(
        "records/audit.md",
        front("id: REC-001\ntitle: Audit\ntype: record\ndate: 2026-05-01\nretention_years: 6\nowner: qm\n"),
    )
    [finding] = findings_of(run_check(repo), "unmapped")
    assert finding.severity == E and finding.id == "REC-001"


def test_unquoted_version_says_to_quote_it(repo, run_check):
    repo.write(DOC, front(edit(('version: "1.0"', "version: 1.10"))))
    [finding] = findings_of(run_check(repo), "schema")
    assert finding.line == 5
    assert 'version: 1.10 is a number to YAML (read as 1.1); quote it: version: "1.10"' in finding.message


def test_impossible_date_is_a_schema_finding_on_its_line(repo, run_check):
    repo.write(DOC, front(edit(("approved_on: 2026-06-01", "approved_on: 2026-02-30"))))
    [finding] = findings_of(run_check(repo), "schema")
    assert finding.line == 9 and "approved_on: 2026-02-30 is not a real calendar date" in finding.message


def test_schema_names_the_missing_field(repo, run_check):
    repo.write(DOC, front(edit(("title: Document control\n", ""))))
    [finding] = findings_of(run_check(repo), "schema")
    assert finding.message == "missing required field: title"
    assert finding.line == 3  # the type, which decides what is required


def test_schema_names_an_unknown_field(repo, run_check):
    repo.write(DOC, front(BASE + "colour: blue\n"))
    [finding] = findings_of(run_check(repo), "schema")
    assert "unknown field colour" in finding.message


def test_record_with_review_fields_is_told_to_remove_them(repo, run_check):
    repo.write(
        "records/audit.md",
        front(
            "id: REC-001\ntitle: Audit\ntype: record\ndate: 2026-05-01\nretention_years: 6\nowner: qm\n"
            'version: "1.0"\nclauses:\n  iso9001: ["9.2.2"]\n'
        ),
    )
    [finding] = findings_of(run_check(repo), "schema")
    assert finding.line == 8 and "version: not allowed on a record" in finding.message


# --- severities from isodocs.yml ---


OVERDUE = front(edit(("last_reviewed: 2026-06-01", "last_reviewed: 2025-06-01")))


@pytest.mark.parametrize(
    ("setting", "severity"),
    [("warning", W), ("error", E), ("off", None), (False, None)],
)
def test_rule_severity_can_be_overridden(repo, run_check, setting, severity):
    repo.config(rules={"review-overdue": setting})
    repo.write(DOC, OVERDUE)
    found = findings_of(run_check(repo), "review-overdue")
    assert [f.severity for f in found] == ([severity] if severity else [])


def test_bare_yaml_off_disables_a_rule(repo, run_check):
    text = yaml.safe_dump(BASE_CONFIG, sort_keys=False) + "rules:\n  review-overdue: off\n  self-approval: error\n"
    repo.write("isodocs.yml", text)
    repo.write(DOC, front(edit(("last_reviewed: 2026-06-01", "last_reviewed: 2025-06-01"), ("[md]", "[qm]"))))
    result = run_check(repo)
    assert findings_of(result, "review-overdue") == []
    assert [f.severity for f in findings_of(result, "self-approval")] == [E]


def test_override_of_a_loader_rule(repo, run_check):
    repo.config(rules={"duplicate-key": "warning"})
    repo.write(DOC, front(BASE + "owner: qm\n"))
    assert [f.severity for f in findings_of(run_check(repo), "duplicate-key")] == [W]


def test_configured_severity_wins_over_the_draft_warning(repo, run_check):
    repo.config(rules={"unmapped": "error"})
    repo.write(DOC, front(edit(('clauses:\n  iso9001: ["7.5"]\n', ""), ("status: approved", "status: draft"))))
    assert [f.severity for f in findings_of(run_check(repo), "unmapped")] == [E]


def test_unknown_rule_slug_in_config_is_a_usage_error(repo, run_check):
    from isodocs.errors import UsageError

    text = yaml.safe_dump(BASE_CONFIG, sort_keys=False) + "rules:\n  review-overdue: warning\n  review-overdew: off\n"
    repo.write("isodocs.yml", text)
    with pytest.raises(UsageError) as caught:
        run_check(repo)
    error = caught.value
    assert error.path == "isodocs.yml"
    assert error.line == text.count("\n")  # the misspelt key is the last line
    assert "'review-overdew' is no rule" in error.message and "Did you mean review-overdue?" in error.message


# --- objectives and management reviews (line numbers as commented) ---
OBJ_DOC, MR_DOC = "objectives/obj.md", "records/mr.md"
OBJ = """\
id: OBJ-001
title: Orders shipped on time
type: objective
version: "1.0"
status: approved
owner: qm
approved_by: [md]
approved_on: 2026-06-01
last_reviewed: 2026-06-01
classification: internal
clauses:
  iso9001: ["6.2"]
measure: Share of orders shipped on or before the confirmed date
unit: "%"
baseline: 91.5
target: 95
due: 2026-12-31
progress: on-track
results:
  - {date: 2026-09-30, value: 92.8}
  - {date: 2026-10-31, value: 94.1}
actions:
  - {action: Daily dispatch stand-up, owner: qm, due: 2026-12-15}
"""  # due 18, progress 19, results 20, action 0 on 24
# The inputs ISO 9001 and ISO/IEC 27001 require of a review, each once (the test scope).
MR_INPUTS = (
    "previous-actions context-changes customer-satisfaction objectives process-performance nonconformities "
    "monitoring-results audit-results external-providers resources risks-opportunities improvement "
    "interested-parties communications risk-treatment"
).split()
MR = (
    """\
id: MR-001
title: Management review, October 2026
type: management-review
status: held
date: 2026-10-14
owner: qm
chair: md
attendees: [qm, ciso]
classification: internal
inputs:
"""
    + "".join(f"  {slug}: section {number}\n" for number, slug in enumerate(MR_INPUTS, start=1))
    + """\
actions:
  - {action: Second source for the power supply, owner: ciso, due: 2027-01-31}
"""
)  # status 5, date 6, inputs 11, the inputs from 12 (resources on 21, communications on 25), action 0 on 28
OBJECTIVES_PATHS = {"paths": ["policies", "procedures", "forms", "records", "objectives"]}


def objective(text: str = OBJ) -> Case:
    return Case({OBJ_DOC: front(text)}, config=OBJECTIVES_PATHS)


def in_obj(line: int, *says: str) -> Expect:
    return Expect(line, says, path=OBJ_DOC, id="OBJ-001")


def in_mr(line: int, *says: str) -> Expect:
    return Expect(line, says, path=MR_DOC, id="MR-001")


BAD.update(
    {
        "objective-overdue": Case(
            objective(edit(("due: 2026-12-31", "due: 2026-11-20"), text=OBJ)).files,
            [
                in_obj(
                    18,
                    "OBJ-001 was due 2026-11-20",
                    "target >= 95 %",
                    "latest result 94.1 % on 2026-10-31",
                    "qm (Jane Smith)",
                    "achieved, missed or cancelled",
                )
            ],
            config=OBJECTIVES_PATHS,
        ),
        "objective-unmeasured": Case(
            objective(
                edit(("date: 2026-09-30", "date: 2026-03-31"), ("date: 2026-10-31", "date: 2026-05-15"), text=OBJ)
            ).files,
            [in_obj(20, "every 6 months", "latest result is of 2026-05-15", "due again by 2026-11-15", "results")],
            config=OBJECTIVES_PATHS,
        ),
        "management-review-input-missing": Case(
            {MR_DOC: front(edit(("  communications: section 14\n", ""), text=MR))},
            [
                in_mr(
                    11,
                    "ISO/IEC 27001:2022 9.3.2 e) feedback from interested parties (communications) not addressed",
                    "write under inputs:",
                )
            ],
        ),
        "unknown-review-input": Case(
            {MR_DOC: front(edit(("  resources:", "  resource:"), text=MR))},
            [in_mr(21, "inputs: 'resource' is no input", "did you mean 'resources'?")],
        ),
        "management-review-overdue": Case(
            {MR_DOC: front(edit(("date: 2026-10-14", "date: 2025-10-14"), text=MR))},
            [in_mr(6, "no management review was held since 2025-11-27", "the last was MR-001 on 2025-10-14")],
        ),
    }
)
GOOD.update(
    {
        # past its due date, but achieved
        "objective-overdue": Case(
            objective(edit(("due: 2026-12-31", "due: 2026-11-20"), ("on-track", "achieved"), text=OBJ)).files,
            config=OBJECTIVES_PATHS,
        ),
        # the latest result is within six months
        "objective-unmeasured": objective(),
        "management-review-input-missing": Case({MR_DOC: front(MR)}),
        "unknown-review-input": Case({MR_DOC: front(MR)}),
        "management-review-overdue": Case({MR_DOC: front(MR)}),
    }
)
