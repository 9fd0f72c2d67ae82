# qualcode: `make demo` opens the TUI on the demo project, `make test` runs the tests.
PYTHON ?= python3.11
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
DEMO   ?= .

.PHONY: install demo demo-build demo-export test bench clean

$(BIN)/python:
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "qualcode needs $(PYTHON) on PATH (or run: make PYTHON=python3 ...)"; exit 2; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $(STAMP)

install: $(STAMP)

# The repository is the demo project: its database (qualcode.db, ignored by git) is built from
# transcripts/ and codebooks/ the first time and kept afterwards, with your coding in it.
demo-build: $(STAMP)
	$(BIN)/qualcode demo --dir $(DEMO)

demo: demo-build
	$(BIN)/qualcode --project $(DEMO) open

demo-export: demo-build
	$(BIN)/qualcode --project $(DEMO) export docx -o exports/demo-by-theme-and-site.docx --force

test: $(STAMP)
	@command -v tmux >/dev/null 2>&1 || { command -v apt-get >/dev/null 2>&1 && [ "$$(id -u)" = 0 ] && (apt-get update -qq && apt-get install -y -qq tmux) >/dev/null 2>&1 || echo "note: tmux not installed; the tmux smoke test will be skipped"; }
	$(BIN)/python -m pytest -q -p no:cacheprovider

bench: $(STAMP)
	$(BIN)/python -m benchmarks

# Keeps qualcode.db: it holds your coding of the demo project.
clean:
	rm -rf $(VENV) .pytest_cache
