"""The benchmark gold sets stay consistent with their transcripts (benchmarks/check_gold.py)."""

import pytest

from benchmarks.check_gold import check, gold_folders

FOLDERS = gold_folders()


def test_there_are_gold_sets():
    names = {f.name for f in FOLDERS}
    assert {"gold", "gold-heldout"} <= names


@pytest.mark.parametrize("folder", FOLDERS, ids=[f.name for f in FOLDERS])
def test_gold_set_is_consistent(folder):
    errors, table = check(folder)
    assert errors == [], "\n".join(errors[:10])
    assert "coded passages" in table


def test_checker_finds_a_quote_that_is_not_in_its_transcript(tmp_path):
    (tmp_path / "t.md").write_text("---\nsite: X\n---\n\nI: Fråga?\n\nIP: Ett svar här. Och mer.\n", encoding="utf-8")
    (tmp_path / "gold.yaml").write_text(
        "passages:\n  - {transcript: t, quote: \"Ett svar här.\", codes: [fidelity]}\n"
        "  - {transcript: t, quote: \"Finns inte.\", codes: [purveyor]}\n"
        "  - {transcript: t, quote: \"Och mer.\", codes: [no-such-code]}\n", encoding="utf-8")
    errors, _ = check(tmp_path)
    assert any("found 0 times" in e for e in errors)
    assert any("unknown code no-such-code" in e for e in errors)
    assert any("too few passages" in e for e in errors)
