"""The one error type for bad input, rendered as a single `FILE:LINE: problem` line."""

from __future__ import annotations

from pathlib import Path


class QualcodeError(Exception):
    """Bad input or a refused action. `str()` is the line the user sees."""

    def __init__(self, message: str, path: str | Path | None = None, line: int | None = None):
        super().__init__(message)
        self.message = message
        self.path = str(path) if path is not None else None
        self.line = line

    def __str__(self) -> str:
        where = ""
        if self.path:
            where = self.path + (f":{self.line}" if self.line else "") + ": "
        return where + self.message
