"""Guards of the architecture (docs/architecture.md): imports flow one way, from the layers above to those below.

Read from the source (ast), not by importing: every import counts, at module
level, under ``if TYPE_CHECKING:`` and inside functions, since a reader of the
code has to follow each of them.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "isodocs"

# Layer of each top-level part of isodocs, lowest first. A module may import its own
# layer's modules and those of the layers below it, never above (test_layers_import_downwards).
LAYERS: list[tuple[str, ...]] = [
    ("isodocs", "errors", "schemas", "text"),  # base: no isodocs imports but each other
    ("model",),  # plain data: imports nothing of isodocs at all (test_model_imports_nothing_of_isodocs)
    ("readers",),  # files, YAML, config, catalogues, soa.yml, mkdocs.yml, git -> model
    ("analyses",),  # coverage, SoA statement, review calendar, history: over the model
    ("rules",),  # read the model (and analyses); the registry is rules/__init__.py
    ("app",),  # one library call per command: load, check, reports
    ("authoring",),  # commands that write documents
    ("reporters", "site", "pack"),  # output: text, JSON, SARIF, ...; the site; the audit pack
    ("cli", "__main__"),  # the command line
]
LAYER_OF = {part: index for index, parts in enumerate(LAYERS) for part in parts}


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    return {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def imports(path: Path, known: set[str], module_level_only: bool) -> set[str]:
    """The isodocs modules that the module at ``path`` imports."""
    name = module_name(path)
    is_package = path.name == "__init__.py"
    found: set[str] = set()

    def visit(nodes: list[ast.stmt]) -> None:
        for node in nodes:
            if module_level_only and isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            if isinstance(node, ast.Import):
                found.update(alias.name for alias in node.names if alias.name.split(".")[0] == "isodocs")
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    here = name.split(".") if is_package else name.split(".")[:-1]
                    base = ".".join(here[: len(here) - node.level + 1] + ([base] if base else []))
                if base.split(".")[0] == "isodocs":
                    for alias in node.names:
                        candidate = f"{base}.{alias.name}"
                        found.add(candidate if candidate in known else base)
            for child in ast.iter_child_nodes(node):
                if isinstance(child, ast.stmt):
                    visit([child])

    visit(ast.parse(path.read_text("utf-8")).body)
    found.discard(name)
    return {module for module in found if module in known}


def graph(module_level_only: bool) -> dict[str, set[str]]:
    found = modules()
    return {name: imports(path, set(found), module_level_only) for name, path in found.items()}


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def connect(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for other in sorted(edges[node]):
            if other not in index:
                connect(other)
                low[node] = min(low[node], low[other])
            elif other in on_stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(edges):
        if node not in index:
            connect(node)
    return found


def layer(module: str) -> int:
    parts = module.split(".")
    part = parts[1] if len(parts) > 1 else parts[0]
    assert part in LAYER_OF, f"{module}: a new top-level part of isodocs; give it a layer in LAYERS and the docs"
    return LAYER_OF[part]


def test_no_module_level_import_cycle():
    """Module-level imports (TYPE_CHECKING ones too) form no cycle anywhere in isodocs/."""
    assert cycles(graph(module_level_only=True)) == []


def test_no_import_cycle_through_function_level_imports_either():
    """Counting the imports inside functions too: a reader following any import never comes back."""
    assert cycles(graph(module_level_only=False)) == []


def test_model_imports_nothing_of_isodocs():
    """The model layer is plain data: it imports no other part of isodocs."""
    edges = graph(module_level_only=False)
    outside = {
        (name, target)
        for name, targets in edges.items()
        if name.startswith("isodocs.model")
        for target in targets
        if not target.startswith("isodocs.model")
    }
    assert outside == set()


def test_layers_import_downwards():
    """No module imports one of a higher layer (docs/architecture.md, "Layers")."""
    edges = graph(module_level_only=False)
    upward = sorted(
        f"{name} ({LAYERS[layer(name)][0]}) imports {target} ({LAYERS[layer(target)][0]})"
        for name, targets in edges.items()
        for target in targets
        if layer(target) > layer(name)
    )
    assert upward == []


def test_base_modules_import_no_other_layer():
    """errors, schemas and text are leaves: shared by every layer, they import none."""
    edges = graph(module_level_only=False)
    base = [name for name in edges if layer(name) == 0 and name != "isodocs"]
    assert {(name, target) for name in base for target in edges[name] if layer(target) != 0} == set()


def test_the_guards_see_a_cycle_and_an_upward_import():
    """The guards themselves can fail: a made-up cycle and a model module importing a reader."""
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert layer("isodocs.model.documents") < layer("isodocs.readers.loader") < layer("isodocs.rules.run")


def test_a_per_document_rule_cannot_be_given_the_whole_system():
    """The kind of a rule is in its type: a @document_rule of (doc, ManagementSystem) is refused at import."""
    import pytest

    from isodocs.model import Document, ManagementSystem, Severity
    from isodocs.rules.registry import DocumentContext, cross_document_rule, document_rule

    def reads_others(doc: Document, system: ManagementSystem):
        return ()

    def reads_context(doc: Document, context: DocumentContext):
        return ()

    with pytest.raises(TypeError, match="cross_document_rule"):
        document_rule("made-up", Severity.ERROR)(reads_others)
    with pytest.raises(TypeError):
        cross_document_rule("made-up", Severity.ERROR)(reads_context)
    assert not hasattr(DocumentContext, "documents")  # nothing in the context leads to other documents
    assert {field for field in DocumentContext.__dataclass_fields__} == {"config", "catalogs", "today"}


def test_every_rule_a_family_defines_is_in_the_table():
    """A rule defined in a family module but left out of RULES (rules/__init__.py) would silently never run."""
    import importlib
    import pkgutil

    import isodocs.rules as rules_package
    from isodocs.rules import RULES
    from isodocs.rules.registry import Rule

    listed = {id(rule) for rule in RULES}
    defined = [
        f"{info.name}.{name}"
        for info in pkgutil.iter_modules(rules_package.__path__)
        if info.name not in ("registry", "run")
        for name, value in vars(importlib.import_module(f"isodocs.rules.{info.name}")).items()
        if isinstance(value, Rule) and id(value) not in listed
    ]
    assert defined == []
