"""The pack's copy of a record: committed bytes, links to withheld files made text (no WeasyPrint needed)."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest

from isodocs.model import Document
from isodocs.pack.archive import record_copy
from isodocs.site.markdown import NOT_PUBLISHED

FRONT = "id: REC-001\ntitle: Audit\ntype: record\n"


def copy_of(tmp_path: Path, text: str) -> str:
    (tmp_path / "records").mkdir()
    (tmp_path / "records" / "audit.md").write_bytes(text.encode("utf-8"))
    doc = Document("records/audit.md", tmp_path / "records" / "audit.md", {}, {}, {}, "", 1)
    context = SimpleNamespace(tree=tmp_path, policy=SimpleNamespace(keep=lambda source, target: "secret" not in target))
    return record_copy(context, doc).decode("utf-8")  # type: ignore[arg-type]


@pytest.mark.parametrize("closing", ["---", "...", "---  "])
@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_a_link_above_a_horizontal_rule_is_rewritten_whatever_closes_the_front_matter(tmp_path, closing, newline):
    text = f"---\n{FRONT}{closing}\nSee [the plan](../procedures/secret-plan.md).\n\n---\n\nThe end.\n"
    text = text.replace("\n", newline)
    copied = copy_of(tmp_path, text)
    assert "secret-plan" not in copied
    assert f"See the plan {NOT_PUBLISHED}." in copied
    front = f"---{newline}{FRONT.replace(chr(10), newline)}{closing}{newline}"
    assert copied.startswith(front)  # the front matter as committed
    assert copied.endswith(f"---{newline}{newline}The end.{newline}")


def test_a_record_with_nothing_to_rewrite_is_copied_byte_for_byte(tmp_path):
    text = f"---\n{FRONT}---\n# Audit\n\nSee [the policy](../policies/quality.md).\n"
    assert copy_of(tmp_path, text) == text
