"""Whole quotes: excerpts of one code that continue each other merge into one quote."""

from __future__ import annotations


def transcript_texts(db, ids) -> dict[int, str]:
    ids = sorted(set(ids))
    if not ids:
        return {}
    return dict(db.execute(f"SELECT id, text FROM transcripts WHERE id IN ({','.join('?' for _ in ids)})", ids))


def merge_quotes(rows: list[dict], texts: dict[int, str]) -> list[dict]:
    """One quote per run of excerpts of the same code in the same transcript that overlap or are
    separated only by whitespace (the next coded sentence); in transcript order within each code.

    A speaker label between two turns is not whitespace, so quotes never run across speakers.
    """
    ordered = sorted(rows, key=lambda r: (r["code"], r["transcript"], r["start"], r["end"]))
    quotes: list[dict] = []
    current: dict | None = None
    for row in ordered:
        if current is not None and current["code"] == row["code"] \
                and current["transcript_id"] == row["transcript_id"] and _continues(current, row, texts):
            current["end"] = max(current["end"], row["end"])
            current["turn_last"] = max(current["turn_last"] or 0, row["turn"] or 0) or None
            _add_people(current, row)
            current["codings"] += 1
            continue
        current = {
            key: row.get(key) for key in (
                "code", "transcript", "transcript_id", "start", "end", "turn", "speaker", "timestamp",
                "site", "organisation", "role", "attributes", "attribution")
        }
        current.update(turn_last=row.get("turn"), coders=[], memos=[], codings=1)
        _add_people(current, row)
        quotes.append(current)
    for quote in quotes:
        text = texts[quote["transcript_id"]]
        quote["text"] = text[quote["start"]:quote["end"]].strip()
    return quotes


def _continues(current: dict, row: dict, texts: dict[int, str]) -> bool:
    if row["start"] <= current["end"]:
        return True
    gap = texts[row["transcript_id"]][current["end"]:row["start"]]
    return gap.isspace()


def _add_people(quote: dict, row: dict) -> None:
    if row.get("coder") and row["coder"] not in quote["coders"]:
        quote["coders"].append(row["coder"])
    memo = (row.get("coder") or "", row.get("memo"))
    if memo[1] and memo not in quote["memos"]:
        quote["memos"].append(memo)
