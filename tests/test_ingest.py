"""Importing into the store: turns, segments, attributes, re-import rules, atomicity."""

from __future__ import annotations

import json

import pytest

from qualcode.errors import QualcodeError
from qualcode.ingest import import_paths
from qualcode.transcripts import list_transcripts, resolve, segments, turns


def test_group_interview_turns_and_segments(imported):
    project, t = imported
    rows = turns(project.db, t.id)
    assert [r["speaker"] for r in rows] == ["I", "IP 1", "IP 2", "I", "IP 1"]
    segs = segments(project.db, t.id)
    # every segment lies inside its turn and is a sentence
    by_turn = {r["turn"]: r for r in rows}
    for s in segs:
        turn = by_turn[s["turn"]]
        assert turn["start"] <= s["start"] < s["end"] <= turn["end"]
        assert t.text[s["start"]:s["end"]] == s["text"]
    texts = [s["text"] for s in segs]
    assert "Vi hade jobbat så förut." in texts
    assert "Det fanns mycket erfarenhet i teamet." in texts
    assert texts[-1] == "Vi fick handledning varje vecka."
    assert [s["segment"] for s in segs] == list(range(1, len(segs) + 1))


def test_attributes_and_speaker_attributes(imported):
    project, t = imported
    assert t.attributes["site"] == "Syd"
    assert t.attributes["organisation"] == "kommun"
    speakers = dict(project.db.execute("SELECT label, attributes FROM speakers").fetchall())
    assert json.loads(speakers["IP 2"]) == {"role": "chef"}


def test_batch_attributes_override(project, group_file):
    import_paths(project, [group_file], attributes={"site": "Norr", "kön": "kvinna"})
    t = resolve(project.db, "syd-grupp")
    assert t.attributes["site"] == "Norr" and t.attributes["kön"] == "kvinna"


def test_reimport_unchanged_does_nothing(imported, group_file):
    project, t = imported
    report = import_paths(project, [group_file])
    assert report.unchanged == ["syd-grupp"] and not report.imported
    assert len(list_transcripts(project.db)) == 1


def test_changed_file_is_refused_then_replaced(imported, group_file):
    project, t = imported
    group_file.write_text(group_file.read_text(encoding="utf-8") + "IP 2: En ny mening.\n", encoding="utf-8")
    with pytest.raises(QualcodeError, match="--replace"):
        import_paths(project, [group_file])
    report = import_paths(project, [group_file], replace=True)
    assert report.replaced == ["syd-grupp"]
    assert "En ny mening." in resolve(project.db, "syd-grupp").text


def test_changed_file_with_codings_cannot_be_replaced(imported, group_file):
    from qualcode.coding import add_coding

    project, t = imported
    add_coding(project.db, t.id, 0, 5, "warm-start", "anna")
    group_file.write_text(group_file.read_text(encoding="utf-8") + "IP 2: Mer.\n", encoding="utf-8")
    with pytest.raises(QualcodeError, match="codings"):
        import_paths(project, [group_file], replace=True)


def test_bad_file_in_a_batch_writes_nothing(project, group_file, tmp_path):
    empty = tmp_path / "tom.txt"
    empty.write_text("   \n", encoding="utf-8")
    with pytest.raises(QualcodeError) as info:
        import_paths(project, [group_file, empty])
    assert "tom.txt" in str(info.value)
    assert list_transcripts(project.db) == []


def test_folder_without_supported_files(project, tmp_path):
    folder = tmp_path / "pdfs"
    folder.mkdir()
    (folder / "a.pdf").write_bytes(b"%PDF-1.4")
    with pytest.raises(QualcodeError, match="no supported transcripts"):
        import_paths(project, [folder])


def test_name_option_and_duplicate_names(project, group_file, tmp_path):
    import_paths(project, [group_file], name="grupp-1")
    assert resolve(project.db, "grupp-1").name == "grupp-1"
    other = tmp_path / "sub"
    other.mkdir()
    (other / "syd-grupp.md").write_text("IP: Hej.\n", encoding="utf-8")
    with pytest.raises(QualcodeError, match="both be named"):
        import_paths(project, [group_file, other / "syd-grupp.md"])


def test_english_project_segments_with_english_rules(tmp_path):
    from qualcode.project import init_project

    p = init_project(tmp_path / "en", language="en")
    f = tmp_path / "int.txt"
    f.write_text("I: How did it start?\nIP: We had done this before. Dr. Smith led it.\n", encoding="utf-8")
    import_paths(p, [f])
    segs = segments(p.db, resolve(p.db, "int").id)
    assert [s["speaker"] for s in segs][:1] == ["I"]
    assert any(s["text"].startswith("We had done this before.") for s in segs)


def test_progress_is_reported_per_file(project, group_file, tmp_path):
    other = tmp_path / "norr.txt"
    other.write_text("I: Hur började det?\nIP: Vi hade jobbat så förut.\n", encoding="utf-8")
    calls = []
    import_paths(project, [group_file, other], progress=lambda done, total, name: calls.append((done, total, name)))
    assert calls == [(1, 2, "syd-grupp"), (2, 2, "norr")]
