"""The demo project: the repository's transcripts and codebook, with seeded coding."""

from __future__ import annotations

from pathlib import Path

from qualcode import store
from qualcode.errors import QualcodeError

CODEBOOK = Path("codebooks") / "implementation-theory.yaml"
SEED = Path("transcripts") / "demo-coding.yaml"


def build_demo(directory: Path, source: Path) -> tuple[object, list[str]]:
    """Create (or update) the demo project; seed its coding only when it is new."""
    from qualcode.ingest import import_paths
    from qualcode.project import Project, init_project, is_project

    lines: list[str] = []
    if not (source / "transcripts").is_dir():
        raise QualcodeError("no transcripts/ folder here; run this in the qualcode repository or give --source", source)
    book = source / CODEBOOK
    is_new = not is_project(directory)
    if is_new:
        project = init_project(directory, language="sv", codebook=book if book.is_file() else None, coder="demo")
    else:
        project = Project(Path(directory).resolve())
    report = import_paths(project, [source / "transcripts"])
    lines += report.lines()
    seed = source / SEED
    if is_new and seed.is_file():
        lines += seed_codings(project, seed)
    return project, lines


def seed_codings(project, path: Path) -> list[str]:
    """Apply the codings listed in a seed file (quotes located in the stored text), in one transaction."""
    import yaml

    from qualcode.coding import add_coding

    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        raise QualcodeError(f"malformed YAML: {getattr(error, 'problem', error)}", path,
                            mark.line + 1 if mark else None) from None
    db = project.db
    texts = {name: (tid, text) for tid, name, text in db.execute("SELECT id, name, text FROM transcripts")}
    skipped: list[str] = []
    added = 0
    with store.transaction(db):
        for n, item in enumerate(data.get("codings") or [], start=1):
            name, quote = item.get("transcript"), item.get("quote", "")
            if name not in texts or not quote or texts[name][1].count(quote) != 1:
                skipped.append(f"seed {n}: quote not found once in {name}")
                continue
            tid, text = texts[name]
            start = text.index(quote)
            add_coding(db, tid, start, start + len(quote), item["code"], item.get("coder", "demo"),
                       memo=item.get("memo"))
            added += 1
    return [f"seeded {added} demo codings"] + skipped
