"""The coding screen's edits of what is coded: removing a coding, memos, and undo and redo."""

from __future__ import annotations

from qualcode import coding
from qualcode.tui.dialogs.choose import ChooseDialog
from qualcode.tui.dialogs.memo import MemoDialog
from qualcode.tui.guard import guarded


class EditActions:
    """Mixed into CodingScreen (which declares the keys); each edit is one undoable step in the store."""

    def _choose_coding(self, title: str, then) -> None:
        here = self.here() if self._ready() else []
        if not here:
            self.app.notify("No coding on this segment.")
        elif len(here) == 1:
            then(here[0])
        else:
            items = [(f"{self.codes.label(c.code_id)}  ({c.coder})  “{self.doc.text[c.start:c.end][:50]}”", c)
                     for c in here]
            self.app.push_screen(ChooseDialog(title, items), lambda c: c is not None and then(c))

    def action_remove_coding(self) -> None:
        self._choose_coding("Remove which coding?", self.uncode)

    # Not `remove`: that name is Textual's for taking the screen itself out of the app.
    @guarded
    def uncode(self, c) -> None:
        coding.remove_coding(self.app.project.db, c.id, self.app.coder)
        self.data_changed()
        self._status(f"removed {self.codes.label(c.code_id)} (u undoes)")

    def action_edit_memo(self) -> None:
        def edit(c) -> None:
            title = f"Memo on {self.codes.label(c.code_id)} ({c.coder})"
            self.app.push_screen(MemoDialog(title, c.memo or ""), lambda text: self.save_memo(c, text))

        self._choose_coding("Memo for which coding?", edit)

    @guarded
    def save_memo(self, c, text: str | None) -> None:
        if text is None:
            return
        coding.set_memo(self.app.project.db, c.id, text, self.app.coder)
        self.data_changed()
        self._status("memo saved")

    def action_transcript_memo(self) -> None:
        if self.doc is not None:
            self.app.push_screen(MemoDialog(f"Memo on transcript {self.doc.name}"), self.save_transcript_memo)

    @guarded
    def save_transcript_memo(self, text: str | None) -> None:
        if text:
            coding.add_memo(self.app.project.db, self.doc.id, text, self.app.coder)
            self._status("transcript memo saved")

    # -- undo -------------------------------------------------------------------------------
    def action_undo(self) -> None:
        self._history(coding.undo, "undid", "Nothing to undo.")

    def action_redo(self) -> None:
        self._history(coding.redo, "redid", "Nothing to redo.")

    @guarded
    def _history(self, step, verb: str, nothing: str) -> None:
        done = step(self.app.project.db, self.app.coder)
        if done is None:
            self.app.notify(nothing)
            return
        where = self._undone_where(done)
        note = f"{verb} {done['kind']}"
        if where and self.codes:
            note += f" {self.codes.label(where['code_id'])}"
        if self.doc is None:
            self.app.notify(note)
            return
        if where and where["transcript_id"] == self.doc.id:
            self.reload_codings()
            self.view.data_changed()
            self._moved(self.doc.segment_at(where["start"]))
        else:
            self.data_changed()
            if where:
                self.app.notify(f"{note} in another transcript")
        self._status(note)

    def _undone_where(self, done: dict) -> dict | None:
        """Where an undone or redone step was (transcript, start, code), to go there; None if unknown."""
        rows = done.get("codings") or ([done["coding"]] if "coding" in done else [])
        if rows:
            return rows[0]
        if done.get("id") is None:
            return None
        row = self.app.project.db.execute(
            "SELECT transcript_id, start, code_id FROM codings WHERE id = ?", [done["id"]]).fetchone()
        return {"transcript_id": row[0], "start": row[1], "code_id": row[2]} if row else None
