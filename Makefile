# Two commands for a fresh machine (see README):
#   make run    set up, then start the bot (Telegram if TELEGRAM_BOT_TOKEN is set, else a local console chat)
#   make test   set up, then run the whole test suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test check bench setup
setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

run: setup
	$(BIN)/treaty-bot

test: setup
	$(BIN)/treaty-bot check
	$(BIN)/python -m pytest

bench: setup
	$(BIN)/python benchmarks/search_speed.py
