"""Audio-mode evaluation: recordings -> the board's VAD/segmenter (C) -> ASR -> every strategy."""
