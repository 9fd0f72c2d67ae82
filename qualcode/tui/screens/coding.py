"""The coding screen: the transcript view, the side panel, and every coding key."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from qualcode import coding
from qualcode.tui.codeinfo import Codes, load_codes
from qualcode.tui.dialogs.choose import ChooseDialog
from qualcode.tui.dialogs.choose_coders import ShowCodersDialog, ranked_coders
from qualcode.tui.dialogs.code_picker import CodePicker
from qualcode.tui.dialogs.memo import MemoDialog
from qualcode.tui.dialogs.search import SearchDialog
from qualcode.tui.document import Document
from qualcode.tui.guard import guarded
from qualcode.tui.screens.coding_selection import SelectionActions
from qualcode.tui.screens.coding_suggestions import SuggestionActions
from qualcode.tui.widgets.side_panel import SidePanel, TextBox
from qualcode.tui.widgets.transcript_view import TranscriptView

DIGITS = "1234567890"


def _b(key, action, description, id, show=False, key_display=None):
    return Binding(key, action, description, show=show, id=f"coding.{id}", key_display=key_display)


class CodingScreen(SelectionActions, SuggestionActions, Screen):
    """Codes the transcript the app has open (`app.open_transcript`)."""

    BINDINGS = [
        _b("j,down", "move(1)", "Next segment", "next-segment", key_display="j/↓"),
        _b("k,up", "move(-1)", "Previous segment", "previous-segment", key_display="k/↑"),
        _b("J,ctrl+down", "turn(1)", "Next turn", "next-turn", key_display="J"),
        _b("K,ctrl+up", "turn(-1)", "Previous turn", "previous-turn", key_display="K"),
        _b("g,home", "edge(0)", "Start of transcript", "start"),
        _b("G,end", "edge(1)", "End of transcript", "end"),
        _b("pagedown", "page(1)", "Page down", "page-down"),
        _b("pageup", "page(-1)", "Page up", "page-up"),
        _b("n", "next_uncoded(1)", "Next uncoded segment", "next-uncoded"),
        _b("N", "next_uncoded(-1)", "Previous uncoded segment", "previous-uncoded"),
        _b("s", "next_suggested", "Next segment with a suggestion", "next-suggested"),
        _b("shift+down", "extend_sentence(1)", "Selection: one sentence further", "extend-sentence-down"),
        _b("shift+up", "extend_sentence(-1)", "Selection: one sentence back", "extend-sentence-up"),
        _b("shift+right", "extend_word(1)", "Selection: one word further", "extend-word-right"),
        _b("shift+left", "extend_word(-1)", "Selection: one word back", "extend-word-left"),
        _b("escape", "reset_selection", "Reset selection", "reset-selection"),
        _b("c,slash", "pick_code", "Pick a code", "pick", show=True, key_display="c"),
        _b("full_stop", "repeat_code", "Apply the same code again", "repeat", key_display="."),
        *[_b(d, f"shortcut('{d}')", "Apply the code with this shortcut", f"shortcut-{d}") for d in DIGITS],
        _b("a", "accept_top", "Accept suggestion", "accept", show=True),
        _b("A", "accept_choose", "Accept a chosen suggestion", "accept-choose"),
        _b("x", "reject", "Reject top suggestion", "reject"),
        _b("d", "remove_coding", "Remove a coding", "remove", show=True),
        _b("m", "edit_memo", "Edit a coding's memo", "memo"),
        _b("M", "transcript_memo", "Add a memo to the transcript", "transcript-memo"),
        _b("f", "cycle_focus", "Show next code's definition", "focus-code"),
        _b("u", "undo", "Undo", "undo", show=True),
        _b("ctrl+r", "redo", "Redo", "redo"),
        _b("ctrl+f", "search", "Search in transcript", "search"),
        _b("v", "show_coders", "Show coders…", "show-coders"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.doc: Document | None = None
        self.codes: Codes | None = None
        self.anchor = 0          # the current segment's index
        self.head: int | None = None   # the moving end of the selection (an offset), None = the segment
        self.last_code: str | None = None
        self.focus_code: str | None = None
        self.pending: dict[int, list] = {}   # segment index -> suggestions, best first
        self.suggest_status: str | None = "Computing suggestions…"
        self.coders: frozenset | None = None   # whose codings the view shows; None = every coder

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="coding-body"):
            yield TranscriptView(id="transcript")
            yield SidePanel(id="side-panel")
        yield Static("", id="coding-empty")
        yield TextBox("", id="status")
        yield Footer(compact=True)

    # -- loading ----------------------------------------------------------------------------
    def on_screen_resume(self) -> None:
        wanted = self.app.current_transcript
        if wanted is None:
            self._show_empty(True)
            return
        tid, offset = wanted
        if self.doc is None or self.doc.id != tid or offset is not None:
            self.load(tid, offset)
        else:
            self.refresh_data()
        self.query_one(TranscriptView).focus()

    def _show_empty(self, empty: bool) -> None:
        body = self.query_one("#coding-body")
        if body.display == empty:  # toggling display costs a layout pass; only when it changes
            body.display = not empty
            message = self.query_one("#coding-empty", Static)
            message.display = empty
            message.update("No transcript open. Press p for the project and Enter on a transcript.")

    @guarded
    def load(self, transcript_id: int, offset: int | None = None) -> None:
        db = self.app.project.db
        self.app.current_transcript = (transcript_id, None)
        self.codes = load_codes(db)
        self.doc = Document.load(db, transcript_id)
        self._filter_coders()
        self._show_empty(False)
        self.sub_title = self.doc.name
        index = self.doc.segment_at(offset) if offset is not None else self.app.positions.get(transcript_id, 0)
        self.pending, self.suggest_status = {}, "Computing suggestions…"
        view = self.query_one(TranscriptView)
        view.suggested = set()
        view.set_document(self.doc, self.codes, index)
        self.anchor, self.head = view.cursor, None
        self.update_panel()
        self.load_suggestions(self.app.root, transcript_id)

    def refresh_data(self) -> None:
        """Pick up changes from this or another process (codings, codebook)."""
        if self.doc is None:
            return
        db = self.app.project.db
        if db.execute("SELECT 1 FROM transcripts WHERE id = ?", [self.doc.id]).fetchone() is None:
            self.app.current_transcript = None
            self.doc = None
            self._show_empty(True)
            return
        self.codes = load_codes(db)
        self.reload_codings()
        view = self.query_one(TranscriptView)
        view.codes = self.codes
        view.data_changed()
        self.update_panel()

    # -- which coders' codings show ---------------------------------------------------------
    def reload_codings(self) -> None:
        self.doc.reload_codings(self.app.project.db)
        self._filter_coders()

    def _filter_coders(self) -> None:
        if self.coders is not None:
            self.doc.codings = [c for c in self.doc.codings if c.coder in self.coders]
            self.doc.index_codings()

    def action_show_coders(self) -> None:
        coders = ranked_coders(self.app.project.db)
        self.app.push_screen(ShowCodersDialog(coders, self.coders, self.app.coder), self._coders_chosen)

    def _coders_chosen(self, chosen: frozenset | None) -> None:
        if chosen is None:
            return
        everyone = set(ranked_coders(self.app.project.db))
        self.coders = None if not chosen or everyone <= chosen else chosen
        if self.doc is not None:
            self.data_changed()

    # -- helpers ----------------------------------------------------------------------------
    @property
    def view(self) -> TranscriptView:
        return self.query_one(TranscriptView)

    def span(self) -> tuple[int, int]:
        return self.view.selection

    def here(self):
        """Codings overlapping the current span, in codebook order."""
        a, b = self.span()
        rank = self.codes.rank
        return sorted(self.doc.codings_in(a, b), key=lambda c: (rank.get(c.code_id, 999), c.id))

    def update_panel(self) -> None:
        if self.doc is None or not self.is_mounted:
            return
        panel = self.query_one(SidePanel)
        here = self.here()
        panel.show_codings(here, self.codes, self.app.coder)
        panel.show_suggestions(self.suggestions_here(), self.codes, self.suggest_status)
        ids = [c.code_id for c in here] + [s.code for s in self.suggestions_here()]
        if self.focus_code not in ids:
            self.focus_code = ids[0] if ids else None
        self.view.focus_code = self.focus_code
        panel.show_code(self.codes.get(self.focus_code) if self.focus_code else None, self.codes)
        self._status()

    def _status(self, note: str = "") -> None:
        doc = self.doc
        a, b = self.span()
        seg = doc.segments[self.anchor] if doc.segments else None
        text = Text()
        text.append(f" {doc.name}", style="bold")
        if seg:
            turn = doc.turns[seg[2]]
            text.append(f"  segment {seg[1]}/{len(doc.segments)}  turn {turn[0]}")
        if self.head is not None:
            text.append(f"  selection {b - a} chars", style="bold")
        text.append(f"  coder {self.app.coder}", style="dim")
        if self.coders is not None:
            text.append(f"  showing {', '.join(sorted(self.coders))} (v)", style="bold yellow")
        if note:
            text.append(f"  {note}", style="italic")
        self.query_one("#status", TextBox).set(text)

    def _moved(self, index: int, center: bool = False) -> None:
        self.head = None
        self.view.move_to(index, center=center)
        self.anchor = self.view.cursor
        self.app.positions[self.doc.id] = self.anchor
        self.update_panel()

    def _ready(self) -> bool:
        return self.doc is not None and bool(self.doc.segments)

    # -- moving -----------------------------------------------------------------------------
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
        view = self.view
        line = self.doc.line_of(self.doc.segment_span(self.anchor)[0]) + step * max(view.size.height - 2, 1)
        line = max(0, min(line, len(self.doc.lines) - 1))
        target = self.doc.lines[line]
        self._moved(self.doc.segment_at(target.start), center=True)

    def action_next_uncoded(self, step: int) -> None:
        if not self._ready():
            return
        index = self.doc.next_uncoded(self.anchor, self.app.coder, step)
        if index is None:
            self.app.notify("No uncoded segment further on." if step > 0 else "No uncoded segment before this.")
        else:
            self._moved(index, center=True)

    @on(TranscriptView.CursorMoved)
    def _clicked(self, event: TranscriptView.CursorMoved) -> None:
        self._moved(event.index)

    # -- applying codes ---------------------------------------------------------------------
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

    def data_changed(self) -> None:
        self.reload_codings()
        self.view.data_changed()
        self.update_panel()

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
        ids = list(dict.fromkeys([c.code_id for c in self.here()] + [s.code for s in self.suggestions_here()]))
        if ids:
            i = ids.index(self.focus_code) if self.focus_code in ids else -1
            self.focus_code = ids[(i + 1) % len(ids)]
            self.update_panel()

    # -- editing codings --------------------------------------------------------------------
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
        self._choose_coding("Remove which coding?", self.remove)

    @guarded
    def remove(self, c) -> None:
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
        rows = done.get("codings") or ([done["coding"]] if "coding" in done else [])
        where = rows[0] if rows else None
        if where is None and done.get("id") is not None:
            row = self.app.project.db.execute(
                "SELECT transcript_id, start, code_id FROM codings WHERE id = ?", [done["id"]]).fetchone()
            where = {"transcript_id": row[0], "start": row[1], "code_id": row[2]} if row else None
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

    # -- search -----------------------------------------------------------------------------
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
