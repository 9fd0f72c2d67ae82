"""Suggestions on a project: exclusions, accept/reject bookkeeping, training, CLI JSON contract, offline."""

from __future__ import annotations

import json
import warnings

import pytest

from tests.conftest import run_cli

CODEBOOK = """\
name: Suggest test codebook
version: "0.1"
language: sv
themes:
  - id: readiness
    uuid: 7b0f4f52-8f3c-4a49-9d43-0c6a4d7f0b01
    label: {sv: Beredskap, en: Readiness}
    color: "#4C78A8"
codes:
  - id: cold-start
    uuid: 7b0f4f52-8f3c-4a49-9d43-0c6a4d7f0b02
    parent: readiness
    label: {sv: kallstart, en: cold start}
    definition: Organisationen startar oförberedd.
    examples: ["Chefen byttes tre gånger.", "Det blev nedskärningar direkt."]
    indicators:
      sv: [chef, nedskärning, "ingen tid"]
    color: "#E15759"
  - id: collaboration
    uuid: 7b0f4f52-8f3c-4a49-9d43-0c6a4d7f0b03
    parent: readiness
    label: {sv: samverkan, en: collaboration}
    definition: Samarbete mellan kommun och region.
    examples: ["Vi har ett avtal med regionen.", "Vi träffas med psykiatrin varje månad."]
    indicators:
      sv: [samverkan, "tillsammans med"]
    color: "#59A14F"
  - id: user-involvement
    uuid: 7b0f4f52-8f3c-4a49-9d43-0c6a4d7f0b04
    parent: readiness
    label: {sv: brukarmedverkan, en: user involvement}
    definition: Brukarna är med och bestämmer.
    examples: ["Brukaren bestämmer själv vad planen ska handla om.", "Klienten fick välja själv."]
    color: "#F28E2B"
"""

TRANSCRIPT = """\
---
title: Testintervju
site: Norr
---
I: Hur började det? Berätta om chefen.
IP: Enhetschefen slutade efter en månad. Det var nedskärningar överallt och ingen tid.
I: Och samarbetet?
IP: Vi skrev ett samverkansavtal med regionen. Vi jobbar tillsammans med psykiatrin i samverkan nu.
IP: Brukaren väljer själv vad planen ska handla om. Klienten bestämmer själv vilka mål hon har.
IP: Chefen sa att vi hade ingen tid för det. Ska vi ta en paus? Kaffet är slut.
"""


@pytest.fixture
def proj(project_from):
    from qualcode.suggest import engine

    project, tid = project_from(CODEBOOK, TRANSCRIPT, "norr-test.md")
    yield project, tid
    engine.forget(project)


def _segment(project, tid, needle):
    from qualcode.transcripts import segments

    return next(s for s in segments(project.db, tid) if needle in s["text"])


def _by_text(found, needle):
    return [s for s in found if needle in s.text]


def test_suggestions_with_evidence_and_threshold(proj):
    from qualcode.suggest import suggest_for_transcript

    project, tid = proj
    found = suggest_for_transcript(project, tid)
    strong = _by_text(found, "nedskärningar")
    assert [s.code for s in strong] == ["cold-start"]
    assert strong[0].evidence[:2] == ["nedskärning (nedskärningar)", "ingen tid"]
    # The codebook text supports it too, and the evidence says with which words.
    assert strong[0].evidence[2].startswith("similar to codebook: nedskärning")
    assert all(0 <= s.score <= 1 and s.score >= 0.5 for s in found)
    # One compound part is weak evidence (below the threshold alone: test_suggest.py); next to
    # the strong sentence of its turn it is shown, and the evidence says it was the context.
    weak = _by_text(found, "Enhetschefen slutade")
    assert [s.code for s in weak] == ["cold-start"] and weak[0].evidence[0] == "chef (Enhetschefen)"
    assert weak[0].evidence[-1] == "context: nedskärning (nedskärningar), ingen tid (next sentence)"
    assert 0 < weak[0].score < strong[0].score
    assert _by_text(found, "tillsammans med")[0].code == "collaboration"
    assert not _by_text(found, "paus") and not _by_text(found, "Berätta om chefen")  # small talk, interviewer
    everything = suggest_for_transcript(project, tid, min_score=0)
    assert len(everything) >= len(found)
    assert suggest_for_transcript(project, tid, min_score=0.99) == []


def test_project_threshold_decides_what_is_shown(proj):
    from qualcode.suggest import set_threshold, suggest_for_transcript, threshold

    project, tid = proj
    assert threshold(project) == 0.5
    shown = len(suggest_for_transcript(project, tid))
    set_threshold(project, 0.95)
    assert threshold(project) == 0.95
    assert len(suggest_for_transcript(project, tid)) < shown


def test_accept_codes_and_is_not_suggested_again(proj):
    from qualcode.suggest import accept, suggest_for_segment, suggest_for_transcript

    project, tid = proj
    s = _by_text(suggest_for_transcript(project, tid), "nedskärningar")[0]
    coding_id = accept(project, tid, s.start, s.end, s.code, "anna")
    row = project.db.execute(
        'SELECT code_id, from_suggestion, quote, start, "end" FROM codings WHERE id = ?', [coding_id]).fetchone()
    assert row == ("cold-start", 1, s.text, s.start, s.end)
    decision = project.db.execute("SELECT decision, coder FROM suggestion_decisions").fetchall()
    assert decision == [("accepted", "anna")]
    assert "cold-start" not in [x.code for x in suggest_for_segment(project, s.segment_id, min_score=0)]
    # The other segments still get theirs.
    assert _by_text(suggest_for_transcript(project, tid), "Chefen sa")


def test_reject_is_remembered_and_only_there(proj):
    from qualcode.suggest import reject, suggest_for_transcript

    project, tid = proj
    s = _by_text(suggest_for_transcript(project, tid), "nedskärningar")[0]
    reject(project, tid, s.start, s.end, s.code, "anna")
    assert not [x for x in suggest_for_transcript(project, tid, min_score=0) if x.segment_id == s.segment_id
                and x.code == s.code]
    assert _by_text(suggest_for_transcript(project, tid), "Chefen sa")  # same code elsewhere still shown
    assert project.db.execute("SELECT count(*) FROM codings").fetchone()[0] == 0


def test_applied_codes_are_not_suggested(proj):
    from qualcode.coding import add_coding
    from qualcode.suggest import suggest_for_transcript

    project, tid = proj
    s = _by_text(suggest_for_transcript(project, tid), "tillsammans med")[0]
    add_coding(project.db, tid, s.start + 3, s.start + 10, "collaboration", "bo")  # a partial overlap counts
    left = _by_text(suggest_for_transcript(project, tid, min_score=0), "tillsammans med")
    assert "collaboration" not in [x.code for x in left]


def test_segment_view_matches_transcript_view(proj):
    from qualcode.suggest import suggest_for_segment, suggest_for_transcript

    project, tid = proj
    found = suggest_for_transcript(project, tid)
    for s in found:
        assert s in suggest_for_segment(project, s.segment_id)


def test_training_improves_prediction(proj):
    from qualcode.coding import add_coding
    from qualcode.suggest import model, suggest_for_transcript, train, training_due

    project, tid = proj
    # user-involvement has no indicators: only its codebook text ranks it, never shown alone.
    before = _by_text(suggest_for_transcript(project, tid, min_score=0), "Klienten bestämmer")
    before_score = max([s.score for s in before if s.code == "user-involvement"], default=0.0)
    assert before_score < 0.5
    assert not [s for s in _by_text(suggest_for_transcript(project, tid), "Klienten") if s.code == "user-involvement"]
    assert training_due(project)[0] is False
    seg = _segment(project, tid, "Brukaren väljer")
    add_coding(project.db, tid, seg["start"], seg["end"], "user-involvement", "anna")
    report = train(project, force=True, epochs=6)
    assert report.trained and "user-involvement" in report.labels
    assert (model.model_path(project) / "meta-qualcode.json").is_file()
    after = _by_text(suggest_for_transcript(project, tid, min_score=0), "Klienten bestämmer")
    involvement = [s for s in after if s.code == "user-involvement"]
    assert involvement and any(e.startswith("model ") for e in involvement[0].evidence)
    assert involvement[0].score > before_score
    small_talk = [s.score for s in _by_text(suggest_for_transcript(project, tid, min_score=0), "paus")
                  if s.code == "user-involvement"]
    assert involvement[0].score > max(small_talk, default=0.0)
    again = train(project, force=True, epochs=2)
    assert again.incremental  # same codes: resumed from the stored model


def test_damaged_model_is_rebuilt_with_a_warning(proj):
    from qualcode.coding import add_coding
    from qualcode.suggest import engine, model, suggest_for_transcript, train

    project, tid = proj
    seg = _segment(project, tid, "Brukaren väljer")
    add_coding(project.db, tid, seg["start"], seg["end"], "user-involvement", "anna")
    train(project, force=True, epochs=2)
    path = model.model_path(project)
    for weights in path.rglob("model"):
        weights.write_bytes(b"not a model")
    engine.forget(project)
    with pytest.warns(RuntimeWarning, match="damaged"):
        found = suggest_for_transcript(project, tid, min_score=0)
    assert found
    assert model.load(path) is not None  # rebuilt


def test_cli_json_contract(proj):
    project, tid = proj
    result = run_cli("--project", str(project.root), "suggest", "--json", "--min-score", "0", "--top", "2")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data and all(set(d) == {"transcript", "start", "end", "text", "code", "score", "evidence"} for d in data)
    text = project.db.execute("SELECT text FROM transcripts").fetchone()[0]
    for d in data:
        assert d["transcript"] == "norr-test"
        assert text[d["start"]:d["end"]] == d["text"]
        assert 0 <= d["score"] <= 1 and isinstance(d["evidence"], list)


def test_cli_accept_reject_threshold_and_bad_input(proj):
    project, tid = proj
    p = ["--project", str(project.root)]
    item = json.loads(run_cli(*p, "suggest", "--json").output)[0]
    span = ["--start", str(item["start"]), "--end", str(item["end"])]
    ok = run_cli(*p, "suggest", "norr-test", "--accept", "--code", item["code"], *span)
    assert ok.exit_code == 0 and "accepted" in ok.output
    assert project.db.execute("SELECT from_suggestion FROM codings").fetchall() == [(1,)]
    shown = json.loads(run_cli(*p, "suggest", "--json").output)
    assert (item["start"], item["code"]) not in [(d["start"], d["code"]) for d in shown]
    rej = run_cli(*p, "suggest", "norr-test", "--reject", "--code", shown[0]["code"],
                  "--start", str(shown[0]["start"]), "--end", str(shown[0]["end"]))
    assert rej.exit_code == 0
    assert run_cli(*p, "suggest", "--set-threshold", "0.7").exit_code == 0
    assert project.setting("threshold") == 0.7
    for args in (["suggest", "--set-threshold", "2"], ["suggest", "--code", "nope"],
                 ["suggest", "norr-test", "--accept", "--code", "nope", "--segment", "2"]):
        bad = run_cli(*p, *args)
        assert bad.exit_code == 2 and bad.output.startswith("error: ") and "Traceback" not in bad.output
    assert project.db.execute("SELECT count(*) FROM codings").fetchone()[0] == 1


def test_cli_train(proj):
    project, _ = proj
    result = run_cli("--project", str(project.root), "train", "--json")
    assert result.exit_code == 0
    assert json.loads(result.output)["trained"] is False  # nothing due without --force


@pytest.mark.disable_socket
@pytest.mark.filterwarnings("ignore:A test tried to use socket")
def test_offline_suggestions_and_training(proj):
    import socket

    from qualcode.coding import add_coding
    from qualcode.suggest import suggest_for_transcript, train

    with pytest.raises(Exception):
        socket.socket(socket.AF_INET, socket.SOCK_STREAM).connect(("127.0.0.1", 9))
    project, tid = proj
    with warnings.catch_warnings():
        warnings.simplefilter("error", ResourceWarning)
        found = suggest_for_transcript(project, tid)
        add_coding(project.db, tid, found[0].start, found[0].end, found[0].code, "anna")
        assert train(project, force=True, epochs=1).trained
        assert suggest_for_transcript(project, tid)
