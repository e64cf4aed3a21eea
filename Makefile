# Two commands on a fresh machine with only python3:
#   make build   creates .venv, installs everything and builds site/ and dist/
#   make test    the same setup, then every test
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: build test check serve schema reference-docx reference-pptx bench clean

# -qq: the installer prints errors only, so `make build` shows the tool's own progress (setuptools' notes about
# editable installs are warnings for package authors, not for the people who build the handbook).
$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -qq --upgrade pip
	$(BIN)/python -m pip install -qq -e '.[test]'
	touch $(STAMP)

# The package's bytecode, written once here: the build starts worker processes (render/pdf.py), and each would
# compile the modules it imports again where Python is told not to write bytecode (PYTHONDONTWRITEBYTECODE). The
# templates' compiled code goes beside it (render/templating.py), as the first build would otherwise write it.
build: $(STAMP)
	$(BIN)/python -m compileall -q generators
	$(BIN)/python -m generators.render.templating
	$(BIN)/handbok build

test: $(STAMP)
	$(BIN)/python -m pytest

check: $(STAMP)
	$(BIN)/handbok check

serve: $(STAMP)
	$(BIN)/handbok serve

schema: $(STAMP)
	$(BIN)/handbok schema

# Rebuild the Word styles (templates/documents/reference.docx) from pandoc's defaults; the result is committed.
reference-docx: $(STAMP)
	$(BIN)/python -c "from generators.render.documents import make_reference_docx; make_reference_docx()"

# Rebuild the slide master (templates/documents/reference.pptx) from pandoc's reference presentation; committed too.
reference-pptx: $(STAMP)
	$(BIN)/python -c "from generators.render.slides import make_reference_pptx; make_reference_pptx()"

# Scale benchmark, never part of `make test`: 1,000, 5,000 and 10,000 routines, StrictDoc for comparison.
# Writes benchmarks/RESULTS.md; takes the better part of an hour on 2 cores.
bench: $(STAMP)
	$(BIN)/python -m compileall -q generators
	$(BIN)/python -m generators.render.templating
	$(BIN)/python benchmarks/bench.py

clean:
	rm -rf site dist .pytest_cache
