"""A project folder: finding it, creating it, and its settings."""

from __future__ import annotations

import getpass
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import sqlite_utils

from qualcode import store
from qualcode.errors import QualcodeError

ENV_PROJECT = "QUALCODE_PROJECT"
ENV_CODER = "QUALCODE_CODER"
SUBDIRS = ("transcripts", "codebooks", "exports")
DEFAULTS = {
    "language": "sv",
    "threshold": 0.5,
    "attribution": "({site}, {role}, {organisation})",
}


@dataclass
class Project:
    """An open project: its folder and (lazily) its database connection."""

    root: Path
    _db: sqlite_utils.Database | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        self.root = Path(self.root)

    @property
    def db_path(self) -> Path:
        return self.root / store.DB_NAME

    @property
    def db(self) -> sqlite_utils.Database:
        if self._db is None:
            self._db = store.open_db(self.db_path)
        return self._db

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None

    def setting(self, key: str):
        return store.get_meta(self.db, key, DEFAULTS.get(key))

    def set_setting(self, key: str, value) -> None:
        with store.transaction(self.db):
            store.set_meta(self.db, key, value)

    @property
    def language(self) -> str:
        return self.setting("language")

    def coder(self, explicit: str | None = None) -> str:
        """The coder's name: `--coder`, then QUALCODE_CODER, then the project's default."""
        return explicit or os.environ.get(ENV_CODER) or self.setting("default_coder") or _login()

    def codebook_path(self) -> Path | None:
        name = self.setting("codebook")
        return self.root / "codebooks" / name if name else None


def _login() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name in some containers
        return "coder"


def is_project(path: Path) -> bool:
    return (path / store.DB_NAME).is_file()


def find_project(explicit: str | Path | None = None, cwd: Path | None = None) -> Project:
    """`--project DIR`, then QUALCODE_PROJECT, then walking up from the working directory."""
    for given, origin in ((explicit, "--project"), (os.environ.get(ENV_PROJECT), ENV_PROJECT)):
        if given:
            path = Path(given).expanduser()
            if not path.is_dir():
                raise QualcodeError(f"project folder does not exist (from {origin})", path)
            if not is_project(path):
                raise QualcodeError(
                    f"not a qualcode project (no {store.DB_NAME}); create one with: qualcode init {path}",
                    path,
                )
            return Project(path.resolve())
    here = (cwd or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if is_project(folder):
            return Project(folder)
    raise QualcodeError(
        "no qualcode project here or above; create one with `qualcode init DIR` "
        "or point to one with --project DIR",
        here,
    )


def init_project(
    root: str | Path,
    language: str = "sv",
    codebook: str | Path | None = None,
    coder: str | None = None,
) -> Project:
    """Create the folders and database; copy and load the codebook when given."""
    from qualcode import nlp

    root = Path(root).expanduser()
    if is_project(root):
        raise QualcodeError("already a qualcode project", root)
    if root.exists() and not root.is_dir():
        raise QualcodeError("exists and is not a folder", root)
    nlp.check_language(language)
    book = None
    if codebook is not None:
        from qualcode.codebook import load_codebook

        book = load_codebook(codebook)  # validate before creating anything
    root.mkdir(parents=True, exist_ok=True)
    for sub in SUBDIRS:
        (root / sub).mkdir(exist_ok=True)
    db = store.open_db(root / store.DB_NAME, create=True)
    with store.transaction(db):
        store.set_meta(db, "language", language)
        store.set_meta(db, "threshold", DEFAULTS["threshold"])
        store.set_meta(db, "attribution", DEFAULTS["attribution"])
        store.set_meta(db, "default_coder", coder or _login())
    project = Project(root.resolve(), db)
    if codebook is not None:
        source = Path(codebook)
        target = project.root / "codebooks" / source.name
        if source.resolve() != target.resolve():
            shutil.copyfile(source, target)
        from qualcode.codes import load_into_project

        load_into_project(project, target, book)
    return project
