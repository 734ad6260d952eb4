"""The model layer: plain data that the readers build, the rules read and the reporters print.

Nothing in this package imports any other module of isodocs, reads a file or
prints (``tests/test_architecture.py`` fails otherwise). Its modules:
``findings`` (Severity, Finding), ``documents`` (Document, document types),
``config`` (isodocs.yml), ``catalog`` (clauses and controls), ``cycle``
(actions, audits, nonconformities), ``soa``
(soa.yml's decisions), ``changes`` (check --base), ``publishing`` (what may be
published), ``system`` (ManagementSystem and its derived values).
"""

from isodocs.model.cycle import Action, parse_actions
from isodocs.model.documents import (
    CLASSIFICATIONS,
    FINAL_STATUSES,
    RECORD_TYPES,
    SECTION_PAGES,
    STATUSES,
    TYPE_FOLDERS,
    TYPE_PREFIX,
    Document,
    DocumentNotRead,
    KeyPath,
    add_months,
    as_text,
    line_of,
    version_key,
)
from isodocs.model.findings import Finding, Severity
from isodocs.model.system import Derived, DerivedKey, ManagementSystem

__all__ = [
    "CLASSIFICATIONS",
    "FINAL_STATUSES",
    "RECORD_TYPES",
    "SECTION_PAGES",
    "STATUSES",
    "TYPE_FOLDERS",
    "TYPE_PREFIX",
    "Action",
    "Derived",
    "DerivedKey",
    "Document",
    "DocumentNotRead",
    "Finding",
    "KeyPath",
    "ManagementSystem",
    "Severity",
    "add_months",
    "as_text",
    "line_of",
    "parse_actions",
    "version_key",
]
