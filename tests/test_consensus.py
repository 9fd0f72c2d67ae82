"""Consensus coding: the disagreement list, each resolve choice, idempotence, undo, seeding, progress, CLI."""

from __future__ import annotations

import json

import pytest

from qualcode import coding
from qualcode.consensus import (
    UnitRef, disagreements, progress, resolve, seed_consensus, undo_resolve,
)
from qualcode.errors import QualcodeError
from tests.conftest import run_cli

A, B, C = "anna", "bo", "team"
# Segments of the group interview: 4 = 49-73, 5 = 74-111, 6 = 117-154, 7 = 155-169, 9 = 190-212, 10 = 213-245.
SEG = {4: (49, 73), 5: (74, 111), 6: (117, 154), 7: (155, 169), 9: (190, 212), 10: (213, 245)}


@pytest.fixture
def coded(imported):
    """Two coders agreeing on segments 4, 6 and 9 and disagreeing on 5 (A), 7 (A) and 10 (B)."""
    project, t = imported
    db = project.db
    coding.add_coding(db, t.id, *SEG[4], "warm-start", A)
    coding.add_coding(db, t.id, *SEG[4], "warm-start", B)
    coding.add_coding(db, t.id, *SEG[5], "warm-start", A, memo="erfarenhet")
    coding.add_coding(db, t.id, 117, 169, "cold-start", A)  # segments 6 and 7 in one span
    coding.add_coding(db, t.id, *SEG[6], "cold-start", B, memo="chefsbyte")
    coding.add_coding(db, t.id, 216, 240, "warm-start", B, memo="handledning")
    coding.add_coding(db, t.id, *SEG[9], "cold-start", A)
    coding.add_coding(db, t.id, 195, 212, "cold-start", B)  # same unit, other boundaries: still agreement
    return project, t


def spans(db, tid, coder, code=None):
    sql = 'SELECT start, "end", code_id, memo FROM codings WHERE transcript_id = ? AND coder = ?'
    rows = db.execute(sql + " ORDER BY start, code_id", [tid, coder]).fetchall()
    return [tuple(r) for r in rows if code is None or r[2] == code]


def ref(t, number, code, unit="segment"):
    return UnitRef(t.id, unit, number, code, A, B)


def test_disagreement_list(coded):
    project, t = coded
    found = disagreements(project.db, A, B, t.id)
    assert [(d.number, d.code, d.coder) for d in found] == [(5, "warm-start", "a"), (7, "cold-start", "a"),
                                                           (10, "warm-start", "b")]
    five, seven, ten = found
    assert (five.start, five.end, five.text) == (74, 111, "Det fanns mycket erfarenhet i teamet.")
    assert [(c["start"], c["end"], c["memo"]) for c in five.codings_a] == [(74, 111, "erfarenhet")]
    assert five.codings_b == [] and five.resolved is None and five.choice is None
    assert [(c["start"], c["end"]) for c in seven.codings_a] == [(117, 169)]  # the whole span, for its boundaries
    assert [(c["start"], c["end"], c["memo"]) for c in ten.codings_b] == [(216, 240, "handledning")]


def test_agreements_flag_units_and_filters(coded):
    project, t = coded
    db = project.db
    every = disagreements(db, A, B, t.id, include_agreements=True)
    assert [(d.number, d.code, d.coder) for d in every] == [
        (4, "warm-start", "both"), (5, "warm-start", "a"), (6, "cold-start", "both"), (7, "cold-start", "a"),
        (9, "cold-start", "both"), (10, "warm-start", "b")]
    assert all(d.codings_a and d.codings_b for d in every if d.is_agreement)
    assert [d.number for d in disagreements(db, A, B, t.id, codes=["cold-start"])] == [7]
    # By turn: turn 2 (segments 4-5) and turn 3 (6-7) are agreements; only turn 5 (B's segment 10) is not.
    assert [(d.number, d.code, d.coder) for d in disagreements(db, A, B, t.id, unit="turn")] == [
        (5, "warm-start", "b")]


@pytest.mark.parametrize("bad, message", [
    (dict(coder_b=A), "two different coders"),
    (dict(coder_b="nobody"), "unknown coder 'nobody'"),
    (dict(unit="character"), "unknown unit"),
    (dict(codes=["no-such"]), "unknown code 'no-such'"),
    (dict(consensus=A), "consensus coder must be a third coder"),
])
def test_disagreements_bad_input(coded, bad, message):
    project, t = coded
    args = {"coder_a": A, "coder_b": B, "transcript_id": t.id, **bad}
    with pytest.raises(QualcodeError, match=message):
        disagreements(project.db, **args)


@pytest.mark.parametrize("choice, segment, code, expected", [
    ("a", 5, "warm-start", [(74, 111, "warm-start", "erfarenhet")]),
    ("b", 5, "warm-start", []),
    ("a", 7, "cold-start", [(117, 169, "cold-start", None)]),  # A's exact span, reaching into segment 6
    ("b", 10, "warm-start", [(216, 240, "warm-start", "handledning")]),
    ("both", 10, "warm-start", [(216, 240, "warm-start", "handledning")]),
    ("neither", 10, "warm-start", []),
])
def test_each_choice_writes_the_consensus(coded, choice, segment, code, expected):
    project, t = coded
    db = project.db
    before = {c: spans(db, t.id, c) for c in (A, B)}
    after = resolve(db, ref(t, segment, code), choice, C, actor=A)
    assert spans(db, t.id, C) == expected
    assert {c: spans(db, t.id, c) for c in (A, B)} == before  # the coders' own work is untouched
    assert after.resolved == ("coded" if expected else "not coded") and after.choice == choice
    listed = {(d.number, d.code): d for d in disagreements(db, A, B, t.id, consensus=C)}
    assert listed[segment, code].resolved == after.resolved


def test_both_merges_overlapping_spans(coded):
    project, t = coded
    db = project.db
    coding.add_coding(db, t.id, 200, 230, "warm-start", A, memo="a-memo")  # overlaps B's 216-240 in segment 10
    resolve(db, ref(t, 10, "warm-start"), "both", C, actor=A)
    [(start, end, code, memo)] = spans(db, t.id, C)
    assert (start, end, code) == (200, 240, "warm-start")
    assert set(memo.split("\n")) == {"a-memo", "handledning"}


def test_changing_the_choice_and_idempotence(coded):
    project, t = coded
    db = project.db
    count = "SELECT COUNT(*) FROM actions WHERE coder = ?"
    resolve(db, ref(t, 10, "warm-start"), "b", C, actor=A)
    (actions,) = db.execute(count, [C]).fetchone()
    resolve(db, ref(t, 10, "warm-start"), "b", C, actor=A)  # again: nothing changes, nothing logged
    assert db.execute(count, [C]).fetchone()[0] == actions
    assert spans(db, t.id, C) == [(216, 240, "warm-start", "handledning")]
    resolve(db, ref(t, 10, "warm-start"), "neither", C, actor=A)
    assert spans(db, t.id, C) == []
    assert disagreements(db, A, B, t.id, consensus=C)[-1].resolved == "not coded"


def test_neither_keeps_consensus_coding_beyond_the_unit(coded):
    project, t = coded
    db = project.db
    resolve(db, ref(t, 7, "cold-start"), "a", C, actor=A)  # 117-169 covers segments 6 and 7
    resolve(db, ref(t, 7, "cold-start"), "neither", C, actor=A)
    assert spans(db, t.id, C) == [(117, 154, "cold-start", None)]  # segment 6, which they agree on, stays


def test_undo_of_a_resolve(coded):
    project, t = coded
    db = project.db
    resolve(db, ref(t, 5, "warm-start"), "a", C, actor=A)
    first = spans(db, t.id, C)
    resolve(db, ref(t, 5, "warm-start"), "b", C, actor=A)  # removes the copied coding
    assert spans(db, t.id, C) == []
    undone = undo_resolve(db, C)
    assert undone["choice"] == "b" and spans(db, t.id, C) == first
    assert disagreements(db, A, B, t.id, consensus=C)[0].choice == "a"
    assert undo_resolve(db, C)["choice"] == "a"
    assert spans(db, t.id, C) == []
    assert disagreements(db, A, B, t.id, consensus=C)[0].resolved is None
    assert undo_resolve(db, C) is None


def test_generic_undo_steps_back_through_a_resolve(coded):
    project, t = coded
    db = project.db
    resolve(db, ref(t, 10, "warm-start"), "neither", C, actor=A)  # writes no coding, only the decision
    assert disagreements(db, A, B, t.id, consensus=C)[-1].resolved == "not coded"
    assert coding.undo(db, C)["kind"] == "consensus"
    assert disagreements(db, A, B, t.id, consensus=C)[-1].resolved is None
    coding.redo(db, C)
    assert disagreements(db, A, B, t.id, consensus=C)[-1].resolved == "not coded"


def test_undo_resolve_refuses_after_other_coding(coded):
    project, t = coded
    db = project.db
    resolve(db, ref(t, 5, "warm-start"), "a", C, actor=A)
    coding.add_coding(db, t.id, *SEG[4], "cold-start", C)
    with pytest.raises(QualcodeError, match="undo step by step"):
        undo_resolve(db, C)
    assert len(spans(db, t.id, C)) == 2


@pytest.mark.parametrize("target, choice, message", [
    (dict(code="no-such"), "a", "unknown code id 'no-such'"),
    (dict(code="readiness"), "a", "theme, not a codable code"),
    (dict(number=99), "a", "segment 99 is out of range"),
    (dict(unit="character"), "a", "unknown unit"),
    ({}, "maybe", "unknown choice 'maybe'"),
])
def test_resolve_bad_input_writes_nothing(coded, target, choice, message):
    project, t = coded
    db = project.db
    before = db.execute("SELECT COUNT(*) FROM actions").fetchone()
    fields = {"transcript_id": t.id, "unit": "segment", "number": 5, "code": "warm-start",
              "coder_a": A, "coder_b": B, **target}
    with pytest.raises(QualcodeError, match=message):
        resolve(db, UnitRef(**fields), choice, C, actor=A)
    with pytest.raises(QualcodeError, match="third coder"):
        resolve(db, ref(t, 5, "warm-start"), "a", B, actor=A)
    assert db.execute("SELECT COUNT(*) FROM actions").fetchone() == before
    assert spans(db, t.id, C) == []


def test_seed_copies_agreements_once(coded):
    project, t = coded
    db = project.db
    assert seed_consensus(db, A, B, C) == 3
    assert [s[:3] for s in spans(db, t.id, C)] == [
        (49, 73, "warm-start"),    # identical codings, kept once
        (117, 154, "cold-start"),  # A's 117-169 clipped to segment 6; segment 7 is still disputed
        (190, 212, "cold-start"),  # the union of 190-212 and 195-212
    ]
    assert seed_consensus(db, A, B, C) == 0  # nothing new the second time
    # Only disagreements remain, and none is resolved by seeding.
    assert [(d.number, d.resolved) for d in disagreements(db, A, B, t.id, consensus=C)] == [
        (5, None), (7, None), (10, None)]
    with pytest.raises(QualcodeError, match="third coder"):
        seed_consensus(db, A, B, A)


def test_progress_figures_follow_the_resolves(coded):
    project, t = coded
    db = project.db
    start = progress(db, A, B, C, t.id)
    assert (start["disagreements"], start["resolved"], start["remaining"]) == (3, 0, 3)
    assert start["figures"]["a_consensus"] is None and "team" in start["notes"]["a_consensus"]
    a_b = start["figures"]["a_b"]
    assert (a_b["coded_a"], a_b["coded_b"], a_b["coded_both"]) == (5, 4, 3)  # pooled over 2 codes x 10 segments

    seed_consensus(db, A, B, C)
    seeded = progress(db, A, B, C, t.id)
    assert seeded["figures"]["a_consensus"]["coded_both"] == 3
    resolve(db, ref(t, 5, "warm-start"), "a", C, actor=B)
    resolve(db, ref(t, 7, "cold-start"), "a", C, actor=B)
    resolve(db, ref(t, 10, "warm-start"), "a", C, actor=B)  # A did not code it: "a" means not coded
    done = progress(db, A, B, C, t.id)
    assert (done["disagreements"], done["resolved"], done["remaining"]) == (3, 3, 0)
    assert done["figures"]["a_b"] == a_b  # A and B themselves did not change
    assert done["figures"]["a_consensus"]["percent_agreement"] == 100.0
    assert done["figures"]["a_consensus"]["kappa"] == pytest.approx(1.0)
    assert done["figures"]["b_consensus"]["kappa"] < 1.0
    assert seeded["figures"]["a_consensus"]["kappa"] < done["figures"]["a_consensus"]["kappa"]


def cli(project, *args):
    return run_cli("--project", str(project.root), *args)


def test_cli_disagreements_json_and_table(coded):
    project, t = coded
    result = cli(project, "disagreements", "--coders", f"{A},{B}", t.name, "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["coders"] == [A, B] and data["unit"] == "segment"
    assert [(d["number"], d["code"], d["coder"]) for d in data["disagreements"]] == [
        (5, "warm-start", "a"), (7, "cold-start", "a"), (10, "warm-start", "b")]
    table = cli(project, "disagreements", "--coders", f"{A},{B}", t.name, "--into", C)
    assert table.exit_code == 0
    assert "A (anna)" in table.output and "B (bo)" in table.output and "216-240" in table.output
    assert "open" in table.output


def test_cli_seed_resolve_progress_undo(coded):
    project, t = coded
    pair = f"{A},{B}"
    seeded = cli(project, "consensus", "seed", "--coders", pair, "--into", C)
    assert "copied 3 agreed codings into team" in seeded.output
    result = cli(project, "resolve", "--coders", pair, "--into", C, t.name, "--segment", "10",
                 "--code", "warm-start", "--take", "b")
    assert result.exit_code == 0, result.output
    assert "1 of 3 disagreements" in result.output
    assert (216, 240, "warm-start", "handledning") in spans(project.db, t.id, C)
    state = json.loads(cli(project, "consensus", "progress", "--coders", pair, "--into", C, t.name, "--json").output)
    assert (state["resolved"], state["remaining"]) == (1, 2)
    assert cli(project, "consensus", "undo", "--into", C).exit_code == 0
    assert (216, 240, "warm-start", "handledning") not in spans(project.db, t.id, C)


@pytest.mark.parametrize("args, message", [
    (["disagreements", "--coders", "anna", "syd-grupp"], "--coders takes two names"),
    (["disagreements", "--coders", "anna,nobody", "syd-grupp"], "unknown coder 'nobody'"),
    (["disagreements", "--coders", "anna,bo", "nowhere"], "no transcript named 'nowhere'"),
    (["resolve", "--coders", "anna,bo", "--into", "team", "syd-grupp", "--segment", "5", "--code", "nope",
      "--take", "a"], "unknown code id 'nope'"),
    (["resolve", "--coders", "anna,bo", "--into", "bo", "syd-grupp", "--segment", "5", "--code", "warm-start",
      "--take", "a"], "third coder"),
    (["resolve", "--coders", "anna,bo", "--into", "team", "syd-grupp", "--code", "warm-start", "--take", "a"],
     "exactly one of --segment N or --turn N"),
    (["consensus", "undo", "--into", "team"], "not a resolve"),
])
def test_cli_errors(coded, args, message):
    project, t = coded
    before = spans(project.db, t.id, C)
    result = cli(project, *args)
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and message in result.stderr and "Traceback" not in result.output
    assert spans(project.db, t.id, C) == before


def test_cli_help_has_examples():
    for args in (["disagreements"], ["resolve"], ["consensus"], ["consensus", "seed"], ["consensus", "progress"],
                 ["consensus", "undo"]):
        result = run_cli(*args, "--help")
        assert result.exit_code == 0 and "Example:" in result.output


def test_taken_span_joins_the_consensus_coding_it_runs_into(coded):
    project, t = coded
    db = project.db
    seed_consensus(db, A, B, C)  # cold-start 117-154 on segment 6
    resolve(db, ref(t, 7, "cold-start"), "a", C, actor=A)  # A's 117-169 runs into it
    assert [s[:3] for s in spans(db, t.id, C, "cold-start")] == [(117, 169, "cold-start"), (190, 212, "cold-start")]
    undo_resolve(db, C)
    assert [s[:3] for s in spans(db, t.id, C, "cold-start")] == [(117, 154, "cold-start"), (190, 212, "cold-start")]
