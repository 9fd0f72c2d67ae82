"""Choose coders: the pair to compare (with consensus coder and transcript), or the coders a view shows."""

from __future__ import annotations

from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Button, Input, Label, Select, SelectionList

from qualcode.tui.dialogs.base import Dialog

DEFAULT_CONSENSUS = "consensus"


@dataclass(frozen=True)
class CompareSetup:
    coder_a: str
    coder_b: str
    consensus: str
    transcript_id: int


def ranked_coders(db) -> list[str]:
    """Every coder, the ones with most codings first (coders without codings last, by name)."""
    counts = dict(db.execute("SELECT coder, COUNT(*) FROM codings GROUP BY coder").fetchall())
    names = {n for (n,) in db.execute("SELECT name FROM coders")} | set(counts)
    return sorted(names, key=lambda n: (-counts.get(n, 0), n))


def default_pair(db, consensus: str = DEFAULT_CONSENSUS) -> tuple[str | None, str | None]:
    """The two coders with most codings, leaving the consensus coder out."""
    names = [n for n in ranked_coders(db) if n != consensus]
    return (names[0] if names else None), (names[1] if len(names) > 1 else None)


def check_setup(coder_a, coder_b, consensus: str) -> str | None:
    """The reason a setup cannot be compared, or None."""
    if not coder_a or not coder_b or coder_a == coder_b:
        return "Choose two different coders."
    if not consensus or consensus in (coder_a, coder_b):
        return "The consensus coder must be a third name."
    return None


class CompareDialog(Dialog[CompareSetup | None]):
    """Coder A, coder B, the consensus coder's name and the transcript; returns a CompareSetup or None."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="compare.cancel"),
                Binding("ctrl+s", "ok", "Compare", id="compare.ok")]
    BOX = "dialog compare-dialog"
    HINT = "enter or ctrl+s compare · esc cancel"

    def __init__(self, coders: list[str], transcripts: list[tuple[str, int]], current: CompareSetup | None) -> None:
        super().__init__("Compare two coders")
        self.coders = coders
        self.transcripts = transcripts
        self.current = current

    def body(self) -> ComposeResult:
        cur = self.current
        options = [(c, c) for c in self.coders]
        with Horizontal(classes="compare-row"):
            yield Label("Coder A", classes="compare-label")
            yield Select(options, value=cur.coder_a if cur else Select.NULL, id="compare-a", compact=True)
        with Horizontal(classes="compare-row"):
            yield Label("Coder B", classes="compare-label")
            yield Select(options, value=cur.coder_b if cur else Select.NULL, id="compare-b", compact=True)
        with Horizontal(classes="compare-row"):
            yield Label("Consensus", classes="compare-label")
            yield Input(cur.consensus if cur else DEFAULT_CONSENSUS, id="compare-consensus", compact=True)
        with Horizontal(classes="compare-row"):
            yield Label("Transcript", classes="compare-label")
            yield Select(self.transcripts, value=cur.transcript_id if cur else Select.NULL,
                         id="compare-transcript", allow_blank=False, compact=True)
        yield Label("", id="compare-error")
        yield Button("Compare", id="compare-ok", variant="primary", compact=True)

    def on_mount(self) -> None:
        self.query_one("#compare-consensus", Input).focus()

    def _value(self, selector: str):
        value = self.query_one(selector, Select).value
        return None if value is Select.NULL else value

    def action_ok(self) -> None:
        a, b = self._value("#compare-a"), self._value("#compare-b")
        consensus = self.query_one("#compare-consensus", Input).value.strip()
        problem = check_setup(a, b, consensus)
        transcript = self._value("#compare-transcript")
        if problem is None and transcript is None:
            problem = "Choose a transcript."
        if problem:
            self.query_one("#compare-error", Label).update(problem)
            return
        self.dismiss(CompareSetup(a, b, consensus, transcript))

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        self.action_ok()

    @on(Button.Pressed, "#compare-ok")
    def _pressed(self, event: Button.Pressed) -> None:
        self.action_ok()


class ShowCodersDialog(Dialog[frozenset | None]):
    """Tick the coders whose codings to show; returns the set (all ticked = every coder) or None on cancel."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="show-coders.cancel"),
                # priority: the list itself would take enter as "tick"
                Binding("enter,ctrl+s", "ok", "Show these coders", id="show-coders.ok", priority=True),
                Binding("asterisk", "all", "Tick every coder", id="show-coders.all")]
    HINT = "space tick · * all · enter show · esc cancel"

    def __init__(self, coders: list[str], shown: frozenset | None, me: str) -> None:
        super().__init__("Show codings of which coders?")
        self.coders = coders
        self.shown = shown
        self.me = me

    def body(self) -> ComposeResult:
        items = [(f"{c} (you)" if c == self.me else c, c, self.shown is None or c in self.shown) for c in self.coders]
        yield SelectionList(*items, id="show-coders")

    def on_mount(self) -> None:
        self.query_one(SelectionList).focus()

    def action_all(self) -> None:
        self.query_one(SelectionList).select_all()

    def action_ok(self) -> None:
        self.dismiss(frozenset(self.query_one(SelectionList).selected))
