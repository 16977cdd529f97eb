# Two commands on a fresh machine: `make demo` (translate the example article) and
# `make test` (the test suite); `make serve` starts the web page. Each creates .venv and
# installs vnsum into it first.
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

.PHONY: demo serve test
demo: $(VENV)/.installed
	$(VENV)/bin/vnsum translate $(EXAMPLE)

# The web page and the REST API on http://127.0.0.1:7860/; e.g. make serve SERVE_ARGS="--host 0.0.0.0"
serve: $(VENV)/.installed
	$(VENV)/bin/vnsum serve $(SERVE_ARGS)

test: $(VENV)/.installed
	$(VENV)/bin/python -m pytest
