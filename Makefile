# The two commands of the README: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
INDEX ?= vankien-index
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test install install-test index clean

$(VENV)/bin/activate:
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

install: $(VENV)/bin/activate
	$(PY) -m pip install --quiet -e .

install-test: $(VENV)/bin/activate
	$(PY) -m pip install --quiet -e '.[test]'

index: install
	$(VENV)/bin/vankien reindex corpus --index $(INDEX)

run: index
	$(VENV)/bin/vankien info --index $(INDEX)
	$(VENV)/bin/vankien serve --index $(INDEX) --host $(HOST) --port $(PORT)

test: install-test
	$(PY) -m pytest

clean:
	rm -rf $(VENV) $(INDEX)
