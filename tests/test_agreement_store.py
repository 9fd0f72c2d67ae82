"""Agreement from a small project's store: units, restricted figures, filters, errors and the CLI."""

from __future__ import annotations

import json
import math
import uuid

import krippendorff
import numpy as np
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qualcode import store
from qualcode.agreement_units import compute_agreement
from qualcode.errors import QualcodeError
from qualcode.project import init_project

TOLERANCE = 1e-9


def textbook_kappa(a, b):
    """(p_o - p_e) / (1 - p_e) in floats, as in test_agreement_maths; None when 1 - p_e is 0."""
    n = len(a)
    if n == 0:
        return None
    p_o = sum(x == y for x, y in zip(a, b)) / n
    p_e = sum((a.count(v) / n) * (b.count(v) / n) for v in set(a) | set(b))
    return None if 1 - p_e == 0 else (p_o - p_e) / (1 - p_e)


def reference_alpha(a, b):
    """The `krippendorff` package's nominal alpha; None where it refuses or returns NaN."""
    try:
        with np.errstate(invalid="ignore", divide="ignore"):
            value = krippendorff.alpha(reliability_data=[a, b], level_of_measurement="nominal")
    except ValueError:
        return None
    return None if math.isnan(value) else float(value)

# Each transcript: turns of (speaker label, sentences); the text keeps the labels, as the store does.
TRANSCRIPTS = {
    "t1": [("I", ["Aaaa bbbb.", "Cccc dddd."]), ("IP 1", ["Eeee ffff.", "Gggg."])],
    "t2": [("I", ["Hhhh iiii.", "Jjjj."]), ("IP 1", ["Kkkk llll.", "Mmmm nnnn."])],
    "t3": [("I", ["Oooo pppp."])],
}


def build(root):
    """A project with three transcripts and codes x, y, z (codable) and theme (not), inserted directly."""
    project = init_project(root, language="en", coder="a")
    db = project.db
    layout = {}
    with store.transaction(db):
        for name in ("a", "b", "c"):
            store.ensure_coder(db, name)
        for position, (code, codable) in enumerate((("theme", 0), ("x", 1), ("y", 1), ("z", 1))):
            db.execute("INSERT INTO codes (id, uuid, codable, position) VALUES (?, ?, ?, ?)",
                       [code, str(uuid.uuid4()), codable, position])
        for tid, (name, turns) in enumerate(TRANSCRIPTS.items(), 1):
            text, turn_spans, segment_spans = "", [], []
            for label, sentences in turns:
                text += f"{label}: "
                start = len(text)
                for sentence in sentences:
                    segment_spans.append((len(turn_spans) + 1, len(text), len(text) + len(sentence)))
                    text += sentence + " "
                turn_spans.append((start, len(text) - 1))
                text = text[:-1] + "\n"
            db.execute("INSERT INTO transcripts (id, name, text, content_hash) VALUES (?, ?, ?, ?)",
                       [tid, name, text, name])
            for number, (start, end) in enumerate(turn_spans, 1):
                db.execute('INSERT INTO turns (id, transcript_id, number, start, "end") VALUES (?, ?, ?, ?, ?)',
                           [tid * 100 + number, tid, number, start, end])
            for number, (turn, start, end) in enumerate(segment_spans, 1):
                db.execute('INSERT INTO segments (transcript_id, turn_id, number, start, "end") VALUES (?, ?, ?, ?, ?)',
                           [tid, tid * 100 + turn, number, start, end])
            layout[name] = (tid, text, turn_spans, [(s, e) for _, s, e in segment_spans])
    return project, layout


def code(project, layout, transcript, coder, code_id, quote):
    """Code the first occurrence of `quote` in the transcript's text."""
    tid, text, _, _ = layout[transcript]
    start = text.index(quote)
    add(project, tid, coder, code_id, start, start + len(quote))


def add(project, tid, coder, code_id, start, end):
    with store.transaction(project.db):
        project.db.execute('INSERT INTO codings (transcript_id, start, "end", code_id, coder) VALUES (?, ?, ?, ?, ?)',
                           [tid, start, end, code_id, coder])


@pytest.fixture
def project(tmp_path):
    project, layout = build(tmp_path / "p")
    for coder, code_id, quote in [("a", "x", "Aaaa bbbb."), ("a", "x", "ffff"), ("a", "y", "Gggg."),
                                  ("b", "x", "bbbb. Cccc"), ("b", "y", "Gggg"), ("b", "x", "I: Aaaa")]:
        code(project, layout, "t1", coder, code_id, quote)
    code(project, layout, "t2", "a", "y", "Kkkk llll. Mmmm nnnn.")
    code(project, layout, "t2", "b", "y", "Kkkk")
    code(project, layout, "t3", "a", "x", "Oooo")  # only a coded t3
    project.layout = layout
    yield project
    project.close()


def brute_force(db, layout, unit, names, codes, coders=("a", "b")):
    """Per code, the 0/1 vectors of both coders over every unit, built one unit at a time."""
    rows = db.execute('SELECT transcript_id, code_id, coder, start, "end" FROM codings').fetchall()
    vectors = {c: ([], []) for c in codes}
    for name in names:
        tid, _, turns, segments = layout[name]
        if unit == "character":
            units = [(i, i + 1) for s, e in turns for i in range(s, e)]
        else:
            units = segments if unit == "segment" else turns
        for c in codes:
            for k, coder in enumerate(coders):
                spans = [(s, e) for t, cc, who, s, e in rows if t == tid and cc == c and who == coder]
                vectors[c][k].extend(int(any(min(e, ue) > max(s, us) for s, e in spans)) for us, ue in units)
    return vectors


def check_row(row, a, b):
    pairs = list(zip(a, b))
    assert row["units"] == len(pairs)
    assert row["coded_a"] == sum(a) and row["coded_b"] == sum(b)
    assert row["coded_both"] == sum(x and y for x, y in pairs)
    assert row["coded_neither"] == sum(not x and not y for x, y in pairs)
    coded = [(x, y) for x, y in pairs if x or y]
    for figures, (va, vb) in ((row, (a, b)), (row["restricted"], ([x for x, _ in coded], [y for _, y in coded]))):
        for name, reference in (("kappa", textbook_kappa(va, vb)), ("alpha", reference_alpha(va, vb))):
            if reference is None:
                assert figures[name] is None and figures[f"{name}_reason"]
            else:
                assert figures[name] == pytest.approx(reference, abs=TOLERANCE) and figures[f"{name}_reason"] is None


@pytest.mark.parametrize("unit", ["segment", "turn", "character"])
def test_units_match_brute_force(project, unit):
    result = compute_agreement(project.db, ("a", "b"), unit=unit)
    assert result["unit"] == unit and result["coders"] == ["a", "b"]
    assert [row["code"] for row in result["codes"]] == ["x", "y"]  # codable codes used, in codebook order
    assert result["skipped_transcripts"] == ["t3"]
    vectors = brute_force(project.db, project.layout, unit, ["t1", "t2"], ["x", "y"])
    for row in result["codes"]:
        check_row(row, *vectors[row["code"]])
    pooled_a = vectors["x"][0] + vectors["y"][0]
    pooled_b = vectors["x"][1] + vectors["y"][1]
    check_row(result["pooled"], pooled_a, pooled_b)


def test_segment_counts_by_hand(project):
    x, y = compute_agreement(project.db, ("a", "b"))["codes"]
    # x in t1: a has segments 1 and 3, b has 1 and 2; t2 has 4 segments nobody coded with x.
    assert (x["units"], x["coded_a"], x["coded_b"], x["coded_both"], x["coded_neither"]) == (8, 2, 2, 1, 5)
    assert x["neither_share"] == pytest.approx(5 / 8)
    assert x["percent_agreement"] == pytest.approx(100 * 6 / 8)
    assert x["restricted"]["units"] == 3
    assert x["restricted"]["percent_agreement"] == pytest.approx(100 / 3)
    # y: both coded segment 4 of t1 and segment 3 of t2; a also segment 4 of t2.
    assert (y["coded_a"], y["coded_b"], y["coded_both"]) == (3, 2, 2)


def test_character_units_clip_to_turn_content(project):
    x = compute_agreement(project.db, ("a", "b"), unit="character", transcripts=["t1"])["codes"][0]
    # b's "I: Aaaa" counts only "Aaaa" (the label is not content); the space after it stays uncoded.
    assert x["coded_b"] == len("Aaaa") + len("bbbb. Cccc")
    assert x["coded_a"] == len("Aaaa bbbb.") + len("ffff")
    assert x["coded_both"] == len("Aaaa") + len("bbbb.")
    assert x["units"] == len("Aaaa bbbb. Cccc dddd.") + len("Eeee ffff. Gggg.")


def test_perfect_agreement_on_coded_units_is_undefined_when_restricted(project):
    y = compute_agreement(project.db, ("a", "b"), transcripts=["t1"], codes=["y"])["codes"][0]
    assert y["kappa"] == pytest.approx(1.0) and y["alpha"] is not None
    restricted = y["restricted"]
    assert restricted["units"] == 1 and restricted["percent_agreement"] == 100.0
    assert restricted["kappa"] is None and restricted["alpha"] is None
    assert "one and the same value" in restricted["kappa_reason"] and restricted["alpha_reason"]


def test_filters(project):
    result = compute_agreement(project.db, ("a", "b"), transcripts=["t3", "t1"], codes=["z", "x"])
    assert [row["code"] for row in result["codes"]] == ["z", "x"]
    assert result["skipped_transcripts"] == []
    z, x = result["codes"]
    assert z["units"] == 5 and z["coded_a"] == z["coded_b"] == 0 and z["kappa"] is None
    assert z["restricted"]["units"] == 0 and z["restricted"]["kappa_reason"]
    assert (x["coded_a"], x["coded_b"]) == (3, 2)  # t3's only segment now counts for a


def test_per_transcript(project):
    result = compute_agreement(project.db, ("a", "b"), per_transcript=True)
    assert [entry["transcript"] for entry in result["transcripts"]] == ["t1", "t2"]
    for k in ("coded_a", "coded_b", "coded_both", "units"):
        assert sum(entry["codes"][0][k] for entry in result["transcripts"]) == result["codes"][0][k]
    assert "transcripts" not in compute_agreement(project.db, ("a", "b"))


@pytest.mark.parametrize("coders, kwargs, message", [
    (("a", "nobody"), {}, "unknown coder 'nobody'"),
    (("a", "c"), {}, "coder 'c' has no codings"),
    (("a", "a"), {}, "two different coders"),
    (("a", "b"), {"codes": ["nope"]}, "unknown code 'nope'"),
    (("a", "b"), {"transcripts": ["nope"]}, "unknown transcript 'nope'"),
    (("a", "b"), {"unit": "word"}, "unknown unit"),
])
def test_errors(project, coders, kwargs, message):
    with pytest.raises(QualcodeError, match=message):
        compute_agreement(project.db, coders, **kwargs)


def test_coder_without_codings_in_chosen_transcripts(project):
    with pytest.raises(QualcodeError, match="'b' has no codings in the chosen transcripts"):
        compute_agreement(project.db, ("a", "b"), transcripts=["t3"])


@pytest.fixture(scope="module")
def random_project(tmp_path_factory):
    project, layout = build(tmp_path_factory.mktemp("random") / "p")
    project.layout = layout
    yield project
    project.close()


spans = st.lists(st.tuples(st.sampled_from(["a", "b"]), st.sampled_from(["x", "y"]),
                           st.integers(0, 50), st.integers(0, 12)), min_size=2, max_size=12)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(codings=spans, unit=st.sampled_from(["segment", "turn", "character"]))
def test_random_codings_match_brute_force(random_project, codings, unit):
    db = random_project.db
    with store.transaction(db):
        db.execute("DELETE FROM codings")
        # Both coders always have one coding in t1, so the scope is never empty.
        db.execute("""INSERT INTO codings (transcript_id, start, "end", code_id, coder)
                      VALUES (1, 0, 1, 'z', 'a'), (1, 0, 1, 'z', 'b')""")
        for coder, code_id, start, size in codings:
            db.execute('INSERT INTO codings (transcript_id, start, "end", code_id, coder) VALUES (1, ?, ?, ?, ?)',
                       [start, start + size, code_id, coder])
    result = compute_agreement(db, ("a", "b"), unit=unit, transcripts=["t1"], codes=["x", "y", "z"])
    vectors = brute_force(db, random_project.layout, unit, ["t1"], ["x", "y", "z"])
    for row in result["codes"]:
        check_row(row, *vectors[row["code"]])


# The command line.

CODE_KEYS = {"code", "units", "coded_a", "coded_b", "coded_both", "coded_neither", "neither_share",
             "percent_agreement", "kappa", "alpha", "kappa_reason", "alpha_reason", "restricted"}
RESTRICTED_KEYS = {"units", "coded_a", "coded_b", "coded_both", "percent_agreement", "kappa", "alpha",
                   "kappa_reason", "alpha_reason"}


def run(project, *args):
    from qualcode.cli import cli

    return CliRunner().invoke(cli, ["--project", str(project.root), "agreement", *args])


def test_cli_json_shape(project):
    result = run(project, "--coders", "a,b", "--json", "--per-transcript")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert set(data) == {"unit", "coders", "codes", "pooled", "transcripts", "skipped_transcripts"}
    assert data["unit"] == "segment" and data["coders"] == ["a", "b"]
    for row in data["codes"]:
        assert set(row) == CODE_KEYS and set(row["restricted"]) == RESTRICTED_KEYS
    assert set(data["pooled"]) == CODE_KEYS - {"code"}
    assert data == compute_agreement(project.db, ("a", "b"), per_transcript=True)


def test_cli_table_explains_undefined(project):
    result = run(project, "--coders", "a,b", "--transcript", "t1", "--code", "y")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert any(line.startswith("y ") and "100.0" in line for line in lines)
    assert any(line.startswith("pooled") for line in lines)
    assert "—" in result.output and "— = undefined:" in result.output
    assert "one and the same value" in result.output


@pytest.mark.parametrize("args, message", [
    (["--coders", "a,nobody"], "unknown coder 'nobody'"),
    (["--coders", "a"], "two different coders"),
    (["--coders", "a,b", "--code", "nope"], "unknown code 'nope'"),
])
def test_cli_errors_are_one_line_exit_2(project, args, message):
    result = run(project, *args)
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output


def test_cli_help_has_example():
    from qualcode.cli import cli

    result = CliRunner().invoke(cli, ["agreement", "--help"])
    assert result.exit_code == 0 and "Example:" in result.output and "--coders A,B" in result.output
