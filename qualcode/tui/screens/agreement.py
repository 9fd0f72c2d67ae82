"""The agreement screen: two coders' disagreements on a transcript, resolved into a consensus coder."""

from __future__ import annotations

import logging

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.coordinate import Coordinate
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static
from textual.worker import get_current_worker

from qualcode import consensus
from qualcode.tui.cells import one_line
from qualcode.tui.codeinfo import Codes, load_codes
from qualcode.tui.dialogs.choose_coders import (DEFAULT_CONSENSUS, CompareDialog, CompareSetup, default_pair,
                                                ranked_coders)
from qualcode.tui.guard import guarded
from qualcode.tui.widgets.agreement_panels import consensus_cell, detail_text, header_text, mark
from qualcode.tui.widgets.side_panel import TextBox

log = logging.getLogger("qualcode.tui")
TEXT_WIDTH = 60


def _b(key, action, description, id, show=True, key_display=None):
    return Binding(key, action, description, show=show, id=f"agreement.{id}", key_display=key_display)


class AgreementScreen(Screen):
    """Lists where coder A and coder B differ, unit by unit and code by code, and records the consensus."""

    BINDINGS = [
        _b("a", "take('a')", "Take A's", "take-a"),
        _b("b", "take('b')", "Take B's", "take-b"),
        _b("B,equals_sign", "take('both')", "Take both", "take-both", key_display="B"),
        _b("n", "take('neither')", "Take neither", "take-neither"),
        _b("u", "undo", "Undo last resolve", "undo"),
        _b("right_square_bracket", "transcript(1)", "Next transcript", "next-transcript", key_display="]"),
        _b("left_square_bracket", "transcript(-1)", "Previous transcript", "previous-transcript",
           show=False, key_display="["),
        _b("S", "seed", "Copy agreements into consensus", "seed", show=False),
        _b("c", "choose", "Choose coders", "choose"),
        _b("enter", "open_unit", "Open the unit for coding", "open", show=False),
        _b("j", "cursor(1)", "Next disagreement", "down", show=False),
        _b("k", "cursor(-1)", "Previous disagreement", "up", show=False),
    ]

    class Loaded(Message):
        """A worker's reading of the disagreements and figures for one setup."""

        def __init__(self, setup: CompareSetup, rows, progress, error: str | None, select: int | None) -> None:
            super().__init__()
            self.setup = setup
            self.rows = rows
            self.progress = progress
            self.error = error
            self.select = select

    def __init__(self) -> None:
        super().__init__()
        self.setup: CompareSetup | None = None
        self.rows: list = []
        self.progress: dict | None = None
        self.codes: Codes | None = None
        self.text = ""          # the transcript's text, for quoting codings that reach past a unit
        self.loads = 0          # finished loads, so tests can wait for a fresh one
        self.seen: int | None = None   # the app's open transcript when this screen last showed
        self.asked = False

    def compose(self) -> ComposeResult:
        yield Header()
        yield TextBox("", id="agreement-header")
        with Horizontal(id="agreement-body"):
            yield DataTable(id="disagreements", cursor_type="row", zebra_stripes=True)
            with VerticalScroll(id="agreement-side"):
                yield Static("", id="agreement-detail")
        yield Static("", id="agreement-empty")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        for name in ("#", "Code", "A", "B", "Consensus", "Text"):
            table.add_column(name, key=name)

    def on_screen_resume(self) -> None:
        current = self.app.current_transcript
        opened = current[0] if current else None
        if self.setup is None:
            if not self.asked:  # ask once by itself; after a cancel, c asks again
                self.asked = True
                self.action_choose()
        else:
            if opened is not None and opened != self.seen:  # another transcript was opened meanwhile: follow it
                self.setup = CompareSetup(self.setup.coder_a, self.setup.coder_b, self.setup.consensus, opened)
            self.refresh_data()
        self.seen = opened
        self.query_one(DataTable).focus()

    # -- choosing what to compare -----------------------------------------------------------
    def _transcripts(self, setup: CompareSetup | None = None) -> list[tuple[str, int]]:
        """(name, id) of the transcripts both coders coded, else those either coded, else all; by name."""
        db = self.app.project.db
        rows = [tuple(r) for r in db.execute("SELECT name, id FROM transcripts ORDER BY name")]
        if setup is None:
            return rows
        # As `qualcode agreement` does: a transcript only one coder did is not the other's disagreement.
        coders: dict[int, set] = {}
        for tid, coder in db.execute("SELECT DISTINCT transcript_id, coder FROM codings WHERE coder IN (?, ?)",
                                     [setup.coder_a, setup.coder_b]):
            coders.setdefault(tid, set()).add(coder)
        both = [r for r in rows if len(coders.get(r[1], ())) == 2]
        return both or [r for r in rows if r[1] in coders] or rows

    def _default_setup(self) -> CompareSetup | None:
        """The two busiest coders, on the open transcript or else the first (by name) both coded."""
        a, b = default_pair(self.app.project.db)
        current = self.app.current_transcript
        if current is not None:
            return CompareSetup(a, b, DEFAULT_CONSENSUS, current[0])
        if a and b:
            return CompareSetup(a, b, DEFAULT_CONSENSUS, self._transcripts(CompareSetup(a, b, "", 0))[0][1])
        return None

    def action_choose(self) -> None:
        coders = ranked_coders(self.app.project.db)
        transcripts = self._transcripts()
        if len(coders) < 2 or not transcripts:
            self._show_empty("Comparing needs two coders and a transcript. Code with two coders "
                             "(ctrl+u switches coder) or merge another coder's work (qualcode merge).")
            return
        self.app.push_screen(CompareDialog(coders, transcripts, self.setup or self._default_setup()), self._chosen)

    def _chosen(self, setup: CompareSetup | None) -> None:
        if setup is None:
            if self.setup is None:
                self._show_empty("Press c to choose two coders to compare.")
            return
        self.setup = setup
        self.refresh_data(select=0)

    def _show_empty(self, message: str | None) -> None:
        self.query_one("#agreement-body").display = message is None
        empty = self.query_one("#agreement-empty", Static)
        empty.display = message is not None
        empty.update(message or "")

    # -- loading ----------------------------------------------------------------------------
    def refresh_data(self, select: int | None = None) -> None:
        """Read the disagreements and figures again (in a worker); `select` is the row to land on."""
        if self.setup is None:
            return
        if select is None:
            select = self.query_one(DataTable).cursor_row
        self.codes = load_codes(self.app.project.db)
        self.query_one("#agreement-header", TextBox).set(header_text(self.setup, self.progress, self._position()))
        self.load(self.app.root, self.setup, select)

    @work(thread=True, exclusive=True, group="agreement")
    def load(self, root, setup: CompareSetup, select: int | None) -> None:
        from qualcode.project import Project

        project = Project(root)  # its own connection: a sqlite3 connection belongs to one thread
        rows = progress = error = None
        try:
            db = project.db
            rows = consensus.disagreements(db, setup.coder_a, setup.coder_b, setup.transcript_id,
                                           consensus=setup.consensus)
            progress = consensus.progress(db, setup.coder_a, setup.coder_b, setup.consensus, setup.transcript_id)
        except Exception as exc:  # shown as one line; the screen stays usable
            log.warning("agreement failed: %s", exc)
            error = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        finally:
            project.close()
        if not get_current_worker().is_cancelled:
            self.post_message(self.Loaded(setup, rows, progress, error, select))

    def on_agreement_screen_loaded(self, message: Loaded) -> None:
        if message.setup != self.setup:
            return
        self.loads += 1
        if message.error:
            self.rows, self.progress = [], None
            self._show_empty(f"{message.error}\n\nPress c to choose other coders or ] for another transcript.")
            self.query_one("#agreement-header", TextBox).set(header_text(self.setup, None, None))
            return
        self._show_empty(None)
        self.rows, self.progress = message.rows, message.progress
        self.text = self.app.project.db.execute(
            "SELECT text FROM transcripts WHERE id = ?", [self.setup.transcript_id]).fetchone()[0]
        self.sub_title = message.progress["transcript"]
        self.query_one("#agreement-header", TextBox).set(header_text(self.setup, self.progress, self._position()))
        self._fill(message.select)

    def _position(self) -> tuple[int, int] | None:
        ids = [tid for _, tid in self._transcripts(self.setup)]
        return (ids.index(self.setup.transcript_id), len(ids)) if self.setup.transcript_id in ids else None

    def _fill(self, select: int | None) -> None:
        table = self.query_one(DataTable)
        table.clear()
        codes = self.codes
        for i, d in enumerate(self.rows):
            color = codes.color(d.code)
            label = Text.assemble(("█ ", color), codes.label(d.code))
            table.add_row(str(d.number), label, mark(d.coder in ("a", "both"), color),
                          mark(d.coder in ("b", "both"), color), consensus_cell(d),
                          one_line(d.text, TEXT_WIDTH), key=str(i))
        if self.rows:
            table.move_cursor(row=max(0, min(select or 0, len(self.rows) - 1)), animate=False)
        self._detail(table.cursor_row)

    @on(DataTable.RowHighlighted, "#disagreements")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._detail(event.cursor_row)

    def _detail(self, index: int | None) -> None:
        detail = self.query_one("#agreement-detail", Static)
        if not self.rows:
            detail.update(Text("A and B agree everywhere on this transcript (] goes to the next).", style="dim"))
        elif index is not None and 0 <= index < len(self.rows):
            detail.update(detail_text(self.rows[index], self.codes, self.text))

    def selected(self):
        """The disagreement under the cursor, or None."""
        row = self.query_one(DataTable).cursor_row
        return self.rows[row] if self.rows and row is not None and 0 <= row < len(self.rows) else None

    # -- resolving --------------------------------------------------------------------------
    @guarded
    def action_take(self, choice: str) -> None:
        d = self.selected()
        if d is None or self.setup is None:
            return
        table = self.query_one(DataTable)
        row = table.cursor_row
        # The row and cursor change at once, so keys typed before the reload lands act on the right row.
        self.rows[row] = consensus.resolve(self.app.project.db, d, choice, self.setup.consensus, self.app.coder)
        table.update_cell_at(Coordinate(row, 4), consensus_cell(self.rows[row]))
        later = [i for i, r in enumerate(self.rows) if i > row and r.resolved is None]
        target = later[0] if later else row  # the next undecided row: resolving is one key per row
        table.move_cursor(row=target, animate=False)
        self.refresh_data(select=target)

    @guarded
    def action_undo(self) -> None:
        if self.setup is None:
            return
        payload = consensus.undo_resolve(self.app.project.db, self.setup.consensus)
        if payload is None:
            self.app.notify(f"{self.setup.consensus} has no resolve to undo.")
            return
        where = next((i for i, r in enumerate(self.rows) if (r.start, r.end, r.code) ==
                      (payload["start"], payload["end"], payload["code_id"])), None)
        if payload["transcript_id"] != self.setup.transcript_id:
            self.setup = CompareSetup(self.setup.coder_a, self.setup.coder_b, self.setup.consensus,
                                      payload["transcript_id"])
            where = 0
        self.app.notify(f"undid {payload['choice']} on {payload['unit']} {payload['number']}", timeout=3)
        self.refresh_data(select=where)

    @guarded
    def action_seed(self) -> None:
        if self.setup is None:
            return
        s = self.setup
        added = consensus.seed_consensus(self.app.project.db, s.coder_a, s.coder_b, s.consensus, [s.transcript_id])
        self.app.notify(f"copied {added} agreed coding{'s' if added != 1 else ''} into {s.consensus}")
        self.refresh_data()

    # -- moving -----------------------------------------------------------------------------
    def action_transcript(self, step: int) -> None:
        if self.setup is None:
            return
        ids = [tid for _, tid in self._transcripts(self.setup)]
        here = ids.index(self.setup.transcript_id) if self.setup.transcript_id in ids else -1
        tid = ids[(here + step) % len(ids)]
        s = self.setup
        self.setup = CompareSetup(s.coder_a, s.coder_b, s.consensus, tid)
        self.refresh_data(select=0)

    def action_cursor(self, step: int) -> None:
        table = self.query_one(DataTable)
        if self.rows:
            table.move_cursor(row=max(0, min(table.cursor_row + step, len(self.rows) - 1)))

    def action_open_unit(self) -> None:
        d = self.selected()
        if d is not None:
            self.app.open_transcript(d.transcript_id, d.start)

    @on(DataTable.RowSelected, "#disagreements")
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        self.action_open_unit()
