"""ScamGuard hardware-in-the-loop harness on pytest-embedded (see hil_tests/README.md)."""
