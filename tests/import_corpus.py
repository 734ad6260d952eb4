"""A folder of 30 Word-era Markdown documents, as a quality manager might bring them in.

Mixed on purpose: files without front matter, comply policies (as comply writes them), docs-site
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
        # as comply writes it: no opening "---" (see COMPLY_REAL)
        files[f"comply/{name}"] = f"{front}---\n\n# {title}\n\nComply body for {acronym}.\n"
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


# --- sources in the formats their tools really write -----------------------------------------------
#
# comply (strongdm/comply, themes/comply-soc2): the header has NO opening "---"; it
# starts at line 1 and ends with a "---" line. Bodies start with "# Purpose and
# Scope", use pandoc's "a." / "i." list markers and nest them by 4 spaces after a
# blank line; some teams nest by 2 or 3. Narratives hold Go template fields.
COMPLY_REAL = {
    "comply/policies/access.md": (
        "name: Access Onboarding and Termination Policy\nacronym: AOTP\nlive: false\nsatisfies:\n  TSC:\n"
        "    - CC6.1\n    - CC6.2\nmajorRevisions:\n  - date: Jun 1 2018\n    comment: Initial document\n---\n"
        "# Purpose and Scope\n\na. This policy defines how users are onboarded and offboarded.\n\n"
        "a. It applies to all employees and contractors.\n\n# Policy\n\na. *During onboarding:*\n\n"
        "    i. The hiring manager informs HR of a new employee.\n\n"
        "    i. IT creates the accounts the role needs, approved by each\nresource's owner.\n\n"
        "a. *During offboarding:*\n\n    i. IT removes access within five business days.\n"
    ),
    "comply/policies/password.md": (
        "name: Password Policy\nacronym: PWP\nlive: false\nsatisfies:\n  TSC:\n    - CC9.9\n"
        "majorRevisions:\n  - date: Jun 1 2018\n    comment: Initial document\n---\n\n# Purpose and Scope\n\n"
        "a. How passwords are chosen and kept.\n\n# Policy\n\n- Rotation\n  - system passwords quarterly\n"
        "  - user passwords every six months\n   - at once when compromised\n"
    ),
    "comply/narratives/control.md": (
        "name: Control Environment Narrative\nacronym: CEN\nsatisfies:\n  TSC:\n    - CC2.1\n"
        "majorRevisions:\n  - date: Jun 1 2018\n    comment: Initial document\n---\n\n"
        "# Control Environment Narrative\n\nThe control structure of {{.Name}}.\n"
    ),
    "comply/procedures/onboarding.md": 'id: "onboard"\nname: "Onboard New User"\n---\n\n# Coming Soon',
}

# A Docusaurus ISMS portal (the layout of public ones): docs/ with numbered
# folders, an approved overview in index.md, a template partial, policies with
# the portal's own numbers (ISMS.05.01) in titles and zero-padded "controls", the
# policy text as a PDF under static/ linked root-relative, placeholders ([TBD]).
PORTAL = {
    "portal/docusaurus.config.ts": "export default {title: 'ISMS Portal', baseUrl: '/'};\n",
    "portal/docs/00-overview/index.md": (
        "---\ntitle: ISMS Overview\nstatus: approved\nowner: CISO\nversion: 1.0\neffective_date: 2025-08-13\n"
        "next_review: 2026-08-13\n---\n\nWelcome to the ISMS.\n\n:::tip [Policies](/docs/category/policies)\n"
        "Policies\n:::\n"
    ),
    "portal/docs/00-overview/_template-policy.md": (
        "---\ntitle: <Policy Name>\nstatus: draft        # draft | approved | superseded\nowner: <Role/Name>\n"
        "version: 1.0\ncontrols:\n  - iso27001:A.5.1\n---\n\n## Purpose\nOne paragraph.\n"
    ),
    "portal/docs/10-policies/isms-05-01-access-control-policy.md": (
        "---\ntitle: ISMS.05.01 - Access Control Policy\nstatus: draft\nowner: [TBD]\nclassification: Internal\n"
        "version: 1.0\neffective_date: [TBD]\nnext_review: [TBD]\ntags:\n  - iso27001\n  - policy\ncontrols:\n"
        "  - iso27001:A.05.01\npdf_download: /policies/ISMS.05.01%20-%20Access%20Control%20Policy.pdf\n---\n\n"
        "## Purpose\nRules for access rights.\n\n## References\n"
        "- [Download the Policy (PDF)](/policies/ISMS.05.01%20-%20Access%20Control%20Policy.pdf)\n"
    ),
    "portal/docs/10-policies/isms-10-01-incident-management-policy.md": (
        "---\ntitle: ISMS.10.01 - Incident Management Policy\nstatus: draft\nowner: [TBD]\nversion: 1.0\n"
        "controls:\n  - iso27001:A.10.01\n---\n\n## Purpose\nHow incidents are handled.\n\n"
        "- [Old PDF](/policies/missing.pdf)\n"
    ),
    "portal/docs/10-policies/access-control-policy.md": (
        "---\ntitle: Access Control Policy\nstatus: approved\nowner: CISO\nclassification: Internal\nversion: 1.10\n"
        "effective_date: 2025-08-13\nnext_review: 2026-08-13\ncontrols:\n  - iso27001:A.9.1\n"
        "  - iso27001:A.9.2.1\n---\n\n## Purpose\nUser access and privileges.\n"
    ),
    "portal/docs/30-procedures/user-access-provisioning.md": (
        "---\nid: SOP-17\ntitle: User Access Provisioning\nstatus: approved\nowner: Ann Lee\nversion: 1.0\n"
        "controls:\n  - iso27001:A.9.2.5\n---\n\n## Steps\n1. Validate the request.\n2. Create the account.\n"
    ),
    "portal/static/policies/ISMS.05.01 - Access Control Policy.pdf": b"%PDF-1.4 access control",
}


def write_real_corpus(folder: Path) -> None:
    """comply and Docusaurus sources as those tools write them, under ``folder``."""
    for rel, content in {**COMPLY_REAL, **PORTAL}.items():
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
