#!/usr/bin/env python3
"""Generate a synthetic management-system repository for benchmarks.

    python benchmarks/generate.py OUT [--docs 1000] [--commits 2000] [--seed 1]

The result is a Git repository that isodocs can check: an ``isodocs.yml`` with
people, a ``soa.yml`` deciding every Annex A control, and N documents (policies,
procedures, work instructions, forms, records, external documents) in folders by
area and site, with front matter mapped to clauses of all four built-in
catalogues, ``related`` references and relative Markdown links between them. Its
history has M commits (default 2,000) from 2019 to 2026: an initial import, new
documents, revisions that bump the version, annual reviews and new records.

Everything is derived from one seeded ``random.Random``, and commits carry fixed
dates and authors, so the same arguments give the same files and the same commit
ids. The history is written by one ``git fast-import`` process (thousands of
commits in seconds) and the working tree is then checked out from it, so the
files on disk are exactly the last commit. A few deliberate problems (about one
document in 300: a broken reference, an unknown clause, an overdue review) keep
the reporters busy, as in a real repository.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

TODAY = dt.date(2026, 11, 27)  # run.py checks with --today of this date
HISTORY_START = dt.datetime(2019, 1, 7, 9, 0, tzinfo=dt.timezone.utc)
HISTORY_END = dt.datetime(2026, 11, 20, 17, 0, tzinfo=dt.timezone.utc)
REVIEW_WINDOW_DAYS = 345  # approved documents were last reviewed within this many days of HISTORY_END

# type -> (share of documents, id prefix, top folder)
TYPES = {
    "policy": (0.03, "POL", "policies"),
    "procedure": (0.14, "PRO", "procedures"),
    "work-instruction": (0.24, "WI", "procedures"),
    "form": (0.10, "FRM", "forms"),
    "record": (0.40, "REC", "records"),
    "external": (0.02, "EXT", "procedures"),
    "audit": (0.02, "AUD", "records"),  # about 1 audit per 50 documents
    "nonconformity": (0.05, "NC", "records"),  # about 1 nonconformity per 20
}
CYCLE_TYPES = ("audit", "nonconformity")  # records of the improvement cycle: one event, their own fields
AREAS = {
    "quality": "iso9001",
    "environment": "iso14001",
    "health-and-safety": "iso45001",
    "information-security": "iso27001",
    "operations": "iso9001",
    "engineering": "iso9001",
    "purchasing": "iso9001",
    "people": "iso45001",
    "facilities": "iso14001",
    "it": "iso27001",
}
SITE_SIZE = 5_000  # documents per site; larger groups get site folders

FIRST_NAMES = """Helen Daniel Priya Tom Sarah Mark Aisha Liam Fiona Rohan Claire Ben Grace Omar Lucy
Ahmed Chloe James Maria Ivan Nadia Peter Sofia Kwame Elena Hugo Mei Oliver Zara Jonas""".split()
LAST_NAMES = """Ashworth Okafor Raman Whitaker Lindqvist Brennan Khan Doyle McLeod Mehta Hughes Harrison
Novak Silva Kowalski Dubois Tanaka Osei Murphy Jensen Costa Fischer Moreau Evans Rossi""".split()
ROLES = """Quality Manager|Environmental Manager|Health and Safety Manager|Head of Information Security|
Operations Manager|HR Manager|IT Manager|Engineering Manager|Purchasing Manager|Site Director|
Production Supervisor|Laboratory Lead|Facilities Manager|Data Protection Officer|Internal Auditor""".replace(
    "\n", ""
).split("|")

TOPIC_VERBS = """Control of|Management of|Planning of|Review of|Monitoring of|Evaluation of|Handling of|
Calibration of|Inspection of|Maintenance of|Approval of|Training for|Reporting of|Verification of""".replace(
    "\n", ""
).split("|")
TOPIC_OBJECTS = """documented information|nonconforming output|supplier performance|customer complaints|
design changes|production equipment|test stations|chemical storage|waste streams|energy use|
contractors on site|hot work|working at height|lone working|access rights|privileged accounts|
backups|encryption keys|change requests|incidents|internal audits|management review inputs|
training records|competence|emergency drills|spill response|legal requirements|risk assessments|
objectives|customer property|product release|traceability|measuring equipment|software releases|
cloud services|remote working|visitor access|asset inventory|vulnerability scans|logging""".replace("\n", "").split("|")
RECORD_KINDS = """Internal audit report|Management review minutes|Training record|Calibration record|
Corrective action record|Supplier evaluation|Emergency drill record|Incident report|Risk register extract|
Release record|Design review record|Compliance evaluation|Waste transfer note|Access review|
Inspection record|Consultation record""".replace("\n", "").split("|")
WORDS = """the a of to and in for with by on each every record document owner site staff review
approved process control risk supplier customer product service change audit evidence training
measure monitor report action result plan check improve manager operator equipment system data
information security quality environment safety hazard incident requirement objective within
before after when where must shall should may responsible shift team procedure instruction form
retained maintained updated verified logged signed escalated agreed recorded scheduled""".split()

HEADINGS = ["Purpose", "Scope", "Responsibilities", "Procedure", "Records", "Definitions", "References"]


@dataclass
class Doc:
    index: int
    type: str
    id: str
    path: str
    title: str
    area: str
    owner: str
    approvers: list[str]
    classification: str
    status: str
    clauses: dict[str, list[str]]
    related: list[str] = field(default_factory=list)
    links: list[str] = field(default_factory=list)  # ids linked from the body
    retention: int = 6
    review_interval: int | None = None
    events: list[tuple[int, str]] = field(default_factory=list)  # (commit index, kind) in order
    paragraphs: list[str] = field(default_factory=list)


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def load_clause_ids() -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """Clause ids of each built-in catalogue, and those whose records must be retained."""
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from isodocs.readers.catalog import builtin_catalogs

    all_ids: dict[str, list[str]] = {}
    retain: dict[str, list[str]] = {}
    for key, catalog in builtin_catalogs().items():
        all_ids[key] = list(catalog.clauses)
        retain[key] = [c.id for c in catalog.clauses.values() if c.needs_record] or list(catalog.clauses)
    return all_ids, retain


def commit_time(index: int, commits: int) -> dt.datetime:
    span = (HISTORY_END - HISTORY_START).total_seconds()
    return HISTORY_START + dt.timedelta(seconds=int(span * index / max(1, commits - 1)))


class Generator:
    def __init__(self, docs: int, commits: int, seed: int) -> None:
        self.n = docs
        self.commits = commits
        self.rng = random.Random(seed)
        self.clause_ids, self.retain_ids = load_clause_ids()
        self.people = self._people()
        self.docs: list[Doc] = []
        self.by_id: dict[str, Doc] = {}

    # -- the organisation -------------------------------------------------------------

    def _people(self) -> dict[str, dict[str, str]]:
        count = max(12, min(200, self.n // 50))
        people: dict[str, dict[str, str]] = {}
        for number in range(1, count + 1):
            first, last = self.rng.choice(FIRST_NAMES), self.rng.choice(LAST_NAMES)
            key = f"{first[0]}{last}".lower() + (str(number) if number > 25 else "")
            while key in people:
                key += "x"
            people[key] = {
                "name": f"{first} {last}",
                "role": ROLES[number % len(ROLES)],
                "github": f"{key}-gen",
                "email": f"{key}@example.org",
            }
        return people

    def config_text(self) -> str:
        lines = [
            "# Synthetic management system generated by benchmarks/generate.py",
            "organization: Synthetic Group plc",
            "standards: [iso9001, iso14001, iso45001, iso27001]",
            "catalogs: []",
            "paths: [policies, procedures, forms, records]",
            "review:",
            "  interval_months: 12",
            "  max_interval_months: 36",
            "  warn_days: 30",
            "people:",
        ]
        for key, person in self.people.items():
            fields = ", ".join(f"{k}: {v}" for k, v in person.items())
            lines.append(f"  {key}: {{{fields}}}")
        lines += ["site:", "  max_classification: internal", "rules:", "  review-due-soon: warning", ""]
        return "\n".join(lines)

    def soa_text(self) -> str:
        lines = ["# Statement of Applicability decisions (synthetic)", "controls:"]
        for control in (c for c in self.clause_ids["iso27001"] if c.startswith("A.")):
            choice = self.rng.random()
            if choice < 0.04:
                lines.append(
                    f'  {control}: {{applicable: false, justification: "Not relevant to our sites and services"}}'
                )
            else:
                status = "implemented" if choice < 0.9 else ("partial" if choice < 0.96 else "planned")
                lines.append(f"  {control}: {{applicable: true, status: {status}}}")
        return "\n".join(lines) + "\n"

    # -- documents ----------------------------------------------------------------------

    def plan_documents(self) -> None:
        rng = self.rng
        kinds = list(TYPES)
        weights = [TYPES[k][0] for k in kinds]
        types = rng.choices(kinds, weights, k=self.n)
        types[: len(kinds)] = kinds  # every type at least once
        counters = dict.fromkeys(kinds, 0)
        sites = max(1, self.n // SITE_SIZE)
        people = list(self.people)
        used_paths: set[str] = set()
        for index, doc_type in enumerate(types):
            counters[doc_type] += 1
            prefix, folder = TYPES[doc_type][1], TYPES[doc_type][2]
            doc_id = f"{prefix}-{counters[doc_type]:03d}"
            area = rng.choice(list(AREAS))
            if doc_type == "audit":
                title = f"Internal audit of {rng.choice(TOPIC_OBJECTS)}"
            elif doc_type == "nonconformity":
                title = f"{rng.choice(TOPIC_OBJECTS).capitalize()} not as required"
            elif doc_type == "record":
                title = f"{rng.choice(RECORD_KINDS)} {doc_id.lower()}"
            elif doc_type == "policy":
                title = f"{area.replace('-', ' ').capitalize()} policy for {rng.choice(TOPIC_OBJECTS)}"
            else:
                title = f"{rng.choice(TOPIC_VERBS)} {rng.choice(TOPIC_OBJECTS)}"
            site = f"site-{rng.randrange(sites) + 1:02d}/" if sites > 1 and doc_type != "policy" else ""
            sub = "" if doc_type == "policy" else f"{area}/"
            if doc_type in CYCLE_TYPES:
                sub = f"{area}/{'audits' if doc_type == 'audit' else 'nonconformities'}/"
            name = f"{slug(title)}.md" if doc_type == "record" else f"{doc_id.lower()}-{slug(title)}.md"
            path = f"{folder}/{site}{sub}{name}"
            while path in used_paths:
                path = path[:-3] + "-x.md"
            used_paths.add(path)
            owner = rng.choice(people)
            approvers = rng.sample([p for p in people if p != owner], k=1 if rng.random() < 0.8 else 2)
            if doc_type in ("record", *CYCLE_TYPES):
                status = "approved"
            else:
                roll = rng.random()
                status = (
                    "approved"
                    if roll < 0.88
                    else "draft"
                    if roll < 0.94
                    else "in-review"
                    if roll < 0.97
                    else "obsolete"
                )
            classification = rng.choices(["public", "internal", "confidential"], [0.1, 0.8, 0.1])[0]
            doc = Doc(
                index=index,
                type=doc_type,
                id=doc_id,
                path=path,
                title=title[0].upper() + title[1:],
                area=area,
                owner=owner,
                approvers=approvers,
                classification=classification,
                status=status,
                clauses=self._clauses(doc_type, area),
                retention=rng.choice([3, 5, 6, 7, 10]),
                review_interval=rng.choice([None, None, None, 12, 24, 36]),
            )
            if doc_type == "external":
                doc.review_interval = None
            self.docs.append(doc)
            self.by_id[doc_id] = doc
        self._references()
        self._inject_problems()

    def _clauses(self, doc_type: str, area: str) -> dict[str, list[str]]:
        rng = self.rng
        primary = AREAS[area]
        standards = [primary, *rng.sample([s for s in self.clause_ids if s != primary], k=rng.choice([0, 0, 1, 2]))]
        mapping: dict[str, list[str]] = {}
        for standard in standards:
            pool = self.retain_ids[standard] if doc_type == "record" else self.clause_ids[standard]
            mapping[standard] = sorted(set(rng.sample(pool, k=min(len(pool), rng.randint(1, 4)))))
        return mapping

    def _references(self) -> None:
        rng = self.rng
        for doc in self.docs:
            others = [rng.randrange(self.n) for _ in range(rng.randint(0, 4))]
            doc.related = sorted({self.docs[i].id for i in others if i != doc.index})
            doc.links = [self.docs[rng.randrange(self.n)].id for _ in range(rng.randint(0, 3))]

    def _inject_problems(self) -> None:
        """About one document in 300 gets a realistic mistake."""
        rng = self.rng
        for doc in rng.sample(self.docs, k=max(1, self.n // 300)):
            problem = rng.choice(["broken-reference", "unknown-clause", "overdue"])
            if problem == "broken-reference":
                doc.related.append(f"{TYPES[doc.type][1]}-{99000 + doc.index}")
            elif problem == "unknown-clause":
                doc.clauses.setdefault("iso9001", []).append("11.9")
            elif doc.type != "record" and doc.status == "approved":
                doc.review_interval = 12
                doc.status = "overdue"  # marker: last review stays old; see plan_history

    # -- history ------------------------------------------------------------------------

    def plan_history(self) -> None:
        """Give every document its events (create, revise, review), each in one commit."""
        rng, last = self.rng, self.commits - 1
        review_from = self._commit_at(HISTORY_END - dt.timedelta(days=REVIEW_WINDOW_DAYS))
        for doc in self.docs:
            overdue = doc.status == "overdue"
            if overdue:
                doc.status = "approved"
            if doc.type in ("record", *CYCLE_TYPES):
                doc.events = [(rng.randint(1, last), "create")]
                continue
            created = 0 if rng.random() < 0.25 else rng.randint(1, int(last * 0.85))
            revisions = sorted(
                rng.sample(range(created + 1, last + 1), k=min(last - created, rng.choice([0, 1, 1, 2, 3, 4])))
            )
            events = [(created, "create")] + [(c, "revise") for c in revisions]
            if doc.status == "approved" and not overdue and events[-1][0] < review_from:
                events.append((rng.randint(review_from, last), "review"))
            if overdue:
                events = [e for e in events if e[0] < review_from // 2] or [(0, "create")]
            doc.events = events

    def _commit_at(self, when: dt.datetime) -> int:
        span = (HISTORY_END - HISTORY_START).total_seconds()
        return max(1, min(self.commits - 1, round((when - HISTORY_START).total_seconds() / span * (self.commits - 1))))

    # -- file contents ------------------------------------------------------------------

    def sentence(self) -> str:
        words = self.rng.choices(WORDS, k=self.rng.randint(8, 20))
        return " ".join(words).capitalize() + "."

    def paragraph(self) -> str:
        return " ".join(self.sentence() for _ in range(self.rng.randint(2, 5)))

    def link(self, source: Doc, target_id: str) -> str:
        target = self.by_id[target_id]
        rel = os.path.relpath(target.path, os.path.dirname(source.path))
        return f"[{target.title}]({rel})"

    def body(self, doc: Doc, revision: int) -> str:
        if not doc.paragraphs:
            doc.paragraphs = [self.paragraph() for _ in HEADINGS]
        if revision:  # each revision rewrites one section
            doc.paragraphs[self.rng.randrange(len(HEADINGS))] = self.paragraph()
        parts = [f"# {doc.title}", ""]
        for heading, text in zip(HEADINGS, doc.paragraphs, strict=False):
            parts += [f"## {heading}", "", text, ""]
            if heading == "Procedure":
                parts += [f"{n}. {self.sentence()}" for n in range(1, 5)] + [""]
            if heading == "Records" and doc.type != "record":
                parts += ["| Record | Kept by | Retention |", "|---|---|---|"]
                parts += [f"| {rng_kind} | {doc.owner} | {doc.retention} years |" for rng_kind in RECORD_KINDS[:3]]
                parts.append("")
        if doc.links:
            parts += ["## See also", ""] + [f"- {self.link(doc, t)}" for t in doc.links] + [""]
        return "\n".join(parts)

    def cycle_front_matter(self, doc: Doc, day: dt.date) -> list[str]:
        """The fields of an audit or a nonconformity made on ``day`` (drawn from the seeded generator)."""
        rng, people = self.rng, list(self.people)
        primary = AREAS[doc.area]
        pool = [c for c in self.clause_ids[primary] if not c.startswith("A.")]
        ids = ", ".join(f'"{c}"' for c in sorted(rng.sample(pool, k=min(len(pool), rng.randint(1, 6)))))
        if doc.type == "audit":
            planned = rng.random() < 0.2
            start = TODAY + dt.timedelta(days=rng.randint(1, 300)) if planned else day
            lead = rng.choice([p for p in people if p != doc.owner])
            lines = [
                f"status: {'planned' if planned else 'completed'}",
                f"owner: {doc.owner}",
                f"lead_auditor: {lead}",
                f"auditors: [{rng.choice(people)}]",
                f"start: {start.isoformat()}",
                f"end: {(start + dt.timedelta(days=1)).isoformat()}",
                "scope:",
                f"  {primary}: [{ids}]",
            ]
            if doc.related:
                lines.append(f"documents: [{doc.related[0]}]")
            if not planned:
                lines.append("conclusion: Conforming, with the findings raised as nonconformities.")
            return lines
        audits = [d.id for d in self.docs if d.type == "audit"]
        from_audit = bool(audits) and rng.random() < 0.6
        closed = (TODAY - day).days > 200
        grade = rng.choices(["major", "minor", "observation", "opportunity"], [0.1, 0.6, 0.2, 0.1])[0]
        lines = [f"status: {'closed' if closed else 'open'}", f"grade: {grade}"]
        lines.append(f"source: {'audit' if from_audit else rng.choice(['incident', 'complaint', 'process'])}")
        if from_audit:
            lines.append(f"audit: {rng.choice(audits)}")
        lines += [
            f"raised: {day.isoformat()}",
            f"raised_by: {rng.choice(people)}",
            f"owner: {doc.owner}",
            "against:",
            f"  {primary}: [{ids}]",
            "root_cause: The step was not in the instruction and relied on memory.",
            "actions:",
        ]
        for number in range(rng.randint(1, 3)):
            due = day + dt.timedelta(days=30 * (number + 1))
            done = due - dt.timedelta(days=rng.randint(0, 20))
            finished = closed or done < TODAY - dt.timedelta(days=5)
            action = f"action: Update the instruction step {number + 1}, owner: {rng.choice(people)}"
            if finished:
                lines.append(f"  - {{{action}, due: {due}, done: {done}}}")
            else:
                due = max(due, TODAY + dt.timedelta(days=rng.randint(1, 90)))
                lines.append(f"  - {{{action}, due: {due}}}")
        check = day + dt.timedelta(days=150)
        if closed:
            lines += ["effectiveness:", f"  due: {check}", f"  checked: {check}", f"  by: {rng.choice(people)}"]
            lines += ["  result: effective", f"closed: {check + dt.timedelta(days=2)}"]
        else:
            lines += ["effectiveness:", f"  due: {max(check, TODAY + dt.timedelta(days=30))}"]
        return lines

    def front_matter(self, doc: Doc, version: str, status: str, approved: dt.date, reviewed: dt.date) -> str:
        lines = ["---", f"id: {doc.id}", f"title: {doc.title}", f"type: {doc.type}"]
        if doc.type in CYCLE_TYPES:
            lines += self.cycle_front_matter(doc, approved)
            lines += [f"classification: {doc.classification}"]
            if doc.related and doc.type == "nonconformity":
                lines.append(f"related: [{', '.join(doc.related)}]")
            return "\n".join([*lines, "---", ""])
        if doc.type == "record":
            lines += [f"date: {approved.isoformat()}", f"retention_years: {doc.retention}"]
        else:
            lines += [f'version: "{version}"', f"status: {status}"]
        lines.append(f"owner: {doc.owner}")
        if doc.type != "record" and status in ("approved", "obsolete", "in-review"):
            lines += [
                f"approved_by: [{', '.join(doc.approvers)}]",
                f"approved_on: {approved.isoformat()}",
                f"last_reviewed: {reviewed.isoformat()}",
            ]
            if doc.review_interval:
                lines.append(f"review_interval: {doc.review_interval}")
        lines.append(f"classification: {doc.classification}")
        if doc.type == "external":
            lines.append("source: Supplier manual, current edition")
        lines.append("clauses:")
        for standard, ids in doc.clauses.items():
            quoted = ", ".join('"' + c + '"' for c in ids)
            lines.append(f"  {standard}: [{quoted}]")
        if doc.related:
            lines.append(f"related: [{', '.join(doc.related)}]")
        lines += ["---", ""]
        return "\n".join(lines)

    def contents(self, doc: Doc) -> list[tuple[int, str]]:
        """(commit index, file content) for every event of the document, in order."""
        out: list[tuple[int, str]] = []
        major, minor, approved = 1, 0, None
        final = len(doc.events) - 1
        for number, (commit, kind) in enumerate(doc.events):
            day = commit_time(commit, self.commits).date()
            if kind == "create":
                major, minor = 1, 0
            elif kind == "revise":
                if self.rng.random() < 0.3:
                    major, minor = major + 1, 0
                else:
                    minor += 1
            if kind != "review":
                approved = day
            status = doc.status if number == final else "approved"
            if doc.type != "record" and number < final and doc.status == "draft":
                status = "draft"
            assert approved is not None
            text = self.front_matter(doc, f"{major}.{minor}", status, approved, day)
            text += self.body(doc, number if kind == "revise" else 0)
            out.append((commit, text))
        return out

    # -- writing ------------------------------------------------------------------------

    def write(self, out: Path) -> dict[str, int]:
        by_commit: list[list[tuple[str, bytes]]] = [[] for _ in range(self.commits)]
        for doc in self.docs:
            for commit, text in self.contents(doc):
                by_commit[commit].append((doc.path, text.encode()))
        by_commit[0] += [
            ("isodocs.yml", self.config_text().encode()),
            ("soa.yml", self.soa_text().encode()),
            (".gitignore", b".isodocs-cache/\nsite/\n"),
        ]
        subprocess.run(["git", "init", "-q", "-b", "main", str(out)], check=True)
        people = list(self.people.items())
        stream = open(out / ".git" / "fast-import-stream", "wb")
        changelog: list[str] = ["# Changes", ""]
        files_written = 0
        try:
            for index, files in enumerate(by_commit):
                when = commit_time(index, self.commits)
                _key, person = people[index % len(people)]
                if not files:  # a commit with no document event edits the change log
                    changelog.append(f"- {when.date().isoformat()}: housekeeping")
                    files = [("CHANGES.md", ("\n".join(changelog) + "\n").encode())]
                message = self._message(index, files).encode()
                stamp = f"{person['name']} <{person['email']}> {int(when.timestamp())} +0000"
                stream.write(f"commit refs/heads/main\nmark :{index + 1}\n".encode())
                stream.write(f"author {stamp}\ncommitter {stamp}\n".encode())
                stream.write(b"data %d\n%s\n" % (len(message), message))
                for path, data in files:
                    stream.write(b"M 100644 inline %s\ndata %d\n%s\n" % (path.encode(), len(data), data))
                    files_written += 1
        finally:
            stream.close()
        with open(out / ".git" / "fast-import-stream", "rb") as source:
            subprocess.run(["git", "-C", str(out), "fast-import", "--quiet"], stdin=source, check=True)
        os.remove(out / ".git" / "fast-import-stream")
        subprocess.run(["git", "-C", str(out), "checkout", "-q", "-f", "main"], check=True)
        return {"files": files_written}

    def _message(self, index: int, files: list[tuple[str, bytes]]) -> str:
        if index == 0:
            return "Import the management system from the legacy document register"
        if len(files) == 1:
            return f"Update {files[0][0]}"
        return f"Update {len(files)} documents"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path, help="folder to create (must not exist, or use --force)")
    parser.add_argument("--docs", type=int, default=1000, help="number of documents (default 1000, up to 50000)")
    parser.add_argument("--commits", type=int, default=2000, help="number of commits (default 2000)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--force", action="store_true", help="replace OUT if it exists")
    args = parser.parse_args(argv)
    if not 10 <= args.docs <= 50_000:
        parser.error("--docs must be between 10 and 50,000")
    if args.commits < 1:
        parser.error("--commits must be at least 1")
    if args.out.exists():
        if not args.force:
            parser.error(f"{args.out} exists; use --force to replace it")
        shutil.rmtree(args.out)
    started = time.perf_counter()
    generator = Generator(args.docs, args.commits, args.seed)
    generator.plan_documents()
    generator.plan_history()
    stats = generator.write(args.out)
    print(
        f"generated {args.out}: {args.docs:,} documents, {args.commits:,} commits, "
        f"{stats['files']:,} file versions in {time.perf_counter() - started:.1f} s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
