"""The HIL suite's fixtures live in sg_hil/plugin.py (also loaded by the harness self-tests)."""
pytest_plugins = ["sg_hil.plugin"]
