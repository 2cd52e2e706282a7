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


@pytest.fixture
def fake_engine(monkeypatch):
    """The CLI's embedder and phrase library replaced by test_evaluation's model-free fakes."""
    import scamguard.cli_eval as cli_eval
    from test_evaluation import fake_library

    emb, lib = fake_library()
    monkeypatch.setattr(cli_eval, "_load_engine_parts", lambda spec, d: (emb, lib))
    return emb, lib
