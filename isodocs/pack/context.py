"""What every section of the pack is made from (the context build.py fills), and the findings a pack may show."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from isodocs.model import Document
from isodocs.pack.html import Converter, LinkPolicy, Part, document_part, section_part
from isodocs.pack.revision import RevisionInfo
from isodocs.site.inputs import SiteInputs


@dataclass
class PackContext:
    """What every section of the pack is made from."""

    inputs: SiteInputs
    info: RevisionInfo
    tree: Path  # the repository at the revision
    level: str
    policy: LinkPolicy
    manual: list[Document]
    records: list[Document]
    forced: bool
    bodies: dict[str, str] = field(default_factory=dict)  # path -> body as it goes into the PDF
    converter: Converter = field(init=False)

    def __post_init__(self) -> None:
        # Every body first: its links decide which attachments are in the pack, and the
        # converter's link guard must know all of them before it converts any page.
        for doc in self.manual + self.records:
            self.inputs.system.complete(doc)  # a document from the parse cache: read its body now
            self.bodies[doc.path] = self.policy.body(doc)
        self.converter = Converter(sorted(self.policy.in_pack | set(self.policy.assets)))

    def part(self, doc: Document, group: str) -> Part:
        return document_part(self.inputs, doc, self.bodies[doc.path], self.converter, self.info, group)

    def section(self, title: str, markdown_page: str, group: str | None = None) -> Part:
        part = section_part(title, markdown_page, self.converter, self.info)
        part.group = group
        return part


def visible_findings(inputs: SiteInputs) -> tuple[list[dict[str, object]], int]:
    """The check's findings a pack may show, and how many it may only count.

    A finding about a withheld document is counted, not shown; the ids, paths
    and titles of withheld documents are taken out of the other messages.
    """
    withheld = inputs.withheld
    withheld_paths = {doc.path for doc in withheld}
    names = sorted(
        {name for doc in withheld for name in (doc.id, doc.path, doc.title) if name and len(name) > 2},
        key=len,
        reverse=True,
    )
    pattern = re.compile("|".join(map(re.escape, names))) if names else None
    shown, hidden = [], 0
    for finding in inputs.findings:
        if finding.path in withheld_paths:
            hidden += 1
            continue
        entry = finding.as_dict()
        if pattern is not None:
            entry["message"] = pattern.sub("[a document not in this pack]", str(entry["message"]))
            if entry.get("id") and pattern.fullmatch(str(entry["id"])):
                entry["id"] = None
        shown.append(entry)
    return shown, hidden
