"""Writing files safely: beside the target and renamed into place, so a failure leaves no half file."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

from qualcode.errors import QualcodeError


def write_atomically(path: str | Path, write: Callable[[Path], None]) -> Path:
    """Call `write(tmp)` beside `path`, then rename, so a failed write leaves no half file."""
    path = Path(path)
    try:
        fd, tmp = tempfile.mkstemp(prefix=".qualcode-", suffix=path.suffix, dir=path.parent)
    except OSError as error:
        raise QualcodeError(f"cannot write here: {error.strerror or error}", path) from None
    os.close(fd)
    try:
        write(Path(tmp))
        os.chmod(tmp, 0o644)  # mkstemp makes it private; an export or codebook is an ordinary document
        os.replace(tmp, path)
    except OSError as error:
        raise QualcodeError(f"cannot write here: {error.strerror or error}", path) from None
    finally:
        Path(tmp).unlink(missing_ok=True)
    return path


@contextlib.contextmanager
def replace_when_done(staged: Path | None, target: Path) -> Iterator[None]:
    """Move the `staged` file onto `target` once the block succeeds; remove it if the block fails.

    For a file that must change together with the store: it is written beside the target
    first and only takes the target's place after the transaction has committed.
    """
    try:
        yield
    except BaseException:
        if staged is not None:
            staged.unlink(missing_ok=True)
        raise
    if staged is not None:
        os.replace(staged, target)
