# Two commands on a fresh machine with only python3:
#   make build   creates .venv, installs everything and builds site/ and dist/
#   make test    the same setup, then every test
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: build test check serve schema bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

build: $(STAMP)
	$(BIN)/handbok build

test: $(STAMP)
	$(BIN)/python -m pytest

check: $(STAMP)
	$(BIN)/handbok check

serve: $(STAMP)
	$(BIN)/handbok serve

schema: $(STAMP)
	$(BIN)/handbok schema

clean:
	rm -rf site dist .pytest_cache
