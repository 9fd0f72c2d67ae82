"""`qualcode matrix` and `qualcode cooccurrence`: counts checked against the excerpts they count."""

from __future__ import annotations

import json
from collections import Counter

import pytest

from qualcode.excerpts import excerpts
from qualcode.export.matrix import compute, from_excerpts
from qualcode.export.quotes import merge_quotes, transcript_texts
from tests.conftest import run_cli
from tests.test_export_docx import code_sentence, coded  # noqa: F401  (fixture)


def matrix_json(project, *args):
    result = run_cli("--project", str(project.root), "matrix", "--json", *args)
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_codings_by_site_counted_by_hand(coded):  # noqa: F811
    table = matrix_json(coded)
    expected = Counter((r["code"], r["site"]) for r in excerpts(coded.db))
    assert table["row_values"] == ["warm-start", "cold-start"]  # codebook order
    assert table["col_values"] == ["Norr", "Syd"]
    assert {(r, c): n for r, cols in table["matrix"].items() for c, n in cols.items() if n} == dict(expected)


@pytest.mark.parametrize("cols", ["site", "organisation", "role", "transcript", "coder", "speaker", "title"])
@pytest.mark.parametrize("count", ["codings", "transcripts", "words"])
@pytest.mark.parametrize("rows", ["code", "theme"])
def test_fast_matrix_equals_matrix_of_excerpt_rows(coded, cols, count, rows):  # noqa: F811
    from qualcode.codes import codebook_from_store

    book = codebook_from_store(coded.db)
    fast = compute(coded.db, rows=rows, cols=cols, count=count, book=book)
    slow = from_excerpts(excerpts(coded.db), rows=rows, cols=cols, count=count, book=book)
    assert fast == slow


def test_role_is_the_speakers_and_counts_words_and_coder(coded):  # noqa: F811
    roles = matrix_json(coded, "--cols", "role")["matrix"]
    # IP 1 of the group interview is a case manager, IP 2 a manager (chef); Norr's interviewee is a chef
    assert roles["warm-start"] == {"case manager": 3, "chef": 2}
    assert roles["cold-start"] == {"case manager": 0, "chef": 4}
    words = matrix_json(coded, "--rows", "theme", "--count", "words", "--coder", "bertil")
    assert words["matrix"] == {"readiness": {"Norr": 7, "Syd": 3}}
    transcripts = matrix_json(coded, "--count", "transcripts", "--cols", "coder")["matrix"]
    assert transcripts["cold-start"] == {"anna": 2, "bertil": 2}


def test_matrix_csv_and_unknown_column(coded):  # noqa: F811
    out = run_cli("--project", str(coded.root), "matrix", "--csv").output.splitlines()
    assert out[:3] == ["code,Norr,Syd", "warm-start,2,3", "cold-start,2,2"]
    bad = run_cli("--project", str(coded.root), "matrix", "--cols", "shoe-size")
    assert bad.exit_code == 2 and "no transcript or speaker has the attribute 'shoe-size'" in bad.stderr


def test_cooccurrence_pairs(coded):  # noqa: F811
    code_sentence(coded, "norr-chef", "Chefen var engagerad.", "cold-start")
    code_sentence(coded, "syd-grupp", "Chefen byttes tre gånger första året.", "warm-start", coder="bertil")
    result = run_cli("--project", str(coded.root), "cooccurrence", "--json")
    assert json.loads(result.output) == [
        {"code_a": "cold-start", "code_b": "warm-start", "passages": 2, "transcripts": 2}]
    only_anna = json.loads(run_cli("--project", str(coded.root), "cooccurrence", "--json", "--coder", "anna").output)
    assert only_anna == [{"code_a": "cold-start", "code_b": "warm-start", "passages": 1, "transcripts": 1}]


def test_merge_keeps_gaps_and_speakers_apart(coded):  # noqa: F811
    rows = excerpts(coded.db, codes=["cold-start"])
    quotes = merge_quotes(rows, transcript_texts(coded.db, [r["transcript_id"] for r in rows]))
    assert [(q["text"], q["codings"], q["coders"]) for q in quotes] == [
        ("Pengarna tog slut.", 1, ["anna"]),
        ("Anna Berg i Norrby sa det också.", 1, ["bertil"]),  # "Ingen tid fanns." between: not merged
        ("Chefen byttes tre gånger första året. Det var tufft.", 2, ["anna", "bertil"]),
    ]
    # a speaker label between two coded sentences keeps them apart
    code_sentence(coded, "syd-grupp", "Det fanns mycket erfarenhet i teamet.", "cold-start")
    rows = excerpts(coded.db, codes=["cold-start"], transcripts=["syd-grupp"])
    quotes = merge_quotes(rows, transcript_texts(coded.db, [r["transcript_id"] for r in rows]))
    assert [q["speaker"] for q in quotes] == ["IP 1", "IP 2"]
