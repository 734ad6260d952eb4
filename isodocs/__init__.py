"""isodocs: document control for ISO management systems kept as Markdown in Git."""

__version__ = "0.1.0"
