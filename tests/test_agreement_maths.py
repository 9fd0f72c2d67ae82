"""Agreement maths against reference implementations and published worked examples."""

from __future__ import annotations

import math

import krippendorff
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qualcode.agreement import (
    Stat,
    binary_figures,
    cohen_kappa,
    crosstab,
    krippendorff_alpha,
    percent_agreement,
)

TOLERANCE = 1e-9


def textbook_kappa(a, b):
    """Cohen's kappa as textbooks write it: (p_o - p_e) / (1 - p_e), in floats; None if 1 - p_e is 0."""
    pairs = [(x, y) for x, y in zip(a, b) if x is not None and y is not None]
    n = len(pairs)
    if n == 0:
        return None
    p_o = sum(1 for x, y in pairs if x == y) / n
    categories = {x for x, _ in pairs} | {y for _, y in pairs}
    p_e = sum((sum(1 for x, _ in pairs if x == c) / n) * (sum(1 for _, y in pairs if y == c) / n) for c in categories)
    if 1 - p_e == 0:
        return None
    return (p_o - p_e) / (1 - p_e)


def reference_alpha(a, b):
    """The `krippendorff` package's nominal alpha; None where it refuses or returns NaN (undefined)."""
    data = [[np.nan if x is None else x for x in a], [np.nan if y is None else y for y in b]]
    try:
        with np.errstate(invalid="ignore", divide="ignore"):
            value = krippendorff.alpha(reliability_data=data, level_of_measurement="nominal")
    except (ValueError, ZeroDivisionError):
        return None
    return None if math.isnan(value) else float(value)


def codings(max_size=60, missing=True):
    """Two coders' parallel nominal codings of the same units, sometimes with missing values."""
    value = st.integers(0, 3)
    cell = st.one_of(st.none(), value) if missing else value
    return st.integers(0, max_size).flatmap(
        lambda n: st.tuples(st.lists(cell, min_size=n, max_size=n), st.lists(cell, min_size=n, max_size=n))
    )


@settings(max_examples=400, deadline=None)
@given(codings())
def test_kappa_matches_textbook_formula(pair):
    a, b = pair
    ours, reference = cohen_kappa(a, b), textbook_kappa(a, b)
    if reference is None:
        assert ours.value is None and ours.reason
    else:
        assert ours.reason is None
        assert ours.value == pytest.approx(reference, abs=TOLERANCE)


@settings(max_examples=400, deadline=None)
@given(codings())
def test_alpha_matches_krippendorff_package(pair):
    a, b = pair
    ours, reference = krippendorff_alpha(a, b), reference_alpha(a, b)
    if reference is None:
        assert ours.value is None and ours.reason
    else:
        assert ours.reason is None
        assert ours.value == pytest.approx(reference, abs=TOLERANCE)


@settings(max_examples=200, deadline=None)
@given(codings(missing=False))
def test_binary_decisions_match_references(pair):
    """The count-based figures used for the store equal the references on the 0/1 vectors."""
    a, b = ([min(v, 1) for v in seq] for seq in pair)
    table = crosstab(a, b)
    figures = binary_figures(table[1, 1], table[1, 0], table[0, 1], table[0, 0])
    for name, reference in (("kappa", textbook_kappa(a, b)), ("alpha", reference_alpha(a, b))):
        if reference is None:
            assert figures[name] is None and figures[f"{name}_reason"]
        else:
            assert figures[name] == pytest.approx(reference, abs=TOLERANCE)
    agree = sum(x == y for x, y in zip(a, b))
    assert figures["percent_agreement"] == (pytest.approx(100 * agree / len(a)) if a else None)
    coded = [(x, y) for x, y in zip(a, b) if x or y]
    restricted = figures["restricted"]
    assert restricted["units"] == len(coded)
    ra, rb = [x for x, _ in coded], [y for _, y in coded]
    for name, reference in (("kappa", textbook_kappa(ra, rb)), ("alpha", reference_alpha(ra, rb))):
        if reference is None:
            assert restricted[name] is None and restricted[f"{name}_reason"]
        else:
            assert restricted[name] == pytest.approx(reference, abs=TOLERANCE)


def test_krippendorff_2011_binary_two_observers():
    """Krippendorff, K. (2011). Computing Krippendorff's Alpha-Reliability. Annenberg School for
    Communication, University of Pennsylvania. Section A: binary data, two observers, no missing
    data (Ben and Gerry, 10 units): o_00 = 10, o_01 = o_10 = 4, o_11 = 2, n_0 = 14, n_1 = 6,
    alpha = 1 - (20 - 1) * 4 / (14 * 6) = 0.095."""
    ben = [0, 1, 0, 0, 0, 0, 0, 0, 1, 0]
    gerry = [1, 1, 1, 0, 0, 1, 0, 0, 0, 0]
    alpha = krippendorff_alpha(ben, gerry)
    assert alpha.value == pytest.approx(1 - 19 * 4 / (14 * 6), abs=TOLERANCE)
    assert round(alpha.value, 3) == 0.095
    # Kappa by hand on the same data: p_o = 6/10, p_e = .2 * .4 + .8 * .6 = .56.
    assert cohen_kappa(ben, gerry).value == pytest.approx((0.6 - 0.56) / (1 - 0.56), abs=TOLERANCE)
    assert percent_agreement(ben, gerry).value == pytest.approx(60.0)


def _from_table(cells: dict) -> tuple[list, list]:
    a, b = [], []
    for (x, y), count in cells.items():
        a += [x] * count
        b += [y] * count
    return a, b


def test_cohen_1960_table_1():
    """Cohen, J. (1960). A coefficient of agreement for nominal scales. Educational and Psychological
    Measurement 20(1), 37-46, Table 1: 200 items, three categories; p_o = .70, p_c = .41, kappa = .492."""
    rows = [[88, 14, 18], [10, 40, 10], [2, 6, 12]]
    a, b = _from_table({(i, j): rows[i][j] for i in range(3) for j in range(3)})
    assert percent_agreement(a, b).value == pytest.approx(70.0)
    kappa = cohen_kappa(a, b).value
    assert kappa == pytest.approx((0.70 - 0.41) / (1 - 0.41), abs=TOLERANCE)
    assert round(kappa, 3) == 0.492


@pytest.mark.parametrize(
    "yes_yes, yes_no, no_yes, no_no, expected",
    [
        # Wikipedia, "Cohen's kappa", worked example: 50 grant proposals, p_o = .7, p_e = .5, kappa = .4.
        (20, 5, 10, 15, 0.4),
        # Same article, "same percentages but different numbers": kappa = .1304 and .2593.
        (45, 15, 25, 15, 0.06 / 0.46),
        (25, 35, 5, 35, 0.14 / 0.54),
    ],
)
def test_two_by_two_textbook_tables(yes_yes, yes_no, no_yes, no_no, expected):
    a, b = _from_table({(1, 1): yes_yes, (1, 0): yes_no, (0, 1): no_yes, (0, 0): no_no})
    assert cohen_kappa(a, b).value == pytest.approx(expected, abs=TOLERANCE)
    assert binary_figures(yes_yes, yes_no, no_yes, no_no)["kappa"] == pytest.approx(expected, abs=TOLERANCE)


@pytest.mark.parametrize("a, b", [([1, 1, 1], [1, 1, 1]), ([0, 0], [0, 0]), ([], []), ([None, 1], [1, None])])
def test_undefined_is_none_with_reason(a, b):
    for stat in (cohen_kappa(a, b), krippendorff_alpha(a, b)):
        assert stat.value is None
        assert isinstance(stat.reason, str) and stat.reason


def test_kappa_defined_when_coders_use_different_single_values():
    # Chance agreement is 0 here, so kappa is defined and 0 (observed agreement 0).
    assert cohen_kappa([1, 1], [0, 0]) == Stat(0.0)
    assert krippendorff_alpha([1, 1], [0, 0]).value == pytest.approx(reference_alpha([1, 1], [0, 0]))


def test_missing_values_leave_units_out():
    a, b = [1, 0, None, 1, 0], [1, 0, 1, None, 1]
    assert cohen_kappa(a, b) == cohen_kappa([1, 0, 0], [1, 0, 1])
    assert percent_agreement(a, b).value == pytest.approx(200 / 3)


def test_binary_figures_no_units_and_nothing_coded():
    figures = binary_figures(0, 0, 0, 5)
    assert figures["kappa"] is None and "one and the same value" in figures["kappa_reason"]
    assert figures["percent_agreement"] == 100.0 and figures["neither_share"] == 1.0
    assert figures["restricted"]["units"] == 0
    assert figures["restricted"]["percent_agreement"] is None
    assert figures["restricted"]["kappa_reason"] == "neither coder coded any unit"
    empty = binary_figures(0, 0, 0, 0)
    assert empty["neither_share"] is None and empty["kappa"] is None and empty["alpha_reason"]


def test_unequal_lengths_refused():
    with pytest.raises(ValueError):
        cohen_kappa([1, 0], [1])
