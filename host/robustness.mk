# Link robustness: Python fuzzing, soak, multi-board load (issue 7). Included by the Makefile.
# fuzz-py    : atheris (libFuzzer) on the host's decoder path, FUZZ_PY_SECONDS (60) seconds
# soak       : SOAK_MINUTES (60) of call audio at 20x through the simulator and the daemon,
#              then 10 minutes with bit errors injected; figures -> build/soak/*.json
# bench-load : N simulators at real time against one daemon with the real engine; latency
#              p50/p95 per N -> build/bench-load/result.json

.PHONY: fuzz-py soak bench-load
FUZZ_PY_SECONDS ?= 60
SOAK_MINUTES ?= 60
SOAK_FAULT_RATE ?= 0.0002
BENCH_LOAD_MAX ?= 6

fuzz-py: venv
	@$(PY) -c "import atheris" 2>/dev/null || $(PY) -m pip install -q -e '.[fuzz]'
	mkdir -p $(BUILD)/fuzz-py/corpus
	$(PY) host/fuzz/fuzz_decoder.py -max_total_time=$(FUZZ_PY_SECONDS) -rss_limit_mb=2048 \
	  -artifact_prefix=$(BUILD)/fuzz-py/ $(BUILD)/fuzz-py/corpus

soak: venv sim
	$(PY) -m scamguard.daemon.soak --minutes $(SOAK_MINUTES) --speed 20 --json $(BUILD)/soak/clean.json
	$(PY) -m scamguard.daemon.soak --minutes 10 --speed 20 --faults $(SOAK_FAULT_RATE) --json $(BUILD)/soak/faults.json

bench-load: venv sim models
	$(PY) -m scamguard.daemon.bench_load --max-boards $(BENCH_LOAD_MAX) --json $(BUILD)/bench-load/result.json

# `make fuzz` runs both fuzzers: libFuzzer on the C decoder (firmware/make.mk) and atheris here.
fuzz: fuzz-py
