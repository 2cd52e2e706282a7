"""`scamguard`: the project's command-line tool (a click group).

Each area contributes its commands from its own module: a module listed in COMMAND_MODULES
exposes a list `commands` of click commands or groups.
"""
from __future__ import annotations

import importlib
import logging

import click

from . import __version__

COMMAND_MODULES = [
    "scamguard.cli_phrases",
    "scamguard.cli_eval",
    "scamguard.cli_corpus",
    "scamguard.simulate",
    "scamguard.cli_board",
]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="scamguard")
@click.option("-v", "--verbose", count=True, help="More logging (-v info, -vv debug).")
def main(verbose: int) -> None:
    """ScamGuard tools: phrase library, evaluation, simulation, flashing, benchmarks."""
    level = logging.WARNING - 10 * min(verbose, 2)
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")


for _name in COMMAND_MODULES:
    _module = importlib.import_module(_name)
    for _cmd in _module.commands:
        main.add_command(_cmd)
