"""The excerpts screen: coded excerpts filtered by code and attributes, and a code-by-attribute matrix."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Label, Select, Static, TabbedContent, TabPane

from qualcode.excerpts import excerpts, matrix
from qualcode.tui.cells import one_line
from qualcode.tui.codeinfo import load_codes
from qualcode.tui.guard import guarded

# (filter id, excerpt row key, excerpts() keyword)
FILTERS = (
    ("code", "code", "codes"), ("site", "site", "sites"), ("organisation", "organisation", "organisations"),
    ("role", "role", "roles"), ("speaker", "speaker", "speakers"), ("coder", "coder", "coders"),
)
MATRIX_COLUMNS = ("site", "organisation", "role", "speaker", "coder", "transcript")
TEXT_WIDTH = 70


class ExcerptsScreen(Screen):
    BINDINGS = [
        Binding("enter", "jump", "Go to excerpt / open cell", id="excerpts.jump", show=True),
        Binding("t", "toggle_tab", "Excerpts ⇄ matrix", id="excerpts.toggle", show=True),
        Binding("r", "clear_filters", "Clear filters", id="excerpts.clear", show=True),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[dict] = []
        self.shown: list[dict] = []
        self.extra: dict[str, str] = {}   # a matrix column filter not among FILTERS (e.g. transcript)
        self._filling = False

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="excerpt-filters"):
            for fid, _key, _kw in FILTERS:
                yield Select([], prompt=f"{fid}: all", id=f"filter-{fid}", allow_blank=True, compact=True)
            yield Select([(c, c) for c in MATRIX_COLUMNS], value="site", allow_blank=False,
                         id="matrix-column", compact=True)
        with TabbedContent(id="excerpt-tabs", initial="tab-excerpts"):
            with TabPane("Excerpts", id="tab-excerpts"):
                yield DataTable(id="excerpt-table", cursor_type="row", zebra_stripes=True)
                yield Static("", id="excerpt-detail")
            with TabPane("Matrix", id="tab-matrix"):
                yield Label("", id="matrix-caption")
                yield DataTable(id="matrix-table", cursor_type="cell")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        table = self.query_one("#excerpt-table", DataTable)
        for name in ("Code", "Attribution", "Speaker", "Transcript", "Excerpt"):
            table.add_column(name, key=name)

    def on_screen_resume(self) -> None:
        self.refresh_data()

    @guarded
    def refresh_data(self) -> None:
        db = self.app.project.db
        self.codes = load_codes(db)
        self.rows = excerpts(db)
        self._fill_selects()
        self.apply_filters()

    def _fill_selects(self) -> None:
        self._filling = True
        try:
            for fid, key, _kw in FILTERS:
                select = self.query_one(f"#filter-{fid}", Select)
                values = sorted({r[key] for r in self.rows if r.get(key)}, key=str)
                if fid == "code":
                    options = [(self.codes.label(v), v) for v in values]
                else:
                    options = [(str(v), v) for v in values]
                current = select.value
                select.set_options(options)
                if current in values:
                    select.value = current
        finally:
            self._filling = False

    def filters(self) -> dict[str, str]:
        out = {}
        for fid, _key, _kw in FILTERS:
            value = self.query_one(f"#filter-{fid}", Select).value
            if value is not Select.NULL and value is not None:
                out[fid] = value
        return {**out, **self.extra}

    def set_filter(self, fid: str, value) -> None:
        """Set one filter (a value of None clears it); tests and matrix cells use this."""
        if fid in dict((f, f) for f, _k, _w in FILTERS):
            select = self.query_one(f"#filter-{fid}", Select)
            select.value = Select.NULL if value is None else value
        elif value is None:
            self.extra.pop(fid, None)
        else:
            self.extra[fid] = value

    @on(Select.Changed)
    def _changed(self, event: Select.Changed) -> None:
        if not self._filling:
            self.apply_filters()

    def apply_filters(self) -> None:
        want = self.filters()
        self.shown = [r for r in self.rows if all(_value(r, k) == v for k, v in want.items())]
        table = self.query_one("#excerpt-table", DataTable)
        table.clear()
        for i, r in enumerate(self.shown):
            code = Text.assemble(("█ ", self.codes.color(r["code"])), self.codes.label(r["code"]))
            table.add_row(code, r["attribution"], r["speaker"] or "", r["transcript"],
                          one_line(r["text"] or "", TEXT_WIDTH), key=str(i))
        self._detail(0)
        self._matrix(want)

    def _matrix(self, want: dict) -> None:
        column = self.query_one("#matrix-column", Select).value
        rows = [r for r in self.rows if all(_value(r, k) == v for k, v in want.items() if k != "code")]
        row_values, col_values, cells = matrix(rows, row_key="code", col_key=column)
        table = self.query_one("#matrix-table", DataTable)
        table.clear(columns=True)
        table.add_column("code", key="code")
        for value in col_values:
            table.add_column(str(value), key=str(value))
        table.add_column("total", key="__total")
        self.matrix_rows, self.matrix_cols = row_values, col_values
        for code in row_values:
            counts = [cells.get((code, v), 0) for v in col_values]
            table.add_row(self.codes.label(code), *[str(n) if n else "·" for n in counts], str(sum(counts)), key=code)
        shown_filters = ", ".join(f"{k}={v}" for k, v in want.items() if k != "code") or "all excerpts"
        self.query_one("#matrix-caption", Label).update(
            f"codings by code × {column} ({shown_filters}); enter on a cell lists its excerpts")

    @on(DataTable.RowHighlighted, "#excerpt-table")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._detail(event.cursor_row)

    def _detail(self, index: int) -> None:
        detail = self.query_one("#excerpt-detail", Static)
        if not self.shown:
            detail.update(Text("No excerpts match these filters (r clears them).", style="dim"))
            return
        r = self.shown[min(index, len(self.shown) - 1)]
        text = Text()
        text.append("█ ", style=self.codes.color(r["code"]))
        text.append(self.codes.label(r["code"]), style="bold")
        text.append(f"  {r['attribution']}  {r['transcript']} turn {r['turn']}", style="dim")
        text.append(f"  coder {r['coder']}", style="dim")
        text.append(f"\n{(r['text'] or '').strip()}")
        if r.get("memo"):
            text.append(f"\n✎ {r['memo']}", style="italic yellow")
        detail.update(text)

    def action_toggle_tab(self) -> None:
        tabs = self.query_one(TabbedContent)
        tabs.active = "tab-matrix" if tabs.active == "tab-excerpts" else "tab-excerpts"
        self.query_one("#matrix-table" if tabs.active == "tab-matrix" else "#excerpt-table").focus()

    def action_clear_filters(self) -> None:
        self.extra.clear()
        self._filling = True
        try:
            for fid, _k, _w in FILTERS:
                self.query_one(f"#filter-{fid}", Select).value = Select.NULL
        finally:
            self._filling = False
        self.apply_filters()

    def action_jump(self) -> None:
        if self.query_one(TabbedContent).active == "tab-matrix":
            table = self.query_one("#matrix-table", DataTable)
            self.open_cell(table.cursor_row, table.cursor_column)
            return
        table = self.query_one("#excerpt-table", DataTable)
        if self.shown and table.cursor_row is not None:
            r = self.shown[table.cursor_row]
            self.app.open_transcript(r["transcript_id"], r["start"])

    @on(DataTable.RowSelected, "#excerpt-table")
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        r = self.shown[event.cursor_row]
        self.app.open_transcript(r["transcript_id"], r["start"])

    @on(DataTable.CellSelected, "#matrix-table")
    def _cell_selected(self, event: DataTable.CellSelected) -> None:
        self.open_cell(event.coordinate.row, event.coordinate.column)

    def open_cell(self, row: int, column: int) -> None:
        """List the excerpts counted in a matrix cell (the code column or total: the whole row)."""
        if not self.matrix_rows or row >= len(self.matrix_rows):
            return
        col_key = self.query_one("#matrix-column", Select).value
        self.set_filter("code", self.matrix_rows[row])
        if 1 <= column <= len(self.matrix_cols):
            value = self.matrix_cols[column - 1]
            self.set_filter(col_key, None if value == "(none)" else value)
        self.apply_filters()
        self.query_one(TabbedContent).active = "tab-excerpts"
        self.query_one("#excerpt-table").focus()


def _value(row: dict, key: str):
    if key in row and key != "attributes":
        return row[key]
    return row.get("attributes", {}).get(key)
