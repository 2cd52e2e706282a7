"""Tools for a board on the bench: flashing (flash.py) and a protocol-aware monitor (monitor.py)."""
