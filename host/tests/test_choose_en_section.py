"""host/scripts/choose_en_section.sh refuses to start, and says how to fix it, when a corpus is missing."""
import os
import subprocess
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "choose_en_section.sh"


def test_missing_corpora_are_named_with_the_command_that_makes_them(tmp_path):
    (tmp_path / "cal-en").mkdir()
    (tmp_path / "cal-en" / "corpus.jsonl").write_text("", encoding="utf-8")  # present: not reported
    res = subprocess.run(["bash", str(SCRIPT)], capture_output=True, text=True, timeout=60,
                         env={**os.environ, "CORPUS_OUT": str(tmp_path)})
    assert res.returncode == 2, res.stderr
    missing = [ln for ln in res.stderr.splitlines() if "is missing" in ln]
    assert len(missing) == 8 and not any("/cal-en/" in ln for ln in missing)
    assert f"{tmp_path}/test-en/corpus.jsonl is missing; make it with: make eval-test-en" in res.stderr
    assert "calib_calls_2.jsonl --out" in res.stderr  # the synth command for the second round
    assert res.stdout == ""  # nothing fitted


def test_a_failing_fit_shows_its_error_not_just_an_exit_code(tmp_path):
    corpora, out = tmp_path / "corpus", tmp_path / "calib"
    for d in ("cal-en", "cal-zh", "cal2-en", "cal2-zh", "dev-en", "dev-zh", "en", "zh", "test-en"):
        (corpora / d).mkdir(parents=True)
        (corpora / d / "corpus.jsonl").write_text("{garbage\n", encoding="utf-8")
    res = subprocess.run(["bash", str(SCRIPT)], capture_output=True, text=True, timeout=300,
                         env={**os.environ, "CORPUS_OUT": str(corpora), "CALIB_OUT": str(out)})
    assert res.returncode == 1
    assert "choose_en_section: failed:" in res.stderr and "cal-en/corpus.jsonl:1: invalid JSON" in res.stderr
    assert not (out / "en320_t075.json").exists()
