"""The coding screen's moves: by segment, turn, page and edge, to the next uncoded segment, a click, a search hit."""

from __future__ import annotations

from qualcode.tui.dialogs.search import SearchDialog


class NavigationActions:
    """Mixed into CodingScreen (which declares the keys); every move ends in `_moved`."""

    def _moved(self, index: int, center: bool = False) -> None:
        self.head = None
        self.view.move_to(index, center=center)
        self.app.positions[self.doc.id] = self.anchor
        self.update_panel()

    def action_move(self, step: int) -> None:
        if self._ready():
            self._moved(self.anchor + step)

    def action_turn(self, step: int) -> None:
        if not self._ready():
            return
        turn = self.doc.turn_of_segment(self.anchor) + step
        while 0 <= turn < len(self.doc.turns):
            index = self.doc.first_segment_of_turn(turn)
            if index is not None:
                self._moved(index)
                return
            turn += step

    def action_edge(self, end: int) -> None:
        if self._ready():
            self._moved(len(self.doc.segments) - 1 if end else 0, center=True)

    def action_page(self, step: int) -> None:
        if not self._ready():
            return
        line = self.doc.line_of(self.doc.segment_span(self.anchor)[0]) + step * max(self.view.size.height - 2, 1)
        line = max(0, min(line, len(self.doc.lines) - 1))
        self._moved(self.doc.segment_at(self.doc.lines[line].start), center=True)

    def action_next_uncoded(self, step: int) -> None:
        if not self._ready():
            return
        index = self.doc.next_uncoded(self.anchor, self.app.coder, step)
        if index is None:
            self.app.notify("No uncoded segment further on." if step > 0 else "No uncoded segment before this.")
        else:
            self._moved(index, center=True)

    # Named for the message's class: Textual's @on does not reach handlers defined on a plain mixin.
    def on_transcript_view_cursor_moved(self, event) -> None:
        self._moved(event.index)

    def action_search(self) -> None:
        if not self._ready():
            return
        doc = self.doc

        def find(query: str):
            out = []
            for a, b in doc.search(query):
                seg = doc.segments[doc.segment_at(a)]
                context = doc.text[max(0, a - 30):b + 40].replace("\n", " ")
                out.append((f"#{seg[1]:<5} …{context}…", a))
            return out

        self.app.push_screen(SearchDialog(f"Search in {doc.name}", find), self._found)

    def _found(self, offset: int | None) -> None:
        if offset is not None and self.doc is not None:
            self._moved(self.doc.segment_at(offset), center=True)
