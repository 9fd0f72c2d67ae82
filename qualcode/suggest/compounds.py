"""Swedish compound-part matching: find indicator words inside one-word compounds.

Swedish writes compounds as one word: modifier + (linking -s-/-e-) + head, as in
`implementerings|stöd`, `metod|stöd|et`, `enhets|chef|en`, `chef|s|byten`,
`samverkan|s|avtal`, `programtrohet|s|mätning`. An indicator matches a word when it
occurs there as a *part at a plausible boundary*:

- **Head** (the last part, possibly inflected): the word ends in the indicator, or the
  rest from where the indicator starts lemmatises to it (`chefen` -> `chef`), and what
  comes before is a plausible modifier.
- **Modifier or middle part**: the indicator is followed by a plausible head, directly
  or after a linking `s` or `e` (`chef|s|byten`, `samverkan|s|avtal`).
- **Plausible** means a word of at least MIN_REST letters that the lemma table knows
  (as a form or a lemma), or such a word plus a linking s/e, or a word ending in a
  derivational suffix that always takes linking -s (`-ings`, `-hets`, `-tions`, ...:
  `implementerings`, which the table lacks), or two such parts (one level deep), or
  anything up to a hyphen (`IT-stöd`, `ACT-teamet`); after a linking -s- a known
  three-letter head is enough (`utbildning|s|dag`).
- The indicator itself must have at least MIN_PART letters: shorter words (`tid`,
  `mål`, `lag`, `ram`) hide inside too many unrelated words (`program`, `underlag`).

What this rejects, and why: `vård` does not match `vårdnad` (custody: `nad` is no
word), `stöd` does not match `stödja` (`ja` is too short; the verb is matched through
the lemma rule instead), `tid` does not match `tidning` (too short an indicator),
`plan` does not match `planera` (`era` is too short), `chef` does not match `chiffer`.
What it cannot know: a lexicalised compound whose meaning drifted (`hand|ledning`
contains `ledning`); write `=ledning` in the codebook for the exact word only.
"""

from __future__ import annotations

import re

MIN_PART = 4
MIN_REST = 4
LINKS = ("s", "e")
# Derivational endings that take a linking -s in compounds: a strong boundary signal.
S_SUFFIXES = ("ings", "hets", "tions", "skaps", "doms", "elses", "itets", "ighets", "ans", "ens", "nads")
# Of these, the ones whose -s is always the link, never part of the word (unlike kompetens).
_S_STRIP = ("ings", "hets", "tions", "skaps", "doms", "elses", "itets")


class CompoundMatcher:
    """Find which of a set of indicator words occur as compound parts of a word."""

    def __init__(self, lexicon, words: dict[str, object]):
        """`words`: indicator word (lower case, >= MIN_PART letters) -> any payload."""
        self.lexicon = lexicon
        self.words = {w: p for w, p in words.items() if len(w) >= MIN_PART and w.isalpha()}
        self._lemma_of = {w: {w, lexicon.lemma(w)} for w in self.words}
        # As a modifier a final -e or -a is often dropped: brukar|råd, skol|gård.
        self._forms = {w: w for w in self.words}
        for w in self.words:
            if w[-1] in "ea" and len(w) > MIN_PART:
                self._forms.setdefault(w[:-1], w)
        keys = sorted(self._forms, key=len, reverse=True)
        # A lookahead finds every (also overlapping) occurrence in one C-level scan.
        self._find = re.compile("(?=(" + "|".join(map(re.escape, keys)) + "))") if keys else None
        self._cache: dict[str, tuple] = {}

    def parts(self, word: str) -> tuple:
        """The indicator words found in `word` (lower case) as compound parts; cached."""
        found = self._cache.get(word)
        if found is None:
            found = tuple(self._scan(word)) if self._find and len(word) > MIN_PART + 2 else ()
            self._cache[word] = found
        return found

    def _scan(self, word: str):
        seen = set()
        for m in self._find.finditer(word):
            start = m.start()
            # Overlapping keys: try every indicator that starts here, longest first.
            for form in self._forms_at(word, start):
                key = self._forms[form]
                if key not in seen and self._is_part(word, start, form, key):
                    seen.add(key)
                    yield key

    def _forms_at(self, word: str, start: int):
        return [f for f in self._forms if word.startswith(f, start)]

    def _is_part(self, word: str, start: int, form: str, key: str) -> bool:
        before, rest = word[:start], word[start:]
        tail = rest[len(form):]
        if before and not self.modifier(before):
            return False
        if form == key and (not tail or self.lexicon.lemma(rest) in self._lemma_of[key]):
            return bool(before)  # a head; with nothing before it is the whole word (not a compound)
        if not tail:
            return False
        if self.head(tail):
            return True
        # After a linking -s- the boundary is certain enough for a short head (arbets|tid, utbildning|s|dag).
        linked = tail[1:]
        return form == key and tail[0] in LINKS and (
            self.head(linked) or (tail[0] == "s" and len(linked) >= 3 and self.lexicon.is_word(linked))
        )

    def modifier(self, text: str, depth: int = 1) -> bool:
        """Could `text` be the first part(s) of a compound, including any linking letter?"""
        return plausible_modifier(self.lexicon, text, depth)

    def head(self, text: str, depth: int = 1) -> bool:
        """Could `text` be the rest of a compound: a known word, or two parts of one?"""
        return plausible_head(self.lexicon, text, depth)


def plausible_modifier(lexicon, text: str, depth: int = 1) -> bool:
    """Could `text` be the first part(s) of a compound, including any linking letter?"""
    if text.endswith("-"):
        return len(text) > 1
    if len(text) < MIN_REST - 1:
        return False
    if len(text) >= MIN_REST and lexicon.is_word(text):
        return True
    if text[-1] in LINKS and len(text) > MIN_REST and lexicon.is_word(text[:-1]):
        return True
    if len(text) >= 6 and text.endswith(S_SUFFIXES):
        return True
    if depth > 0:
        for cut in range(MIN_REST, len(text) - MIN_REST + 2):
            if plausible_modifier(lexicon, text[:cut], 0) and plausible_modifier(lexicon, text[cut:], 0):
                return True
    return False


def plausible_head(lexicon, text: str, depth: int = 1) -> bool:
    """Could `text` be the rest of a compound: a known word, or two parts of one?"""
    if len(text) < MIN_REST:
        return False
    if lexicon.is_word(text):
        return True
    if depth > 0:
        for cut in range(MIN_REST, len(text) - MIN_REST + 1):
            if plausible_modifier(lexicon, text[:cut], 0) and plausible_head(lexicon, text[cut:], 0):
                return True
    return False


def split_head(lexicon, word: str) -> tuple[str, str] | None:
    """(modifier, head) of a compound the lemma table lacks, with the longest known head;
    None when no split is plausible. `journalsystemet` -> (`journal`, `systemet`),
    `verksamhetschefer` -> (`verksamhets`, `chefer`), `ACT-teamet` -> (`act-`, `teamet`).

    Used to lemmatise unknown compounds by their head (`styrgruppen` -> `styrgrupp`) and
    to give the profile similarity the parts of a compound as separate words."""
    if "-" in word:
        cut = word.rindex("-") + 1
        return (word[:cut], word[cut:]) if cut > 1 and len(word) - cut >= 2 else None
    if len(word) < MIN_REST + MIN_REST - 1 or not word.isalpha():
        return None
    for cut in range(MIN_REST - 1, len(word) - MIN_REST + 1):
        head = word[cut:]
        if lexicon.is_word(head) and plausible_modifier(lexicon, word[:cut]):
            return word[:cut], head
    return None


def modifier_stem(lexicon, modifier: str) -> str:
    """The modifier without its linking letter or hyphen, as a dictionary form where possible."""
    stem = modifier.rstrip("-")
    if stem[-1:] in LINKS and len(stem) > MIN_REST and (lexicon.is_word(stem[:-1]) or stem.endswith(_S_STRIP)):
        stem = stem[:-1]
    return stem
