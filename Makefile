# The two commands of the README. Everything installs into .venv.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: site test lint fuzz clean rules-doc schemas

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Reinstall when the project's metadata changes.
$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e '.[site,zensical,pack,test]'
	touch $(STAMP)

# Check the example management system and build its site into site/. The example's audit
# programme, actions and reviews are dated: they are checked as on EXAMPLE_TODAY, the day
# the example describes (an audit cycle is twelve months either side of today, so no set
# of dates stays valid for years). `make site EXAMPLE_TODAY=` checks against the real date.
EXAMPLE_TODAY ?= 2026-11-27
TODAY_OPTION = $(if $(EXAMPLE_TODAY),--today $(EXAMPLE_TODAY))
site: $(STAMP)
	$(BIN)/isodocs check $(TODAY_OPTION)
	$(BIN)/isodocs build --site-dir site $(TODAY_OPTION)

test: $(STAMP)
	$(BIN)/python -m pytest -q

# The long fuzz run (about half an hour on two cores); the default suite runs a few hundred examples.
fuzz: $(STAMP)
	FUZZ_EXAMPLES=10000 $(BIN)/python -m pytest -q -m slow tests/test_fuzz.py --hypothesis-show-statistics

# docs/rules.md is generated from the rule registry; tests/test_ruledocs.py fails when it is stale.
rules-doc: $(STAMP)
	$(BIN)/python -m isodocs rules --format md > docs/rules.md

# The schemas' validators as Python code (isodocs/schemas/__init__.py says why); after editing a schema.
schemas: $(STAMP)
	$(BIN)/python -c 'from pathlib import Path; from isodocs import schemas as s; \
	[Path(s.__file__).with_name(s.precompiled_module(n).rsplit(".", 1)[1] + ".py").write_text(s.precompiled_source(n)) \
	 for n in s.PRECOMPILED]'

# ruff over everything; mypy over the layers pyproject.toml's [tool.mypy] names (model, readers, analyses, rules, app).
lint: $(STAMP)
	$(BIN)/ruff check isodocs tests
	$(BIN)/python -m mypy

clean:
	rm -rf $(VENV) site .pytest_cache
