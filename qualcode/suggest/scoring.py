"""One calibrated score in [0, 1] per (segment, code), from indicator rules and the learned model.

Calibration:
- **Rules.** The raw rule weight w of a (segment, code) is the sum over the distinct
  indicator terms of that code found in the segment: 1.0 for a word or prefix match,
  1.5 for a phrase, 0.9 for a compound part, each divided by the number of codes that
  share the term. It is mapped to r = 1 - exp(-w / TAU): every independent piece of
  evidence removes the same share of the remaining doubt, so r rises quickly with the
  first terms and saturates below 1. With TAU = 1.5 one plain word gives 0.49, one
  compound part 0.45, a word shared by two codes 0.28, a phrase 0.63, two words 0.74:
  at the default threshold 0.5 a single everyday word ("chef", "tid", "möte", which
  small talk is full of) is listed only with --min-score 0, while two independent
  terms or one phrase are shown.
- **Model.** The classifier's probability p (textcat_multilabel, sigmoid output) is used
  for codes it was trained on with enough examples; it is blended with the rule score
  in proportion to how much the project has taught it about that code:
  lambda = n / (n + N_HALF), capped at LAMBDA_MAX, where n is the number of positive
  examples of the code; score = (1 - lambda) * r + lambda * p. With few examples the
  rules dominate; with many, the researcher's own coding does. A code without
  indicators is scored by the model alone (score = p) once it has examples.
- **Threshold.** Suggestions at or above the project threshold (meta key `threshold`)
  are shown. TAU and DEFAULT_THRESHOLD were chosen with benchmarks/bench_quality.py:
  0.5 is the round value at or above the lowest threshold that keeps false alarms
  on small talk at or under 10% (measured 0.49 with TAU = 1.5; with TAU = 1.2 it was
  0.57 and 0.5 let 21% of small talk through).
"""

from __future__ import annotations

import math

TAU = 1.5
N_HALF = 8.0
LAMBDA_MAX = 0.7
DEFAULT_THRESHOLD = 0.5


def rule_score(raw: float) -> float:
    return 1.0 - math.exp(-raw / TAU) if raw > 0 else 0.0


def model_weight(positives: int) -> float:
    if positives <= 0:
        return 0.0
    return min(LAMBDA_MAX, positives / (positives + N_HALF))


def combine(raw: float, p: float | None, positives: int, has_rules: bool) -> float:
    """The shown score for one (segment, code)."""
    r = rule_score(raw)
    if p is None:
        return r
    if not has_rules:
        return float(p)
    lam = model_weight(positives)
    return (1.0 - lam) * r + lam * float(p)


def clamp_threshold(value) -> float:
    from qualcode.errors import QualcodeError

    try:
        x = float(value)
    except (TypeError, ValueError):
        raise QualcodeError(f"threshold must be a number between 0 and 1, not {value!r}") from None
    if not 0.0 <= x <= 1.0 or math.isnan(x):
        raise QualcodeError(f"threshold must be between 0 and 1, not {value}")
    return x
