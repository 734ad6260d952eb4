"""Loading a repository into one ManagementSystem.

Discovery (discover.py), each document read and parsed (documents.py) or built
from the parse cache's record (known_files.py), isodocs.yml, the catalogues and
soa.yml.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from isodocs.model import Document, ManagementSystem
from isodocs.model.config import Config
from isodocs.readers.collector import collector_paused
from isodocs.readers.config import load_config
from isodocs.readers.discover import _discover_files
from isodocs.readers.documents import LoadProblem, _parse_discovered
from isodocs.readers.known_files import _KnownFiles


def read_system(
    root: Path, today: dt.date | None = None, save_cache: bool = True, config: Config | None = None
) -> tuple[ManagementSystem, list[LoadProblem]]:
    """Load config, catalogues and every document of the repository at ``root``.

    With ``save_cache=False`` the parse cache is left for the caller to save
    (``check_system`` does, once the rules have added their findings to it).
    ``config``: isodocs.yml as the caller already read it (else it is read here).
    Raises UsageError (exit 2) when the configuration cannot be used.
    """
    root = root.resolve()  # discovery and safefs's inside checks work on the real, absolute root
    config = config if config is not None else load_config(root)
    # Here, not at the top: the rule registry (every rule family), the catalogues and the
    # SoA are what commands that parse only a few documents (history) need not pay for at start.
    from isodocs.model.soa import SOA_FILE
    from isodocs.readers.catalog import load_catalogs
    from isodocs.readers.parsecache import ParseCache
    from isodocs.readers.soa import read_soa

    catalogs = load_catalogs(config, root)
    documents: list[Document] = []
    problems: list[LoadProblem] = []
    files = 0
    with collector_paused():
        cache = ParseCache.open(root)  # what earlier runs made of the files (see parsecache.py)
        known_files = _KnownFiles(root, config, cache) if cache is not None else None
        load = known_files.load if known_files is not None else None
        for path, rel in _discover_files(root, config.paths, problems):
            files += 1
            if load is not None:
                doc, doc_problems = load(path, rel)
            else:
                doc, doc_problems, _status = _parse_discovered(root, path, rel, config, None)
            problems.extend(doc_problems)
            if doc is not None:
                documents.append(doc)
    if cache is not None and save_cache:
        cache.save()
    soa, soa_problems = read_soa(root, config.max_file_bytes)
    problems.extend(LoadProblem(p.rule, SOA_FILE, p.line, p.message) for p in soa_problems)
    system = ManagementSystem(
        root=root,
        config=config,
        catalogs=catalogs,
        documents=documents,
        load_findings=[],
        today=today or dt.date.today(),
        files=files,
        soa=soa,
        cache=cache,
        source=known_files,
    )
    return system, problems
