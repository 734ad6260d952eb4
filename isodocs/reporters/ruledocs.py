"""The rule reference: every registered rule with its severity, scope, summary and fix.

``isodocs rules`` prints it and docs/rules.md is generated from it, so the docs
list exactly the rules the registry holds and say what their docstrings say.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from isodocs.rules.registry import Rule

FORMATS = ("text", "md", "json")

# Scopes in the order the reference lists them, with their headings.
SCOPES = {
    "loader": "Reading the files",
    "document": "Per document",
    "repository": "Repository-wide (gap analysis)",
    "change": "Change control (`--base REV`)",
}

MD_HEADER = """\
<!-- Generated from the rule registry by `isodocs rules --format md > docs/rules.md`
     (or `make rules-doc`). Do not edit by hand: change the rule's docstring or fix=
     text and regenerate; a test fails while this file is stale. -->

# Rules of `isodocs check`

What each rule finds and how to fix its findings. Every finding names its rule's
slug; slugs are stable. The default severity of any rule can be changed in
`isodocs.yml`:

```yaml
rules:
  review-due-soon: error     # error | warning | off
  self-approval: off
```

`isodocs rules` prints this list in the terminal (`--format json` for tools).
"""


def ordered_rules() -> list[Rule]:
    """Registered rules grouped by scope (in SCOPES order), registry order within."""
    order = {scope: index for index, scope in enumerate(SCOPES)}
    # Imported here: the CLI imports this module at start, and the registry imports every rule family.
    from isodocs.rules import REGISTRY

    return sorted(REGISTRY.values(), key=lambda rule: order.get(rule.scope, len(order)))


def render_rules(output_format: str = "text") -> str:
    """The rule reference as text (a table), md (docs/rules.md) or json."""
    rules = ordered_rules()
    if output_format == "json":
        items = [
            {
                "slug": rule.slug,
                "severity": rule.severity.value,
                "scope": rule.scope,
                "family": rule.family,
                "summary": rule.summary,
                "fix": rule.fix,
            }
            for rule in rules
        ]
        return json.dumps(items, indent=2, ensure_ascii=False) + "\n"
    if output_format == "md":
        return _markdown(rules)
    if output_format == "text":
        return _text(rules)
    raise ValueError(f"unknown format {output_format!r}; use one of {', '.join(FORMATS)}")


def _text(rules: list[Rule]) -> str:
    width = max(len(rule.slug) for rule in rules)
    lines = [f"{'rule':<{width}}  {'default':<7}  {'scope/family':<22}  summary"]
    for rule in rules:
        where = f"{rule.scope}/{rule.family}"
        lines.append(f"{rule.slug:<{width}}  {rule.severity.value:<7}  {where:<22}  {rule.summary}")
    return "\n".join(lines) + "\n"


def _markdown(rules: list[Rule]) -> str:
    parts = [MD_HEADER]
    for scope, heading in SCOPES.items():
        in_scope = [rule for rule in rules if rule.scope == scope]
        if in_scope:
            parts.append(_section(heading, in_scope))
    others = [rule for rule in rules if rule.scope not in SCOPES]
    if others:
        parts.append(_section("Other", others))
    return "\n".join(parts)


def _section(heading: str, rules: list[Rule]) -> str:
    lines = [f"## {heading}", "", "| rule | default | summary |", "|---|---|---|"]
    lines += [f"| [`{rule.slug}`](#{rule.slug}) | {rule.severity.value} | {_cell(rule.summary)} |" for rule in rules]
    lines.append("")
    for rule in rules:
        lines += [f"### {rule.slug}", "", f"Default: **{rule.severity.value}** · family: {rule.family}", ""]
        lines += [rule.summary or "(no summary)", ""]
        if rule.fix:
            lines += [f"**How to fix:** {rule.fix}", ""]
    return "\n".join(lines)


def _cell(text: str) -> str:
    return text.replace("|", "\\|")
