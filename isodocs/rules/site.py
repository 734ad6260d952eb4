"""The published site: what ``isodocs build`` would refuse to take from the repository's mkdocs.yml.

The build vets mkdocs.yml as untrusted input (isodocs/site/repo_mkdocs.py) and
stops with exit 2 on the first setting it does not take; ``check`` reports each
one, on its line, so a pull request that changes mkdocs.yml is stopped before merge.
The rule reads mkdocs.yml itself (a small file beside isodocs.yml), as the build does.
"""

from __future__ import annotations

from collections.abc import Iterator

from isodocs.model import ManagementSystem, Severity
from isodocs.rules.registry import Hit, system_rule


@system_rule("mkdocs-config-refused", Severity.ERROR)
def mkdocs_config_refused(system: ManagementSystem) -> Iterator[Hit]:
    """mkdocs.yml holds a setting `isodocs build` does not take (code, a file outside, a wrong shape).

    The message names the key and says why (python tags, hooks, plugins, extensions and templates
    are code; files come only from the repository, outside document folders). Remove the setting or
    use one that is taken: SECURITY.md, "What is taken from the repository's mkdocs.yml", lists them.
    """
    # Imported here: the vetting of mkdocs.yml is a thousand lines that coverage, soa and reviews,
    # which load the rule table to check isodocs.yml's rules: slugs, need not import.
    from isodocs.readers.repo_mkdocs import MKDOCS_FILE, load_repo_mkdocs

    for problem in load_repo_mkdocs(system.root, system.config.paths).problems:
        yield Hit(f"{problem} (isodocs build stops on it)", problem.line, path=MKDOCS_FILE)
