from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
VECTORS = ROOT / "firmware" / "test" / "vectors"


@pytest.fixture
def vectors():
    def read(name: str) -> list[list[str]]:
        lines = (VECTORS / name).read_text().splitlines()
        return [ln.split(" ") for ln in lines if ln and not ln.startswith("#")]

    return read
