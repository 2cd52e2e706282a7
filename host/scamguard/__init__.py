"""ScamGuard host: talks to the board, transcribes, scores and sends verdicts back."""
__version__ = "0.1.0"
