"""Where exports go: default names under exports/, never overwriting silently."""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path

from qualcode.errors import QualcodeError


def default_output(root: str | Path, what: str, suffix: str, when: datetime | None = None) -> tuple[Path, str]:
    """`exports/qualcode-<what>-YYYY-MM-DD-HHMM<suffix>`, with `-2`, `-3`... if that name is taken.

    Returns the path and, when a number was added, the name that was taken (to tell the user)."""
    stamp = (when or datetime.now()).strftime("%Y-%m-%d-%H%M")
    folder = Path(root) / "exports"
    base = f"qualcode-{what}-{stamp}"
    path = folder / f"{base}{suffix}"
    n = 2
    while path.exists():  # a default name never replaces an earlier export: it gets a suffix
        path = folder / f"{base}-{n}{suffix}"
        n += 1
    return path, (f"{base}{suffix}" if n > 2 else "")


def check_output(path: str | Path, force: bool = False, suffixes: tuple[str, ...] = ()) -> Path:
    """Refuse an output path before any work is done: existing (without force), or not writable."""
    path = Path(path)
    if suffixes and path.suffix.lower() not in suffixes:
        raise QualcodeError(f"output file should end in {' or '.join(suffixes)}", path)
    if path.is_dir():
        raise QualcodeError("is a folder; give a file name", path)
    if path.exists() and not force:
        raise QualcodeError("already exists; use --force to replace it or choose another name", path)
    parent = path.parent
    if not parent.is_dir():
        raise QualcodeError("cannot write here: the folder does not exist", path)
    if not os.access(parent, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        raise QualcodeError("cannot write here: permission denied", path)
    return path
