"""Selection positions: which unit each exporting tool counts in, and checking that selections land."""

from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import dataclass, field



@dataclass(frozen=True)
class Units:
    """How a tool counts positions in a source text."""

    utf16: bool = False   # UTF-16 code units (a character beyond U+FFFF counts 2)
    crlf: int = 1         # how much a CRLF line ending counts (1 or 2)
    bom: bool = False     # whether a leading byte-order mark counts as a position

    def describe(self) -> str:
        unit = "UTF-16 code units" if self.utf16 else "code points"
        return f"{unit}, CRLF as {self.crlf}" + (", BOM counted" if self.bom else "")


CODE_POINTS = Units()
# The candidates tried when the origin's default does not fit the file.
CANDIDATES = [Units(u, c, b) for u in (False, True) for c in (1, 2) for b in (False, True)]


def units_for_origin(origin: str | None) -> Units:
    """The unit an exporting tool is known (or reported) to use, from the `origin` attribute."""
    name = (origin or "").lower()
    if "nvivo" in name:
        return Units(utf16=True, crlf=2)  # .NET strings: UTF-16, CRLF kept as two characters
    if "atlas" in name:
        return Units(crlf=1)
    # qualcode, QualCoder, qc (Python, universal newlines), MAXQDA and the standard: code points.
    return CODE_POINTS


def _width(char: str, units: Units) -> int:
    return 2 if units.utf16 and ord(char) > 0xFFFF else 1


@dataclass
class Mapped:
    """A source text in qualcode's normal form and the unit position of every offset in it."""

    text: str
    bounds: list[float] | None  # bounds[k]: the unit position of offset k; None when they are equal

    def offset(self, unit: int) -> int | None:
        """The offset for a unit position, or None if it falls inside a character (or outside)."""
        if self.bounds is None:
            return unit if 0 <= unit <= len(self.text) else None
        k = bisect.bisect_left(self.bounds, unit)
        return k if k < len(self.bounds) and self.bounds[k] == unit else None


def map_text(raw: str, units: Units) -> Mapped:
    """Normalise like the importers (no BOM, `\\n` endings, NFC) keeping each offset's unit position."""
    simple = not raw.startswith("\ufeff") and "\r" not in raw and unicodedata.is_normalized("NFC", raw)
    if simple and (not units.utf16 or raw.isascii() or not any(ord(c) > 0xFFFF for c in raw)):
        return Mapped(raw, None)
    if unicodedata.is_normalized("NFC", raw):
        return _map_nfc(raw, units)
    out: list[str] = []
    bounds: list[float] = []
    pos = 0
    i = 0
    if raw.startswith("\ufeff"):
        pos += 1 if units.bom else 0
        i = 1
    n = len(raw)
    while i < n:
        char = raw[i]
        if char == "\r":
            bounds.append(pos)
            out.append("\n")
            if i + 1 < n and raw[i + 1] == "\n":
                pos += units.crlf
                i += 2
            else:
                pos += 1
                i += 1
            continue
        # A starter and its combining marks normalise together; positions inside do not land.
        j = i + 1
        while j < n and (unicodedata.combining(raw[j]) or 0x1160 <= ord(raw[j]) <= 0x11FF):
            j += 1
        piece = raw[i:j]
        width = sum(_width(c, units) for c in piece)
        done = unicodedata.normalize("NFC", piece) if j - i > 1 or not piece.isascii() else piece
        for k, c in enumerate(done):
            # Offsets inside a cluster get a fractional position: sorted, and no integer lands there.
            bounds.append(pos if k == 0 else pos + k / len(done))
            out.append(c)
        pos += width
        i = j
    bounds.append(pos)
    return Mapped("".join(out), bounds)


_SPECIAL = re.compile("\r\n?|[\U00010000-\U0010FFFF]")


def _map_nfc(raw: str, units: Units) -> Mapped:
    """The fast path for text already in NFC: only BOM, CR and astral characters shift positions."""
    start = 0
    pos = 0
    if raw.startswith("\ufeff"):
        start = 1
        pos = 1 if units.bom else 0
    out: list[str] = []
    bounds: list[float] = []
    last = start
    for m in _SPECIAL.finditer(raw, start):
        run = m.start() - last
        bounds.extend(range(pos, pos + run))
        out.append(raw[last:m.start()])
        pos += run
        token = m.group()
        bounds.append(pos)
        if token[0] == "\r":
            out.append("\n")
            pos += units.crlf if token == "\r\n" else 1
        else:
            out.append(token)
            pos += 2 if units.utf16 else 1
        last = m.end()
    bounds.extend(range(pos, pos + len(raw) - last + 1))
    out.append(raw[last:])
    return Mapped("".join(out), bounds)


_WORD = re.compile(r"\w")


def starts_word(text: str, offset: int) -> bool:
    """The selection starts at a word boundary (or on a non-word character)."""
    if offset <= 0 or offset >= len(text):
        return True
    return not (_WORD.match(text[offset - 1]) and _WORD.match(text[offset]))


def ends_word(text: str, offset: int) -> bool:
    return starts_word(text, offset)


@dataclass
class Landing:
    """How a set of selections lands on its texts under one unit choice."""

    units: Units
    total: int = 0
    landed: int = 0
    word_starts: int = 0
    word_ends: int = 0
    excerpt_mismatches: int = 0
    failures: list[str] = field(default_factory=list)

    def score(self) -> tuple:
        return (self.landed - self.excerpt_mismatches * 2, self.word_starts + self.word_ends)


def _squash(value: str) -> str:
    return " ".join(value.split())


def excerpt_mismatch(text: str, selected: str, name: str | None) -> bool:
    """True if the selection's name is clearly an excerpt of the text that does not match what landed."""
    if not name:
        return False
    wanted = _squash(name).rstrip(".…").strip()
    if len(wanted) < 8:
        return False
    got = _squash(selected)
    probe = wanted[:40]
    if got.startswith(probe) or probe.startswith(got[:40]):
        return False
    return probe in _squash(text)  # the name is an excerpt of this text, and we landed elsewhere


def land(mapped: Mapped, start: int, end: int, name: str | None = None) -> tuple[int, int] | str:
    """(start, end) offsets in the normal text, or a one-line reason why the selection does not land."""
    a, b = mapped.offset(start), mapped.offset(end)
    length = len(mapped.text)
    if start < 0 or end < start:
        return f"bad positions {start}-{end}"
    if a is None or b is None:
        return f"{start}-{end} falls outside the text or inside a character (text is {length} characters)"
    if b <= a:
        return f"{start}-{end} is empty after normalising line endings"
    if excerpt_mismatch(mapped.text, mapped.text[a:b], name):
        return f"{start}-{end} selects {mapped.text[a:b][:30]!r}, but the file names it {name[:30]!r}"
    return a, b


def evaluate(raws: dict[str, str], selections: list[tuple[str, int, int, str | None]], units: Units) -> Landing:
    """Land every (source key, start, end, name) selection under `units`."""
    result = Landing(units)
    mapped = {key: map_text(raw, units) for key, raw in raws.items()}
    for key, start, end, name in selections:
        result.total += 1
        got = land(mapped[key], start, end, name)
        if isinstance(got, str):
            if got.startswith(f"{start}-{end} selects"):
                result.excerpt_mismatches += 1
            result.failures.append(got)
            continue
        result.landed += 1
        a, b = got
        text = mapped[key].text
        result.word_starts += starts_word(text, a)
        result.word_ends += ends_word(text, b)
    return result


def choose_units(origin: str | None, raws: dict[str, str], selections) -> tuple[Units, Landing, str]:
    """The origin's unit unless another clearly fits the selections better; with a one-line reason."""
    default = units_for_origin(origin)
    best = evaluate(raws, selections, default)
    if not selections:
        return default, best, f"positions in {default.describe()} (from origin {origin or 'unknown'})"
    if best.landed == best.total and best.word_starts + best.word_ends >= 1.9 * best.total:
        return default, best, f"positions in {default.describe()} (from origin {origin or 'unknown'})"
    # Only try the others when the texts can tell them apart (a CR, a BOM or a character beyond U+FFFF).
    tried = {default: best}
    joined = "".join(raws.values())
    has = ("\ufeff" in joined, "\r\n" in joined, any(ord(c) > 0xFFFF for c in joined))
    for units in CANDIDATES:
        # Variants the texts cannot tell apart (no BOM, no CRLF, no astral character) are not tried.
        if (units.bom and not has[0]) or (units.crlf == 2 and not has[1]) or (units.utf16 and not has[2]):
            continue
        if units not in tried:
            tried[units] = evaluate(raws, selections, units)
    winner = max(tried.values(), key=lambda r: (r.score(), r.units == default))
    margin = max(3, best.total // 20)  # a clear win only: 5 % more landing or word-aligned ends
    if winner.units != default and (winner.score()[0] > best.score()[0] or
                                    winner.score()[1] - best.score()[1] >= margin):
        return winner.units, winner, (
            f"positions in {winner.units.describe()}: they fit the text better than the "
            f"{default.describe()} expected from origin {origin or 'unknown'}")
    return default, best, f"positions in {default.describe()} (from origin {origin or 'unknown'})"

