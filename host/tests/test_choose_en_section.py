"""host/scripts/choose_en_section*.sh refuse to start, and say how to fix it, when a corpus is missing,
and stop with the failing step's own error on a bad one."""
import os
import subprocess
from pathlib import Path

import pytest

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

SCRIPT_8 = SCRIPT.with_name("choose_en_section_8.sh")
SEEN_8 = ("cal-en", "cal-zh", "cal2-en", "cal2-zh", "dev-en", "en", "test-en", "test2-en", "test3-en", "test4-en",
          "test5-en")


def test_eighth_session_script_names_every_missing_seen_set(tmp_path):
    (tmp_path / "test2-en").mkdir()
    (tmp_path / "test2-en" / "corpus.jsonl").write_text("", encoding="utf-8")
    res = subprocess.run(["bash", str(SCRIPT_8)], capture_output=True, text=True, timeout=60,
                         env={**os.environ, "CORPUS_OUT": str(tmp_path)})
    assert res.returncode == 2, res.stderr
    missing = [ln for ln in res.stderr.splitlines() if "is missing" in ln]
    assert len(missing) == len(SEEN_8) - 1 and not any("/test2-en/" in ln for ln in missing)
    assert all(ln.startswith("choose_en_section_8: ") for ln in missing)
    assert f"{tmp_path}/test5-en/corpus.jsonl is missing; make it with: make eval-test45-en" in res.stderr
    assert res.stdout == ""



@pytest.mark.parametrize("script, corpora, first_step, final", [
    # the sixth-session script starts by fitting on the calibration rounds
    (SCRIPT, ("cal-en", "cal-zh", "cal2-en", "cal2-zh", "dev-en", "dev-zh", "en", "zh", "test-en"), "cal-en",
     "en320_t075.json"),
    # the eighth-session one starts by scoring set 1 with the calibration shipped before it
    (SCRIPT_8, SEEN_8, "test-en", "en_all_t05.json"),
])
def test_a_bad_corpus_stops_the_script_with_its_error_not_just_an_exit_code(tmp_path, script, corpora, first_step,
                                                                              final):
    data, out = tmp_path / "corpus", tmp_path / "calib"
    for d in corpora:
        (data / d).mkdir(parents=True)
        (data / d / "corpus.jsonl").write_text("{garbage\n", encoding="utf-8")
    res = subprocess.run(["bash", str(script)], capture_output=True, text=True, timeout=300,
                         env={**os.environ, "CORPUS_OUT": str(data), "CALIB_OUT": str(out)})
    assert res.returncode == 1
    assert f"{script.stem}: failed:" in res.stderr
    assert f"{first_step}/corpus.jsonl:1: invalid JSON" in res.stderr
    assert not (out / final).exists()
