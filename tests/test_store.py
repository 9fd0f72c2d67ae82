"""The store: schema version, migrations, WAL, transactions that roll back."""

from __future__ import annotations

import pytest

from qualcode import store


def test_new_database_is_migrated_and_in_wal_mode(tmp_path):
    db = store.open_db(tmp_path / "q.db", create=True)
    assert store.schema_version(db) == store.SCHEMA_VERSION
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert int(db.execute("PRAGMA busy_timeout").fetchone()[0]) >= 1000
    for table in ("transcripts", "turns", "segments", "codes", "codings", "coders", "memos", "speakers"):
        assert table in db.table_names()


def test_reopening_does_not_migrate_again(tmp_path):
    db = store.open_db(tmp_path / "q.db", create=True)
    store.set_meta(db, "language", "sv")
    db.conn.commit()
    db.close()
    again = store.open_db(tmp_path / "q.db")
    assert store.get_meta(again, "language") == "sv"


def test_transaction_rolls_back_on_error(tmp_path):
    db = store.open_db(tmp_path / "q.db", create=True)
    with pytest.raises(RuntimeError):
        with store.transaction(db):
            store.set_meta(db, "threshold", 0.9)
            raise RuntimeError("boom")
    assert store.get_meta(db, "threshold") is None


def test_newer_schema_is_refused(tmp_path):
    from qualcode.errors import QualcodeError

    db = store.open_db(tmp_path / "q.db", create=True)
    with store.transaction(db):
        store.set_meta(db, "schema_version", store.SCHEMA_VERSION + 1)
    db.close()
    with pytest.raises(QualcodeError, match="newer"):
        store.open_db(tmp_path / "q.db")


def test_a_second_connection_sees_committed_writes(tmp_path):
    a = store.open_db(tmp_path / "q.db", create=True)
    b = store.open_db(tmp_path / "q.db")
    with store.transaction(a):
        store.ensure_coder(a, "anna")
    assert b.execute("SELECT name FROM coders").fetchall() == [("anna",)]


def test_a_version_1_database_is_migrated_forward(tmp_path):
    import sqlite3

    import sqlite_utils

    path = tmp_path / "old.db"
    db = sqlite_utils.Database(sqlite3.connect(path))
    with store.transaction(db):
        store.MIGRATIONS[0](db)
        store.set_meta(db, "schema_version", 1)
    db.execute("INSERT INTO codes (id, uuid) VALUES ('a', 'u')")
    db.conn.commit()
    db.close()
    migrated = store.open_db(path)
    assert store.schema_version(migrated) == store.SCHEMA_VERSION >= 2
    assert "description" in migrated["codes"].columns_dict
    assert migrated.execute("SELECT id, description FROM codes").fetchall() == [("a", None)]


def test_a_version_2_database_gets_texts_from_its_columns(tmp_path):
    import json
    import sqlite3

    import sqlite_utils

    path = tmp_path / "v2.db"
    db = sqlite_utils.Database(sqlite3.connect(path))
    with store.transaction(db):
        store.MIGRATIONS[0](db)
        store.MIGRATIONS[1](db)
        store.set_meta(db, "schema_version", 2)
        store.set_meta(db, "codebook_language", "en")
        store.set_meta(db, "codebook_description", "About the book.")
    db.execute("INSERT INTO codes (id, uuid, definition, inclusion) VALUES ('a', 'u1', 'Defined.', 'Include.')")
    db.execute("INSERT INTO codes (id, uuid, codable, description) VALUES ('t', 'u2', 0, 'A theme.')")
    db.execute("INSERT INTO codes (id, uuid) VALUES ('bare', 'u3')")
    db.conn.commit()
    db.close()
    migrated = store.open_db(path)
    assert store.schema_version(migrated) == store.SCHEMA_VERSION >= 3
    rows = dict(migrated.execute("SELECT id, texts FROM codes").fetchall())
    assert json.loads(rows["a"]) == {"definition": {"en": "Defined."}, "inclusion": {"en": "Include."}}
    assert json.loads(rows["t"]) == {"description": {"en": "A theme."}}
    assert json.loads(rows["bare"]) == {}
    # The plain columns stay as they were, for readers that know only them.
    assert migrated.execute("SELECT definition FROM codes WHERE id = 'a'").fetchone() == ("Defined.",)
    assert store.get_meta(migrated, "codebook_texts") == {"description": {"en": "About the book."}}

    from qualcode.codes import codebook_from_store

    book = codebook_from_store(migrated)
    assert book["a"].definition == {"en": "Defined."} and book.text(None, "description") == "About the book."
