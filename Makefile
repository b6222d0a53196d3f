# The two commands of the README: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
INDEX ?= vankien-index
DOCS ?= corpus
HOST ?= 127.0.0.1
PORT ?= 8000
# The editable install's build backend prints a warning box meant for package authors.
QUIET_PIP := PYTHONWARNINGS=ignore $(PY) -m pip install --quiet --disable-pip-version-check

.PHONY: run test install install-test index clean

$(VENV)/bin/activate:
	$(PYTHON) -m venv $(VENV)
	$(QUIET_PIP) --upgrade pip

# Installed once, again only when pyproject.toml changes: a second `make run` starts at once.
$(VENV)/.installed: pyproject.toml | $(VENV)/bin/activate
	$(QUIET_PIP) -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(VENV)/bin/activate
	$(QUIET_PIP) -e '.[test]'
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed

install-test: $(VENV)/.installed-test

index: install
	$(VENV)/bin/vankien reindex $(DOCS) --index $(INDEX)

run: index
	$(VENV)/bin/vankien info --index $(INDEX)
	$(VENV)/bin/vankien serve --index $(INDEX) --host $(HOST) --port $(PORT)

test: install-test
	$(PY) -m pytest

clean:
	rm -rf $(VENV) $(INDEX)
