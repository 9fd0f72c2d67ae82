"""The one speaker-line parser: labelled lines (`[00:01:23] IP 1: text`) -> turns with offsets."""

from __future__ import annotations

import re
from collections.abc import Collection

from qualcode.importers.model import Turn

_TS = r"\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d{1,3})?"
# A speaker line: optional timestamp, then `Label:` or `[Label]` (optionally `[Label]:`),
# optionally in Markdown bold, then the content. Whether the label really is a speaker
# is decided afterwards, over the whole transcript (see `accepted_labels`).
LINE_RE = re.compile(
    rf"""
    [ \t]*
    (?:
        (?: \[(?P<ts1>{_TS})\] | \((?P<ts2>{_TS})\) | (?P<ts3>\d{{1,2}}:\d{{2}}:\d{{2}}(?:[.,]\d{{1,3}})?) )
        [ \t]* (?:[-–][ \t]+)?
    )?
    (?:\*\*|__)?
    (?:
        \[(?P<blabel>[^\[\]\n]{{1,60}})\] (?:\*\*|__)? :?
      | (?P<label>[^\W\d_][^:\n\[\]]{{0,59}}?) [ \t]* (?:\*\*|__)? : (?:\*\*|__)?
    )
    (?=[ \t]|$)
    [ \t]*
    """,
    re.X,
)
# The interviewer/interviewee family is always a speaker label, numbered or not.
FAMILY_RE = re.compile(
    r"(?:I|IP|Intervjuare|Intervjuperson|Interviewer|Interviewee|Respondent|Informant|Moderator)"
    r"(?:[ \t]*(\d{1,2}))?"
)
_NAME_WORD = re.compile(r"[^\W\d_][\w'’.-]*")
_SPACES = re.compile(r"\s+")
MAX_NAME_LENGTH = 30


def normalise_label(raw: str) -> str:
    """`IP1`, `IP  1`, ` Anna  Berg ` -> `IP 1`, `Anna Berg`."""
    label = _SPACES.sub(" ", raw.strip())
    m = FAMILY_RE.fullmatch(label)
    if m and m.group(1):
        return f"{label[:m.start(1)].rstrip()} {int(m.group(1))}"
    return label


def normalise_timestamp(raw: str | None) -> str | None:
    """`01:23`, `1:02:03`, `00:01:23.456` -> `HH:MM:SS`."""
    if not raw:
        return None
    parts = raw.replace(",", ".").split(".")[0].split(":")
    numbers = [int(p) for p in parts]
    if len(numbers) == 2:
        numbers.insert(0, 0)
    h, m, s = numbers
    return f"{h:02d}:{m:02d}:{s:02d}"


def is_family(label: str) -> bool:
    return FAMILY_RE.fullmatch(label) is not None


def looks_like_name(label: str) -> bool:
    """1-3 capitalised words without digits, at most MAX_NAME_LENGTH characters."""
    if len(label) > MAX_NAME_LENGTH:
        return False
    words = label.split(" ")
    if not 1 <= len(words) <= 3:
        return False
    for word in words:
        if not _NAME_WORD.fullmatch(word) or not word[0].isupper() or "_" in word:
            return False
        if any(c.isdigit() for c in word):
            return False
    return True


def accepted_labels(counts: dict[str, int], known: Collection[str] = ()) -> set[str]:
    """Candidate labels that are speakers: I/IP family, known (speakers map), or a name used twice."""
    return {
        label for label, n in counts.items()
        if label in known or is_family(label) or (n >= 2 and looks_like_name(label))
    }


def match_label(line: str):
    """(label, timestamp, content offset in line) for a line that starts like a speaker line, else None."""
    m = LINE_RE.match(line)
    if m is None:
        return None
    raw = m.group("label") or m.group("blabel")
    ts = m.group("ts1") or m.group("ts2") or m.group("ts3")
    return normalise_label(raw), normalise_timestamp(ts), m.end()


def parse_speaker_lines(text: str, known: Collection[str] = ()) -> list[Turn]:
    """Turns of `text`: each accepted label line starts one; other lines continue it."""
    candidates = []  # (line start, content start, label, timestamp)
    counts: dict[str, int] = {}
    match = LINE_RE.match
    pos = 0
    for line in text.split("\n"):
        m = match(line)
        if m is not None:
            raw = m.group("label") or m.group("blabel")
            label = normalise_label(raw)
            ts = m.group("ts1") or m.group("ts2") or m.group("ts3")
            candidates.append((pos, pos + m.end(), label, ts))
            counts[label] = counts.get(label, 0) + 1
        pos += len(line) + 1

    accepted = accepted_labels(counts, known)
    heads = [c for c in candidates if c[2] in accepted]
    turns: list[Turn] = []
    first = heads[0][0] if heads else len(text)
    if text[:first].strip():
        start, end = _trim(text, 0, first)
        turns.append(Turn(None, None, start, end, text.rfind("\n", 0, start) + 1))
    for i, (line_start, content_start, label, ts) in enumerate(heads):
        stop = heads[i + 1][0] if i + 1 < len(heads) else len(text)
        start, end = _trim(text, content_start, stop)
        turns.append(Turn(label, normalise_timestamp(ts), start, end, line_start))
    return turns


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while end > start and text[end - 1].isspace():
        end -= 1
    while start < end and text[start].isspace():
        start += 1
    return start, end
