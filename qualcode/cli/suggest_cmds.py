"""Commands that review suggestions: suggest (list, accept, reject, threshold) and train."""

from __future__ import annotations

import click

from qualcode.cli.base import cli, pass_project, print_json, print_table, resolve_target, shorten
from qualcode.errors import QualcodeError


@cli.command()
@click.argument("transcripts", nargs=-1)
@click.option("--code", "codes", multiple=True, metavar="ID", help="Only these codes (repeatable).")
@click.option("--top", default=3, show_default=True, type=click.IntRange(1, 50), help="Suggestions per segment.")
@click.option("--min-score", type=click.FloatRange(0, 1), help="Lowest score shown (default: the project threshold).")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array.")
@click.option("--accept", is_flag=True, help="Accept: code the span with --code (one transcript).")
@click.option("--reject", is_flag=True, help="Reject: never suggest --code for the span again (one transcript).")
@click.option("--segment", type=int, help="With --accept/--reject: segment number as `qualcode show` lists it.")
@click.option("--start", type=int, help="With --accept/--reject: start offset (as in the JSON output).")
@click.option("--end", type=int, help="With --accept/--reject: end offset (exclusive).")
@click.option("--coder", help="Coder name for --accept/--reject.")
@click.option("--set-threshold", type=float, metavar="X", help="Set the project threshold (0-1) and exit.")
@pass_project
def suggest(project, transcripts, codes, top, min_score, as_json, accept, reject, segment, start, end, coder,
            set_threshold) -> None:
    """Suggest codes for segments, with evidence and a score; accept or reject them.

    Lists suggestions at or above the project threshold for the named
    transcripts (names or ids), or all of them. Suggestions never code
    anything by themselves. JSON fields: transcript, start, end, text,
    code, score, evidence.

    \b
    Example:
        qualcode suggest norr-chef-kommun --top 2
        qualcode suggest --code cold-start --min-score 0 --json
        qualcode suggest norr-chef-kommun --accept --code cold-start --start 812 --end 901
        qualcode suggest norr-chef-kommun --reject --code fidelity --segment 14
        qualcode suggest --set-threshold 0.6
    """
    if set_threshold is not None:
        return _set_threshold(project, set_threshold)
    if accept or reject:
        return _decide(project, transcripts, codes, accept, reject, segment, start, end, coder)
    if any(x is not None for x in (segment, start, end)):
        raise QualcodeError("--segment/--start/--end go with --accept or --reject")
    _list(project, transcripts, codes, top, min_score, as_json)


def _set_threshold(project, value: float) -> None:
    from qualcode.suggest import set_threshold

    click.echo(f"threshold set to {set_threshold(project, value):g}")


def _list(project, transcripts, codes, top, min_score, as_json) -> None:
    from qualcode.suggest import suggest

    found = suggest(project, list(transcripts) or None, list(codes) or None, top, min_score)
    if as_json:
        print_json([s.to_json() for s in found])
        return
    if not found:
        click.echo("no suggestions at or above the threshold (try --min-score 0)")
        return
    rows = [[s.transcript, f"{s.start}-{s.end}", s.code, f"{s.score:.2f}", "; ".join(s.evidence),
             shorten(s.text)] for s in found]
    print_table(rows, ["transcript", "span", "code", "score", "evidence", "text"])


def _decide(project, transcripts, codes, accept, reject, segment, start, end, coder) -> None:
    from qualcode import suggest as engine

    if accept and reject:
        raise QualcodeError("give --accept or --reject, not both")
    if len(transcripts) != 1 or len(codes) != 1:
        raise QualcodeError("--accept/--reject need exactly one TRANSCRIPT and one --code")
    t, span = resolve_target(project, transcripts[0], segment=segment, start=start, end=end)
    if accept:
        coding_id = engine.accept(project, t.id, span.start, span.end, codes[0], coder)
        click.echo(f"accepted {codes[0]} for {t.name} {span.start}-{span.end} (coding {coding_id})")
    else:
        engine.reject(project, t.id, span.start, span.end, codes[0], coder)
        click.echo(f"rejected {codes[0]} for {t.name} {span.start}-{span.end}; it will not be suggested there again")


@cli.command()
@click.option("--force", is_flag=True, help="Train even when no code has enough new codings.")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@pass_project
def train(project, force, as_json) -> None:
    """Train the suggestion model on this project's coding (stored in .qualcode/model/).

    Coded and accepted segments teach each code; rejected suggestions and
    uncoded segments are its counter-examples. Without --force it trains only
    when a code has enough codings and the coding changed since last time.

    \b
    Example:
        qualcode train
        qualcode train --force --json
    """
    from qualcode.suggest import train as run_training

    report = run_training(project, force=force)
    if as_json:
        print_json(report.to_dict())
    else:
        click.echo(report.message if report.trained else f"not trained: {report.message}")
