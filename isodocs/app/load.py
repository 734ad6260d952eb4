"""Loading a repository for a command: the readers' system, with isodocs.yml's rule settings checked."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from isodocs.model import ManagementSystem
from isodocs.readers.config import load_config
from isodocs.readers.documents import LoadProblem
from isodocs.readers.loader import read_system


def load_system(
    root: Path, today: dt.date | None = None, save_cache: bool = True
) -> tuple[ManagementSystem, list[LoadProblem]]:
    """Load config, catalogues and every document of the repository at ``root`` (``readers.loader.read_system``).

    A slug under ``rules:`` of isodocs.yml that names no rule is refused first
    (UsageError, exit 2): the rule registry is above the readers, so this is where
    the two meet. With ``save_cache=False`` the parse cache is left for the caller
    to save (``check_system`` does, once the rules have added their findings to it).
    """
    from isodocs.rules.run import check_rule_settings  # here: commands that load nothing need not import the rules

    root = root.resolve()  # as the command line's find_root gives it: a relative root is no prefix of paths
    config = load_config(root)
    check_rule_settings(config)
    return read_system(root, today, save_cache, config)
