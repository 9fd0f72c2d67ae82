#!/usr/bin/env python3
"""Check the gold sets: `python -m benchmarks.check_gold [FOLDER...]` (default: every benchmarks/gold*/).

In each folder, gold.yaml must agree with the transcripts beside it: every quote occurs
exactly once in its transcript, lies inside one IP turn, starts at a sentence start and
ends with sentence-final punctuation; passages do not overlap; a passage has 0-2 distinct
codes, each one of the 19 ids of the domain README; every code is used at least 3 times;
there are at least 80 coded and 20 small-talk passages. Prints counts per code and exits
1 when anything is wrong.
"""

from __future__ import annotations

import collections
import re
import sys
from pathlib import Path

from benchmarks.bench_quality import GOLD_CODES as ALLOWED

HERE = Path(__file__).resolve().parent
MIN_CODED, MIN_TALK, MIN_PER_CODE = 80, 20, 3


def gold_folders() -> list[Path]:
    return sorted(p for p in HERE.glob("gold*") if (p / "gold.yaml").is_file())


def check(folder: Path) -> tuple[list[str], str]:
    """(errors, a count table) for one gold folder."""
    import yaml

    gold = yaml.safe_load((folder / "gold.yaml").read_text(encoding="utf-8"))["passages"]
    texts = {p.stem: p.read_text(encoding="utf-8") for p in folder.glob("*.md") if p.name != "README.md"}
    errors: list[str] = []
    primary, anywhere = collections.Counter(), collections.Counter()
    spans = collections.defaultdict(list)
    talk = coded = 0
    for i, p in enumerate(gold):
        t, q, codes = p["transcript"], p["quote"], p["codes"]
        where = f"{folder.name}/gold.yaml passage {i} ({t}: {q[:40]}...)"
        if t not in texts:
            errors.append(f"{where}: unknown transcript")
            continue
        text = texts[t]
        if text.count(q) != 1:
            errors.append(f"{where}: found {text.count(q)} times")
            continue
        pos = text.index(q)
        line_start = text.rfind("\n", 0, pos) + 1
        if not re.match(r"IP( \d+)?: ", text[line_start:]) or "\n" in q:
            errors.append(f"{where}: not inside a single IP turn")
        before = text[:pos]
        if not (re.search(r"IP( \d+)?: $", before) or re.search(r"[.?!\"…]\s$", before)):
            errors.append(f"{where}: does not start at a sentence start")
        if not re.search(r"[.?!]\"?$", q):
            errors.append(f"{where}: does not end at sentence end punctuation")
        if len(codes) > 2 or len(set(codes)) != len(codes):
            errors.append(f"{where}: 0-2 distinct codes expected")
        errors += [f"{where}: unknown code {c}" for c in codes if c not in ALLOWED]
        spans[t].append((pos, pos + len(q), i))
        if codes:
            coded += 1
            primary[codes[0]] += 1
            anywhere.update(codes)
        else:
            talk += 1
    for t, found in spans.items():
        found.sort()
        for (_, end, i), (start, _, j) in zip(found, found[1:]):
            if start < end:
                errors.append(f"{folder.name}/gold.yaml passages {i} and {j} overlap in {t}")
    errors += [f"{folder.name}: code {c} used only {anywhere[c]} times" for c in ALLOWED if anywhere[c] < MIN_PER_CODE]
    if coded < MIN_CODED or talk < MIN_TALK:
        errors.append(f"{folder.name}: too few passages ({coded} coded, {talk} small talk)")
    table = [f"{folder.name}: {coded} coded passages, {talk} small talk", f"{'code':24} {'primary':>7} {'any':>5}"]
    table += [f"{c:24} {primary[c]:7d} {anywhere[c]:5d}" for c in ALLOWED]
    return errors, "\n".join(table)


def main(args: list[str]) -> int:
    folders = [Path(a) for a in args] or gold_folders()
    failed = False
    for folder in folders:
        errors, table = check(folder)
        print(table)
        for error in errors:
            print("ERROR", error)
        failed = failed or bool(errors)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
