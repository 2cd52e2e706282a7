"""host-daemon: serves boards over serial (and, later, BLE), runs the engine, sends verdicts."""
