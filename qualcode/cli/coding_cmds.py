"""Commands: code, uncode, memo, undo, redo, excerpts."""

from __future__ import annotations

import click

from qualcode.cli.base import cli, pass_project, print_csv, print_json, resolve_target

span_options = [
    click.option("--segment", type=int, help="Segment number, as `qualcode show` lists it."),
    click.option("--turn", type=int, help="Turn number."),
    click.option("--start", type=int, help="Start offset (code points, inclusive)."),
    click.option("--end", type=int, help="End offset (exclusive)."),
]


def with_span(func):
    for option in reversed(span_options):
        func = option(func)
    return func


@cli.command()
@click.argument("transcript")
@click.option("--code", "code_id", required=True, help="Code id from the codebook.")
@with_span
@click.option("--coder", help="Coder name (default: $QUALCODE_CODER, then the project's default).")
@click.option("--memo", help="A memo on this coding.")
@pass_project
def code(project, transcript, code_id, segment, turn, start, end, coder, memo) -> None:
    """Code a segment, a turn or an exact span of a transcript.

    \b
    Example:
        qualcode code norr-chef-kommun --code cold-start --segment 12
        qualcode code 3 --code fidelity --start 1040 --end 1132 --memo "mätning"
    """
    from qualcode import coding

    t, span = resolve_target(project, transcript, segment=segment, turn=turn, start=start, end=end)
    who = project.coder(coder)
    coding_id = coding.add_coding(project.db, t.id, span.start, span.end, code_id, who, memo=memo)
    click.echo(f"coded {t.name} {span.start}-{span.end} with {code_id} as {who} (coding {coding_id})")


@cli.command()
@click.argument("transcript")
@click.option("--code", "code_id", required=True, help="Code id to remove.")
@with_span
@click.option("--coder", help="Coder name (default: $QUALCODE_CODER, then the project's default).")
@pass_project
def uncode(project, transcript, code_id, segment, turn, start, end, coder) -> None:
    """Remove a coder's codings with a code inside a segment, turn or span.

    \b
    Example:
        qualcode uncode norr-chef-kommun --code cold-start --segment 12
    """
    from qualcode import coding

    t, span = resolve_target(project, transcript, segment=segment, turn=turn, start=start, end=end)
    who = project.coder(coder)
    n = coding.uncode(project.db, t.id, span.start, span.end, code_id, who)
    click.echo(f"removed {n} coding{'s' if n != 1 else ''} of {code_id} from {t.name}")


@cli.command()
@click.option("--coder", help="Whose last action to undo.")
@pass_project
def undo(project, coder) -> None:
    """Undo your last coding action (persisted, so it works after a restart).

    \b
    Example:
        qualcode undo
    """
    _step(project, coder, "undo", "undid")


@cli.command()
@click.option("--coder", help="Whose undone action to redo.")
@pass_project
def redo(project, coder) -> None:
    """Redo the action you undid last.

    \b
    Example:
        qualcode redo
    """
    _step(project, coder, "redo", "redid")


def _step(project, coder: str | None, action: str, done_verb: str) -> None:
    from qualcode import coding

    done = getattr(coding, action)(project.db, project.coder(coder))
    click.echo(f"{done_verb} {done['kind']}" if done else f"nothing to {action}")


@cli.command()
@click.argument("text")
@click.option("--transcript", help="The transcript the memo is about (default: the project).")
@click.option("--coder", help="Author of the memo.")
@pass_project
def memo(project, text, transcript, coder) -> None:
    """Add a memo to the project, or with --transcript to one transcript.

    \b
    Example:
        qualcode memo "IP 2 kom in sent; ljudet sämre första 5 min" --transcript syd-grupp
    """
    from qualcode import coding
    from qualcode.transcripts import resolve

    tid = resolve(project.db, transcript).id if transcript else None
    memo_id = coding.add_memo(project.db, tid, text, project.coder(coder))
    click.echo(f"memo {memo_id} added")


EXCERPT_COLUMNS = ["code", "transcript", "start", "end", "speaker", "turn", "site", "organisation", "role",
                   "coder", "memo", "attribution", "text"]


@cli.command()
@click.option("--code", "codes", multiple=True, help="Only these code ids (repeatable).")
@click.option("--site", "sites", multiple=True, help="Only these sites (repeatable).")
@click.option("--organisation", "--organization", "organisations", multiple=True, help="Only these organisations.")
@click.option("--role", "roles", multiple=True, help="Only these roles.")
@click.option("--speaker", "speakers", multiple=True, help="Only these speakers, e.g. 'IP 2'.")
@click.option("--coder", "coders", multiple=True, help="Only these coders (default: all).")
@click.option("--transcript", "transcripts", multiple=True, help="Only these transcripts.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.option("--csv", "as_csv", is_flag=True, help="Print CSV.")
@pass_project
def excerpts(project, codes, sites, organisations, roles, speakers, coders, transcripts, as_json, as_csv) -> None:
    """Coded excerpts with their attribution, e.g. (Syd, chef, kommun).

    \b
    Example:
        qualcode excerpts --code cold-start --organisation kommun
        qualcode excerpts --site Norr --csv > norr.csv
    """
    from qualcode.excerpts import excerpts as fetch

    rows = fetch(project.db, codes=list(codes), sites=list(sites), organisations=list(organisations),
                 roles=list(roles), speakers=list(speakers), coders=list(coders), transcripts=list(transcripts))
    if as_json:
        print_json(rows)
    elif as_csv:
        print_csv(rows, EXCERPT_COLUMNS + ["transcript_id", "from_suggestion", "created_at"])
    else:
        if not rows:
            click.echo("no excerpts match")
        for r in rows:
            click.echo(f"[{r['code']}] {r['transcript']} turn {r['turn']} {r['speaker'] or ''} {r['attribution']}")
            click.echo(f"    {r['text']}")
