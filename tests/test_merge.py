"""`qualcode merge`: another coder's folder or .qdpx comes in matched, once, with a backup and a report."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import TINY_CODEBOOK, run_cli
from tests.test_refi_qdpx import coded  # noqa: F401  (the fixture: a project coded by two coders)

EXTRA = """  - id: extra-code
    uuid: 6a0f4f52-8f3c-4a49-9d43-0c6a4d7f0a09
    parent: readiness
    label: {sv: extra, en: extra}
  - id: warm-by-label
    uuid: 6a0f4f52-8f3c-4a49-9d43-0c6a4d7f0a10
    parent: readiness
    label: {sv: Varmstart}
"""


@pytest.fixture
def other(tmp_path, group_file):
    """Cecilia's project: same interview, one more transcript, a code we lack, one matched only by label."""
    from qualcode.coding import add_coding, add_memo
    from qualcode.ingest import import_paths
    from qualcode.project import init_project
    from qualcode.transcripts import resolve

    book = tmp_path / "other" / "tiny.yaml"
    book.parent.mkdir()
    book.write_text(TINY_CODEBOOK + EXTRA, encoding="utf-8")
    p = init_project(tmp_path / "other" / "proj", codebook=book, coder="cecilia")
    (tmp_path / "other" / "new.txt").write_text("I: Hur var det?\nIP: Det var bra.\n", encoding="utf-8")
    import_paths(p, [group_file, tmp_path / "other" / "new.txt"])
    t = resolve(p.db, "syd-grupp")
    start = t.text.index("Vi hade jobbat")
    add_coding(p.db, t.id, start, start + 22, "warm-start", "anna")        # identical to anna's own
    add_coding(p.db, t.id, start, start + 22, "warm-start", "cecilia", memo="Ja.")
    add_coding(p.db, t.id, start, start + 10, "extra-code", "cecilia")     # a code the project lacks
    add_coding(p.db, t.id, start + 3, start + 10, "warm-by-label", "cecilia")
    n = resolve(p.db, "new")
    add_coding(p.db, n.id, n.text.index("bra"), n.text.index("bra") + 3, "cold-start", "cecilia")
    add_memo(p.db, t.id, "Intervjun var kort.", "anna")                    # the same memo as ours
    p.close()
    return tmp_path / "other" / "proj"


def counts(db) -> dict:
    one = lambda sql: db.execute(sql).fetchone()[0]  # noqa: E731
    return {t: one(f"SELECT COUNT(*) FROM {t}") for t in ("transcripts", "codes", "codings", "memos", "coders")}


def test_merge_folder(coded, other):
    before = counts(coded.db)
    result = run_cli("--project", str(coded.root), "merge", str(other))
    assert result.exit_code == 0, result.output
    out = result.output
    backup = Path(out.split("backup of the database before merging: ")[1].splitlines()[0])
    assert backup.is_file() and backup.parent == coded.root / ".qualcode" / "backups"
    assert backup.name.startswith("qualcode-") and backup.suffix == ".db"
    import sqlite3

    assert sqlite3.connect(backup).execute("SELECT COUNT(*) FROM codings").fetchone()[0] == before["codings"]
    assert "1 matched by content, 1 imported (new)" in out
    assert "1 not in this codebook" in out and "extra-code (1 codings)" in out and "--add-codes" in out
    assert "1 by label" in out
    after = counts(coded.db)
    # cecilia's warm-start, her label-matched coding, her coding on the new transcript; anna's identical one once
    assert after["codings"] == before["codings"] + 3
    assert after["transcripts"] == before["transcripts"] + 1 and after["codes"] == before["codes"]
    assert after["memos"] == before["memos"] and "cecilia" in [r[0] for r in coded.db.execute("SELECT name FROM coders")]
    labelled = coded.db.execute("SELECT code_id FROM codings WHERE coder = 'cecilia' AND start != "
                                "(SELECT MIN(start) FROM codings WHERE coder = 'cecilia' AND code_id = 'warm-start')"
                                " AND transcript_id = 1").fetchall()
    assert ("warm-start",) in labelled
    # merging again changes nothing: nothing is duplicated
    again = run_cli("--project", str(coded.root), "merge", str(other))
    assert "0 added" in again.output and counts(coded.db) == after


def test_merge_add_codes_updates_codebook(coded, other):
    result = run_cli("--project", str(coded.root), "merge", str(other), "--add-codes")
    assert result.exit_code == 0, result.output
    from qualcode.codebook import load_codebook

    book = load_codebook(coded.root / "codebooks" / "tiny.yaml")
    assert "extra-code" in book and book["extra-code"].uuid == "6a0f4f52-8f3c-4a49-9d43-0c6a4d7f0a09"
    assert coded.db.execute("SELECT COUNT(*) FROM codings WHERE code_id = 'extra-code'").fetchone()[0] == 1
    assert not list((coded.root / "codebooks").glob(".*merging*"))


def test_merge_qdpx_same_as_folder(coded, other, tmp_path):
    from qualcode.project import Project

    out = tmp_path / "cecilia.qdpx"
    assert run_cli("--project", str(other), "export", "qdpx", "-o", str(out)).exit_code == 0
    before = counts(coded.db)
    result = run_cli("--project", str(coded.root), "merge", str(out))
    assert result.exit_code == 0, result.output
    assert counts(coded.db)["codings"] == before["codings"] + 3
    memo = coded.db.execute("SELECT memo FROM codings WHERE coder = 'cecilia' AND code_id = 'warm-start' "
                            "AND memo IS NOT NULL").fetchone()
    assert memo == ("Ja.",)
    Project(other).close()


def test_merge_bad_source_is_one_line(coded, tmp_path):
    result = run_cli("--project", str(coded.root), "merge", str(tmp_path / "nowhere"))
    assert result.exit_code == 2 and result.output.count("\n") == 1
    assert not (coded.root / ".qualcode" / "backups").exists()
