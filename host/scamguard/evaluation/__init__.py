"""Text-mode evaluation: replay corpus calls as timed segment streams and score strategies."""
