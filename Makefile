# Two commands for a fresh clone (see README.md):
#   make site   install nutgraf into .venv and build the sample site into output/
#   make test   install nutgraf with its test tools into .venv and run the whole test suite
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: site test lint clean

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -c 'import sys; sys.exit("nutgraf needs Python 3.11 or newer" if sys.version_info < (3, 11) else 0)'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

# The node test tools (axe-core, Lighthouse, validators) exactly as package-lock.json pins them, whenever
# package.json and npm are there. --ignore-scripts: no package downloads anything (a browser) while installing.
NODE_STAMP := node_modules/.nutgraf-installed
NODE_TOOLS := $(if $(and $(wildcard package.json),$(shell command -v npm 2>/dev/null)),$(NODE_STAMP))

$(NODE_STAMP): package.json $(wildcard package-lock.json)
	npm ci --ignore-scripts --no-audit --no-fund
	touch $@

site: $(BIN)/.installed
	$(BIN)/nutgraf build

# pytest exits 5 when it collects no test: that is a failure here, never a pass.
test: $(BIN)/.installed $(NODE_TOOLS)
	$(BIN)/ruff check generator tests
	$(BIN)/python -m pytest; status=$$?; \
	if [ $$status -eq 5 ]; then echo "make test: pytest ran no test" >&2; exit 1; fi; exit $$status

lint: $(BIN)/.installed
	$(BIN)/ruff check generator tests

clean:
	rm -rf output .nutgraf-cache
