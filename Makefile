# ScamGuard. The README's two commands are `make demo` and `make test`; both start with
# `make setup`, so each works as the first command on a fresh clone.
# Each area keeps its own rules in <area>/make.mk, included below.

SHELL := /bin/bash
PY_SYS ?= python3
VENV := .venv
PY := $(VENV)/bin/python
BUILD := build
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
export SCAMGUARD_MODEL_DIR ?= $(HOME)/.cache/scamguard/models

APT_PKGS := espeak-ng flite sox clang libclang-rt-14-dev \
            gcc-riscv64-unknown-elf picolibc-riscv64-unknown-elf \
            gcc-xtensa-lx106 picolibc-xtensa-lx106-elf qemu-system-misc

.PHONY: all setup apt venv models demo test test-c test-py test-hil gen gen-check clean help
all: help
help:
	@echo "make setup | demo | test | hil-sim | firmware-check | firmware-bench | fuzz | bench-host | bench | soak | bench-load"

# ---------------------------------------------------------------- setup
setup: apt venv models sim

apt:
	@missing=$$(for p in $(APT_PKGS); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "installing apt packages:" $$missing; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi

venv: $(VENV)/.installed
$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PY_SYS) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test]'
	touch $@

models: venv
	$(PY) -m scamguard.models install
	$(PY) -m scamguard.phrases build --if-stale

# ---------------------------------------------------------------- generated constants
gen:
	$(PY_SYS) firmware/tools/gen_params.py

gen-check:
	$(PY_SYS) firmware/tools/gen_params.py --check

# ---------------------------------------------------------------- the two commands
demo: setup
	$(PY) -m scamguard.demo

test: setup gen-check test-c test-py test-hil
	@echo "make test: all default tests passed"

test-py: venv sim
	$(PY) -m pytest -q

clean:
	rm -rf $(BUILD)

include firmware/make.mk
-include model_export/make.mk
-include hil_tests/make.mk
-include host/make.mk
-include host/audio_eval.mk
-include firmware/platform/esp32/check/esp32_syntax.mk
-include host/robustness.mk
