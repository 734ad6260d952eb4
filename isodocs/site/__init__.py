"""The published manual: render a staging project of publishable documents, build it with an engine.

``render`` writes the staging project (plain Markdown and mkdocs.yml, only what
may be published), ``build`` runs mkdocs-material or Zensical on it and swaps
the result in, ``serve`` previews it live and ``publish`` deploys a version
with mike. See docs/site.md.
"""
