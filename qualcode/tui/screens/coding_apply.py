"""The coding screen's coding keys: apply a code by shortcut, picker or repeat, and cycle the focused code."""

from __future__ import annotations

from qualcode import coding
from qualcode.tui.dialogs.code_picker import CodePicker
from qualcode.tui.guard import guarded

DIGITS = "1234567890"


class ApplyActions:
    """Mixed into CodingScreen (which declares the keys); `last_code` is what "." applies again."""

    @guarded
    def apply(self, code_id: str, note: str = "") -> None:
        if not self._ready():
            return
        a, b = self.span()
        coding.add_coding(self.app.project.db, self.doc.id, a, b, code_id, self.app.coder)
        self.last_code = self.focus_code = code_id
        self._drop_suggestion(self.anchor, code_id)
        self.data_changed()
        self._status(note or f"coded {self.codes.label(code_id)}")

    def action_shortcut(self, key: str) -> None:
        if not self._ready():
            return
        code_id = self.codes.shortcuts.get(key)
        if code_id is None:
            self.app.notify(f"No code has the shortcut {key}.", severity="warning")
            return
        self.apply(code_id)

    def on_key(self, event) -> None:
        # Letter shortcuts from the codebook that no binding claims.
        if self._ready() and event.character and event.character not in DIGITS:
            code_id = self.codes.shortcuts.get(event.character)
            # A key the user's keymap (or a default binding) gave an action keeps that action.
            if code_id is not None and event.key not in self.active_bindings:
                event.stop()
                self.apply(code_id)

    def action_pick_code(self) -> None:
        if self._ready():
            self.app.push_screen(CodePicker(self.codes), self._picked)

    def _picked(self, code_id: str | None) -> None:
        if code_id:
            self.apply(code_id)

    def action_repeat_code(self) -> None:
        if not self._ready():
            return
        if self.last_code is None:
            self.app.notify("No code applied yet in this session.", severity="warning")
        else:
            self.apply(self.last_code)

    def action_cycle_focus(self) -> None:
        if not self._ready():
            return
        ids = self.code_ids_here()
        if ids:
            i = ids.index(self.focus_code) if self.focus_code in ids else -1
            self.focus_code = ids[(i + 1) % len(ids)]
            self.update_panel()
