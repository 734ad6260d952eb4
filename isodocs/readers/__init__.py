"""Readers: they build the model from files (YAML, documents, isodocs.yml, catalogues, soa.yml, mkdocs.yml, git)."""
