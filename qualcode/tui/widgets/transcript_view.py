"""The transcript view: a scroll view that renders its own lines from a Document, with a line cache."""

from __future__ import annotations

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.color import Color
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from qualcode.tui.codeinfo import Codes
from qualcode.tui.contrast import readable
from qualcode.tui.document import Document

LANES = 4          # gutter columns for coded-span bars; more lanes show as "+"
GUTTER = LANES + 3  # bars, overflow mark, suggestion mark, space
CACHE_LIMIT = 4000


class TranscriptView(ScrollView, can_focus=True):
    """Turns with speaker heads; coded spans in their code's colour; the current segment and selection."""

    DEFAULT_CSS = """
    TranscriptView { background: $surface; }
    TranscriptView > .transcript--cursor { background: $primary 40%; }
    TranscriptView > .transcript--selection { background: $accent 35%; }
    TranscriptView > .transcript--head { color: $text-primary; text-style: bold; }
    """
    COMPONENT_CLASSES = {"transcript--cursor", "transcript--selection", "transcript--head"}

    class CursorMoved(Message):
        """The current segment changed (by a click)."""

        def __init__(self, view: "TranscriptView", index: int) -> None:
            super().__init__()
            self.view = view
            self.index = index

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.doc: Document | None = None
        self.codes: Codes | None = None
        self.cursor = 0
        self.selection: tuple[int, int] = (0, 0)
        self.focus_code: str | None = None
        self.suggested: set[int] = set()       # segment indexes with pending suggestions
        self._cache: dict[int, tuple[tuple, Strip]] = {}
        self._styles: dict[str, Style] = {}

    # -- state ------------------------------------------------------------------------------
    def set_document(self, doc: Document, codes: Codes, cursor: int = 0) -> None:
        self.doc, self.codes = doc, codes
        self._styles.clear()
        self._relayout()
        self.move_to(min(cursor, max(len(doc.segments) - 1, 0)), center=True)

    def data_changed(self) -> None:
        """Codings, codes or suggestions changed: drop the cache and repaint."""
        self._cache.clear()
        self._styles.clear()
        self.refresh()

    def move_to(self, index: int, *, center: bool = False, selection: tuple[int, int] | None = None) -> None:
        doc = self.doc
        if doc is None or not doc.segments:
            return
        index = max(0, min(index, len(doc.segments) - 1))
        old = self._span_lines()
        self.cursor = index
        self.selection = selection or doc.segment_span(index)
        self._repaint_lines(old)
        self._repaint_lines(self._span_lines())
        self.scroll_to_span(center=center)

    def set_selection(self, start: int, end: int) -> None:
        if self.doc is None:
            return
        old = self._span_lines()
        self.selection = (max(0, start), min(len(self.doc.text), end))
        self._repaint_lines(old)
        self._repaint_lines(self._span_lines())
        self.scroll_to_span()

    def scroll_to_span(self, center: bool = False) -> None:
        if self.doc is None or not self.doc.lines:
            return
        first, last = self._span_lines()
        height = max(self.size.height, 1)
        top = self.scroll_offset.y
        if center:
            self.scroll_to(y=max(first - height // 3, 0), animate=False, immediate=True)
        elif first < top:
            self.scroll_to(y=max(first - 1, 0), animate=False, immediate=True)
        elif last >= top + height:
            target = min(first, last - height + 2)
            self.scroll_to(y=max(target, 0), animate=False, immediate=True)

    def _span_lines(self) -> tuple[int, int]:
        doc = self.doc
        if doc is None or not doc.lines:
            return 0, 0
        start, end = self.selection
        seg = doc.segment_span(self.cursor) if doc.segments else (start, end)
        a, b = min(start, seg[0]), max(end, seg[1])
        first = doc.line_of(a)
        if first > 0 and doc.lines[first - 1].kind == "head":
            first -= 1
        return first, doc.line_of(max(b - 1, a))

    def _repaint_lines(self, span: tuple[int, int]) -> None:
        first, last = span
        for k in range(first, last + 1):
            self._cache.pop(k, None)
        self.refresh_lines(first, last - first + 1)

    def _relayout(self) -> None:
        if self.doc is None:
            return
        width = max(self.scrollable_content_region.width or self.size.width or 80, 20) - GUTTER - 1
        if width != self.doc.width:
            self.doc.layout(width)
        self._cache.clear()
        self.virtual_size = Size(self.doc.width + GUTTER, len(self.doc.lines))
        self.refresh()

    def on_resize(self, event: events.Resize) -> None:
        self._relayout()
        self.scroll_to_span()

    # -- rendering --------------------------------------------------------------------------
    def _style(self, key: str) -> Style:
        style = self._styles.get(key)
        if style is None:
            if key.startswith("#"):
                color, _, on = key.partition("@")
                style = Style(color=self._readable(color, on))
            elif key.startswith("bar:"):
                style = Style(color=key[4:])
            elif key.startswith("focus:"):
                color, _, on = key[6:].partition("@")
                style = Style(color=self._readable(color, on), underline=True, bold=True)
            else:
                style = self.get_component_rich_style(f"transcript--{key}", partial=True)
                # Rich styles drop alpha: blend a translucent highlight over the view's background
                # ourselves, so the current segment stays a calm tint and coded text on it stays legible.
                background = self.get_component_styles(f"transcript--{key}").background
                base = self.rich_style.bgcolor
                if background.a < 1 and base is not None:
                    style = style + Style(bgcolor=(Color.from_rich_color(base) + background).rich_color)
            self._styles[key] = style
        return style

    def _readable(self, color: str, on: str = "") -> str:
        """The code's colour, lightened (or darkened) just enough to read as text on its background.

        `on` names the background: "" the view's, "cursor" or "selection" the highlighted segment's.
        """
        background = (self._style(on).bgcolor if on else None) or self.rich_style.bgcolor
        if background is None:
            return color
        triplet = background.get_truecolor()
        return readable(color, Color(triplet.red, triplet.green, triplet.blue))

    def render_line(self, y: int) -> Strip:
        index = self.scroll_offset.y + y
        width = self.scrollable_content_region.width or self.size.width
        doc = self.doc
        base = self.rich_style
        if doc is None or index >= len(doc.lines):
            return Strip.blank(width, base)
        line = doc.lines[index]
        seg_a, seg_b = doc.segment_span(self.cursor) if doc.segments else (0, 0)
        sel_a, sel_b = self.selection
        # data_changed() empties the cache, so the key holds only what changes without it.
        key = (width, self.focus_code, _clip(seg_a, seg_b, line), _clip(sel_a, sel_b, line))
        cached = self._cache.get(index)
        if cached is not None and cached[0] == key:
            return cached[1]
        strip = self._render(line, base, width, (seg_a, seg_b), (sel_a, sel_b))
        if len(self._cache) > CACHE_LIMIT:
            self._cache.clear()
        self._cache[index] = (key, strip)
        return strip

    def _render(self, line, base: Style, width: int, seg: tuple, sel: tuple) -> Strip:
        doc, codes = self.doc, self.codes
        segments: list[Segment] = []
        if line.kind == "head":
            number, speaker, timestamp, start, _end = doc.turns[line.turn]
            segments.append(Segment(" " * GUTTER, base))
            head = speaker or ""
            if timestamp:
                head = f"{head}  [{timestamp}]" if head else f"[{timestamp}]"
            segments.append(Segment(head, base + self._style("head")))
            segments.append(Segment(f"  #{number}", base + Style(dim=True)))
        elif line.kind == "text":
            found = doc.codings_in(line.start, line.end)
            segments += self._gutter(line, found, base)
            segments += self._text(line, found, base, seg, sel)
        strip = Strip(segments)
        return strip.adjust_cell_length(width, base)

    def _gutter(self, line, found, base: Style) -> list[Segment]:
        cells = [Segment(" ", base)] * (LANES + 1)
        overflow = False
        for c in found:
            if c.lane < LANES:
                mark = "┃" if c.code_id != self.focus_code else "█"
                cells[c.lane] = Segment(mark, base + self._style("bar:" + self.codes.color(c.code_id)))
            else:
                overflow = True
        if overflow:
            cells[LANES] = Segment("+", base + Style(bold=True))
        seg_index = self.doc.segment_at(line.start)
        mark = Segment(" ", base)
        if seg_index in self.suggested and self.doc.segments[seg_index][3] >= line.start:
            mark = Segment("◆", base + Style(color="#d7af00"))
        return [*cells, mark, Segment(" ", base)]

    def _text(self, line, found, base: Style, seg: tuple, sel: tuple) -> list[Segment]:
        text = self.doc.text
        a, b = line.start, line.end
        cuts = {a, b}
        for x in (*seg, *sel):
            if a < x < b:
                cuts.add(x)
        for c in found:
            if a < c.start < b:
                cuts.add(c.start)
            if a < c.end < b:
                cuts.add(c.end)
        points = sorted(cuts)
        cursor_style = self._style("cursor")
        selection_style = self._style("selection")
        rank = self.codes.rank
        out = []
        for x, y in zip(points, points[1:]):
            style = base
            covering = [c for c in found if c.start <= x and c.end >= y]
            on = ""
            if seg[0] <= x and y <= seg[1]:
                style, on = style + cursor_style, "@cursor"
            if sel[0] <= x and y <= sel[1] and sel != seg:
                style, on = style + selection_style, "@selection"
            if covering:
                focus = [c for c in covering if c.code_id == self.focus_code]
                top = focus[0] if focus else min(covering, key=lambda c: rank.get(c.code_id, 999))
                color = self.codes.color(top.code_id)
                style = style + self._style(("focus:" if focus else "") + color + on)
                if len({c.code_id for c in covering}) > 1 and not focus:
                    style = style + Style(underline=True)
            out.append(Segment(text[x:y].replace("\t", " "), style))
        return out

    # -- mouse ------------------------------------------------------------------------------
    def on_click(self, event: events.Click) -> None:
        if self.doc is None or not self.doc.lines:
            return
        index = self.scroll_offset.y + event.y
        if 0 <= index < len(self.doc.lines):
            line = self.doc.lines[index]
            offset = min(line.start + max(event.x - GUTTER, 0), max(line.end - 1, line.start))
            target = self.doc.segment_at(offset)
            self.move_to(target)
            self.post_message(self.CursorMoved(self, target))


def _clip(a: int, b: int, line) -> tuple[int, int] | None:
    if line.kind == "head":
        return None
    x, y = max(a, line.start), min(b, line.end)
    return (x, y) if x < y else None
