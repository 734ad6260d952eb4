"""The ``isodocs`` command line.

Each command lives in its own module of this package and follows one pattern:
parse options, fill an options dataclass, call one library function, print its
result. Nothing here decides anything about documents.
"""

from __future__ import annotations

import datetime as dt
import functools
import gc
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import click

from isodocs import __version__
from isodocs.errors import UsageError
from isodocs.readers.collector import collector_paused
from isodocs.readers.discover import find_root

CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


class Repo:
    """What the group's options give every command."""

    def __init__(self, directory: Path | None) -> None:
        self.directory = directory  # -C as given; `init` scaffolds exactly there
        # Relative paths on the command line are read from here, as with `git -C`.
        self.base = (directory or Path.cwd()).resolve()
        self.root = find_root(self.base)

    def path(self, path: Path) -> Path:
        """A command-line path, relative to -C DIR when given."""
        return path if path.is_absolute() else self.base / path


pass_repo = click.make_pass_decorator(Repo)


def fail(error: UsageError) -> None:
    click.echo(f"isodocs: error: {error}", err=True)
    sys.exit(2)


class IsodocsGroup(click.Group):
    """The command group: a UsageError from any command is one line on stderr and exit status 2."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except UsageError as error:
            fail(error)
        except ModuleNotFoundError as error:
            fail(missing_dependency(error))


# Packages a command imports that an installation can lack: the top-level module
# -> what to install. A broken or partial install ends in this message, not a traceback.
OPTIONAL_MODULES = {
    "markdown": "pip install --upgrade isodocs (Markdown comes with mkdocs, a dependency of isodocs)",
    "mkdocs": "pip install --upgrade isodocs (mkdocs is a dependency of isodocs)",
    "material": "pip install --upgrade isodocs (mkdocs-material is a dependency of isodocs)",
    "mike": "pip install --upgrade isodocs (mike is a dependency of isodocs)",
    "pymdownx": "pip install --upgrade isodocs (pymdown-extensions comes with mkdocs-material)",
    "zensical": "pip install 'isodocs[zensical]'",
    "playwright": "pip install playwright",
}


def missing_dependency(error: ModuleNotFoundError) -> UsageError:
    """A missing package as a usage error naming what to install; other import errors are bugs."""
    top = (error.name or "").split(".", 1)[0]
    if top not in OPTIONAL_MODULES:
        raise error
    return UsageError(f"this command needs the Python package '{top}', which is not installed: {OPTIONAL_MODULES[top]}")


def report_notes(report: Any) -> None:
    """Tell, on stderr, what a report left out (broken files) or doubts."""
    for warning in report.warnings:
        click.echo(f"isodocs: note: {warning}", err=True)
    if report.unreadable:
        files = "file" if report.unreadable == 1 else "files"
        click.echo(
            f"isodocs: note: {report.unreadable} document {files} could not be read and are left out; "
            "run `isodocs check` for why",
            err=True,
        )


def today_option(func):  # type: ignore[no-untyped-def]
    return click.option(
        "--today",
        type=click.DateTime(formats=["%Y-%m-%d"]),
        help="Date to check against (YYYY-MM-DD); default: the local date.",
    )(func)


def format_option(choices: Sequence[str], help: str = "Output format."):  # type: ignore[no-untyped-def]
    """``--format`` of a reporting command; the first choice is the default."""
    return click.option(
        "--format",
        "output_format",
        type=click.Choice(list(choices)),
        default=choices[0],
        show_default=True,
        help=help,
    )


def as_date(value: dt.datetime | None) -> dt.date | None:
    return value.date() if value else None


@click.group(cls=IsodocsGroup, context_settings=CONTEXT_SETTINGS)
@click.version_option(__version__, prog_name="isodocs")
@click.option(
    "-C",
    "directory",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="Repository to work on (default: the one holding the current directory).",
)
@click.pass_context
def main(ctx: click.Context, directory: Path | None) -> None:
    """Document control for ISO management systems kept as Markdown in Git."""
    # The collector is as it was when the command ends (for callers in the same process: tests).
    if ctx.invoked_subcommand in ENGINE_COMMANDS:
        ctx.call_on_close(functools.partial(gc.set_threshold, *gc.get_threshold()))
        gc.set_threshold(*COLLECTOR_THRESHOLDS)
    else:
        ctx.with_resource(collector_paused())
    ctx.obj = Repo(directory)


# Each command is one short process that builds a model of many small objects, and
# Python's cyclic collector walks that growing heap again and again: with its default
# thresholds (700, 10, 10), 10-20% of a check at 10,000 documents. The model and the
# findings hold no reference cycles (refcounting frees them), so the commands that
# only read documents and report run without the collector: a check of 10,000
# documents is 10% faster and its peak memory the same (193 MB). The commands that
# run the site engine (Python-Markdown's trees, the theme) keep it, a hundred times
# less often than by default.
ENGINE_COMMANDS = frozenset({"build", "pack", "publish", "serve"})
COLLECTOR_THRESHOLDS = (100_000, 50, 100)
