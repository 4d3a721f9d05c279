# The course's commands. `make course` and `make test` set everything up themselves.
#   make course [PROFILE=alternative]   execute every lesson and build the site (_build/html)
#   make test                           lint, hygiene, unit/data tests, nbval over every lesson
#   make test-browser                   JupyterLab and the built site in headless Chromium
#   make lab                            JupyterLab on the lessons
#   make lab-student                    JupyterLab on the learner edition (_build/student)
#   make bench                          speed measurements (benchmarks/)
#   make lock                           re-resolve the pinned environment (needs the network)

PYTHON   ?= python3
PROFILE  ?= default
JOBS     ?= 2
VENV     := .venv
BIN      := $(VENV)/bin
UV       := $(BIN)/uv
UV_PIN   := uv==0.13.8
STAMP    := $(VENV)/.installed

.PHONY: setup bytecode course site student lab lab-student test test-browser bench lock check clean
.DEFAULT_GOAL := course

# The environment: a venv with uv, then exactly the pinned set. Re-runs only when the lock
# or pyproject.toml change (the stamp is newer than both otherwise).
$(STAMP): requirements/dev.lock pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 11) else "Python 3.11 is needed (set PYTHON=python3.11)")'
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@test -x $(UV) || $(BIN)/python -m pip install -q --disable-pip-version-check $(UV_PIN)
	$(UV) pip sync -q --python $(BIN)/python --compile-bytecode requirements/dev.lock
	$(UV) pip install -q --python $(BIN)/python --compile-bytecode --no-deps -e .
	@touch $(STAMP)

setup: $(STAMP)

# The course's own package is installed editable, so uv's --compile-bytecode does not reach
# it, and this machine never writes .pyc files lazily (PYTHONDONTWRITEBYTECODE): compile it
# before kernels start, or every kernel compiles the helpers again (about 0.1 s each).
# A no-op when nothing changed.
bytecode: $(STAMP)
	@$(BIN)/python -m compileall -q src

course: bytecode
	$(BIN)/python -m helpers.course run --profile $(PROFILE) --jobs $(JOBS)
	$(BIN)/python -m helpers.course site --profile $(PROFILE)

site: $(STAMP)
	$(BIN)/python -m helpers.course site --profile $(PROFILE)

student: $(STAMP)
	$(BIN)/python -m helpers.course student

lab: bytecode
	$(BIN)/jupyter lab notebooks

lab-student: student bytecode
	$(BIN)/jupyter lab _build/student/notebooks

check: $(STAMP)
	$(BIN)/ruff check src tests notebooks benchmarks requirements
	$(BIN)/ruff format --check src tests benchmarks requirements
	$(BIN)/python -m helpers.course check

test: check bytecode
	$(BIN)/python -m pytest -n $(JOBS) --dist loadscope --timeout 900 -m "not browser" --nbval-lax notebooks tests

test-browser: bytecode
	@command -v chromium >/dev/null || test -x /usr/bin/chromium || { \
	  echo "installing Debian's chromium for the browser tests"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }
	$(BIN)/python -m pytest -m browser -p no:randomly --timeout 900 tests/browser

bench: bytecode
	$(BIN)/python benchmarks/run.py

lock:
	cd requirements && ../$(UV) pip compile runtime.in -o runtime.lock --python-version 3.11 --no-header -q --no-emit-package rfc3987-syntax
	cd requirements && ../$(UV) pip compile dev.in -o dev.lock --python-version 3.11 --no-header -q --no-emit-package rfc3987-syntax
	$(BIN)/python requirements/environment_yml.py

clean:
	rm -rf _build
