"""Excerpts as flat rows for csv/json: every attribute its own column, with the code's path."""

from __future__ import annotations

import csv
import io
import json

FIRST = ["id", "code", "code_label", "code_path", "theme", "transcript", "turn", "speaker", "timestamp",
         "start", "end", "site", "organisation", "role"]
LAST = ["coder", "memo", "from_suggestion", "created_at", "attribution", "text"]


def flat_rows(rows: list[dict], book, language: str | None = None) -> tuple[list[str], list[dict]]:
    """(columns, rows): one row per excerpt; attribute columns between the fixed ones, sorted."""
    taken = set(FIRST) | set(LAST)
    extra = sorted({k for r in rows for k in (r.get("attributes") or {})} - taken)
    renamed = {k: (f"attr_{k}" if k in taken else k) for r in rows for k in (r.get("attributes") or {})}
    columns = FIRST + extra + LAST
    out = []
    for r in rows:
        flat = {key: r.get(key) for key in FIRST + LAST if key in r}
        flat["code_label"] = book.label(r["code"], language)
        flat["code_path"] = "/".join(book.path(r["code"])) or r["code"]
        flat["theme"] = book.theme_of(r["code"]) or ""
        for key, value in (r.get("attributes") or {}).items():
            if renamed[key] not in flat:  # site, role, ... are already there (speaker-level wins)
                flat[renamed[key]] = value
        out.append({c: flat.get(c) for c in columns})
    return columns, out


def to_csv(columns: list[str], rows: list[dict]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: ("" if v is None else v) for k, v in row.items()})
    return buffer.getvalue()


def to_json(columns: list[str], rows: list[dict]) -> str:
    return json.dumps(rows, ensure_ascii=False, indent=2) + "\n"
