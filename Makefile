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
	$(BIN)/lint-imports --no-cache
	$(BIN)/python -m pytest

# Every benchmark at full size (several minutes; see README for each one alone).
bench: setup
	$(BIN)/pip install --quiet -e '.[test,bench]'
	$(BIN)/python benchmarks/search_speed.py
	$(BIN)/python benchmarks/quality.py
	$(BIN)/python benchmarks/quality.py --questions benchmarks/heldout_questions.yaml
	$(BIN)/python benchmarks/scale.py
	$(BIN)/python benchmarks/e2e_load.py --users 20 --questions 300 --rate-limit off --rate 300
	$(BIN)/python benchmarks/e2e_load.py --users 20 --questions 100 --rate-limit off
	$(BIN)/python benchmarks/e2e_load.py --users 60 --questions 5 --rate-limit on
	$(BIN)/python benchmarks/e2e_load.py --users 20 --questions 30 --rate-limit on --rate 30
	$(BIN)/python benchmarks/e2e_load.py --users 20 --questions 5 --rate-limit on --pause 1
	$(BIN)/python benchmarks/e2e_load.py --users 10 --questions 6 --rate-limit on --pause 1.5 --flood
	$(BIN)/python benchmarks/soak.py
