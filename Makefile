# Two commands on a fresh machine: `make demo` (translate the example article) and
# `make test` (the test suite). Both create .venv and install vnsum into it first.
PY ?= python3
VENV ?= .venv
# CPU users elsewhere: make demo TORCH_INDEX=--index-url=https://download.pytorch.org/whl/cpu
TORCH ?= torch==2.13.0
TORCH_INDEX ?=
EXAMPLE ?= examples/bo-cong-an-hoi-nghi.vi.txt

$(VENV)/.installed: pyproject.toml
	$(PY) -m venv $(VENV)
	$(VENV)/bin/pip install -q $(TORCH_INDEX) "$(TORCH)"
	$(VENV)/bin/pip install -q -e ".[test,fast,ray]"
	touch $@

.PHONY: demo test
demo: $(VENV)/.installed
	$(VENV)/bin/vnsum translate $(EXAMPLE)

test: $(VENV)/.installed
	$(VENV)/bin/python -m pytest
