"""The project database: opening it safely, its schema, and explicit migrations."""

from __future__ import annotations

import contextlib
import json
import sqlite3
from collections.abc import Callable, Iterator
from datetime import datetime, timezone
from pathlib import Path

import sqlite_utils

DB_NAME = "qualcode.db"
BUSY_TIMEOUT_MS = 10_000


def now() -> str:
    """An ISO 8601 UTC timestamp for `created_at` columns."""
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _script(db: sqlite_utils.Database, sql: str) -> None:
    # executescript() would commit the open transaction; run statement by statement.
    for statement in sql.split(";"):
        if statement.strip():
            db.conn.execute(statement)


def _v1(db: sqlite_utils.Database) -> None:
    _script(
        db,
        """
        CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
        CREATE TABLE transcripts (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE,
            source TEXT,
            format TEXT,
            text TEXT NOT NULL,
            content_hash TEXT NOT NULL,
            attributes TEXT NOT NULL DEFAULT '{}',
            word_count INTEGER NOT NULL DEFAULT 0,
            imported_at TEXT
        );
        CREATE INDEX transcripts_hash ON transcripts(content_hash);
        CREATE TABLE speakers (
            transcript_id INTEGER NOT NULL REFERENCES transcripts(id) ON DELETE CASCADE,
            label TEXT NOT NULL,
            attributes TEXT NOT NULL DEFAULT '{}',
            PRIMARY KEY (transcript_id, label)
        );
        CREATE TABLE turns (
            id INTEGER PRIMARY KEY,
            transcript_id INTEGER NOT NULL REFERENCES transcripts(id) ON DELETE CASCADE,
            number INTEGER NOT NULL,
            speaker TEXT,
            timestamp TEXT,
            start INTEGER NOT NULL,
            "end" INTEGER NOT NULL
        );
        CREATE INDEX turns_transcript ON turns(transcript_id, number);
        CREATE TABLE segments (
            id INTEGER PRIMARY KEY,
            transcript_id INTEGER NOT NULL REFERENCES transcripts(id) ON DELETE CASCADE,
            turn_id INTEGER NOT NULL REFERENCES turns(id) ON DELETE CASCADE,
            number INTEGER NOT NULL,
            start INTEGER NOT NULL,
            "end" INTEGER NOT NULL
        );
        CREATE INDEX segments_transcript ON segments(transcript_id, number);
        CREATE TABLE codes (
            id TEXT PRIMARY KEY,
            uuid TEXT NOT NULL,
            parent TEXT,
            codable INTEGER NOT NULL DEFAULT 1,
            labels TEXT NOT NULL DEFAULT '{}',
            definition TEXT,
            source TEXT,
            inclusion TEXT,
            exclusion TEXT,
            examples TEXT NOT NULL DEFAULT '[]',
            indicators TEXT NOT NULL DEFAULT '{}',
            color TEXT,
            shortcut TEXT,
            position INTEGER NOT NULL DEFAULT 0
        );
        CREATE TABLE coders (name TEXT PRIMARY KEY, created_at TEXT);
        CREATE TABLE codings (
            id INTEGER PRIMARY KEY,
            transcript_id INTEGER NOT NULL REFERENCES transcripts(id),
            start INTEGER NOT NULL,
            "end" INTEGER NOT NULL,
            code_id TEXT NOT NULL REFERENCES codes(id),
            coder TEXT NOT NULL REFERENCES coders(name),
            memo TEXT,
            created_at TEXT,
            from_suggestion INTEGER NOT NULL DEFAULT 0,
            quote TEXT,
            context_before TEXT,
            context_after TEXT
        );
        CREATE INDEX codings_transcript ON codings(transcript_id, start);
        CREATE INDEX codings_code ON codings(code_id);
        CREATE TABLE memos (
            id INTEGER PRIMARY KEY,
            transcript_id INTEGER REFERENCES transcripts(id),
            coder TEXT,
            text TEXT NOT NULL,
            created_at TEXT
        );
        CREATE TABLE suggestion_decisions (
            transcript_id INTEGER NOT NULL REFERENCES transcripts(id),
            start INTEGER NOT NULL,
            "end" INTEGER NOT NULL,
            code_id TEXT NOT NULL,
            decision TEXT NOT NULL,
            coder TEXT,
            created_at TEXT,
            PRIMARY KEY (transcript_id, start, "end", code_id)
        );
        CREATE TABLE actions (
            id INTEGER PRIMARY KEY,
            coder TEXT,
            kind TEXT NOT NULL,
            payload TEXT NOT NULL,
            undone INTEGER NOT NULL DEFAULT 0,
            created_at TEXT
        );
        """,
    )


def _v2(db: sqlite_utils.Database) -> None:
    # Themes carry a description; version 1 kept none.
    db.conn.execute("ALTER TABLE codes ADD COLUMN description TEXT")


def _v3(db: sqlite_utils.Database) -> None:
    # Prose per language: `texts` is {field: {language: text}}; the plain columns keep the
    # primary language's text for readers that know only them. Rows so far had one language.
    db.conn.execute("ALTER TABLE codes ADD COLUMN texts TEXT NOT NULL DEFAULT '{}'")
    language = get_meta(db, "codebook_language") or get_meta(db, "language") or "sv"
    rows = db.conn.execute("SELECT id, definition, inclusion, exclusion, description FROM codes").fetchall()
    for code_id, *values in rows:
        texts = {name: {language: value}
                 for name, value in zip(("definition", "inclusion", "exclusion", "description"), values) if value}
        db.conn.execute("UPDATE codes SET texts = ? WHERE id = ?", [json.dumps(texts, ensure_ascii=False), code_id])
    description = get_meta(db, "codebook_description")
    if description:
        set_meta(db, "codebook_texts", {"description": {language: description}})


# Each entry takes the schema from version i to i + 1. Append, never edit.
MIGRATIONS: list[Callable[[sqlite_utils.Database], None]] = [_v1, _v2, _v3]
SCHEMA_VERSION = len(MIGRATIONS)


def open_db(path: str | Path, *, create: bool = False) -> sqlite_utils.Database:
    """Open (or with `create`, create) a project database in WAL mode, migrated."""
    path = Path(path)
    if not create and not path.exists():
        from qualcode.errors import QualcodeError

        raise QualcodeError("no qualcode database here", path)
    conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000)
    db = sqlite_utils.Database(conn, execute_plugins=False)
    conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.execute("PRAGMA foreign_keys=ON")
    migrate(db)
    return db


def schema_version(db: sqlite_utils.Database) -> int:
    if "meta" not in db.table_names():
        return 0
    row = db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    return int(json.loads(row[0])) if row else 0


def migrate(db: sqlite_utils.Database) -> None:
    """Bring the schema up to SCHEMA_VERSION, one migration per transaction."""
    version = schema_version(db)
    if version > SCHEMA_VERSION:
        from qualcode.errors import QualcodeError

        raise QualcodeError(
            f"database schema {version} is newer than this qualcode ({SCHEMA_VERSION}); upgrade qualcode"
        )
    for index in range(version, SCHEMA_VERSION):
        with transaction(db):
            MIGRATIONS[index](db)
            set_meta(db, "schema_version", index + 1)


@contextlib.contextmanager
def transaction(db: sqlite_utils.Database) -> Iterator[sqlite_utils.Database]:
    """One user action: BEGIN IMMEDIATE so concurrent writers wait instead of failing."""
    conn = db.conn
    if conn.in_transaction:
        with db.atomic():  # nested: a savepoint
            yield db
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield db
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    else:
        conn.execute("COMMIT")


def get_meta(db: sqlite_utils.Database, key: str, default=None):
    row = db.execute("SELECT value FROM meta WHERE key = ?", [key]).fetchone()
    return json.loads(row[0]) if row else default


def set_meta(db: sqlite_utils.Database, key: str, value) -> None:
    db.execute(
        "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        [key, json.dumps(value, ensure_ascii=False)],
    )


def ensure_coder(db: sqlite_utils.Database, name: str, created_at: str | None = None) -> None:
    """Add the coder unless known; `created_at` keeps the date from another project."""
    db.execute("INSERT OR IGNORE INTO coders (name, created_at) VALUES (?, ?)", [name, created_at or now()])
