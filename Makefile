# The two commands of the README. Everything installs into .venv.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: site test lint fuzz clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Reinstall when the project's metadata changes.
$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

site: $(STAMP)
	$(BIN)/isodocs check

test: $(STAMP)
	$(BIN)/python -m pytest -q

# The long fuzz run (about half an hour on two cores); the default suite runs a few hundred examples.
fuzz: $(STAMP)
	FUZZ_EXAMPLES=10000 $(BIN)/python -m pytest -q -m slow tests/test_fuzz.py --hypothesis-show-statistics

lint: $(STAMP)
	$(BIN)/ruff check isodocs tests

clean:
	rm -rf $(VENV) site .pytest_cache
