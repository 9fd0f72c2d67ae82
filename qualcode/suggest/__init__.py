"""Code suggestions: indicator rules + a learned classifier, with evidence and a calibrated score."""

from qualcode.suggest.engine import (  # noqa: F401
    Suggestion,
    forget,
    set_threshold,
    suggest,
    suggest_for_segment,
    suggest_for_transcript,
    threshold,
)
from qualcode.suggest.review import accept, decisions, reject  # noqa: F401
from qualcode.suggest.training import train, train_in_background, training_due  # noqa: F401
