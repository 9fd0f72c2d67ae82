"""The project screen: transcripts grouped by site; Enter opens one for coding."""

from __future__ import annotations

import json
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
from qualcode.tui.cells import clip
from qualcode.tui.guard import guarded
from qualcode.tui.widgets.progress_line import ProgressLine

log = logging.getLogger("qualcode.tui")
COLUMNS = ("Site", "Transcript", "Organisation", "Role", "Date", "Words", "Coded", "Pending")
# Shown per transcript; a group interview without its own value shows its speakers' values.
SPEAKER_COLUMNS = {"site": "sites", "organisation": "organisations", "role": "roles"}
ATTRIBUTE_WIDTH = 20
FAILED: list = []
EMPTY = """No transcripts in this project yet.

Press I to import a file or a folder (txt, md, docx, vtt, srt), or from a shell:

    qualcode import PATH...
    qualcode import interviews/ --site Norr

then press ctrl+l here to refresh."""


def speaker_values(db) -> dict[int, dict[str, list[str]]]:
    """Per transcript, each speaker attribute's distinct values in speaker order."""
    out: dict[int, dict[str, list[str]]] = {}
    for tid, attrs in db.execute("SELECT transcript_id, attributes FROM speakers ORDER BY transcript_id, label"):
        for key, value in json.loads(attrs or "{}").items():
            values = out.setdefault(tid, {}).setdefault(key, [])
            if value and str(value) not in values:
                values.append(str(value))
    return out


def attribute_cell(key: str, own: str | None, speakers: list[str] | None) -> Text:
    """The transcript's value, else its speakers' values (italic): joined when short, else counted."""
    if own:
        return Text(clip(str(own), ATTRIBUTE_WIDTH))
    if not speakers:
        return Text("")
    joined = ", ".join(speakers)
    if len(joined) > ATTRIBUTE_WIDTH:
        joined = f"{len(speakers)} {SPEAKER_COLUMNS.get(key, 'values')}"
    return Text(joined, style="italic")


def _count_text(count: int) -> str:
    return "?" if count < 0 else str(count)  # -1: the engine failed on this transcript (logged)


class ProjectScreen(Screen):
    """Every transcript with its attributes, size, share coded and pending suggestions."""

    BINDINGS = [
        Binding("enter", "open", "Open", id="project.open", show=True),
        Binding("j", "cursor(1)", "Down", id="project.down", show=False),
        Binding("k", "cursor(-1)", "Up", id="project.up", show=False),
    ]

    class PendingCounted(Message):
        """One transcript's pending suggestions were counted (done of total in this run)."""

        def __init__(self, run: int, transcript_id: int, count: int, done: int, total: int) -> None:
            super().__init__()
            self.run = run
            self.transcript_id = transcript_id
            self.count = count
            self.done = done
            self.total = total

    class CountingStopped(Message):
        """The counting run ended (finished, unavailable, or failed)."""

        def __init__(self, run: int, complete: bool) -> None:
            super().__init__()
            self.run = run
            self.complete = complete

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[dict] = []
        self._run = 0            # the counting run whose messages count; older runs' are dropped
        self._counting = False

    @property
    def pending(self) -> dict[int, int]:
        """Pending suggestions per transcript id, shared with the coding screen through the app."""
        return self.app.pending_counts

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="project-summary")
        yield DataTable(id="transcripts", cursor_type="row", zebra_stripes=True)
        # Below the table, so the rows do not jump when it comes and goes.
        yield ProgressLine(id="project-progress")
        yield Static(EMPTY, id="project-empty")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        for name in COLUMNS:
            table.add_column(name, key=name)

    def on_screen_resume(self) -> None:
        self.refresh_data()
        self.query_one(DataTable).focus()
        self.show_import(self.app.import_status)

    def on_resize(self) -> None:
        if self.rows:
            self.refresh_data()

    @guarded
    def refresh_data(self, recount: bool = False) -> None:
        db = self.app.project.db
        self.rows = sorted(list_transcripts(db), key=lambda r: ((r["attributes"].get("site") or "~"), r["name"]))
        by_speaker = speaker_values(db)
        table = self.query_one(DataTable)
        keep = table.cursor_row
        table.clear()
        # Long names give way first so the counts at the right stay on screen at 120 columns.
        name_width = max(24, self.app.size.width - 90)
        available = suggest.engine() is not None
        last_site = None
        for r in self.rows:
            a = r["attributes"]
            speakers = by_speaker.get(r["id"], {})
            site = attribute_cell("site", a.get("site"), speakers.get("site"))
            site.stylize("bold")
            shown = site if site.plain != last_site else Text("")
            last_site = site.plain
            table.add_row(
                shown, clip(r["name"], name_width),
                *(attribute_cell(k, a.get(k), speakers.get(k)) for k in ("organisation", "role")),
                a.get("date") or "", f"{r['words']:,}", f"{r['coded_share']:.0%}",
                self._pending_cell(r["id"], available),
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
            f"{coded / segments:.0%} of segments coded · coder {self.app.coder} · Enter opens, I imports")
        if recount:
            self.pending.clear()
        self._count_missing(force=recount)

    def _pending_cell(self, transcript_id: int, available: bool) -> str:
        if not available:
            return "–"
        count = self.pending.get(transcript_id)
        return "…" if count is None else _count_text(count)

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

    # -- pending suggestions, counted in the background -----------------------------------
    def _count_missing(self, force: bool = False) -> None:
        missing = [r["id"] for r in self.rows if r["id"] not in self.pending]
        if missing and (force or not self._counting) and suggest.engine() is not None:
            self._run += 1
            self._counting = True
            self.query_one(ProgressLine).show("pending", "Counting suggestions", 0, len(missing))
            self.count_pending(self.app.root, missing, self._run)

    @work(thread=True, exclusive=True, group="pending")
    def count_pending(self, root, transcript_ids: list[int], run: int = 0) -> None:
        """Count pending suggestions per transcript, posting each count as it comes (the engine may take seconds)."""
        from qualcode.project import Project

        project = Project(root)  # its own connection: a sqlite3 connection belongs to one thread
        complete = False
        try:
            for done, tid in enumerate(transcript_ids, 1):
                if get_current_worker().is_cancelled:
                    return
                try:
                    found = suggest.for_transcript(project, tid)
                except Exception:  # one transcript the engine cannot score must not stop the others
                    log.exception("counting suggestions failed for transcript %s", tid)
                    found = FAILED
                if found is None:
                    return
                count = len(found) if found is not FAILED else -1
                self.post_message(self.PendingCounted(run, tid, count, done, len(transcript_ids)))
            complete = True
        finally:
            project.close()
            self.post_message(self.CountingStopped(run, complete))

    def on_project_screen_pending_counted(self, message: PendingCounted) -> None:
        if message.run != self._run:
            return
        self.pending[message.transcript_id] = message.count
        self.query_one(ProgressLine).show("pending", "Counting suggestions", message.done, message.total)
        try:
            self.query_one(DataTable).update_cell(str(message.transcript_id), "Pending", _count_text(message.count))
        except Exception:  # the row may have gone after a refresh
            pass

    def on_project_screen_counting_stopped(self, message: CountingStopped) -> None:
        if message.run != self._run:
            return
        self._counting = False
        self.query_one(ProgressLine).finish("pending")
        if message.complete:  # transcripts imported or recounts asked for while this run went on
            self._count_missing()

    # -- import progress (the app runs the import) -----------------------------------------
    def show_import(self, status: tuple[str, int | None, int | None] | None) -> None:
        line = self.query_one(ProgressLine)
        if status is None:
            line.finish("import")
        else:
            line.show("import", *status)
