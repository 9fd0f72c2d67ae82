"""The coding screen's suggestions: computing them in a worker, moving to them, accepting and rejecting."""

from __future__ import annotations

import logging

from textual import work
from textual.message import Message
from textual.worker import get_current_worker

from qualcode.tui import suggestions as suggest
from qualcode.tui.dialogs.choose import ChooseDialog
from qualcode.tui.guard import guarded
from qualcode.tui.widgets.transcript_view import TranscriptView

log = logging.getLogger("qualcode.tui")


class SuggestionActions:
    """Mixed into CodingScreen (which declares the keys); state: `pending` and `suggest_status`."""

    class SuggestionsReady(Message):
        def __init__(self, transcript_id: int, found, error: str | None) -> None:
            super().__init__()
            self.transcript_id = transcript_id
            self.found = found
            self.error = error

    @work(thread=True, exclusive=True, group="suggest")
    def load_suggestions(self, root, transcript_id: int) -> None:
        from qualcode.project import Project

        project = Project(root)  # its own connection: a sqlite3 connection belongs to one thread
        found, error = None, None
        try:
            found = suggest.for_transcript(project, transcript_id)
        except Exception as exc:  # a failing engine only empties the panel
            log.exception("suggestions failed")
            error = f"{type(exc).__name__}: {exc}"
        finally:
            project.close()
        if not get_current_worker().is_cancelled:
            self.post_message(self.SuggestionsReady(transcript_id, found, error))

    def on_suggestion_actions_suggestions_ready(self, message: SuggestionsReady) -> None:
        if self.doc is None or message.transcript_id != self.doc.id:
            return
        self.pending = {}
        if message.found is None:
            self.suggest_status = "No suggestions available"
            if message.error:
                self.app.notify(f"suggestions failed: {message.error}", severity="warning")
        else:
            self.suggest_status = None
            for s in sorted(message.found, key=lambda s: -s.score):
                self.pending.setdefault(self.doc.segment_at(s.start), []).append(s)
        self._sync_suggested()
        self.update_panel()

    def _sync_suggested(self) -> None:
        view = self.query_one(TranscriptView)
        self.pending = {k: v for k, v in self.pending.items() if v}
        view.suggested = set(self.pending)
        view.data_changed()
        if self.doc is not None and self.suggest_status is None:  # the project screen's count follows
            counts = getattr(self.app, "pending_counts", None)
            if counts is not None:
                counts[self.doc.id] = sum(len(v) for v in self.pending.values())

    def suggestions_here(self) -> list:
        return self.pending.get(self.anchor, []) if self.doc else []

    def action_next_suggested(self) -> None:
        if not self._ready():
            return
        later = sorted(i for i in self.pending if i > self.anchor) or sorted(self.pending)
        if not later:
            self.app.notify(self.suggest_status or "No pending suggestions in this transcript.")
        else:
            self._moved(later[0], center=True)

    def _drop_suggestion(self, index: int, code_id: str) -> None:
        if index in self.pending:
            self.pending[index] = [s for s in self.pending[index] if s.code != code_id]
            self._sync_suggested()

    def _need_suggestions(self) -> list | None:
        found = self.suggestions_here() if self._ready() else []
        if not found:
            self.app.notify(self.suggest_status or "No suggestions for this segment.")
            return None
        return found

    def action_accept_top(self) -> None:
        found = self._need_suggestions()
        if found:
            self.accept(found[0])

    def action_accept_choose(self) -> None:
        found = self._need_suggestions()
        if found:
            items = [(f"{self.codes.label(s.code)}  {s.score:.0%}", s) for s in found]
            self.app.push_screen(ChooseDialog("Accept which suggestion?", items), self._accept_chosen)

    def _accept_chosen(self, s) -> None:
        if s is not None:
            self.accept(s)

    @guarded
    def accept(self, s) -> None:
        suggest.accept(self.app.project, self.doc.id, s, self.app.coder)
        self.last_code = self.focus_code = s.code
        self._drop_suggestion(self.doc.segment_at(s.start), s.code)
        self.data_changed()
        self._status(f"accepted {self.codes.label(s.code)}")

    @guarded
    def action_reject(self) -> None:
        found = self._need_suggestions()
        if found:
            s = found[0]
            suggest.reject(self.app.project, self.doc.id, s, self.app.coder)
            self._drop_suggestion(self.doc.segment_at(s.start), s.code)
            self.update_panel()
            self._status(f"rejected {self.codes.label(s.code)}")
