"""python -m scamguard.phrases build|lint|stats (same as `scamguard phrases ...`)."""
from ..cli_phrases import phrases

phrases.main(prog_name="python -m scamguard.phrases")
