"""The coding screen: the transcript view, the side panel, the status line, and every coding key."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from qualcode.tui.codeinfo import Codes, load_codes
from qualcode.tui.dialogs.choose_coders import ShowCodersDialog, ranked_coders
from qualcode.tui.document import Document
from qualcode.tui.guard import guarded
from qualcode.tui.screens.coding_apply import DIGITS, ApplyActions
from qualcode.tui.screens.coding_edits import EditActions
from qualcode.tui.screens.coding_navigation import NavigationActions
from qualcode.tui.screens.coding_selection import SelectionActions
from qualcode.tui.screens.coding_suggestions import SuggestionActions
from qualcode.tui.widgets.side_panel import SidePanel, TextBox
from qualcode.tui.widgets.transcript_view import TranscriptView


def _b(key, action, description, id, show=False, key_display=None):
    return Binding(key, action, description, show=show, id=f"coding.{id}", key_display=key_display)


class CodingScreen(NavigationActions, SelectionActions, ApplyActions, SuggestionActions, EditActions, Screen):
    """Codes the transcript the app has open (`app.open_transcript`); the actions live in the mixins."""

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
        self.head: int | None = None   # the moving end of the selection (an offset), None = the segment
        self.last_code: str | None = None
        self.focus_code: str | None = None
        self.pending: dict[int, list] = {}   # segment index -> suggestions, best first
        self.suggest_status: str | None = "Computing suggestions…"
        self.coders: frozenset | None = None   # whose codings the view shows; None = every coder
        self._view: TranscriptView | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="coding-body"):
            yield TranscriptView(id="transcript")
            yield SidePanel(id="side-panel")
        yield Static("", id="coding-empty")
        yield TextBox("", id="status")
        yield Footer(compact=True)

    @property
    def view(self) -> TranscriptView:
        if self._view is None:  # looked up once: every key asks for it several times
            self._view = self.query_one(TranscriptView)
        return self._view

    @property
    def anchor(self) -> int:
        """The current segment's index: the view's cursor (one value, so the two cannot disagree)."""
        return self.view.cursor

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
        self.view.focus()

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
        self.view.suggested = set()
        self.view.set_document(self.doc, self.codes, index)
        self.head = None
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
        self.codes = self.view.codes = load_codes(db)
        self.data_changed()

    def data_changed(self) -> None:
        """Codings changed in the store: read them again and repaint the view and the panel."""
        self.reload_codings()
        self.view.data_changed()
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

    # -- what the current span holds, shown in the panel and the status line ----------------
    def span(self) -> tuple[int, int]:
        return self.view.selection

    def here(self):
        """Codings overlapping the current span, in codebook order."""
        a, b = self.span()
        rank = self.codes.rank
        return sorted(self.doc.codings_in(a, b), key=lambda c: (rank.get(c.code_id, 999), c.id))

    def code_ids_here(self, here=None) -> list[str]:
        """The codes on the span, then the suggested ones, each once: what f cycles through."""
        here = self.here() if here is None else here
        return list(dict.fromkeys([c.code_id for c in here] + [s.code for s in self.suggestions_here()]))

    def update_panel(self) -> None:
        if self.doc is None or not self.is_mounted:
            return
        here = self.here()
        suggestions = self.suggestions_here()
        ids = self.code_ids_here(here)
        if self.focus_code not in ids:
            self.focus_code = ids[0] if ids else None
        self.view.focus_code = self.focus_code
        self.query_one(SidePanel).show(here, suggestions, self.suggest_status,
                                       self.codes.get(self.focus_code) if self.focus_code else None,
                                       self.codes, self.app.coder)
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

    def _ready(self) -> bool:
        return self.doc is not None and bool(self.doc.segments)
