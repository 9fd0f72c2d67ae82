"""A transcript as the coding screen sees it: turns, segments, codings, and wrapped display lines."""

from __future__ import annotations

import bisect
import json
import re
from dataclasses import dataclass, field

WORD = re.compile(r"\w+")
# Codings longer than this are kept apart so the per-line lookup can bisect on the short ones.
LONG_CODING = 4000


@dataclass(slots=True)
class Line:
    kind: str            # "head" (speaker, timestamp), "text", or "blank"
    start: int           # offsets into the transcript text (text lines); head: the turn's start
    end: int
    turn: int            # index into Document.turns


@dataclass(slots=True)
class Coding:
    id: int
    start: int
    end: int
    code_id: str
    coder: str
    memo: str | None
    from_suggestion: bool
    lane: int = 0


@dataclass
class Document:
    id: int
    name: str
    text: str
    attributes: dict
    turns: list[tuple]           # (number, speaker, timestamp, start, end)
    segments: list[tuple]        # (id, number, turn index, start, end)
    codings: list[Coding] = field(default_factory=list)
    lines: list[Line] = field(default_factory=list)
    width: int = 0

    def __post_init__(self) -> None:
        self.seg_starts = [s[3] for s in self.segments]
        self.index_codings()

    # -- loading ----------------------------------------------------------------------------
    @classmethod
    def load(cls, db, transcript_id: int) -> "Document":
        row = db.execute("SELECT id, name, text, attributes FROM transcripts WHERE id = ?", [transcript_id]).fetchone()
        if row is None:
            raise LookupError(f"no transcript with id {transcript_id}")
        turns = db.execute(
            'SELECT id, number, speaker, timestamp, start, "end" FROM turns WHERE transcript_id = ? ORDER BY number',
            [transcript_id],
        ).fetchall()
        turn_index = {t[0]: i for i, t in enumerate(turns)}
        segments = db.execute(
            'SELECT id, number, turn_id, start, "end" FROM segments WHERE transcript_id = ? ORDER BY number',
            [transcript_id],
        ).fetchall()
        doc = cls(
            id=row[0], name=row[1], text=row[2], attributes=json.loads(row[3] or "{}"),
            turns=[t[1:] for t in turns],
            segments=[(s[0], s[1], turn_index.get(s[2], 0), s[3], s[4]) for s in segments],
        )
        doc.codings = read_codings(db, transcript_id)
        doc.index_codings()
        return doc

    def reload_codings(self, db) -> None:
        self.codings = read_codings(db, self.id)
        self.index_codings()

    def index_codings(self) -> None:
        """Sort codings and give each a gutter lane so one coding keeps one column all along."""
        self.codings.sort(key=lambda c: (c.start, -c.end, c.id))
        lane_ends: list[int] = []
        for c in self.codings:
            for lane, end in enumerate(lane_ends):
                if end <= c.start:
                    c.lane, lane_ends[lane] = lane, c.end
                    break
            else:
                c.lane = len(lane_ends)
                lane_ends.append(c.end)
        self._short = [c for c in self.codings if c.end - c.start <= LONG_CODING]
        self._short_starts = [c.start for c in self._short]
        self._long = [c for c in self.codings if c.end - c.start > LONG_CODING]
        self._max_short = max((c.end - c.start for c in self._short), default=0)

    # -- layout -----------------------------------------------------------------------------
    def layout(self, width: int) -> None:
        """Wrap every turn to `width` columns: a head line, text lines, a blank line."""
        width = max(width, 10)
        self.width = width
        text = self.text
        lines: list[Line] = []
        for i, (_n, speaker, timestamp, start, end) in enumerate(self.turns):
            if speaker or timestamp:
                lines.append(Line("head", start, start, i))
            for a, b in wrap(text, start, end, width):
                lines.append(Line("text", a, b, i))
            lines.append(Line("blank", end, end, i))
        self.lines = lines
        self._text_lines = [k for k, ln in enumerate(lines) if ln.kind == "text"]
        self._text_starts = [lines[k].start for k in self._text_lines]

    def line_of(self, offset: int) -> int:
        """The display line holding `offset` (the text line starting at or before it)."""
        if not self._text_starts:
            return 0
        i = max(bisect.bisect_right(self._text_starts, offset) - 1, 0)
        return self._text_lines[i]

    # -- lookups ----------------------------------------------------------------------------
    def codings_in(self, start: int, end: int) -> list[Coding]:
        """Codings overlapping [start, end); an empty span asks for those covering `start`."""
        end = max(end, start + 1)
        lo = bisect.bisect_left(self._short_starts, start - self._max_short)
        hi = bisect.bisect_left(self._short_starts, end)
        out = [c for c in self._short[lo:hi] if c.end > start]
        out += [c for c in self._long if c.start < end and c.end > start]
        return out

    def segment_at(self, offset: int) -> int:
        return max(bisect.bisect_right(self.seg_starts, offset) - 1, 0)

    def segment_span(self, index: int) -> tuple[int, int]:
        s = self.segments[index]
        return s[3], s[4]

    def turn_of_segment(self, index: int) -> int:
        return self.segments[index][2]

    def first_segment_of_turn(self, turn: int) -> int | None:
        for i in range(self.segment_at(self.turns[turn][3]), len(self.segments)):
            if self.segments[i][2] == turn:
                return i
            if self.segments[i][2] > turn:
                return None
        return None

    def next_uncoded(self, index: int, coder: str | None, step: int = 1) -> int | None:
        i = index + step
        while 0 <= i < len(self.segments):
            a, b = self.segment_span(i)
            if not [c for c in self.codings_in(a, b) if coder is None or c.coder == coder]:
                return i
            i += step
        return None

    # -- selection helpers ------------------------------------------------------------------
    def word_after(self, offset: int) -> int:
        """The end of the next word after `offset` (extend right by a word)."""
        m = WORD.search(self.text, offset)
        return m.end() if m else len(self.text)

    def word_before(self, offset: int) -> int:
        """The start of the last word beginning before `offset` (extend left by a word)."""
        lo = max(0, offset - 400)
        starts = [m.start() for m in WORD.finditer(self.text, lo, offset) if m.start() < offset]
        return starts[-1] if starts else lo

    def word_end_before(self, offset: int) -> int:
        """The end of the last word ending before `offset` (shrink from the right by a word)."""
        lo = max(0, offset - 400)
        ends = [m.end() for m in WORD.finditer(self.text, lo, offset) if m.end() < offset]
        return ends[-1] if ends else lo

    def word_start_after(self, offset: int) -> int:
        """The start of the next word after the one at `offset` (shrink from the left by a word)."""
        here = WORD.match(self.text, offset)
        m = WORD.search(self.text, here.end() if here else offset + 1)
        return m.start() if m else len(self.text)

    def search(self, query: str) -> list[tuple[int, int]]:
        """Case-insensitive matches of `query` as (start, end) offsets."""
        if not query:
            return []
        return [(m.start(), m.end()) for m in re.finditer(re.escape(query), self.text, re.IGNORECASE)]


def read_codings(db, transcript_id: int) -> list[Coding]:
    rows = db.execute(
        'SELECT id, start, "end", code_id, coder, memo, from_suggestion FROM codings WHERE transcript_id = ?',
        [transcript_id],
    ).fetchall()
    return [Coding(r[0], r[1], r[2], r[3], r[4], r[5], bool(r[6])) for r in rows]


def wrap(text: str, start: int, end: int, width: int) -> list[tuple[int, int]]:
    """Greedy word wrap of text[start:end] as offset pairs (str.rfind keeps it fast on long texts)."""
    out: list[tuple[int, int]] = []
    pos = start
    while pos <= end:
        nl = text.find("\n", pos, end)
        para_end = end if nl < 0 else nl
        line = pos
        while para_end - line > width:
            cut = text.rfind(" ", line, line + width + 1)
            if cut <= line:
                cut, nxt = line + width, line + width
            else:
                nxt = cut + 1
            out.append((line, cut))
            line = nxt
        if para_end > line or nl >= 0 or not out:
            out.append((line, para_end))
        if nl < 0:
            break
        pos = nl + 1
    return out
