"""Inter-coder agreement maths: percent agreement, Cohen's kappa and Krippendorff's alpha (nominal)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass

# (value given by coder A, value given by coder B) -> number of units with that pair.
Table = Mapping[tuple[Hashable, Hashable], int]

NO_UNITS = "no unit has a value from both coders"
KAPPA_NO_VARIATION = "both coders used one and the same value for every unit, so chance agreement is 1"
ALPHA_NO_VARIATION = "only one value occurs across all units (no variation), so expected disagreement is 0"


@dataclass(frozen=True)
class Stat:
    """A statistic's value, or None with the reason it is undefined (never a made-up 0 or 1)."""

    value: float | None
    reason: str | None = None


def crosstab(a: Sequence, b: Sequence) -> Counter:
    """Count the (A, B) value pairs of two parallel sequences; units where a coder gave None are left out."""
    if len(a) != len(b):
        raise ValueError(f"the coders' sequences differ in length ({len(a)} and {len(b)})")
    return Counter((x, y) for x, y in zip(a, b) if x is not None and y is not None)


def binary_table(both: int, only_a: int, only_b: int, neither: int) -> dict[tuple[int, int], int]:
    """The 2x2 table of a yes/no decision (1 = coded) from its four counts."""
    return {(1, 1): both, (1, 0): only_a, (0, 1): only_b, (0, 0): neither}


def _margins(table: Table) -> tuple[int, int, Counter, Counter]:
    n = agree = 0
    by_a: Counter = Counter()
    by_b: Counter = Counter()
    for (x, y), count in table.items():
        n += count
        by_a[x] += count
        by_b[y] += count
        if x == y:
            agree += count
    return n, agree, by_a, by_b


# Each statistic is one ratio of integers, divided once at the end: exact up to that final rounding.


def percent_from_table(table: Table) -> Stat:
    """Share of units on which the coders agree, in percent (0-100)."""
    n, agree, _, _ = _margins(table)
    if n == 0:
        return Stat(None, NO_UNITS)
    return Stat(100 * agree / n)


def kappa_from_table(table: Table) -> Stat:
    """Cohen's kappa (1960): (p_o - p_e) / (1 - p_e), p_e from each coder's own marginals."""
    n, agree, by_a, by_b = _margins(table)
    if n == 0:
        return Stat(None, NO_UNITS)
    chance = sum(count * by_b[value] for value, count in by_a.items())  # n^2 * p_e
    denominator = n * n - chance  # n^2 * (1 - p_e)
    if denominator == 0:
        return Stat(None, KAPPA_NO_VARIATION)
    return Stat((n * agree - chance) / denominator)


def alpha_from_table(table: Table) -> Stat:
    """Krippendorff's alpha for nominal data and two coders: 1 - (n - 1) * D_o / D_e over the coincidence matrix."""
    units, agree, by_a, by_b = _margins(table)
    if units == 0:
        return Stat(None, NO_UNITS)
    n = 2 * units  # pairable values: each unit contributes one value per coder
    values = by_a + by_b  # n_c, the coincidence matrix's margins
    disagreements = 2 * (units - agree)  # sum of o_ck for c != k
    expected = n * n - sum(count * count for count in values.values())  # sum of n_c * n_k for c != k
    if expected == 0:
        return Stat(None, ALPHA_NO_VARIATION)
    return Stat((expected - (n - 1) * disagreements) / expected)


def percent_agreement(a: Sequence, b: Sequence) -> Stat:
    """Percent agreement of two parallel sequences (None = missing, left out)."""
    return percent_from_table(crosstab(a, b))


def cohen_kappa(a: Sequence, b: Sequence) -> Stat:
    """Cohen's kappa of two parallel nominal sequences (None = missing, unit left out)."""
    return kappa_from_table(crosstab(a, b))


def krippendorff_alpha(a: Sequence, b: Sequence) -> Stat:
    """Krippendorff's alpha (nominal) of two coders; a unit with a None is not pairable and adds nothing."""
    return alpha_from_table(crosstab(a, b))


def binary_figures(both: int, only_a: int, only_b: int, neither: int) -> dict:
    """Every figure reported for one yes/no decision, also restricted to units at least one coder coded."""
    units = both + only_a + only_b + neither
    table = binary_table(both, only_a, only_b, neither)
    return {
        "units": units,
        "coded_a": both + only_a,
        "coded_b": both + only_b,
        "coded_both": both,
        "coded_neither": neither,
        "neither_share": neither / units if units else None,
        **_stats(table, empty="no units to compare"),
        "restricted": {
            "units": units - neither,
            "coded_a": both + only_a,
            "coded_b": both + only_b,
            "coded_both": both,
            **_stats(binary_table(both, only_a, only_b, 0), empty="neither coder coded any unit"),
        },
    }


def _stats(table: Table, empty: str) -> dict:
    kappa, alpha = kappa_from_table(table), alpha_from_table(table)
    if kappa.reason == NO_UNITS:  # say what "no units" means for a yes/no decision
        kappa = alpha = Stat(None, empty)
    return {
        "percent_agreement": percent_from_table(table).value,
        "kappa": kappa.value,
        "alpha": alpha.value,
        "kappa_reason": kappa.reason,
        "alpha_reason": alpha.reason,
    }


def compute_agreement(db, coders: tuple[str, str], unit: str = "segment", transcripts=None, codes=None,
                      per_transcript: bool = False) -> dict:
    """Agreement between two coders in a project's store; see `qualcode.agreement_units.compute_agreement`."""
    from qualcode.agreement_units import compute_agreement as compute

    return compute(db, coders, unit=unit, transcripts=transcripts, codes=codes, per_transcript=per_transcript)
