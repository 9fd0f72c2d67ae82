"""REFI-QDA projects: qdpx export validates, round trips exactly, and real tools' files import with checked positions."""

from __future__ import annotations

import json
import random
import zipfile
from pathlib import Path

import pytest

from tests.conftest import SHARED, run_cli

REFI = SHARED / "refi-qda"
needs_shared = pytest.mark.skipif(not (REFI / "Project.xsd").is_file(), reason="../shared/refi-qda is absent")


def snapshot(db) -> dict:
    """Everything a round trip must keep, without database ids."""
    names = dict(db.execute("SELECT id, name FROM transcripts").fetchall())
    q = lambda sql: sorted(tuple(r) for r in db.execute(sql).fetchall())  # noqa: E731
    return {
        "transcripts": q("SELECT name, text, content_hash, attributes, format, word_count FROM transcripts"),
        "speakers": sorted((names[t], label, a) for t, label, a in db.execute("SELECT * FROM speakers")),
        "turns": sorted((names[t], n, s, ts, a, b) for t, n, s, ts, a, b in db.execute(
            'SELECT transcript_id, number, speaker, timestamp, start, "end" FROM turns')),
        "segments": sorted((names[t], n, a, b) for t, n, a, b in db.execute(
            'SELECT transcript_id, number, start, "end" FROM segments')),
        "codes": q("SELECT id, uuid, parent, codable, labels, definition, source, inclusion, exclusion, examples, "
                   "indicators, color, shortcut, position FROM codes"),
        "codings": sorted((names[t], *rest) for t, *rest in db.execute(
            'SELECT transcript_id, start, "end", code_id, coder, memo, created_at, from_suggestion, quote, '
            "context_before, context_after FROM codings")),
        "coders": q("SELECT name, created_at FROM coders"),
        "memos": sorted(((names.get(t), c, x, w) for t, c, x, w in db.execute(
            "SELECT transcript_id, coder, text, created_at FROM memos")), key=repr),
        "meta": q("SELECT key, value FROM meta WHERE key != 'codebook'"),
    }


@pytest.fixture
def coded(imported, tmp_path):
    """The group interview coded by two coders, with coding, transcript and project memos."""
    from qualcode.coding import add_coding, add_memo, set_memo
    from qualcode.ingest import import_paths

    project, t = imported
    (tmp_path / "second.txt").write_text("Anna: Hej 😀 där.\nBo: Nej, inte alls.\nAnna: Jo.\n", encoding="utf-8")
    import_paths(project, [tmp_path / "second.txt"], attributes={"site": "Norr"})
    db = project.db
    start = t.text.index("Vi hade jobbat")
    first = add_coding(db, t.id, start, start + 22, "warm-start", "anna")
    set_memo(db, first, "Tydlig varmstart.\nTvå rader.", "anna")
    add_coding(db, t.id, start, start + 22, "warm-start", "bertil")
    add_coding(db, t.id, start, start + 22, "cold-start", "bertil", memo="Eller?")
    chef = t.text.index("Chefen byttes")
    add_coding(db, t.id, chef, chef + 30, "cold-start", "anna", from_suggestion=True)
    second = db.execute("SELECT id, text FROM transcripts WHERE name = 'second'").fetchone()
    add_coding(db, second[0], second[1].index("där"), second[1].index("där") + 3, "warm-start", "bertil")
    add_memo(db, t.id, "Intervjun var kort.", "anna")
    add_memo(db, None, "Projektmemo.", "bertil")
    return project


@needs_shared
def test_export_validates_against_project_xsd(coded, tmp_path):
    import xmlschema

    out = tmp_path / "study.qdpx"
    result = run_cli("--project", str(coded.root), "export", "qdpx", "-o", str(out))
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(out) as zf:
        names = zf.namelist()
        qde = zf.read("project.qde")
        sources = [n for n in names if n.startswith("sources/")]
        texts = {zf.read(n).decode("utf-8") for n in sources}
    xmlschema.XMLSchema(str(REFI / "Project.xsd")).validate(qde.decode("utf-8"))
    db = coded.db
    assert texts == {row[0] for row in db.execute("SELECT text FROM transcripts")}
    assert b'plainTextPath="internal://' in qde and b"<Users>" in qde and b"<Cases>" in qde
    assert qde.count(b"<Coding ") == db.execute("SELECT COUNT(*) FROM codings").fetchone()[0]
    # The same project exports to the same bytes: GUIDs are stable.
    again = tmp_path / "again.qdpx"
    run_cli("--project", str(coded.root), "export", "qdpx", "-o", str(again))
    with zipfile.ZipFile(again) as zf:
        second = zf.read("project.qde")
    assert _without_project_time(second) == _without_project_time(qde)


def edited_export(project, target: Path, edit) -> Path:
    """The project exported as .qdpx, copied to `target` with edit(member, data) -> new data, or None to drop it."""
    out = target.with_name(f"{target.stem}-original.qdpx")
    assert run_cli("--project", str(project.root), "export", "qdpx", "-o", str(out)).exit_code == 0
    with zipfile.ZipFile(out) as zf, zipfile.ZipFile(target, "w") as dst:
        for name in zf.namelist():
            data = edit(name, zf.read(name))
            if data is not None:
                dst.writestr(name, data)
    return target


def _without_project_time(qde: bytes) -> bytes:
    """Everything after the <Project> start tag (which carries the export time)."""
    return qde.split(b"<Project ", 1)[1].split(b">", 1)[1]


def test_round_trip_reproduces_everything(coded, tmp_path):
    out = tmp_path / "study.qdpx"
    assert run_cli("--project", str(coded.root), "export", "qdpx", "-o", str(out)).exit_code == 0
    result = run_cli("import-project", str(out), str(tmp_path / "copy"))
    assert result.exit_code == 0, result.output
    assert "5 of 5 selections land" in result.output or "selections land" in result.output
    from qualcode.project import Project

    copy = Project(tmp_path / "copy")
    before, after = snapshot(coded.db), snapshot(copy.db)
    for key in before:
        assert after[key] == before[key], key
    from qualcode.codebook import load_codebook

    copied = load_codebook(tmp_path / "copy" / "codebooks" / "tiny.yaml")
    assert copied.to_dict() == load_codebook(coded.root / "codebooks" / "tiny.yaml").to_dict()
    copy.close()


def test_round_trip_without_sidecar_keeps_codings(coded, tmp_path):
    """Another tool re-exporting drops qualcode's sidecar: texts, codes, codings and memos still come back."""
    bare = edited_export(coded, tmp_path / "bare.qdpx", lambda name, data: None if name.startswith("qualcode/") else data)
    from qualcode.refi.materialise import import_project

    copy, read = import_project(bare, tmp_path / "bare")
    before, after = snapshot(coded.db), snapshot(copy.db)
    for key in ("codes", "memos"):
        assert after[key] == before[key], key
    assert [c[0] for c in after["coders"]] == [c[0] for c in before["coders"]]
    assert [r[:4] for r in after["transcripts"]] == [r[:4] for r in before["transcripts"]]  # format is qualcode's
    strip = lambda rows: sorted(r[:6] for r in rows)  # noqa: E731  (created_at may differ in precision)
    assert strip(after["codings"]) == strip(before["codings"])
    copy.close()


@needs_shared
def test_nvivo_sample_all_330_selections_land():
    from qualcode.refi.qdpx_read import read_qdpx

    read = read_qdpx(REFI / "samples" / "nvivo-win-12.6-comments.qdpx")
    assert "UTF-16" in read.units and "CRLF as 2" in read.units
    assert read.selections == 330 and read.landed == 330 and not read.failures
    assert read.word_starts >= 0.95 * 330
    texts = {s.guid: s.text for s in read.sources}
    ends = sum(1 for c in read.codings
               if c.end == len(texts[c.source]) or not (texts[c.source][c.end - 1].isalnum()
                                                       and texts[c.source][c.end].isalnum()))
    assert ends >= 0.95 * 330
    # The check can tell: read as plain code points, the same selections mostly start inside words.
    import re

    from qualcode.refi import positions

    raws = {s.guid: s.raw for s in read.sources}
    with zipfile.ZipFile(REFI / "samples" / "nvivo-win-12.6-comments.qdpx") as zf:
        qde = zf.read("project.qde").decode("utf-8")
    sels = []
    for block in qde.split("<TextSource ")[1:]:
        guid = re.search(r'guid="([^"]+)"', block).group(1)
        for tag in re.findall(r"<PlainTextSelection [^>]*>", block):
            sels.append((guid, int(re.search(r'startPosition="(\d+)"', tag).group(1)),
                         int(re.search(r'endPosition="(\d+)"', tag).group(1)), None))
    assert len(sels) == 330
    naive = positions.evaluate(raws, sels, positions.CODE_POINTS)
    assert naive.word_starts < 0.5 * 330


@needs_shared
def test_nvivo_spot_check_by_eye(capsys):
    """Prints 10 random selections with context (run with -s to read them); each is a whole comment phrase."""
    from qualcode.refi.qdpx_read import read_qdpx

    read = read_qdpx(REFI / "samples" / "nvivo-win-12.6-comments.qdpx")
    texts = {s.guid: s.text for s in read.sources}
    labels = {n.id: n.labels[read.codebook.language] for n in read.codebook.nodes}
    for c in random.Random(6).sample(read.codings, 10):
        text = texts[c.source]
        print(f"[{labels[c.code_id]}] …{text[max(0, c.start - 30):c.start]!r} >>{text[c.start:c.end][:120]!r}<< "
              f"{text[c.end:c.end + 30]!r}…")
        assert text[c.start:c.end].strip() and "\r" not in text


@needs_shared
def test_qc_sample_imports_as_project(tmp_path):
    result = run_cli("import-project", str(REFI / "samples" / "qualitative-coding-1.3.2-demo.qdpx"), str(tmp_path / "qc"))
    assert result.exit_code == 0, result.output
    assert "158 of 158 selections land" in result.output
    from qualcode.project import Project

    p = Project(tmp_path / "qc")
    assert p.db.execute("SELECT COUNT(*) FROM codings").fetchone()[0] == 205
    assert p.db.execute("SELECT name FROM transcripts ORDER BY name").fetchall() == [("admin-1",), ("board_2017",)]
    assert p.db.execute("SELECT COUNT(*) FROM codings WHERE quote != substr((SELECT text FROM transcripts t "
                        "WHERE t.id = transcript_id), start + 1, \"end\" - start)").fetchone()[0] == 0
    p.close()


def test_misplaced_selection_is_reported_not_imported(coded, tmp_path):
    broken = edited_export(coded, tmp_path / "broken.qdpx", lambda name, data: data.replace(
        b'endPosition="', b'endPosition="9999', 1) if name == "project.qde" else data)
    result = run_cli("import-project", str(broken), str(tmp_path / "b"))
    assert result.exit_code == 0, result.output
    assert "1 selections do not land and were NOT imported" in result.output
    assert "falls outside the text" in result.output


def test_import_project_refuses_existing_folder(coded, tmp_path):
    out = tmp_path / "study.qdpx"
    run_cli("--project", str(coded.root), "export", "qdpx", "-o", str(out))
    (tmp_path / "busy").mkdir()
    (tmp_path / "busy" / "x.txt").write_text("x")
    result = run_cli("import-project", str(out), str(tmp_path / "busy"))
    assert result.exit_code == 2 and "not an empty folder" in result.output


@pytest.mark.skipif(not __import__("os").environ.get("QUALCODE_TEST_QC"), reason="set QUALCODE_TEST_QC=/path/to/qc")
def test_qc_tool_imports_our_export(coded, tmp_path):
    """The `qc` tool (qualitative-coding) reads our export: sources, codebook tree, coders, codings per code."""
    import os
    import subprocess

    qc = os.environ["QUALCODE_TEST_QC"]
    out = tmp_path / "study.qdpx"
    run_cli("--project", str(coded.root), "export", "qdpx", "-o", str(out))
    work = tmp_path / "qcproj"
    work.mkdir()
    env = {**os.environ, "PYTHONBREAKPOINT": "0"}  # qc 1.x leaves a breakpoint() in its qdpx reader
    done = subprocess.run([qc, "init", "-i", str(out)], cwd=work, capture_output=True, text=True, env=env)
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in (work / "corpus").iterdir()) == ["second.txt", "syd-grupp.txt"]
    stats = subprocess.run([qc, "codes", "stats"], cwd=work, capture_output=True, text=True, env=env).stdout
    counts = {line.split()[0]: int(line.split()[-1]) for line in stats.splitlines()[2:] if line.strip()}
    assert counts == {"Beredskap": 0, "kallstart": 2, "varmstart": 3}
