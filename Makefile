# The two commands of the README. Both do all set-up on a fresh Debian 12 machine:
# OS packages (apt, only when missing), the .venv, the project with its extras, the database.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

# Tests: a real PostgreSQL server, pcscd with the vpcd virtual reader (socket-activated by
# systemd-socket-activate, so every run has its own), cupsd with cups-pdf,
# poppler to render PDFs, fonts with ë/ç, and the libraries Qt needs to run offscreen.
APT_TEST := python3-venv python3-dev build-essential postgresql fonts-dejavu-core \
	pcscd libpcsclite-dev vsmartcard-vpcd swig systemd openssl \
	cups cups-bsd printer-driver-cups-pdf libcups2-dev poppler-utils \
	libgl1 libegl1 libxkbcommon0 libfontconfig1 libglib2.0-0 libdbus-1-3
# The desk in a real window (and on a virtual screen when there is no display).
APT_DEMO := $(APT_TEST) xvfb xauth libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0 \
	libxcb-render-util0 libxcb-randr0 libxcb-shape0 libxcb-xfixes0 libxcb-xkb1 libxcb-sync1 \
	libxcb-shm0 libxcb-util1 libxkbcommon-x11-0 libx11-xcb1

.PHONY: test demo screenshots lint venv translations clean architecture

$(STAMP): pyproject.toml
	bash .ci/apt-install $(APT_TEST)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[desk,test]'
	bash .ci/build-nbis $(BIN)/python
	touch $(STAMP)

venv: $(STAMP)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	$(BIN)/mypy
	$(BIN)/python -m devtools.architecture --check
	$(BIN)/python -m devtools.state_machine --check
	$(BIN)/python -m devtools.demo.tryout --check

# Three test workers on two cores: many tests wait on processes, sockets and timeouts (175 s
# against 195-210 s with two; four gain nothing more).
test: $(STAMP)
	bash .ci/apt-install $(APT_TEST)
	$(MAKE) lint
	$(BIN)/python -m pytest -q -n 3

# The desk with the register stand-ins, the SBI fingerprint simulator, a demo camera clip,
# pcscd with a blank virtual card and a folder card printer (issuance-dev demo run).
demo: $(STAMP)
	bash .ci/apt-install $(APT_DEMO)
	$(BIN)/issuance db upgrade
	$(BIN)/issuance-dev demo seed
	@if [[ -n "$${DISPLAY:-}$${WAYLAND_DISPLAY:-}" ]]; then \
		$(BIN)/issuance-dev demo run; \
	else \
		echo "No display: the desk runs on a virtual screen; its first window is saved as a PNG."; \
		xvfb-run -a -s "-screen 0 1280x800x24" $(BIN)/issuance-dev demo run --screenshot demo-login.png; \
	fi

# Every main screen in Albanian and English under a real X server (Xvfb), for the README.
screenshots: $(STAMP)
	bash .ci/apt-install $(APT_DEMO)
	xvfb-run -a -s "-screen 0 1280x800x24" $(BIN)/python -m devtools.screenshots docs/screenshots

translations: $(STAMP)
	$(BIN)/pyside6-lupdate $$(find ui -name "*.py" | sort) -no-obsolete -ts resources/translations/desk_sq.ts -target-language sq_AL
	$(BIN)/python resources/translations/fill_sq.py resources/translations/desk_sq.ts
	$(BIN)/pyside6-lrelease resources/translations/desk_sq.ts -qm resources/translations/desk_sq.qm
	$(BIN)/pyside6-lupdate $$(find ui -name "*.py" | sort) -no-obsolete -pluralonly -ts resources/translations/desk_en.ts -target-language en
	$(BIN)/python resources/translations/fill_sq.py resources/translations/desk_en.ts
	$(BIN)/pyside6-lrelease resources/translations/desk_en.ts -qm resources/translations/desk_en.qm
	$(BIN)/pyside6-lrelease resources/translations/qt_sq.ts -qm resources/translations/qt_sq.qm

# The README's generated sections: the layers (import graph), the state machine (workflow) and
# the demo coupons and permits to try (the stand-ins' seed).
architecture: $(STAMP)
	$(BIN)/python -m devtools.architecture README.md
	$(BIN)/python -m devtools.state_machine README.md
	$(BIN)/python -m devtools.demo.tryout README.md

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
