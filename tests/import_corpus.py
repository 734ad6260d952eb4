"""A folder of 30 Word-era Markdown documents, as a quality manager might bring them in.

Mixed on purpose: files without front matter, comply-style policies, docs-site
ISMS pages with ISO 27001:2013 and 2022 controls, isodocs-style files, odd
encodings and line endings, and a few that cannot be read.
"""

from __future__ import annotations

from pathlib import Path

PLAIN = {
    "quality/document-control.md": "# Document control\n\nHow we control documents. See [audits](internal-audit.md).\n",
    "quality/internal-audit.md": "Internal audit\n==============\n\nWe audit once a year.\n",
    "quality/calibration.md": "Some text before any heading.\n\n## Calibration of gauges\n\nSteps.\n",
    "quality/no-heading.md": "just a paragraph with no heading at all\n",
    "quality/crlf.md": "# Supplier evaluation\r\n\r\nWindows line endings.\r\n",
    "quality/bom.md": "\ufeff# Customer complaints\n\nSaved by Word with a BOM.\n",
    "quality/fenced.md": "```sh\n# not a heading\n```\n\n# Backups of the ERP\n\nNightly.\n",
    "quality/with-image.md": "# Goods receipt\n\n![flow](img/flow.png)\n\nCheck the delivery note.\n",
    "quality/trailing.md": "# Training\n\n\n\nLots of blank lines kept.\n\n\n",
    "quality/unicode.md": "# Prüfmittelüberwachung — Übersicht\n\nÄ Ö Ü ß.\n",
}
COMPLY = [
    ("Access Onboarding and Termination Policy", "AOTP", ["CC6.1", "CC6.2", "CC6.3"]),
    ("Application Security Policy", "ASP", ["CC6.2"]),
    ("Availability Policy", "AP", ["A1.1", "A1.2"]),
    ("Business Continuity Policy", "BCP", ["A1.2", "A1.3"]),
    ("Change Management Policy", "CMP", ["CC8.1"]),
    ("Data Classification Policy", "DCP", ["CC9.9"]),
    ("Encryption Policy", "EP", ["CC6.1", "CC6.7"]),
    ("Incident Response Policy", "IRP", ["CC7.3", "CC7.4"]),
]
ISMS = [
    (
        "isms/access-control.md",
        "title: Access Control Policy\nowner: Jane Smith\nversion: 1.2\nstatus: approved\n"
        "controls: [iso27001:A.5.15, iso27001:A.5.18]\nnext_review: 2026-01-10\n",
    ),
    (
        "isms/user-access.md",
        "title: User access management\nowner: jsmith\nversion: 2\nstatus: published\n"
        "controls:\n  - ISO27001:2013 A.9.2.1\n  - ISO27001:2013 A.9.2.5\n  - A.9.4.1\nnext_review: 2025-06-30\n",
    ),
    ("isms/crypto.md", "title: Cryptography\nowner: IT Team\nversion: v3.1\ncontrols: [A.10.1.1, A.10.1.2]\n"),
    (
        "isms/logging.md",
        "title: Logging and monitoring\nowner: alee\nversion: '1.0'\n"
        "controls: ['iso27001:A.8.15', 'iso27001:A.8.16', 'iso27001:A.12.4']\nclassification: Confidential\n",
    ),
    (
        "isms/suppliers.md",
        "title: Supplier security\nowner: ann lee\nversion: 1.10\n"
        "controls: iso27001:A.15.1.1, iso27001:A.15.1.2\nreviewed: 2025-11-01\napprover: Raj Patel\n",
    ),
    (
        "isms/assets.md",
        "title: Asset management\nowner: ciso\nversion: 1.0.3\n"
        "controls: [iso27001:A.5.9, iso27001:A.99.1, iso9001:7.1.3]\ndepartment: IT\n",
    ),
    (
        "isms/clean-desk.md",
        "title: Clean desk\ncontrols: {iso27001: [A.7.7], ISO 27001:2013: [11.2.9]}\nclassification: top secret\n",
    ),
    (
        "isms/backup.md",
        "title: Backup\nowner: qm\ntags: [it, ops]\nsummary: How we back up\n"
        "controls: [iso27001:A.8.13, iso14001:6.1]\n",
    ),
]
NATIVE = [
    (
        "isms/policy-native.md",
        "id: PRO-050\ntitle: Vulnerability management\ntype: procedure\nversion: '1.1'\n"
        "status: approved\nowner: ciso\napproved_by: [md]\napproved_on: 2025-02-01\n"
        "clauses:\n  iso27001: [A.8.8]\n",
    ),
    (
        "isms/id-clash.md",
        "id: PRO-050\ntitle: Patch management\nversion: '0.3'\nowner: ciso\nclauses:\n  iso27001: [A.8.8, A.8.32]\n",
    ),
]
BROKEN = {
    "broken/bad-yaml.md": "---\ntitle: [unclosed\nowner: qm\n---\n# Bad\n",
    "broken/not-a-mapping.md": "---\n- a\n- b\n---\n# List front matter\n",
    "broken/toml.md": '+++\ntitle = "Hugo page"\nowner = "qm"\n+++\n# Hugo page\n\nTOML front matter.\n',
    "broken/unclosed.md": "---\ntitle: never closed\n\n# Heading\n",
    "broken/latin1.md": "# Caf\xe9\n".encode("latin-1"),
    "broken/README.md": "# About this folder\n",
}


def write_corpus(folder: Path) -> int:
    """Write the corpus under ``folder``; returns the number of .md files."""
    files: dict[str, str | bytes] = dict(PLAIN)
    for title, acronym, criteria in COMPLY:
        name = title.lower().replace(" ", "-") + ".md"
        front = (
            f"name: {title}\nacronym: {acronym}\nsatisfies:\n  TSC:\n"
            + "".join(f"    - {c}\n" for c in criteria)
            + "majorRevisions:\n  - date: Jun 1 2018\n    comment: Initial document\n"
        )
        files[f"comply/{name}"] = f"---\n{front}---\n\n# {title}\n\nComply body for {acronym}.\n"
    for rel, front in ISMS + NATIVE:
        files[rel] = f"---\n{front}---\n# {rel}\n\nSee [access](access-control.md).\n"
    files.update(BROKEN)
    for rel, content in files.items():
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_bytes(content.encode("utf-8"))
    (folder / "quality/img").mkdir(exist_ok=True)
    (folder / "quality/img/flow.png").write_bytes(b"\x89PNG fake")
    return len(files)
