"""Coding actions, the persisted undo log, excerpts and attribution."""

from __future__ import annotations

import pytest

from qualcode import coding
from qualcode.errors import QualcodeError
from qualcode.excerpts import attribution, excerpts, matrix
from qualcode.transcripts import segments


def seg(project, t, text):
    return next(s for s in segments(project.db, t.id) if s["text"] == text)


def test_code_stores_quote_and_context(imported):
    project, t = imported
    s = seg(project, t, "Vi hade jobbat så förut.")
    cid = coding.add_coding(project.db, t.id, s["start"], s["end"], "warm-start", "anna", memo="tydligt")
    row = project.db.execute("SELECT quote, context_before, context_after, memo, from_suggestion FROM codings WHERE id=?", [cid]).fetchone()
    assert row[0] == "Vi hade jobbat så förut."
    assert row[1].endswith("IP 1: ") and row[2].startswith(" Det fanns")
    assert row[3] == "tydligt" and row[4] == 0


def test_identical_coding_is_kept_once(imported):
    project, t = imported
    a = coding.add_coding(project.db, t.id, 0, 10, "warm-start", "anna")
    b = coding.add_coding(project.db, t.id, 0, 10, "warm-start", "anna")
    assert a == b
    assert project.db.execute("SELECT COUNT(*) FROM codings").fetchone()[0] == 1


def test_unknown_code_and_theme_are_refused(imported):
    project, t = imported
    with pytest.raises(QualcodeError, match="unknown code id 'nope'"):
        coding.add_coding(project.db, t.id, 0, 10, "nope", "anna")
    with pytest.raises(QualcodeError, match="theme"):
        coding.add_coding(project.db, t.id, 0, 10, "readiness", "anna")


def test_span_resolution_errors(imported):
    project, t = imported
    with pytest.raises(QualcodeError, match="out of range"):
        coding.resolve_span(project.db, t.id, segment=999)
    with pytest.raises(QualcodeError, match="must be before"):
        coding.resolve_span(project.db, t.id, start=20, end=10)
    with pytest.raises(QualcodeError, match="exactly one"):
        coding.resolve_span(project.db, t.id, segment=1, turn=1)
    span = coding.resolve_span(project.db, t.id, turn=2)
    assert t.text[span.start:span.end].startswith("Vi hade jobbat")


def test_undo_redo_survive_a_restart(imported):
    from qualcode.project import Project

    project, t = imported
    s = seg(project, t, "Vi hade jobbat så förut.")
    coding.add_coding(project.db, t.id, s["start"], s["end"], "warm-start", "anna")
    coding.add_coding(project.db, t.id, s["start"], s["end"], "cold-start", "anna")
    project.close()
    again = Project(project.root)
    assert coding.undo(again.db, "anna")["kind"] == "add"
    codes = [r[0] for r in again.db.execute("SELECT code_id FROM codings")]
    assert codes == ["warm-start"]
    assert coding.redo(again.db, "anna")["kind"] == "add"
    assert sorted(r[0] for r in again.db.execute("SELECT code_id FROM codings")) == ["cold-start", "warm-start"]
    assert coding.redo(again.db, "anna") is None
    # another coder's undo does not touch anna's work
    assert coding.undo(again.db, "bertil") is None


def test_uncode_and_memo_are_undoable(imported):
    project, t = imported
    cid = coding.add_coding(project.db, t.id, 0, 10, "warm-start", "anna")
    coding.set_memo(project.db, cid, "ny memo", "anna")
    assert coding.uncode(project.db, t.id, 0, 10, "warm-start", "anna") == 1
    coding.undo(project.db, "anna")
    assert project.db.execute("SELECT memo FROM codings WHERE id=?", [cid]).fetchone() == ("ny memo",)
    coding.undo(project.db, "anna")
    assert project.db.execute("SELECT memo FROM codings WHERE id=?", [cid]).fetchone() == (None,)


def test_new_action_clears_redo(imported):
    project, t = imported
    coding.add_coding(project.db, t.id, 0, 10, "warm-start", "anna")
    coding.undo(project.db, "anna")
    coding.add_coding(project.db, t.id, 0, 10, "cold-start", "anna")
    assert coding.redo(project.db, "anna") is None


def test_excerpts_use_speaker_attributes(imported):
    project, t = imported
    s1 = seg(project, t, "Vi hade jobbat så förut.")
    s2 = seg(project, t, "Chefen byttes tre gånger första året.")
    coding.add_coding(project.db, t.id, s1["start"], s1["end"], "warm-start", "anna")
    coding.add_coding(project.db, t.id, s2["start"], s2["end"], "cold-start", "bertil")
    rows = excerpts(project.db)
    assert [r["attribution"] for r in rows] == ["(Syd, case manager, psykiatri)", "(Syd, chef, kommun)"]
    assert [r["speaker"] for r in rows] == ["IP 1", "IP 2"]
    assert [r["turn"] for r in rows] == [2, 3]
    assert [r["code"] for r in excerpts(project.db, organisations=["kommun"])] == ["cold-start"]
    assert [r["code"] for r in excerpts(project.db, roles=["case manager"])] == ["warm-start"]
    assert [r["code"] for r in excerpts(project.db, coders=["bertil"])] == ["cold-start"]
    assert [r["code"] for r in excerpts(project.db, speakers=["IP 1"])] == ["warm-start"]
    rows_, cols, table = matrix(excerpts(project.db), row_key="code", col_key="organisation")
    assert table == {("cold-start", "kommun"): 1, ("warm-start", "psykiatri"): 1}


def test_attribution_template_leaves_out_unknown_parts():
    assert attribution({"site": "Syd", "role": "chef", "organisation": "kommun"}) == "(Syd, chef, kommun)"
    assert attribution({"site": "Väst 1", "organisation": "psykiatri"}) == "(Väst 1, psykiatri)"
    assert attribution({}, "({site}; {role})") == ""
    assert attribution({"site": "Norr", "role": "chef"}, "[{role} i {site}]") == "[chef i Norr]"
