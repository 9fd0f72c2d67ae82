"""Code-by-attribute matrices: counted straight from the store (fast) or from excerpt rows (filtered)."""

from __future__ import annotations

import bisect
import json
from collections import defaultdict
from collections.abc import Iterable

BUILT_IN_COLS = ("site", "organisation", "role", "transcript", "coder", "speaker")


def known_columns(db) -> set[str]:
    """The columns a matrix can have: the built-in ones and every transcript or speaker attribute."""
    names = set(BUILT_IN_COLS)
    for table in ("transcripts", "speakers"):
        for (attrs,) in db.execute(f"SELECT DISTINCT attributes FROM {table}"):
            names.update(json.loads(attrs or "{}"))
    return names


def none_label(col: str) -> str:
    return f"(no {col})"


def column_order(values: Iterable[str], col: str) -> list[str]:
    """Sorted by name, ignoring case; the "(no site)" column last."""
    missing = none_label(col)
    return sorted(set(values), key=lambda v: (v == missing, v.casefold(), v))


def row_order(values: Iterable[str], book) -> list[str]:
    """Codebook order (themes and codes as in the tree), ids not in the codebook after, sorted."""
    position = {node.id: i for i, node in enumerate(book.walk())} if book is not None else {}
    return sorted(set(values), key=lambda v: (v not in position, position.get(v, 0), v))


def tally(items: Iterable[tuple[str, str, int, int]], count: str) -> dict[tuple[str, str], int]:
    """Cells from (row value, column value, transcript id, words) per coding."""
    if count == "transcripts":
        seen: dict[tuple[str, str], set] = defaultdict(set)
        for row, col, tid, _ in items:
            seen[row, col].add(tid)
        return {key: len(ids) for key, ids in seen.items()}
    cells: dict[tuple[str, str], int] = defaultdict(int)
    if count == "words":
        for row, col, _, words in items:
            cells[row, col] += words
    else:
        for row, col, _, _ in items:
            cells[row, col] += 1
    return dict(cells)


def as_table(cells: dict[tuple[str, str], int], *, rows: str, cols: str, count: str, book) -> dict:
    """The JSON shape of `qualcode matrix --json`: every cell present, zeros included."""
    row_values = row_order((r for r, _ in cells), book)
    col_values = column_order((c for _, c in cells), cols)
    return {
        "rows": rows, "cols": cols, "count": count,
        "row_values": row_values, "col_values": col_values,
        "matrix": {r: {c: cells.get((r, c), 0) for c in col_values} for r in row_values},
    }


def row_key_function(rows: str, book):
    if rows == "theme":
        themes = {node.id: book.theme_of(node.id) or node.id for node in book.nodes} if book else {}
        return lambda code: themes.get(code, code)
    return lambda code: code


def from_excerpts(excerpt_rows: list[dict], *, rows: str = "code", cols: str = "site",
                  count: str = "codings", book=None) -> dict:
    """The matrix of already fetched (filtered, perhaps pseudonymised) excerpt rows."""
    key = row_key_function(rows, book)
    missing = none_label(cols)

    def col_value(r: dict):
        value = r.get(cols) if cols in ("site", "organisation", "role", "transcript", "coder", "speaker") \
            else (r.get("attributes") or {}).get(cols)
        return str(value) if value not in (None, "") else missing

    items = ((key(r["code"]), col_value(r), r["transcript_id"], len((r.get("text") or "").split()))
             for r in excerpt_rows)
    return as_table(tally(items, count), rows=rows, cols=cols, count=count, book=book)


def compute(db, *, rows: str = "code", cols: str = "site", count: str = "codings",
            coders: list[str] | None = None, book=None) -> dict:
    """The matrix over every coding in the store, without building excerpt rows (50,000 in ~0.1 s).

    Column values follow the same rule as `qualcode.excerpts.excerpts`: the speaker's
    attribute wins over the transcript's.
    """
    if book is None:
        from qualcode.codes import codebook_from_store

        book = codebook_from_store(db)
    sql = 'SELECT transcript_id, start, "end", code_id, coder FROM codings'
    args: list = []
    if coders:
        sql += f" WHERE coder IN ({','.join('?' for _ in coders)})"
        args = list(coders)
    codings = db.execute(sql, args).fetchall()  # no ORDER BY: an index walk costs more than it saves
    key = row_key_function(rows, book)
    missing = none_label(cols)
    texts: dict[int, str] = {}
    if count == "words":
        ids = sorted({c[0] for c in codings})
        texts = dict(db.execute(f"SELECT id, text FROM transcripts WHERE id IN ({','.join(map(str, ids))})")) if ids else {}
    if cols == "coder":
        column = lambda tid, start, coder: coder or missing  # noqa: E731
    else:
        value = _column_values(db, cols, missing)
        column = lambda tid, start, coder: value(tid, start)  # noqa: E731
    codes = {code for _, _, _, code, _ in codings}
    row_of = {code: key(code) for code in codes}
    if count == "words":
        counted: dict[tuple[int, int, int], int] = {}  # several codes often share one passage
        items = []
        for tid, start, end, code, coder in codings:
            words = counted.get((tid, start, end))
            if words is None:
                words = counted[tid, start, end] = len(texts[tid][start:end].split())
            items.append((row_of[code], column(tid, start, coder), tid, words))
    else:
        items = [(row_of[code], column(tid, start, coder), tid, 0) for tid, start, end, code, coder in codings]
    return as_table(tally(items, count), rows=rows, cols=cols, count=count, book=book)


def _column_values(db, cols: str, missing: str):
    """A function (transcript id, offset) -> the column's value at that place."""
    transcripts = {tid: (name, json.loads(attrs or "{}")) for tid, name, attrs in
                   db.execute("SELECT id, name, attributes FROM transcripts")}
    if cols == "transcript":
        return lambda tid, start: transcripts[tid][0]
    by_speaker: dict[tuple[int, str], str] = {}
    for tid, label, attrs in db.execute("SELECT transcript_id, label, attributes FROM speakers"):
        value = json.loads(attrs or "{}").get(cols)
        if value not in (None, ""):
            by_speaker[tid, label] = str(value)
    base = {tid: (str(a[cols]) if a.get(cols) not in (None, "") else missing) for tid, (_, a) in transcripts.items()}
    if not by_speaker and cols != "speaker":
        return lambda tid, start: base[tid]  # no speaker-level value anywhere: no turn lookup needed
    turns: dict[int, tuple[list[int], list]] = {}
    for tid, start, speaker in db.execute("SELECT transcript_id, start, speaker FROM turns ORDER BY transcript_id, start"):
        entry = turns.setdefault(tid, ([], []))
        entry[0].append(start)
        entry[1].append(speaker)

    def value(tid: int, start: int) -> str:
        starts, speakers = turns.get(tid, ((), ()))
        i = bisect.bisect_right(starts, start) - 1
        speaker = speakers[i] if i >= 0 else None
        if cols == "speaker":
            return speaker or missing
        return by_speaker.get((tid, speaker), base[tid]) if speaker is not None else base[tid]

    return value
