"""Synthetic interview transcripts in the project's format, for every benchmark."""

from __future__ import annotations

import random
from pathlib import Path

SITES = ["Norr", "Mellan I", "Mellan II", "Syd", "Väst 1", "Väst 2"]
ORGS = ["kommun", "psykiatri"]
ROLES = ["chef", "personal", "case manager"]
WORDS = (
    "vi har jobbat med implementeringen av ACT i kommunen och det var ganska svårt i början "
    "eftersom cheferna byttes ut flera gånger men handledningen hjälpte oss mycket under första året "
    "alltså man måste ju ha tid och resurser för att det ska fungera och samverkan med psykiatrin "
    "var viktig för brukarna som fick vara med och påverka sin egen plan vi mätte programtrohet "
    "med en skala två gånger per år utbildningen var bra men sedan tog pengarna slut och då blev "
    "det svårare att hålla fast vid modellen teamet träffas varje morgon och går igenom alla klienter "
    "det finns ett samverkansavtal mellan regionen och kommunen som vi tog fram tillsammans med "
    "metodstödet och projektledaren som hade erfarenhet av liknande arbete sedan tidigare"
).split()
QUESTIONS = [
    "Kan du berätta hur det började?", "Hur gick det sedan?", "Vad tänker du om det?",
    "Vem var med och bestämde det?", "Hur ser det ut i dag?", "Spelar den in nu?",
]


def sentence(rng: random.Random) -> str:
    n = rng.randint(6, 22)
    words = [rng.choice(WORDS) for _ in range(n)]
    words[0] = words[0].capitalize()
    return " ".join(words) + rng.choice([".", ".", ".", "?", "!"])


def transcript(rng: random.Random, words: int, index: int) -> str:
    site = SITES[index % len(SITES)]
    head = (
        f"---\ntitle: Syntetisk intervju {index}\nsite: {site}\norganisation: {ORGS[index % 2]}\n"
        f"role: {ROLES[index % 3]}\ndate: 2024-0{1 + index % 9}-1{index % 10}\n---\n"
    )
    lines, count = [], 0
    while count < words:
        question = rng.choice(QUESTIONS)
        lines.append(f"I: {question}")
        answer = []
        for _ in range(rng.randint(2, 12)):
            s = sentence(rng)
            answer.append(s)
            count += len(s.split())
        count += len(question.split())
        lines.append("IP: " + " ".join(answer))
    return head + "\n".join(lines) + "\n"


def generate(directory: str | Path, n: int = 100, words: int = 10_000, seed: int = 7) -> list[Path]:
    """Write n transcripts of about `words` words each; returns their paths."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    paths = []
    for i in range(n):
        path = directory / f"synt-{i:04d}.md"
        path.write_text(transcript(rng, words, i), encoding="utf-8")
        paths.append(path)
    return paths


if __name__ == "__main__":
    import sys

    out = generate(sys.argv[1] if len(sys.argv) > 1 else "corpus", int(sys.argv[2]) if len(sys.argv) > 2 else 100,
                   int(sys.argv[3]) if len(sys.argv) > 3 else 10_000)
    print(f"wrote {len(out)} transcripts")
