"""The context signal: a segment's neighbours in its turn and the turn's profile rank its codes."""

from __future__ import annotations

import math

import pytest

CODEBOOK = """\
name: Context test codebook
version: "0.1"
language: sv
themes:
  - id: readiness
    uuid: 7b0f4f52-8f3c-4a49-9d43-0c6a4d7f0c01
    label: {sv: Beredskap, en: Readiness}
    color: "#4C78A8"
codes:
  - id: cold-start
    uuid: 7b0f4f52-8f3c-4a49-9d43-0c6a4d7f0c02
    parent: readiness
    label: {sv: kallstart, en: cold start}
    definition: Organisationen startar oförberedd.
    examples: ["Det blev nedskärningar direkt.", "Vi hade ingen tid för utbildning."]
    indicators:
      sv: [nedskärning, "ingen tid"]
    color: "#E15759"
  - id: collaboration
    uuid: 7b0f4f52-8f3c-4a49-9d43-0c6a4d7f0c03
    parent: readiness
    label: {sv: samverkan, en: collaboration}
    definition: Samarbete mellan kommun och region.
    examples: ["Vi har ett avtal med regionen."]
    indicators:
      sv: [samverkan, "tillsammans med"]
    color: "#59A14F"
"""

# The quiet sentence "Så blev det bara." has no indicator and no codebook word; it appears
# after a strong sentence in the same turn, and after the same sentence in another turn.
TRANSCRIPT = """\
I: Hur började det?
IP: Det var nedskärningar överallt och ingen tid. Så blev det bara.
I: Och sen?
IP: Det var nedskärningar överallt och ingen tid.
IP 2: Så blev det bara.
"""


@pytest.fixture
def proj(project_from):
    from qualcode.suggest import engine

    project, tid = project_from(CODEBOOK, TRANSCRIPT, "context-test.md")
    quiet = project.db.execute(
        "SELECT s.id, s.turn_id FROM segments s JOIN transcripts t ON t.id = s.transcript_id "
        "WHERE substr(t.text, s.start + 1, s.\"end\" - s.start) = 'Så blev det bara.' ORDER BY s.start").fetchall()
    assert len(quiet) == 2 and quiet[0][1] != quiet[1][1]
    yield project, tid, [seg for seg, _ in quiet]
    engine.forget(project)


def test_a_quiet_sentence_ranks_its_neighbours_code_below_the_threshold(proj):
    from qualcode.suggest import suggest_for_segment
    from qualcode.suggest.scoring import DEFAULT_THRESHOLD

    project, _, (inside, _) = proj
    ranked = suggest_for_segment(project, inside, min_score=0)
    assert ranked and ranked[0].code == "cold-start"
    assert 0 < ranked[0].score < DEFAULT_THRESHOLD
    assert ranked[0].evidence[0] == "context: nedskärning (nedskärningar), ingen tid (previous sentence)"
    assert suggest_for_segment(project, inside) == []  # context alone shows nothing


def test_context_never_crosses_a_turn(proj):
    from qualcode.suggest import suggest_for_segment

    project, _, (_, alone) = proj
    assert suggest_for_segment(project, alone, min_score=0) == []


def test_context_alone_stays_below_the_threshold():
    from qualcode.suggest.scoring import DEFAULT_THRESHOLD, combine

    strongest = combine(0.0, None, 0, True, similarity=0.0, neighbour=1.0, turn_similarity=1.0)
    assert 0 < strongest < DEFAULT_THRESHOLD
    # With the segment's own weak evidence, a neighbour can tip it over; the turn cannot.
    weak = combine(0.9, None, 0, True, similarity=0.1)
    assert weak < DEFAULT_THRESHOLD
    assert combine(0.9, None, 0, True, similarity=0.1, neighbour=0.9) >= DEFAULT_THRESHOLD
    assert combine(0.9, None, 0, True, similarity=0.1, turn_similarity=0.5) == weak
    weaker = combine(0.5, None, 0, True, similarity=0.02)
    assert weaker < combine(0.5, None, 0, True, similarity=0.02, turn_similarity=0.5) < DEFAULT_THRESHOLD
    # More context never lowers a score.
    values = [combine(0.5, None, 0, True, 0.05, neighbour=n) for n in (0.0, 0.2, 0.5, 0.9)]
    assert values == sorted(values) and values[0] < values[-1]


def test_table_scores_equal_the_documented_scalar_ones():
    import numpy as np

    from qualcode.suggest.scoring import combine, combine_arrays

    grid = [(raw, sim, nb, ts, p, n, rules)
            for raw in (0.0, 0.9, 2.5) for sim in (0.0, 0.04, 0.2) for nb in (0.0, 0.6) for ts in (0.0, 0.3)
            for p in (None, 0.1, 0.9) for n in (0, 6) for rules in (True, False)]
    arrays = [np.array([[g[i] for g in grid]], dtype=float) for i in range(4)]
    probs = np.array([[math.nan if g[4] is None else g[4] for g in grid]])
    positives = np.array([g[5] for g in grid], dtype=float)
    has_rules = np.array([g[6] for g in grid])
    got = combine_arrays(*arrays, probs, positives, has_rules)["score"][0]
    want = [combine(raw, p, n, rules, sim, nb, ts) for raw, sim, nb, ts, p, n, rules in grid]
    assert np.allclose(got, want, atol=1e-12)


def test_neighbours_stay_inside_their_turn():
    import numpy as np

    from qualcode.suggest.table import NEXT, PREVIOUS, neighbours

    own = np.array([[0.9], [0.0], [0.0], [0.4], [0.0]])
    best, source = neighbours(own, [1, 1, 2, 2, 3])
    assert best[:, 0].tolist() == [0.0, 0.9, 0.4, 0.0, 0.0]
    assert source[:, 0].tolist() == [0, PREVIOUS, NEXT, 0, 0]
