"""Context views (strategies/context.py): which text is embedded, and who sees which view."""
import numpy as np
import pytest
from click.testing import CliRunner

from scamguard.evaluation.embed_cache import EmbeddingCache
from scamguard.evaluation.runner import build_evidence, run_call
from scamguard.evaluation.streaming import SpeakingRate
from scamguard.strategies import create
from scamguard.strategies.base import Decision, SegmentEvidence
from scamguard.strategies.config import load_config
from scamguard.strategies.context import ContextError, context_text, needed_contexts, view, with_context
from test_evaluation import CALLS, FakeEmbedder, fake_library, write_corpus


def seg(text="hello", qvec=(1.0, 0.0)):
    return SegmentEvidence(text, "en", 0.0, 3.0, np.array(qvec, np.float32), [])


def test_context_text_keeps_the_last_n_non_empty_texts_in_order():
    assert context_text(["a", "", "b", "  ", "c", "d"], 3) == "b c d"
    assert context_text(["a"], 3) == "a"
    assert context_text(["a", "b"], 1) == "b"
    with pytest.raises(ValueError, match="at least 1"):
        context_text(["a"], 0)


def test_view_gives_the_segment_or_its_context_and_refuses_a_missing_one():
    ev = seg("give cards for them")
    assert view(ev, 1) is ev
    with pytest.raises(ContextError, match="3-segment contexts but the evidence was built with no contexts"):
        view(ev, 3)
    wide = with_context(ev, 2, np.array([0.0, 1.0], np.float32), [])
    v = view(wide, 2)
    assert v.text == "give cards for them" and v.t_end_s == 3.0  # the segment's own text and times
    assert v.qvec.tolist() == [0.0, 1.0] and v.contexts == {} and v.context_n == 2
    with pytest.raises(ContextError, match="3-segment contexts but the evidence was built with 2-segment contexts"):
        view(wide, 3)
    both = with_context(wide, 3, np.array([0.6, 0.8], np.float32), [])
    assert view(both, 2).qvec.tolist() == [0.0, 1.0] and view(both, 3).context_n == 3
    assert view(both, 1) is both


def _default_params(context=1, **extra):
    cfg = load_config()
    p = dict(cfg["strategies"]["default"])
    p.pop("languages", None)
    p["context"] = context
    p.update(extra)
    return p


@pytest.mark.parametrize("bad", [0, -1, 2.5, "3", True])
def test_default_strategy_refuses_a_malformed_context(bad):
    cfg = load_config()
    cfg["strategies"]["default"] = _default_params(bad)
    with pytest.raises(ValueError, match="'context' must be a whole number of segments >= 1"):
        create("default", cfg, entries=fake_library()[1].entries)


def test_context_follows_the_language_section_of_the_call():
    _, lib = fake_library()
    cfg = load_config()
    cfg["strategies"]["default"] = _default_params(1, languages={"en": _default_params(3)})
    d = create("default", cfg, entries=lib.entries)
    assert d.contexts == {1, 3}
    assert d.context_segments(d.new_call(), "en") == 3
    assert d.context_segments(d.new_call(), "zh") == 1
    state = d.new_call()
    d.update(state, view(with_context(seg("hello"), 3, np.ones(64, np.float32) / 8, []), 3))
    assert d.context_segments(state, "zh") == 3  # the first segment fixed the call's language
    assert needed_contexts([d, create("A3", cfg)]) == (3,)


def test_needed_contexts_collects_every_section_s_context():
    class Wants:
        def __init__(self, *n):
            self.contexts = {1, *n}
    assert needed_contexts([]) == ()
    assert needed_contexts([Wants(3), Wants(2), Wants(3, 2), object()]) == (2, 3)


class Recorder:
    """Test double: remembers the vectors it was shown; asks for ``n`` segments."""
    name = "rec"

    def __init__(self, n):
        self.n = n
        self.seen = []

    def context_segments(self, state, lang):
        return self.n

    def new_call(self):
        return []

    def update(self, state, ev):
        self.seen.append(ev)
        return Decision(False, "safe", 0.0, None, [], "", [], [])

    def finish(self, state, ev):
        return Decision(False, "safe", 0.0, None, [], "", [], [])


def test_text_runner_embeds_context_texts_and_hands_each_strategy_its_view(tmp_path):
    emb, lib = fake_library()
    cache = EmbeddingCache(emb, tmp_path / "c.npz")
    call = CALLS[0]
    plain = build_evidence([call], 2.0, SpeakingRate(), cache, lib, 2, transcripts=False)[0]
    wide = build_evidence([call], 2.0, SpeakingRate(), cache, lib, 2, transcripts=False, contexts=(2, 3))[0]
    texts = [s.text for s in plain.segments]
    assert len(texts) >= 3
    for i, s in enumerate(wide.segments):
        assert s.text == texts[i] and sorted(s.contexts) == [2, 3]
        for n in (2, 3):
            want = emb.embed_queries([context_text(texts[: i + 1], n)])[0]
            np.testing.assert_allclose(s.contexts[n].qvec, want, atol=1e-6)
    one, two, three = Recorder(1), Recorder(2), Recorder(3)
    run_call(wide, {"one": one, "two": two, "three": three})
    assert [e.qvec.tolist() for e in one.seen] == [e.qvec.tolist() for e in plain.segments]
    assert [e.qvec.tolist() for e in two.seen] == [e.contexts[2].qvec.tolist() for e in wide.segments]
    assert [e.qvec.tolist() for e in three.seen] == [e.contexts[3].qvec.tolist() for e in wide.segments]
    with pytest.raises(ContextError):
        run_call(plain, {"two": Recorder(2)})


class TextLog(FakeEmbedder):
    def __init__(self):
        super().__init__()
        self.texts = []

    def embed_queries(self, texts):
        self.texts += list(texts)
        return super().embed_queries(texts)


def test_engine_embeds_only_the_view_its_strategy_asks_for():
    from scamguard.engine import Engine
    from scamguard.phrases import PhraseLibrary
    from test_evaluation import ENTRIES

    emb = TextLog()
    lib = PhraseLibrary.build(ENTRIES, emb)
    emb.texts.clear()
    eng = Engine(None, emb, lib, Recorder(2), neighbours_k=2)
    call = eng.new_call()
    for i, t in enumerate(["your parcel", "", "arrives tomorrow", "move money now"]):
        eng.process_text(call, t, 3.0 * i, 3.0 * i + 3)
    assert emb.texts == ["your parcel", "your parcel arrives tomorrow", "arrives tomorrow move money now"]


def test_calibrate_context_writes_it_and_fits_the_default_on_the_views(tmp_path, fake_engine):
    from scamguard.cli import main

    _, lib = fake_engine
    corpus = write_corpus(tmp_path / "calls.jsonl")
    out = tmp_path / "cal.json"
    res = CliRunner().invoke(main, ["calibrate", str(corpus), "--out", str(out), "--target-fpr", "0.0",
                                    "--window", "2", "--context", "2", "--embed-cache", str(tmp_path / "e.npz")])
    assert res.exit_code == 0, res.output
    cfg = load_config(out)
    assert cfg["strategies"]["default"]["context"] == 2 and cfg["provenance"]["context"] == 2
    assert create("default", cfg, entries=lib.entries).contexts == {2}
    res = CliRunner().invoke(main, ["calibrate", str(corpus), "--out", str(out), "--context", "0"])
    assert res.exit_code != 0 and "--context" in res.output
