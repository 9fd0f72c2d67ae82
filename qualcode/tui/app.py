"""The qualcode terminal app: screens as modes, global keys, the palette, and watching the store."""

from __future__ import annotations

import logging
from pathlib import Path

from textual import work
from textual.app import App
from textual.binding import Binding
from textual.message import Message

from qualcode.project import Project
from qualcode.tui.commands import ActionCommands
from qualcode.tui.dialogs.prompt import PromptDialog
from qualcode.tui.dialogs.search import SearchDialog
from qualcode.tui.guard import guarded, report
from qualcode.tui.keymap import load_keymap
from qualcode.tui.screens.agreement import AgreementScreen
from qualcode.tui.screens.codebook import CodebookScreen
from qualcode.tui.screens.coding import CodingScreen
from qualcode.tui.screens.excerpts import ExcerptsScreen
from qualcode.tui.screens.help import HelpScreen
from qualcode.tui.screens.project import ProjectScreen
from qualcode.tui.screens.too_small import MIN_HEIGHT, MIN_WIDTH, TooSmallScreen

log = logging.getLogger("qualcode.tui")
LOG_NAME = "qualcode-tui.log"


def _b(key, action, description, id, show=True, key_display=None, priority=False):
    return Binding(key, action, description, show=show, id=f"app.{id}", key_display=key_display, priority=priority)


class QualcodeApp(App):
    """One project; state shared by the screens lives here (project, coder, open transcript)."""

    CSS_PATH = "app.tcss"
    TITLE = "qualcode"
    COMMANDS = App.COMMANDS | {ActionCommands}
    MODES = {"project": ProjectScreen, "coding": CodingScreen, "codebook": CodebookScreen, "excerpts": ExcerptsScreen,
             "agreement": AgreementScreen}
    DEFAULT_MODE = "project"
    BINDINGS = [
        _b("question_mark,f1", "help", "Help", "help", key_display="?"),
        _b("p,f2", "mode('project')", "Project", "project", show=False, key_display="p"),   # q goes back there too
        _b("o,f3", "mode('coding')", "Coding", "coding", show=False, key_display="o"),
        _b("b,f4", "mode('codebook')", "Codebook", "codebook", key_display="b"),
        _b("e,f5", "mode('excerpts')", "Excerpts", "excerpts", key_display="e"),
        # Help names f6: on the excerpts screen r clears the filters, so only f6 works everywhere.
        # Not in the footer, which has no room for it beside the coding keys at 120 columns.
        _b("r,f6", "mode('agreement')", "Compare coders", "compare", show=False, key_display="f6"),
        _b("q", "back", "Back / quit", "back"),
        _b("F", "search_all", "Search all transcripts", "search-all", show=False),
        _b("ctrl+u", "switch_coder", "Switch coder", "coder", show=False),
        _b("ctrl+l", "refresh_data", "Refresh", "refresh", show=False),
        _b("I", "import", "Import transcripts", "import", show=False),
    ]

    class ImportDone(Message):
        def __init__(self, lines: list[str], error: str | None) -> None:
            super().__init__()
            self.lines = lines
            self.error = error

    class ImportProgress(Message):
        """How far the import is: files done of total (done None: the count is not known yet)."""

        def __init__(self, label: str, done: int | None, total: int | None) -> None:
            super().__init__()
            self.label = label
            self.done = done
            self.total = total

    def __init__(self, root: Path, *, coder: str | None = None, watch_interval: float = 2.0, log_file: bool = True,
                 keymap: bool = True):
        super().__init__()
        self.root = Path(root).resolve()
        self.project = Project(self.root)
        # The user's keys (keymap.yaml): binding id -> keys; Help and the palette show them.
        self.user_keymap: dict[str, str] = {}
        self._keymap_problems: list[str] = []
        self._clashes_told: set[frozenset] = set()
        if keymap:
            self.user_keymap, self._keymap_problems = load_keymap(self.root)
            self.set_keymap(self.user_keymap)
        self.coder = self.project.coder(coder)
        self.current_transcript: tuple[int, int | None] | None = None
        self.pending_counts: dict[int, int] = {}   # transcript id -> pending suggestions (project screen)
        self.import_status: tuple[str, int | None, int | None] | None = None
        self.positions: dict[int, int] = {}   # last segment per transcript, for coming back
        self.watch_interval = watch_interval
        self._data_version: int | None = None
        self._texts: list[tuple[int, str, str]] | None = None
        self._log_handler = None
        if log_file:
            self._log_handler = logging.FileHandler(self.root / LOG_NAME, delay=True, encoding="utf-8")
            self._log_handler.setLevel(logging.WARNING)
            self._log_handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
            log.addHandler(self._log_handler)

    # -- life cycle -------------------------------------------------------------------------
    def on_mount(self) -> None:
        self._show_sub_title()
        self._data_version = self._read_data_version()
        if self.watch_interval:
            self.set_interval(self.watch_interval, self.check_external_changes)
        self._check_size()
        self.call_after_refresh(self._warm_up)
        for problem in self._keymap_problems:
            log.warning("keymap: %s", problem)
            self.notify(problem, severity="warning", timeout=10)

    def handle_bindings_clash(self, clashed_bindings, node) -> None:
        """A keymap key took a key another binding had: say so once, the keymap's binding wins."""
        lost = frozenset(b.id or b.action for b in clashed_bindings)
        if lost and lost not in self._clashes_told:
            self._clashes_told.add(lost)
            names = ", ".join(sorted(f"{b.description or b.action} ({b.key})" for b in clashed_bindings))
            self.notify(f"keymap: these keys now do something else: {names}", severity="warning", timeout=8)

    def _warm_up(self) -> None:
        """Compose the coding screen while the user reads the project list, so opening is quick."""
        try:
            self._init_mode("coding")   # textual is pinned exactly; this private call may change
        except Exception as error:
            log.info("could not prepare the coding screen early: %s", error)

    def on_unmount(self) -> None:
        if self._log_handler is not None:
            log.removeHandler(self._log_handler)
            self._log_handler.close()
        self.project.close()

    def on_resize(self) -> None:
        self._check_size()

    def _check_size(self) -> None:
        small = self.size.width < MIN_WIDTH or self.size.height < MIN_HEIGHT
        showing = isinstance(self.screen, TooSmallScreen)
        if small and not showing:
            self.push_screen(TooSmallScreen())
        elif not small and showing:
            self.pop_screen()

    # -- watching the store -----------------------------------------------------------------
    def _read_data_version(self) -> int:
        return self.project.db.execute("PRAGMA data_version").fetchone()[0]

    def check_external_changes(self) -> None:
        """Another process committed (data_version moved): reload what the screen shows."""
        try:
            version = self._read_data_version()
        except Exception as error:  # a locked or vanished file: try again next tick
            log.warning("cannot read data_version: %s", error)
            return
        if version != self._data_version:
            self._data_version = version
            self._texts = None
            self._refresh_screen()

    def _refresh_screen(self) -> None:
        refresh = getattr(self.screen, "refresh_data", None)
        if refresh is not None:
            try:
                refresh()
            except Exception as error:
                report(self, error)

    # -- navigation -------------------------------------------------------------------------
    def open_transcript(self, transcript_id: int, offset: int | None = None) -> None:
        self.current_transcript = (transcript_id, offset)
        if self.current_mode == "coding" and isinstance(self.screen, CodingScreen):
            self.screen.load(transcript_id, offset)
        else:
            self.switch_mode("coding")

    def action_mode(self, mode: str) -> None:
        if self.current_mode != mode:
            self.switch_mode(mode)

    def action_back(self) -> None:
        if len(self.screen_stack) > 1:
            self.pop_screen()
        elif self.current_mode != "project":
            self.switch_mode("project")
        else:
            self.exit()

    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def action_refresh_data(self) -> None:
        self._texts = None
        self._data_version = self._read_data_version()
        self.pending_counts.clear()   # counted again when the project screen shows
        self._refresh_screen()
        self.notify("Refreshed from the project database.", timeout=2)

    # -- coder ------------------------------------------------------------------------------
    def action_switch_coder(self) -> None:
        names = [r[0] for r in self.project.db.execute("SELECT name FROM coders ORDER BY name")]
        self.push_screen(PromptDialog(f"Switch coder (now {self.coder})", "", names, "name"), self.set_coder)

    @guarded
    def set_coder(self, name: str | None) -> None:
        if not name:
            return
        self.coder = name
        self._show_sub_title()
        self._refresh_screen()
        self.notify(f"Coding as {name}; undo and redo follow this coder.")

    # -- search across transcripts ----------------------------------------------------------
    def action_search_all(self) -> None:
        self.push_screen(SearchDialog("Search all transcripts", self.find_everywhere), self._found)

    def find_everywhere(self, query: str) -> list:
        import re

        if self._texts is None:
            self._texts = self.project.db.execute("SELECT id, name, text FROM transcripts ORDER BY name").fetchall()
        pattern = re.compile(re.escape(query), re.IGNORECASE)
        hits = []
        for tid, name, text in self._texts:
            for m in pattern.finditer(text):
                context = text[max(0, m.start() - 30):m.end() + 40].replace("\n", " ")
                hits.append((f"{name}: …{context}…", (tid, m.start())))
        return hits

    def _found(self, hit) -> None:
        if hit is not None:
            self.open_transcript(*hit)

    # -- import -----------------------------------------------------------------------------
    def action_import(self) -> None:
        self.push_screen(PromptDialog("Import transcripts (file or folder)", placeholder="path"), self._import)

    def _import(self, path: str | None) -> None:
        if path:
            self.notify(f"Importing {path}… (progress on the project screen)", timeout=3)
            self.import_worker(self.root, path)

    def import_path(self, path: str) -> Path:
        """A typed path: as given, else relative to the project folder (where a researcher keeps interviews)."""
        given = Path(path.strip()).expanduser()
        if not given.is_absolute() and not given.exists() and (self.root / given).exists():
            return self.root / given
        return given

    @work(thread=True, exclusive=True, group="import")
    def import_worker(self, root: Path, path: str) -> None:
        from qualcode.ingest import expand_paths, import_paths

        project = Project(root)
        try:
            target = self.import_path(path)
            total = len(expand_paths([target]))   # bad paths fail here, before any work
            label = f"Importing {total} file{'s' if total != 1 else ''}"
            self.post_message(self.ImportProgress(label, None, total))
            report_ = import_paths(
                project, [target],
                progress=lambda done, todo, _name: self.post_message(self.ImportProgress(label, done, todo)),
            )
            self.post_message(self.ImportDone(report_.lines(), None))
        except Exception as error:  # shown as one line on the main thread
            log.warning("import failed: %s", error)
            self.post_message(self.ImportDone([], str(error).splitlines()[0] if str(error) else type(error).__name__))
        finally:
            project.close()

    def on_qualcode_app_import_progress(self, message: ImportProgress) -> None:
        self._show_import((message.label, message.done, message.total))

    def _show_import(self, status: tuple[str, int | None, int | None] | None) -> None:
        self.import_status = status
        self._show_sub_title()
        show = getattr(self.screen, "show_import", None)
        if show is not None:
            show(status)

    def _show_sub_title(self) -> None:
        """The project and the coder, and the import while one runs."""
        name = f"{self.root.name} · coder {self.coder}"
        status = self.import_status
        self.sub_title = name if status is None else f"{name} · {status[0].lower()}…"

    def on_qualcode_app_import_done(self, message: ImportDone) -> None:
        self._show_import(None)
        if message.error:
            self.notify(message.error, severity="error")
        else:
            self.notify("\n".join(message.lines[:8]) or "nothing imported")
        self._texts = None
        self._refresh_screen()


def create_app(root: Path, **options) -> QualcodeApp:
    """Build the app for a project folder (tests pass a temporary project)."""
    return QualcodeApp(Path(root), **options)


def run_app(root: Path) -> None:
    """Open the terminal UI on the project folder."""
    create_app(root).run()
