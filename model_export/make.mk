# On-chip keyword spotter (issue 6). `make test` needs none of this: the trained artifacts are
# committed (model_export/artifacts/, firmware/core/src/sg_kws_model_data.c) and checked by
# host/tests/test_kws_parity.py and firmware/test/test_nn_int8.c.
#
#   make kws-keywords  recompute phrase_library/keywords.json (seed 001 weights)
#   make kws-data      synthesise the English audio sets into build/kws/data (espeak-ng, flite,
#                      festival; installs the last two and festival's voices from Debian)
#   make kws-train     optional heavy environment build/kws-venv (tensorflow-cpu 2.15.1):
#                      data -> train -> int8 .tflite -> C data -> threshold tuning -> parity set
#   make kws-eval      streaming evaluation on held-out voices -> build/kws/eval.json
#   make kws-local-alert  whole synthesised calls through the simulator, no host (needs make corpus-en)
KWS_VENV := $(BUILD)/kws-venv
KWS_PY := $(KWS_VENV)/bin/python
KWS_ENV := PYTHONPATH=$(CURDIR)
# Speakers of other synthesisers than espeak-ng (model_export/kws/synth.py, OTHER_VOICES).
KWS_APT_PKGS := flite festival festvox-kallpc16k festvox-kdlpc16k festvox-us-slt-hts

.PHONY: kws-keywords kws-data kws-train kws-export kws-eval kws-local-alert
kws-keywords: venv
	$(PY) -m model_export.kws.select_keywords

$(KWS_VENV)/.installed:
	$(PY_SYS) -m venv $(KWS_VENV)
	$(KWS_PY) -m pip install -q --upgrade pip
	$(KWS_PY) -m pip install -q "tensorflow-cpu==2.15.1" "numpy<2" "scipy<1.14"
	touch $@

$(BUILD)/kws/data/train.npz: phrase_library/keywords.json model_export/kws/synth.py model_export/kws/gen_data.py
	$(MAKE) apt APT_PKGS="$(KWS_APT_PKGS)"
	$(KWS_ENV) $(PY) -m model_export.kws.gen_data
kws-data: venv $(BUILD)/kws/data/train.npz

kws-train: $(KWS_VENV)/.installed kws-data
	$(KWS_ENV) $(KWS_PY) -m model_export.kws.train
	$(KWS_ENV) $(KWS_PY) -m model_export.kws.export_c
	$(MAKE) core-so
	$(KWS_ENV) $(KWS_PY) -m model_export.kws.evaluate tune
	$(MAKE) core-so
	$(KWS_ENV) $(PY) -m model_export.kws.parity_set

kws-export: $(KWS_VENV)/.installed
	$(KWS_ENV) $(KWS_PY) -m model_export.kws.export_c
	$(MAKE) core-so

kws-eval: venv core-so kws-data
	$(KWS_ENV) $(PY) -m model_export.kws.evaluate eval
	$(KWS_ENV) $(PY) -m model_export.kws.report

kws-local-alert: venv sim
	$(KWS_ENV) $(PY) -m model_export.kws.local_alert
	$(KWS_ENV) $(PY) -m model_export.kws.report
