"""Speech synthesis for demos and evaluation corpora (espeak-ng here; more engines plug in)."""
