"""Suggestions: the public API over rules, model and store, with per-process caches.

Rule evidence per transcript is cached until the codebook's indicators or the transcript
change; model probabilities until the model file changes. Codings and decisions are read
fresh on every call, so re-scoring after a new coding costs two small queries.
"""

from __future__ import annotations

import bisect
import json
import os
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path

from qualcode.errors import QualcodeError

# Interviewer questions are not coded in directed content analysis; their segments get no suggestions.
INTERVIEWER = {"i", "intervjuare", "interviewer", "int", "q"}
_states: dict[str, "_State"] = {}
_states_lock = threading.Lock()


@dataclass
class Suggestion:
    transcript: str
    transcript_id: int
    segment_id: int
    start: int
    end: int
    text: str
    code: str
    score: float
    evidence: list[str]

    def to_json(self) -> dict:
        """The `qualcode suggest --json` element (a contract: other tools read these fields)."""
        return {"transcript": self.transcript, "start": self.start, "end": self.end, "text": self.text,
                "code": self.code, "score": round(self.score, 4), "evidence": list(self.evidence)}


CACHED_TRANSCRIPTS = 8   # per project; each holds a transcript's rule evidence and scores (~2.5 MB per 10,000 words)


@dataclass
class _Transcript:
    key: tuple
    name: str
    text: str
    segments: list[tuple[int, int, int, str | None]]   # (segment id, start, end, speaker)
    turns: list[int]                                   # each segment's turn id
    rules: list                                        # SegmentRules per segment
    model_stamp: object = None
    model_scores: list | None = None
    # Combined scores do not depend on codings or decisions (those only hide suggestions),
    # so a re-score after a new coding reuses them: little work and little garbage.
    scored_stamp: object = None
    scored: object = None                              # table.ScoreTable


@dataclass
class _State:
    language: str
    codes_key: str
    codes: list[str]
    with_rules: set[str]
    compiled: object
    lexicon: object
    profiles: object
    transcripts: OrderedDict[int, _Transcript] = field(default_factory=OrderedDict)  # LRU, CACHED_TRANSCRIPTS
    model: tuple | None = None          # (stamp, nlp, meta)
    lock: threading.RLock = field(default_factory=threading.RLock)


def _codes(db) -> list[dict]:
    rows = db.execute(
        "SELECT id, indicators, examples, labels, definition, inclusion, texts FROM codes "
        "WHERE codable = 1 ORDER BY position, id"
    ).fetchall()
    # `texts` holds the prose in every language; profiles use them all, as they use both labels.
    return [{"id": i, "indicators": json.loads(ind or "{}"), "examples": json.loads(ex or "[]"),
             "labels": json.loads(lab or "{}"), "definition": d or "", "inclusion": inc or "",
             "texts": json.loads(texts or "{}")}
            for i, ind, ex, lab, d, inc, texts in rows]


def state(project) -> _State:
    """The cached matchers for this project, rebuilt when the codebook's codes change."""
    from qualcode.suggest.indicators import compile_terms, parse_codes
    from qualcode.suggest.lexicon import get_lexicon
    from qualcode.suggest.profiles import build_profiles

    codes = _codes(project.db)
    language = project.language
    key = json.dumps([language, codes], ensure_ascii=False, sort_keys=True)
    where = str(Path(project.root).resolve())
    with _states_lock:
        current = _states.get(where)
        if current is not None and current.codes_key == key:
            return current
        # The project's language first; the other language's terms match loanwords ("case manager").
        languages = (language,) + tuple(lang for lang in ("sv", "en") if lang != language)
        terms = parse_codes(codes, languages)
        lexicon = get_lexicon(language)
        compiled = compile_terms(terms, lexicon)
        profiles = build_profiles(codes, lexicon)
        current = _State(language, key, [c["id"] for c in codes], {t.code for t in terms}, compiled, lexicon,
                         profiles)
        _states[where] = current
        return current


def forget(project=None) -> None:
    """Drop cached scores (all projects, or one); the next call recomputes."""
    with _states_lock:
        if project is None:
            _states.clear()
        else:
            _states.pop(str(Path(project.root).resolve()), None)


def _transcript(st: _State, db, transcript_id: int) -> _Transcript:
    from qualcode.suggest.rules import rules_for_text

    row = db.execute("SELECT name, content_hash FROM transcripts WHERE id = ?", [transcript_id]).fetchone()
    if row is None:
        raise QualcodeError(f"no transcript with id {transcript_id}")
    segments = db.execute(
        'SELECT s.id, s.start, s."end", u.speaker, s.turn_id FROM segments s JOIN turns u ON u.id = s.turn_id '
        "WHERE s.transcript_id = ? ORDER BY s.start",
        [transcript_id],
    ).fetchall()
    turns = [row[4] for row in segments]
    segments = [row[:4] for row in segments]
    key = (row[1], len(segments), segments[-1][0] if segments else 0)
    cached = st.transcripts.get(transcript_id)
    if cached is not None and cached.key == key:
        st.transcripts.move_to_end(transcript_id)
        return cached
    (text,) = db.execute("SELECT text FROM transcripts WHERE id = ?", [transcript_id]).fetchone()
    spans = [(s, e) for _, s, e, _ in segments]
    item = _Transcript(key, row[0], text, segments, turns,
                       rules_for_text(st.compiled, st.lexicon, text, spans, st.profiles, turns))
    st.transcripts[transcript_id] = item
    # Bounded, so a 1M-word project scanned once (pending counts) does not stay in memory.
    while len(st.transcripts) > CACHED_TRANSCRIPTS:
        st.transcripts.popitem(last=False)
    return item


def _model(st: _State, project):
    """(stamp, nlp, meta) of the stored model, reloaded when its file changes; None without one."""
    from qualcode.suggest import model as learned

    path = learned.model_path(project)
    try:
        info = os.stat(path / "meta-qualcode.json")
        stamp = (info.st_mtime_ns, info.st_size)
    except OSError:
        stamp = None
        if not path.exists():
            st.model = None
            return None
    if st.model is not None and st.model[0] == stamp and stamp is not None:
        return st.model
    try:
        loaded = learned.load(path)
    except ValueError as error:
        learned.warn_damaged(path, str(error))
        from qualcode.suggest.training import train

        report = train(project, force=True)
        loaded = learned.load(path) if report.trained else None
        if loaded is None:
            import shutil

            shutil.rmtree(path, ignore_errors=True)
            st.model = None
            return None
        info = os.stat(path / "meta-qualcode.json")
        stamp = (info.st_mtime_ns, info.st_size)
    st.model = (stamp, *loaded) if loaded else None
    return st.model


def _model_scores(st: _State, project, item: _Transcript):
    from qualcode.suggest import model as learned

    current = _model(st, project)
    if current is None:
        return None, {}
    stamp, nlp, meta = current
    if item.model_stamp != stamp or item.model_scores is None:
        stop = learned.model_stop_words(st.language)
        feats = [learned.features(st.lexicon, st.compiled, item.text[s:e], stop, r)
                 for (_, s, e, _), r in zip(item.segments, item.rules)]
        item.model_scores = learned.predict(nlp, feats)
        item.model_stamp = stamp
    return item.model_scores, meta.get("positives", {})


def _scored(st: _State, project, item: _Transcript):
    """The transcript's ScoreTable: rules, profile similarity, neighbour context and model combined."""
    from qualcode.suggest.table import build

    probabilities, positives = _model_scores(st, project, item)
    stamp = st.model[0] if probabilities is not None and st.model is not None else None
    if item.scored is not None and item.scored_stamp == stamp:
        return item.scored
    item.scored = build(st.codes, item.rules, item.turns, probabilities, positives, st.with_rules)
    item.scored_stamp = stamp
    return item.scored


def _blocked(db, item: _Transcript, transcript_id: int) -> list[set[str]]:
    """Per segment: codes already applied (any overlapping coding) or rejected there."""
    starts = [s for _, s, _, _ in item.segments]
    blocked: list[set[str]] = [set() for _ in item.segments]
    rows = db.execute('SELECT start, "end", code_id FROM codings WHERE transcript_id = ?', [transcript_id]).fetchall()
    rows += db.execute(
        "SELECT start, \"end\", code_id FROM suggestion_decisions WHERE transcript_id = ? AND decision = 'rejected'",
        [transcript_id],
    ).fetchall()
    for start, end, code in rows:
        n = max(bisect.bisect_right(starts, start) - 1, 0)
        while n < len(item.segments) and item.segments[n][1] < end:
            if item.segments[n][2] > start:
                blocked[n].add(code)
            n += 1
    return blocked


def threshold(project) -> float:
    from qualcode.suggest.scoring import DEFAULT_THRESHOLD

    value = project.setting("threshold")
    return float(value) if value is not None else DEFAULT_THRESHOLD


def set_threshold(project, value) -> float:
    from qualcode.suggest.scoring import clamp_threshold

    value = clamp_threshold(value)
    project.set_setting("threshold", value)
    return value


def _check_codes(st: _State, codes) -> set[str] | None:
    if not codes:
        return None
    unknown = [c for c in codes if c not in st.codes]
    if unknown:
        raise QualcodeError(f"unknown code id '{unknown[0]}' (see `qualcode codebook show`)")
    return set(codes)


def suggest_for_transcript(project, transcript_id: int, codes=None, top: int = 3, min_score=None,
                           segment_ids=None) -> list[Suggestion]:
    """The top suggestions per segment of one transcript, best first within each segment."""
    st = state(project)
    wanted = _check_codes(st, codes)
    floor = threshold(project) if min_score is None else float(min_score)
    db = project.db
    with st.lock:
        item = _transcript(st, db, transcript_id)
        scored = _scored(st, project, item)
    blocked = _blocked(db, item, transcript_id)
    rows = None if segment_ids is None else [n for n, seg in enumerate(item.segments) if seg[0] in segment_ids]
    ranked = scored.ranked(floor, rows)
    out: list[Suggestion] = []
    for n, found in sorted(ranked.items()):
        seg_id, start, end, speaker = item.segments[n]
        if speaker and speaker.strip().lower() in INTERVIEWER:
            continue
        shown = [(score, col) for score, col in found
                 if st.codes[col] not in blocked[n] and (wanted is None or st.codes[col] in wanted)]
        for score, col in shown[:top]:
            code = st.codes[col]
            text = item.text[start:end]
            sim = float(scored.similarity[n, col])
            similar = None
            if sim > 0:
                # Explained only for what is shown: the words cost a second look at the segment.
                with st.lock:  # explain() may extend the profiles' shared feature table
                    words = st.profiles.explain(text, code)
                similar = f"similar to codebook: {', '.join(words)} ({sim:.2f})"
            evidence = scored.evidence(item.rules, n, col, similar)
            out.append(Suggestion(item.name, transcript_id, seg_id, start, end, text, code, score, evidence))
    return out


def suggest_for_segment(project, segment_id: int, codes=None, top: int = 3, min_score=None) -> list[Suggestion]:
    """Suggestions for one segment (fast after the first call on its transcript)."""
    row = project.db.execute("SELECT transcript_id FROM segments WHERE id = ?", [segment_id]).fetchone()
    if row is None:
        raise QualcodeError(f"no segment with id {segment_id}")
    return suggest_for_transcript(project, row[0], codes, top, min_score, segment_ids={segment_id})


def suggest(project, transcripts=None, codes=None, top: int = 3, min_score=None) -> list[Suggestion]:
    """Suggestions for the named transcripts (names or ids), or all of them, in name order."""
    from qualcode.transcripts import resolve

    if transcripts:
        ids = [resolve(project.db, ref).id for ref in transcripts]
    else:
        ids = [i for (i,) in project.db.execute("SELECT id FROM transcripts ORDER BY name")]
    out: list[Suggestion] = []
    for transcript_id in ids:
        out.extend(suggest_for_transcript(project, transcript_id, codes, top, min_score))
    return out
