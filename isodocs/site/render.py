"""Render the staging project: ``mkdocs.yml`` and ``docs/`` with only what may be published.

``stage`` is pure: it returns the staging project as a mapping of relative path
to content. ``write_staging`` writes it, touching only files whose content
changed (so a live preview rebuilds only what changed) and removing stale ones.
A withheld document is never read into that mapping, so it cannot reach the
site whatever the engine does.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from isodocs.errors import UsageError
from isodocs.model import Document
from isodocs.readers import safefs
from isodocs.readers.repo_mkdocs import load_repo_mkdocs
from isodocs.reporters.ruledocs import render_rules
from isodocs.site import cycle_pages, pages, planning_pages, training_page
from isodocs.site.inputs import SiteInputs
from isodocs.site.markdown import link_target_path, rewrite_withheld_links
from isodocs.site.mdlinks import published_paths
from isodocs.site.mdsanitize import mark_page, mark_trusted
from isodocs.site.mkdocs_config import directory_urls, dump_config, merged_config

DOCS = "docs"


@dataclass
class StagingProject:
    files: dict[str, str | bytes] = field(default_factory=dict)  # path under the staging root -> content
    withheld_links: int = 0  # links rewritten to "not published"
    assets: list[str] = field(default_factory=list)  # repo files copied because a published page links them

    def add(self, path: str, content: str | bytes) -> None:
        self.files[path] = content


def _generated_paths(inputs: SiteInputs) -> set[str]:
    paths = {pages.HOME, pages.REGISTER, pages.CALENDAR, pages.SOA, pages.GUIDE, pages.RULES}
    paths |= {pages.matrix_page(c.catalog.key) for c in inputs.coverage or []}
    paths |= {page for _label, page in cycle_pages.nav_entries(inputs)}
    paths |= {page for _label, page in planning_pages.nav_entries(inputs)}
    if training_page.has_page(inputs):
        paths.add(training_page.TRAINING)
    return paths


def _check_collisions(inputs: SiteInputs) -> None:
    """Generated pages live beside the document folders: they must not share a name."""
    clashes = set(inputs.system.config.paths) & set(pages.GENERATED_FOLDERS)
    clashes |= {d.path for d in inputs.published} & _generated_paths(inputs)
    if clashes:
        raise UsageError(
            f"{', '.join(sorted(clashes))}: this name is taken by a generated page of the site; "
            "rename the folder or file",
            "isodocs.yml",
        )


class _LinkPolicy:
    """Decides, for a link on a published page, whether its target is published too.

    A Markdown link (``.md`` in any case) is kept when it names a published page. Any
    other file is an attachment, kept and copied only when ``safefs.resolve_attachment``
    allows it: a regular file of a passive type inside the document folders, symlinks
    resolved before deciding (see SECURITY.md, "Files, symlinks and attachments").
    """

    def __init__(self, inputs: SiteInputs) -> None:
        self.root = inputs.system.root
        self.published = inputs.published_paths | _generated_paths(inputs)
        self.folders = frozenset(p.strip("/") for p in inputs.system.config.paths)
        self.assets: dict[str, str] = {}  # repository path -> the real file to copy

    def keep(self, page: str, target: str) -> bool:
        path = link_target_path(page, target)
        if path is None or "\x00" in path:
            return False  # leaves the repository, or no file name at all
        if path == "":
            return True  # an anchor on the same page
        if safefs.is_markdown_name(path):
            return path in self.published
        if path in self.assets:
            return True
        real, _problem = safefs.resolve_attachment(self.root, path, self.folders)
        if real is None:
            return False
        self.assets[path] = real  # an image or attachment beside the documents: copied
        return True


def _attachment_bytes(root: Path, path: str, real: str) -> bytes:
    """The content of an attachment ``resolve_attachment`` allowed, read by the one reader."""
    data, problem = safefs.read_bytes(root, real, safefs.MAX_ATTACHMENT_BYTES)
    if problem is not None:  # changed since it was checked, a moment ago
        raise UsageError(f"{path}: attachment cannot be published: {problem.message}", path)
    assert data is not None
    return data


# Sections longer than this are split into groups by id range. Each page renders its
# own section in full (navigation.prune only drops the other sections), so a flat
# section of N documents costs N x N navigation items: 1,000 procedures in one
# section take minutes to build; in groups of 50, seconds.
NAV_GROUP = 50


def _entry(label: str, target: Any) -> dict[str, Any]:
    """One navigation entry: every label of the staged ``nav`` is made here, escaped for the theme."""
    return {pages.template_text(label): target}


def _nav_section(docs: list[Document]) -> list[Any]:
    entries = [_entry(pages.doc_label(d), d.path) for d in docs]
    if len(docs) <= NAV_GROUP:
        return entries
    groups = []
    for start in range(0, len(docs), NAV_GROUP):
        chunk = docs[start : start + NAV_GROUP]
        groups.append(_entry(f"{chunk[0].id} – {chunk[-1].id}", entries[start : start + NAV_GROUP]))
    return groups


def _nav(inputs: SiteInputs) -> list[Any]:
    nav: list[Any] = [_entry("Dashboard", pages.HOME)]
    for doc_type, title in pages.TYPE_TITLES.items():
        docs = sorted((d for d in inputs.published if d.type == doc_type), key=lambda d: (d.id or "", d.path))
        if docs:
            nav.append(_entry(title, _nav_section(docs)))
    nav.append(_entry("Document register", pages.REGISTER))
    if inputs.coverage:
        matrices = [_entry(c.catalog.name, pages.matrix_page(c.catalog.key)) for c in inputs.coverage]
        nav.append(_entry("Clause matrices", matrices))
    if inputs.soa is not None:
        nav.append(_entry("Statement of Applicability", pages.SOA))
    nav.append(_entry("Review calendar", pages.CALENDAR))
    nav += [_entry(label, page) for label, page in planning_pages.nav_entries(inputs)]
    nav += [_entry(label, page) for label, page in cycle_pages.nav_entries(inputs)]
    if training_page.has_page(inputs):
        nav.append(_entry(training_page.NAV_LABEL, training_page.TRAINING))
    about = [_entry("Owner's guide", pages.GUIDE), _entry("Rule reference", pages.RULES)]
    nav.append(_entry("About this manual", about))
    return nav


def _asset(name: str) -> str:
    return resources.files("isodocs.site").joinpath("assets", name).read_text("utf-8")


def stage(inputs: SiteInputs, *, site_dir: str, versioned: bool = False, engine: str = "mkdocs") -> StagingProject:
    """The staging project for ``inputs`` and ``engine``: nothing withheld is ever read into it.

    The engine matters for the links in isodocs' own HTML blocks (see ``page_href``).
    """
    _check_collisions(inputs)
    project = StagingProject()
    policy = _LinkPolicy(inputs)
    vetted = load_repo_mkdocs(inputs.system.root, inputs.system.config.paths)  # untrusted: see SECURITY.md
    vetted.raise_first()
    repo_config = vetted.config
    urls = directory_urls(repo_config) if engine == "mkdocs" else None  # Zensical rewrites .md links itself
    for doc in inputs.published:
        project.add(f"{DOCS}/{doc.path}", _document(inputs, doc, policy, project, urls))
    for path in sorted(policy.assets):
        project.add(f"{DOCS}/{path}", _attachment_bytes(inputs.system.root, path, policy.assets[path]))
    project.assets = sorted(policy.assets)

    # Generated pages are exempt from the sanitiser (their SVG charts would not survive it).
    # Their tables are finished HTML too, with links as the engine writes them (see document pages).
    project.add(f"{DOCS}/{pages.HOME}", mark_trusted(pages.dashboard_page(inputs, urls)))
    project.add(f"{DOCS}/{pages.REGISTER}", mark_trusted(pages.register_page(inputs, urls)))
    project.add(f"{DOCS}/{pages.CALENDAR}", mark_trusted(pages.calendar_page(inputs, directory_urls=urls)))
    for coverage in inputs.coverage or []:
        page = pages.coverage_page(inputs, coverage, urls)
        project.add(f"{DOCS}/{pages.matrix_page(coverage.catalog.key)}", mark_trusted(page))
    if inputs.soa is not None:
        project.add(f"{DOCS}/{pages.SOA}", mark_trusted(pages.soa_page(inputs, urls)))
    cycle = {cycle_pages.PROGRAMME: cycle_pages.programme_page, cycle_pages.REGISTER: cycle_pages.register_page}
    cycle[cycle_pages.ACTIONS] = cycle_pages.actions_page
    for _label, page in cycle_pages.nav_entries(inputs):
        project.add(f"{DOCS}/{page}", mark_trusted(cycle[page](inputs, urls)))
    for _label, page in planning_pages.nav_entries(inputs):
        project.add(f"{DOCS}/{page}", mark_trusted(planning_pages.render_page(inputs, page, urls)))
    if training_page.has_page(inputs):
        page = training_page.training_page(inputs, urls)
        project.add(f"{DOCS}/{training_page.TRAINING}", mark_trusted(page))
    # About this manual: the owner's guide and the rule reference (from the registry, so it cannot drift).
    project.add(f"{DOCS}/{pages.GUIDE}", _asset("owners-guide.md"))
    project.add(f"{DOCS}/{pages.RULES}", render_rules("md"))
    project.add(f"{DOCS}/{pages.CSS}", _asset("isodocs.css"))
    project.add(f"{DOCS}/{pages.JAVASCRIPT}", _asset("isodocs.js"))

    _add_theme_files(project, vetted.files)
    config = merged_config(
        repo_config,
        # The default site_name is made of it: escaped for the theme, as the nav labels are.
        organization=pages.template_text(inputs.system.config.organization),
        nav=_nav(inputs),
        site_dir=site_dir,
        extra_css=[pages.CSS],
        extra_javascript=[pages.JAVASCRIPT],
        versioned=versioned,
        published=published_paths(project.files, DOCS),  # what a document's link may point to (site/mdlinks.py)
    )
    project.add("mkdocs.yml", dump_config(config))
    return project


def _add_theme_files(project: StagingProject, files: dict[str, bytes]) -> None:
    """The files the vetted mkdocs.yml names (CSS, JavaScript, logo, custom_dir), beside the pages."""
    for path, data in files.items():
        if project.files.get(path, data) != data:
            raise UsageError(f"{path.removeprefix('docs/')} is also a file of the site; rename it", "mkdocs.yml")
        project.add(path, data)


def _document(
    inputs: SiteInputs, doc: Document, policy: _LinkPolicy, project: StagingProject, directory_urls: bool | None
) -> str:
    # Raw HTML in the body is sanitised when the engine converts the page (site/mdsanitize.py).
    inputs.system.complete(doc)  # a document from the parse cache: read its body now
    body, rewritten = rewrite_withheld_links(doc.body, lambda target: policy.keep(doc.path, target))
    project.withheld_links += rewritten  # keep() also collected the assets the kept links need
    return pages.document_page(inputs, doc, mark_page(body, doc.path), directory_urls)


def write_staging(project: StagingProject, staging_dir: Path) -> list[str]:
    """Write the project into ``staging_dir``; return the paths that changed.

    Unchanged files keep their mtime; files under docs/ no longer in the project
    are removed (an engine's own output and caches beside docs/ are left alone).
    """
    # A build writes into a new folder: nothing to compare with, nothing stale, no
    # engine watching (a live preview rewrites an existing one, file by file).
    fresh = not staging_dir.exists()
    staging_dir.mkdir(parents=True, exist_ok=True)
    changed: list[str] = []
    folders: set[Path] = {staging_dir}
    for rel, content in project.files.items():
        data = content.encode("utf-8") if isinstance(content, str) else content
        path = staging_dir / rel
        if not fresh:
            try:
                if path.read_bytes() == data:
                    continue
            except OSError:
                pass
        if path.parent not in folders:
            path.parent.mkdir(parents=True, exist_ok=True)
            folders.add(path.parent)
        if fresh:
            path.write_bytes(data)
        else:
            tmp = path.with_name(f".{path.name}.tmp")
            tmp.write_bytes(data)
            os.replace(tmp, path)
        changed.append(rel)
    if fresh:
        return changed
    wanted = set(project.files)
    for folder, dirs, files in os.walk(staging_dir / DOCS, topdown=False):
        for name in files:
            rel = Path(folder, name).relative_to(staging_dir).as_posix()
            if rel not in wanted:
                Path(folder, name).unlink()
                changed.append(rel)
        for name in dirs:
            with_path = Path(folder, name)
            if not any(with_path.iterdir()):
                shutil.rmtree(with_path)
    return changed
