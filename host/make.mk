# Host detection engine: offline model cache, built phrase library, benchmark.
# Included by the top-level Makefile (PY, VENV and SCAMGUARD_MODEL_DIR come from there).

.PHONY: phrases phrases-lint phrases-stats bench-host

# Embed phrase_library/*.jsonl for the default embedder into
# $(SCAMGUARD_MODEL_DIR)/phrases/; a no-op when the built file is up to date.
phrases: venv
	$(PY) -m scamguard.phrases build --if-stale

phrases-lint: venv
	$(PY) -m scamguard.phrases lint

phrases-stats: venv
	$(PY) -m scamguard.phrases stats

# ASR p50/p95 per 5 s segment, embedding+scoring per segment, load times, peak RSS.
# Writes docs/results/host_bench.md.
bench-host: models phrases
	$(PY) -m scamguard.bench_host --write docs/results/host_bench.md
