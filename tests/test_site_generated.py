"""The generated pages (dashboard, register, matrices, SoA, review calendar).

They are exempt from the sanitiser (their charts would not survive it), so every
value isodocs writes into them must be escaped by isodocs itself.
"""

from __future__ import annotations

import re

import markdown
import yaml

from isodocs.loader import load_system
from isodocs.site.inputs import Revision, SiteInputs
from isodocs.site.markdown import escape
from isodocs.site.mkdocs_config import _KeepTagsLoader
from isodocs.site.render import stage
from tests.conftest import TODAY, approved

ATTRIBUTES = ' {: onclick="alert(1)" }'
EVENT_ATTRIBUTE = re.compile(r"<[a-z0-9]+\s[^>]*onclick=")


def convert_staged(project, path: str) -> str:
    """A staged page converted with the staging mkdocs.yml's extensions, as the engine converts it."""
    config = yaml.load(project.files["mkdocs.yml"], Loader=_KeepTagsLoader)
    names, configs = [], {}
    for entry in config["markdown_extensions"]:
        name = next(iter(entry)) if isinstance(entry, dict) else entry
        names.append(name)
        if isinstance(entry, dict):
            configs[name] = entry[name] or {}
    text = project.files[f"docs/{path}"]
    if text.startswith("---\n"):
        text = text.split("\n---\n", 1)[1]
    return markdown.Markdown(extensions=names, extension_configs=configs).convert(text)


def test_escape_keeps_attr_list_from_reading_braces():
    value = escape(ATTRIBUTES)
    for source in (f"# Title{value}", f"Text{value}", f"| a |\n|:--|\n| b{value} |"):
        out = markdown.markdown(source, extensions=["attr_list", "tables"])
        assert not EVENT_ATTRIBUTE.search(out) and '{: onclick="alert(1)" }' in out


def test_values_cannot_add_attributes_to_a_generated_page(repo):
    repo.config(organization="Acme" + ATTRIBUTES, people={"eve": {"name": "Eve" + ATTRIBUTES}})
    repo.doc("procedures/a.md", approved("PRO-001", title="A" + ATTRIBUTES, version="1.0" + ATTRIBUTES, owner="eve"))
    system, _ = load_system(repo.root, TODAY)
    history = {"procedures/a.md": [Revision("1.0", TODAY, "Mallory" + ATTRIBUTES, "Fix" + ATTRIBUTES)]}
    project = stage(SiteInputs(system=system, history=history, build_date=TODAY), site_dir="out")
    for page in ("index.md", "register.md", "reviews.md"):
        out = convert_staged(project, page)
        assert not EVENT_ATTRIBUTE.search(out) and '{: onclick="alert(1)" }' in out, page
