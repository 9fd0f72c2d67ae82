"""The project screen: transcripts grouped by site; Enter opens one for coding."""

from __future__ import annotations

import logging

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static
from textual.worker import get_current_worker

from qualcode.transcripts import list_transcripts
from qualcode.tui import suggestions as suggest
from qualcode.tui.guard import guarded

log = logging.getLogger("qualcode.tui")
COLUMNS = ("Site", "Transcript", "Organisation", "Role", "Date", "Words", "Coded", "Suggestions")
EMPTY = """No transcripts in this project yet.

Import some from a shell, then press ctrl+l here to refresh:

    qualcode import PATH...          (txt, md, docx, vtt, srt)
    qualcode import interviews/ --site Norr

or use the command palette (ctrl+p): "Import transcripts"."""


class ProjectScreen(Screen):
    """Every transcript with its attributes, size, share coded and pending suggestions."""

    BINDINGS = [
        Binding("enter", "open", "Open", id="project.open", show=True),
        Binding("j", "cursor(1)", "Down", id="project.down", show=False),
        Binding("k", "cursor(-1)", "Up", id="project.up", show=False),
    ]

    class PendingCounted(Message):
        def __init__(self, counts: dict[int, int]) -> None:
            super().__init__()
            self.counts = counts

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[dict] = []
        self.pending: dict[int, int] = {}

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="project-summary")
        yield DataTable(id="transcripts", cursor_type="row", zebra_stripes=True)
        yield Static(EMPTY, id="project-empty")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        for name in COLUMNS:
            table.add_column(name, key=name)
        self.count_pending(self.app.root)

    def on_screen_resume(self) -> None:
        self.refresh_data()
        self.query_one(DataTable).focus()

    @guarded
    def refresh_data(self) -> None:
        self.rows = sorted(list_transcripts(self.app.project.db),
                           key=lambda r: ((r["attributes"].get("site") or "~"), r["name"]))
        table = self.query_one(DataTable)
        keep = table.cursor_row
        table.clear()
        last_site = None
        for r in self.rows:
            a = r["attributes"]
            site = a.get("site") or "(no site)"
            shown = Text(site, style="bold") if site != last_site else Text("")
            last_site = site
            pending = self.pending.get(r["id"])
            table.add_row(
                shown, r["name"], a.get("organisation") or "", a.get("role") or "", a.get("date") or "",
                f"{r['words']:,}", f"{r['coded_share']:.0%}",
                "…" if pending is None else str(pending),
                key=str(r["id"]),
            )
        if self.rows:
            table.move_cursor(row=min(keep, len(self.rows) - 1))
        empty = not self.rows
        table.display = not empty
        self.query_one("#project-empty").display = empty
        words = sum(r["words"] for r in self.rows)
        coded = sum(r["coded_segments"] for r in self.rows)
        segments = sum(r["segments"] for r in self.rows) or 1
        sites = len({r["attributes"].get("site") for r in self.rows})
        self.query_one("#project-summary", Static).update(
            f" {self.app.root.name}: {len(self.rows)} transcripts, {sites} sites, {words:,} words, "
            f"{coded / segments:.0%} of segments coded · coder {self.app.coder}")

    def action_cursor(self, step: int) -> None:
        table = self.query_one(DataTable)
        table.move_cursor(row=table.cursor_row + step)

    def action_open(self) -> None:
        table = self.query_one(DataTable)
        if self.rows and table.cursor_row is not None:
            self.app.open_transcript(self.rows[table.cursor_row]["id"])

    @on(DataTable.RowSelected)
    def _selected(self, event: DataTable.RowSelected) -> None:
        self.app.open_transcript(int(event.row_key.value))

    @work(thread=True, exclusive=True, group="pending")
    def count_pending(self, root) -> None:
        """Count pending suggestions per transcript in the background (the engine may take seconds)."""
        from qualcode.project import Project

        if suggest.engine() is None:
            return
        project = Project(root)
        counts: dict[int, int] = {}
        try:
            for (tid,) in project.db.execute("SELECT id FROM transcripts ORDER BY name").fetchall():
                if get_current_worker().is_cancelled:
                    return
                found = suggest.for_transcript(project, tid)
                if found is None:
                    return
                counts[tid] = len(found)
                self.post_message(self.PendingCounted(dict(counts)))
        except Exception:
            log.exception("counting suggestions failed")
        finally:
            project.close()

    def on_project_screen_pending_counted(self, message: PendingCounted) -> None:
        self.pending = message.counts
        table = self.query_one(DataTable)
        for tid, n in message.counts.items():
            try:
                table.update_cell(str(tid), "Suggestions", str(n))
            except Exception:  # the row may have gone after a refresh
                pass
