# Hardware-in-the-loop suite (hil_tests/, pytest-embedded). Its own pytest.ini keeps the
# pytest-embedded plugin active (the root config disables it for host/tests).
#   make hil-sim                                   the board simulator (part of `make test`)
#   make hil PORT=/dev/ttyUSB0 ENV=esp32dev-test   a board (FLASH=1 flashes the build first)
# HIL_STRATEGY picks the host strategy the test host runs (default: the calibrated default).
HIL_STRATEGY ?= default
HIL_PYTEST := $(PY) -m pytest -c hil_tests/pytest.ini --strategy $(HIL_STRATEGY)
PORT ?=
ENV ?= esp32dev-test
HIL_ARGS ?=

.PHONY: hil-sim hil
hil-sim: venv models sim
	$(HIL_PYTEST) --sim $(HIL_ARGS) hil_tests

hil: venv models
	@test -n "$(PORT)" || { echo "usage: make hil PORT=/dev/ttyUSB0 [ENV=esp32dev-test] [FLASH=1]"; exit 2; }
	$(HIL_PYTEST) --port $(PORT) --env $(ENV) $(if $(FLASH),--flash) $(HIL_ARGS) hil_tests --ignore=hil_tests/selftest

# For the lead: `make test` depends on this hook.
test-hil:: hil-sim
