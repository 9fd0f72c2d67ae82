"""Commands: agreement between coders (owned by the agreement work)."""

from __future__ import annotations

import click

from qualcode.cli.base import cli, pass_project, print_json, print_table

UNDEFINED = "—"


@cli.command()
@click.option("--coders", required=True, metavar="A,B", help="The two coders to compare, comma-separated.")
@click.option("--unit", type=click.Choice(["segment", "turn", "character"]), default="segment", show_default=True,
              help="What counts as one decision: a sentence segment, a speaker turn or a character.")
@click.option("--transcript", "transcripts", multiple=True, metavar="NAME",
              help="Only this transcript (repeatable). Default: every transcript both coders coded.")
@click.option("--code", "codes", multiple=True, metavar="ID",
              help="Only this code (repeatable). Default: every codable code either coder used.")
@click.option("--per-transcript", is_flag=True, help="Also report the figures for each transcript.")
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
@pass_project
def agreement(project, coders, unit, transcripts, codes, per_transcript, as_json):
    """Inter-coder agreement per code: percent agreement, Cohen's kappa, Krippendorff's alpha.

    A unit counts as coded with a code by a coder when one of that coder's codings with the
    code overlaps it. "neither" is the share of units no coder coded: agreement on uncoded
    text inflates the figures, so they are repeated over the units at least one coder coded.
    A statistic without variation to measure is undefined and shown as — with its reason.

    \b
    Example:
        qualcode agreement --coders anna,bo
        qualcode agreement --coders anna,bo --unit character --code warm-start --json
        qualcode agreement --coders anna,bo --transcript norr-01 --per-transcript
    """
    from qualcode.agreement_units import compute_agreement

    pair = tuple(name.strip() for name in coders.split(","))
    result = compute_agreement(project.db, pair, unit=unit, transcripts=transcripts or None,
                               codes=codes or None, per_transcript=per_transcript)
    if as_json:
        print_json(result)
        return
    _print_result(result)


def _print_result(result: dict) -> None:
    a, b = result["coders"]
    click.echo(f"Agreement between {a} (A) and {b} (B), unit: {result['unit']}")
    notes: dict[str, list[str]] = {}
    _print_block(result["codes"], result["pooled"], a, b, notes)
    for entry in result.get("transcripts", []):
        click.echo(f"\n{entry['transcript']}")
        _print_block(entry["codes"], entry["pooled"], a, b, notes, where=f" in {entry['transcript']}")
    if result.get("skipped_transcripts"):
        skipped = ", ".join(result["skipped_transcripts"])
        click.echo(f"\nLeft out, coded by only one of them (name them with --transcript to include them): {skipped}")
    if notes:
        click.echo(f"\n{UNDEFINED} = undefined:")
        for reason, where in notes.items():
            click.echo(f"  {reason}: {', '.join(where)}")


def _print_block(rows: list[dict], pooled: dict, a: str, b: str, notes: dict, where: str = "") -> None:
    everything = [*rows, {**pooled, "code": "pooled"}]
    print_table([_cells(row, row, "code", notes, where) + [_share(row["neither_share"])] for row in everything],
                ["code", "units", f"A ({a})", f"B ({b})", "both", "% agreement", "kappa", "alpha", "neither"])
    click.echo("\nOver the units at least one coder coded:")
    print_table([_cells(row, row["restricted"], "code", notes, where + " (coded units)") for row in everything],
                ["code", "units", f"A ({a})", f"B ({b})", "both", "% agreement", "kappa", "alpha"])


def _cells(row: dict, figures: dict, key: str, notes: dict, where: str) -> list:
    for stat in ("kappa", "alpha"):
        if figures[stat] is None:
            notes.setdefault(figures[f"{stat}_reason"], []).append(f"{stat} for {row[key]}{where}")
    return [row[key], figures["units"], figures["coded_a"], figures["coded_b"], figures["coded_both"],
            *figure_cells(figures)]


def figure_cells(figures: dict | None) -> list[str]:
    """% agreement, kappa and alpha as table cells; — where undefined (or no figures at all)."""
    if figures is None:
        return [UNDEFINED] * 3
    pct = figures["percent_agreement"]
    return [UNDEFINED if pct is None else f"{pct:.1f}", _number(figures["kappa"]), _number(figures["alpha"])]


def _number(value: float | None) -> str:
    return UNDEFINED if value is None else f"{value:.3f}"


def _share(value: float | None) -> str:
    return UNDEFINED if value is None else f"{100 * value:.1f}%"
