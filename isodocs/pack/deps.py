"""What ``isodocs pack`` needs besides isodocs' own dependencies, and the message when it is missing.

Imported before anything that needs them, so that a missing package or library is
one line naming what to install (exit 2), never a traceback.
"""

from __future__ import annotations

import contextlib
import io
from typing import Any

from isodocs.errors import UsageError

DEBIAN_PACKAGES = "libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core"
PANGO_HINT = (
    "WeasyPrint, which isodocs pack uses to write PDF, needs the Pango library of the operating system, "
    f"and it could not be loaded ({{reason}}). On Debian or Ubuntu: apt-get install {DEBIAN_PACKAGES}; "
    "on other systems see https://doc.courtbouillon.org/weasyprint/stable/first_steps.html"
)
INSTALL_HINT = "isodocs pack needs WeasyPrint, pypdf and Python-Markdown: pip install 'isodocs[pack]'"


def require_weasyprint() -> Any:
    """The weasyprint module, or UsageError (exit 2) naming what to install.

    WeasyPrint loads Pango when it is imported: without it the import raises
    OSError, after printing a banner of its own (kept off our output).
    """
    try:
        import markdown  # noqa: F401
        import pypdf  # noqa: F401
    except ImportError:
        raise UsageError(INSTALL_HINT) from None
    banner = io.StringIO()
    try:
        with contextlib.redirect_stdout(banner):
            import weasyprint
    except ImportError as error:
        if getattr(error, "name", "") and not str(error.name).startswith("weasyprint"):
            raise UsageError(f"{INSTALL_HINT} ({error})") from None
        raise UsageError(INSTALL_HINT) from None
    except OSError as error:
        raise UsageError(PANGO_HINT.format(reason=str(error).strip() or type(error).__name__)) from None
    return weasyprint
