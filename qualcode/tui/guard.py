"""Actions that fail show one line and are logged; the app keeps running."""

from __future__ import annotations

import functools
import logging

log = logging.getLogger("qualcode.tui")


def report(app, error: BaseException) -> None:
    from qualcode.errors import QualcodeError

    if isinstance(error, QualcodeError):
        message = str(error)
        log.warning("action failed: %s", message)
    else:
        message = f"{type(error).__name__}: {error}"
        log.exception("action failed", exc_info=error)
    app.notify(message.splitlines()[0] if message else type(error).__name__, severity="error", timeout=6)


def guarded(func):
    """Wrap a screen or app method so an exception becomes a notification instead of a crash."""

    @functools.wraps(func)
    def wrapper(self, *args, **kwargs):
        try:
            return func(self, *args, **kwargs)
        except Exception as error:  # the UI must outlive any single failed action
            report(self.app, error)
            return None

    return wrapper
