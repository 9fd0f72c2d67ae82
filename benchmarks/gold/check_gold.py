#!/usr/bin/env python3
"""Check gold.yaml against the transcripts in this folder.

Every quote must occur exactly once in its transcript, lie inside one IP turn,
start at a sentence start and end with sentence-final punctuation; every code
id must be one of the 19 ids of the domain README. Prints counts per code.
"""
import collections
import pathlib
import re
import sys

import yaml

ALLOWED = """hard-implementation soft-implementation fidelity drift-desired drift-undesired
warm-start cold-start purveyor user-involvement collaboration phase-needs phase-installation
phase-use phase-sustainment driver-recruitment driver-training driver-coaching
driver-evaluation driver-admin-support""".split()

here = pathlib.Path(__file__).resolve().parent
gold = yaml.safe_load((here / "gold.yaml").read_text(encoding="utf-8"))["passages"]
texts = {p.stem: p.read_text(encoding="utf-8") for p in here.glob("*.md") if p.name != "README.md"}
errors = []
primary = collections.Counter()
anypos = collections.Counter()
smalltalk = 0
per_transcript = collections.Counter()
for i, p in enumerate(gold):
    t, q, codes = p["transcript"], p["quote"], p["codes"]
    where = f"passage {i} ({t}: {q[:40]}...)"
    if t not in texts:
        errors.append(f"{where}: unknown transcript"); continue
    text = texts[t]
    n = text.count(q)
    if n != 1:
        errors.append(f"{where}: found {n} times"); continue
    pos = text.index(q)
    line = text[text.rfind("\n", 0, pos) + 1:]
    line = line[:line.find("\n")] if "\n" in line else line
    if not re.match(r"IP( \d+)?: ", line) or "\n" in q:
        errors.append(f"{where}: not inside a single IP turn")
    before = text[:pos]
    if not (re.search(r"IP( \d+)?: $", before) or re.search(r"[.?!\"]\s$", before)):
        errors.append(f"{where}: does not start at a sentence start")
    if not re.search(r"[.?!]\"?$", q):
        errors.append(f"{where}: does not end at sentence end punctuation")
    if len(codes) > 2 or len(set(codes)) != len(codes):
        errors.append(f"{where}: 0-2 distinct codes expected")
    for c in codes:
        if c not in ALLOWED:
            errors.append(f"{where}: unknown code {c}")
    if codes:
        primary[codes[0]] += 1
        anypos.update(codes)
        per_transcript[t] += 1
    else:
        smalltalk += 1
coded = sum(1 for p in gold if p["codes"])
print(f"coded passages: {coded}, small talk: {smalltalk}")
print(f"{'code':24} {'primary':>7} {'any':>5}")
for c in ALLOWED:
    print(f"{c:24} {primary[c]:7d} {anypos[c]:5d}")
    if anypos[c] < 3:
        errors.append(f"code {c} used only {anypos[c]} times")
for t, n in sorted(per_transcript.items()):
    body = texts[t].split("---", 2)[2]
    words = len(re.sub(r"^(I|IP)( \d+)?: ", "", body, flags=re.M).split())
    print(f"{t}: {n} coded passages, {words} words")
if coded < 90 or smalltalk < 25:
    errors.append("too few passages")
for e in errors:
    print("ERROR", e)
sys.exit(1 if errors else 0)
