"""A thin, forgiving adapter over qualcode.suggest.engine (which may be absent or fail)."""

from __future__ import annotations

import logging
from dataclasses import dataclass

log = logging.getLogger("qualcode.tui")


@dataclass(frozen=True)
class Suggestion:
    code: str
    score: float
    evidence: object
    start: int
    end: int


def engine():
    """The suggestion engine module, or None when it is not installed or does not import."""
    try:
        from qualcode.suggest import engine as module
    except Exception as error:  # a missing or broken engine must not break coding
        log.info("suggestions unavailable: %s", error)
        return None
    return module


def _function(name: str):
    """`name` from the engine module, else from the qualcode.suggest package; None if neither has it."""
    module = engine()
    if module is None:
        return None
    found = getattr(module, name, None)
    if found is None:
        try:
            import qualcode.suggest as package

            found = getattr(package, name, None)
        except Exception:
            found = None
    return found


def for_transcript(project, transcript_id: int) -> list[Suggestion] | None:
    """Pending suggestions for a transcript (run in a worker with its own Project); None if unavailable."""
    module = engine()
    if module is None or not hasattr(module, "suggest_for_transcript"):
        return None
    found = module.suggest_for_transcript(project, transcript_id)
    if isinstance(found, dict):
        found = [s for group in found.values() for s in group]
    return [_normalise(s) for s in found or ()]


def _normalise(s) -> Suggestion:
    get = (lambda k: s.get(k)) if isinstance(s, dict) else (lambda k: getattr(s, k, None))
    code = get("code")
    code = code if isinstance(code, str) else getattr(code, "id", str(code))
    return Suggestion(code, float(get("score") or 0.0), get("evidence"), int(get("start")), int(get("end")))


def accept(project, transcript_id: int, s: Suggestion, coder: str) -> None:
    function = _function("accept")
    if function is not None:
        function(project, transcript_id, s.start, s.end, s.code, coder)
        return
    from qualcode.coding import add_coding

    add_coding(project.db, transcript_id, s.start, s.end, s.code, coder, from_suggestion=True)


def reject(project, transcript_id: int, s: Suggestion, coder: str) -> None:
    function = _function("reject")
    if function is not None:
        function(project, transcript_id, s.start, s.end, s.code, coder)
        return
    from qualcode import store

    with store.transaction(project.db):
        project.db.execute(
            "INSERT OR REPLACE INTO suggestion_decisions VALUES (?, ?, ?, ?, 'rejected', ?, ?)",
            [transcript_id, s.start, s.end, s.code, coder, store.now()],
        )
