"""The coding screen's selection: growing and shrinking it by sentence and by word from the current segment."""

from __future__ import annotations


class SelectionActions:
    """Mixed into CodingScreen (which declares the keys); the selection runs from `anchor` to `head`."""

    def _select(self, head: int | None) -> None:
        a0, a1 = self.doc.segment_span(self.anchor)
        if head is None or a0 < head < a1 or head == a1:
            self.head = None
            self.view.set_selection(a0, a1)
        else:
            self.head = head
            self.view.set_selection(*((a0, head) if head > a1 else (head, a1)))
        self.update_panel()

    def action_extend_sentence(self, step: int) -> None:
        if not self._ready():
            return
        doc = self.doc
        a0, a1 = doc.segment_span(self.anchor)
        head = a1 if self.head is None else self.head
        if head >= a1:  # the selection runs forward from the anchor
            index = doc.segment_at(head - 1) + step
            if step < 0 and index < self.anchor:
                head = doc.segment_span(self.anchor - 1)[0] if self.anchor > 0 else a0
            elif 0 <= index < len(doc.segments):
                head = doc.segment_span(index)[1]
        else:  # the selection runs backward
            index = doc.segment_at(head) + step
            if step > 0 and index >= self.anchor:
                head = a1
            elif 0 <= index < len(doc.segments):
                head = doc.segment_span(index)[0]
        self._select(head)

    def action_extend_word(self, step: int) -> None:
        if not self._ready():
            return
        doc = self.doc
        a0, a1 = doc.segment_span(self.anchor)
        head = a1 if self.head is None else self.head
        if head > a1 or (head == a1 and step > 0):
            head = doc.word_after(head) if step > 0 else doc.word_end_before(head)
            head = max(head, a1)
        else:
            head = min(head, a0)
            head = doc.word_before(head) if step < 0 else doc.word_start_after(head)
            if head >= a0:
                head = a1
        self._select(head)

    def action_reset_selection(self) -> None:
        if self._ready():
            self._select(None)
