"""Suggestion engine units: indicator syntax, compound matching, rule evidence, scoring."""

from __future__ import annotations

import pytest

from qualcode.errors import QualcodeError


@pytest.fixture(scope="session")
def lexicon():
    from qualcode.suggest.lexicon import get_lexicon

    return get_lexicon("sv")


def compiled_for(lexicon, codes):
    from qualcode.suggest.indicators import compile_terms, parse_codes

    return compile_terms(parse_codes(codes, ("sv", "en")), lexicon)


def evidence(lexicon, codes, sentences):
    """Rule evidence per sentence, each sentence one segment of one text."""
    from qualcode.suggest.rules import rules_for_text

    text, spans = "", []
    for s in sentences:
        spans.append((len(text), len(text) + len(s)))
        text += s + " "
    return [r.by_code for r in rules_for_text(compiled_for(lexicon, codes), lexicon, text, spans)]


def test_parse_indicator_kinds():
    from qualcode.suggest.indicators import parse_indicator

    assert parse_indicator("chef", "c", "sv").kind == "word"
    assert parse_indicator("engagerad  chef", "c", "sv").words == ("engagerad", "chef")
    assert parse_indicator("implementer*", "c", "sv").kind == "prefix"
    exact = parse_indicator("=ACT", "c", "sv")
    assert (exact.kind, exact.words) == ("exact", ("act",))


@pytest.mark.parametrize("bad", ["", "*", "=", "chef!", "a, b"])
def test_parse_indicator_rejects_what_cannot_match(bad):
    from qualcode.suggest.indicators import parse_indicator

    with pytest.raises(QualcodeError, match="indicator"):
        parse_indicator(bad, "cold-start", "sv")


def test_words_match_lemma_and_lower_case(lexicon):
    codes = [{"id": "cold-start", "indicators": {"sv": ["nedskärning", "chef"]}}]
    found = evidence(lexicon, codes, ["Det blev stora Nedskärningar.", "Chefen slutade.", "Ingenting här."])
    assert "cold-start" in found[0] and "nedskärning (Nedskärningar)" in found[0]["cold-start"][1]
    assert "cold-start" in found[1]
    assert found[2] == {}


def test_phrase_prefix_and_exact(lexicon):
    codes = [
        {"id": "warm-start", "indicators": {"sv": ["engagerad chef"]}},
        {"id": "purveyor", "indicators": {"sv": ["implementer*"]}},
        {"id": "fidelity", "indicators": {"sv": ["=act"]}},
    ]
    found = evidence(lexicon, codes, [
        "Vi hade en engagerad chef.",
        "Implementeringen tog tid.",
        "ACT fungerar.",
        "Acts och actteamet.",
        "Chefen var engagerad.",
    ])
    assert set(found[0]) == {"warm-start"}
    assert set(found[1]) == {"purveyor"}
    assert set(found[2]) == {"fidelity"}
    assert found[3] == {}          # =act is that exact form only
    assert found[4] == {}          # a phrase needs its words in order


def test_hyphenated_and_apostrophe_terms_match_as_the_text_is_tokenized():
    # English splits "top-down" into three tokens; an indicator written that way must still match.
    from qualcode.suggest.lexicon import get_lexicon

    english = get_lexicon("en")
    codes = [
        {"id": "hard-implementation", "indicators": {"en": ["top-down", "=follow-up"]}},
        {"id": "user-involvement", "indicators": {"en": ["client's own", "co-produc*"]}},
    ]
    found = evidence(english, codes, [
        "It was very top-down from the start.",
        "We co-produced the plan on the client's own terms.",
        "There was a follow-up visit.",
        "From the top, down to the floor.",
    ])
    assert set(found[0]) == {"hard-implementation"}
    assert set(found[1]) == {"user-involvement"} and len(found[1]["user-involvement"][1]) == 2
    assert set(found[2]) == {"hard-implementation"}
    assert found[3] == {}


def test_a_longer_match_of_another_code_wins(lexicon):
    codes = [
        {"id": "soft-implementation", "indicators": {"sv": ["plocka russinen", "välja"]}},
        {"id": "hard-implementation", "indicators": {"sv": ["inte plocka russinen"]}},
    ]
    found = evidence(lexicon, codes, [
        "Man får inte plocka russinen ur kakan.",
        "Vi fick plocka russinen ur kakan.",
        "Man får inte plocka russinen men välja takt.",
    ])
    assert set(found[0]) == {"hard-implementation"}
    assert set(found[1]) == {"soft-implementation"}
    # Only the contained match goes; the code's other evidence in the segment stays.
    assert set(found[2]) == {"hard-implementation", "soft-implementation"}
    assert found[2]["soft-implementation"][1] == ["välja"]


def test_prefix_and_exact_phrases_match_as_spacy_matcher_would(lexicon):
    # The engine matches `prefix*`/`=word` phrases with bit masks instead of a token Matcher;
    # spaCy's Matcher with the equivalent token patterns is the reference.
    import re

    from spacy.matcher import Matcher

    from qualcode.suggest.indicators import compile_terms, parse_codes
    from qualcode.suggest.rules import match_text

    terms = ["chefen =slutade", "byt* chef*", "ingen följde =upp", "=act team*", "ny* chef* igen"]
    codes = [{"id": f"c{n}", "indicators": {"sv": [t]}} for n, t in enumerate(terms)]
    compiled = compile_terms(parse_codes(codes, ("sv",)), lexicon)
    sentences = ["Chefen slutade och vi bytte chefer två gånger.", "Ingen följde upp, ACT teamet stod still.",
                 "Nya chefer igen, och chefen slutade.", "Chefen slutar inte.", "Byte chef.",
                 "Act teamen och nya chefen igen."]
    text = " ".join(sentences)
    spans, at = [], 0
    for sentence in sentences:
        spans.append((at, at + len(sentence)))
        at += len(sentence) + 1
    found = [set(h) for h in match_text(compiled, lexicon, text, spans)]

    def spec(word):
        if word.startswith("="):
            return {"LOWER": word[1:]}
        if word.endswith("*"):
            return {"LOWER": {"REGEX": "^" + re.escape(word[:-1])}}
        return {"LEMMA": {"IN": list(lexicon.keys(word))}}

    expected = []
    for sentence in sentences:
        doc = lexicon.nlp.tokenizer(sentence)
        for token in doc:
            token.lemma_ = lexicon.lemma(token.lower_)
        matcher = Matcher(lexicon.vocab)
        for n, t in enumerate(terms):
            matcher.add(str(n), [[spec(w.lower()) for w in t.split()]])
        expected.append({int(lexicon.vocab.strings[m]) for m, _, _ in matcher(doc)})
    assert found == expected
    assert found[0] == {0, 1} and found[3] == set()


def test_phrase_does_not_cross_segments(lexicon):
    codes = [{"id": "warm-start", "indicators": {"sv": ["engagerad chef"]}}]
    found = evidence(lexicon, codes, ["Hon var engagerad.", "Chef var hon också."])
    assert found == [{}, {}]


@pytest.mark.parametrize("word, indicator", [
    ("implementeringsstöd", "stöd"),
    ("metodstödet", "stöd"),
    ("chefsbyten", "chef"),
    ("enhetschefen", "chef"),
    ("samverkansavtal", "samverkan"),
    ("programtrohetsmätning", "mätning"),
    ("brukarföreträdare", "brukare"),
    ("ACT-teamet", "team"),
])
def test_compound_parts_match(lexicon, word, indicator):
    from qualcode.suggest.compounds import CompoundMatcher

    assert indicator in CompoundMatcher(lexicon, {indicator: None}).parts(word.lower())


@pytest.mark.parametrize("word, indicator", [
    ("chiffer", "chef"),       # no such part at all
    ("vårdnad", "vård"),       # custody: "nad" is not a word
    ("stödja", "stöd"),        # the verb: "ja" is no head
    ("planera", "plan"),       # "era" is too short to be a head
    ("tidning", "tid"),        # indicators under four letters never match inside words
    ("program", "ram"),
])
def test_compound_parts_do_not_match_everything(lexicon, word, indicator):
    from qualcode.suggest.compounds import CompoundMatcher

    assert CompoundMatcher(lexicon, {indicator: None}).parts(word) == ()


def test_compound_part_is_evidence_with_the_matched_word(lexicon):
    codes = [{"id": "purveyor", "indicators": {"sv": ["stöd"]}}]
    found = evidence(lexicon, codes, ["Vi fick implementeringsstöd från länet."])
    raw, notes = found[0]["purveyor"]
    assert notes == ["stöd (implementeringsstöd)"]
    assert 0 < raw < 1.0  # a compound part weighs less than the word itself


def test_shared_terms_weigh_less(lexicon):
    codes = [
        {"id": "a", "indicators": {"sv": ["chef", "metod"]}},
        {"id": "b", "indicators": {"sv": ["chef"]}},
    ]
    found = evidence(lexicon, codes, ["Chefen gillade metoden."])[0]
    assert found["a"][0] > found["b"][0]


def test_rule_score_is_calibrated_and_monotone():
    from qualcode.suggest.scoring import combine, rule_score

    values = [rule_score(w) for w in (0, 0.4, 0.8, 1.0, 1.5, 3, 10)]
    assert values[0] == 0.0
    assert all(0 <= v < 1 for v in values)
    assert values == sorted(values)
    # Without support from the codebook text a rule counts for less; with it, in full.
    assert combine(1.0, None, 0, True) < combine(1.0, None, 0, True, similarity=0.2)
    assert combine(1.0, None, 0, True, similarity=0.2) >= rule_score(1.0)
    # The model counts for more the more examples it had.
    assert abs(combine(1.0, 0.9, 40, True) - 0.9) < abs(combine(1.0, 0.9, 2, True) - 0.9)
    assert combine(0.0, 0.8, 5, False) == 0.8  # a code without indicators: the model alone


@pytest.mark.parametrize("bad", [-0.1, 1.5, "x", float("nan")])
def test_threshold_must_be_a_share(bad):
    from qualcode.suggest.scoring import clamp_threshold

    with pytest.raises(QualcodeError, match="threshold"):
        clamp_threshold(bad)


def test_profile_similarity_ranks_but_never_shows_alone():
    from qualcode.suggest.scoring import DEFAULT_THRESHOLD, combine

    alone = [combine(0.0, None, 0, True, similarity=s) for s in (0.0, 0.02, 0.06, 0.1, 0.3, 0.9)]
    assert alone[0] == 0.0 and alone == sorted(alone) and alone[1] > 0
    assert max(alone) < DEFAULT_THRESHOLD
    # A single indicator word in an unrelated sentence stays below the threshold;
    # the same word in a sentence that talks like the code's codebook text is shown.
    assert combine(1.0, None, 0, True, similarity=0.03) < DEFAULT_THRESHOLD
    assert combine(1.0, None, 0, True, similarity=0.15) >= DEFAULT_THRESHOLD


def test_unknown_compounds_are_lemmatised_by_their_head(lexicon):
    assert lexicon.lemma("styrgruppen") == "styrgrupp"
    assert lexicon.lemma("verksamhetschefer") == "verksamhetschef"
    assert lexicon.parts("samverkansavtalet") == ("samverkan", "avtal")
    assert lexicon.lemma("vårdnad") == "vårdnad" and lexicon.parts("vårdnad") == ()
    # An indicator written as a compound now matches the compound's inflected forms.
    codes = [{"id": "collaboration", "indicators": {"sv": ["samverkansavtal"]}}]
    assert "collaboration" in evidence(lexicon, codes, ["Samverkansavtalen skrevs om."])[0]


PROFILE_CODES = [
    {"id": "collaboration", "labels": {"sv": "samverkan", "en": "collaboration"},
     "definition": "Samarbete mellan kommun och region.",
     "examples": ["Vi skrev ett avtal med regionen om hur vi delar på ansvaret."],
     "indicators": {"sv": ["samverkan"]}},
    {"id": "driver-training", "labels": {"sv": "utbildning", "en": "training"},
     "definition": "Hur personalen utbildas i metoden.",
     "examples": ["Alla gick en kurs på tre dagar med rollspel."],
     "indicators": {"sv": ["utbildning"]}},
]


def _similar(lexicon, codes, sentences):
    from qualcode.suggest.indicators import compile_terms, parse_codes
    from qualcode.suggest.profiles import build_profiles
    from qualcode.suggest.rules import rules_for_text

    text, spans = "", []
    for s in sentences:
        spans.append((len(text), len(text) + len(s)))
        text += s + " "
    compiled = compile_terms(parse_codes(codes, ("sv", "en")), lexicon)
    profiles = build_profiles(codes, lexicon)
    return profiles, [r.similar for r in rules_for_text(compiled, lexicon, text, spans, profiles)]


def test_profile_ranks_the_right_code_without_any_indicator(lexicon):
    profiles, found = _similar(lexicon, PROFILE_CODES, [
        "Kommunen och regionen har ett nytt avtal om ansvaret.",   # no indicator of either code
        "Kursen var tre dagar och vi hade rollspel.",
        "Ska vi ta en paus och hämta kaffe?",
    ])
    assert max(found[0], key=found[0].get) == "collaboration"
    assert max(found[1], key=found[1].get) == "driver-training"
    assert found[2] == {}                                          # small talk shares no words
    words = profiles.explain("Kommunen och regionen har ett nytt avtal om ansvaret.", "collaboration")
    assert "avtal" in words and "och" not in words


def test_profile_uses_compound_parts_and_ignores_stop_words(lexicon):
    from qualcode.suggest.profiles import bag, stop_words

    features = bag(lexicon, "Och det var samverkansavtalet som vi skrev.", stop_words("sv"))
    assert {"samverkan", "avtal", "samverkansavtal"} <= set(features)
    assert not {"och", "det", "som", "vi"} & set(features)
    _, found = _similar(lexicon, PROFILE_CODES, ["Samverkansavtalet gäller nu."])
    assert max(found[0], key=found[0].get) == "collaboration"


def test_one_evidence_entry_per_matched_span(lexicon):
    # budget* and budget both match "budgeten" (equal weight): one entry naming the first
    # in codebook order, counted once in the raw weight.
    codes = [{"id": "phase-installation", "indicators": {"sv": ["budget*", "budget", "nedskärning"]}}]
    both = evidence(lexicon, codes, ["Budgeten kom efter nedskärningen."])[0]["phase-installation"]
    assert both[1] == ["budget* (Budgeten)", "nedskärning (nedskärningen)"]
    single = evidence(lexicon, [{"id": "phase-installation", "indicators": {"sv": ["budget", "nedskärning"]}}],
                      ["Budgeten kom efter nedskärningen."])[0]["phase-installation"]
    assert both[0] == pytest.approx(single[0])
    # Two different words of the same code are still two pieces of evidence.
    assert single[0] > evidence(lexicon, codes, ["Budgeten kom."])[0]["phase-installation"][0]
    # The strongest indicator of a span is the one named: a compound part (0.9) loses to the word.
    codes = [{"id": "purveyor", "indicators": {"sv": ["stöd", "implementeringsstöd"]}}]
    assert evidence(lexicon, codes, ["Vi fick implementeringsstöd."])[0]["purveyor"][1] == ["implementeringsstöd"]


def test_overlapping_spans_stay_separate_evidence(lexicon):
    codes = [{"id": "cold-start", "indicators": {"sv": ["ingen tid", "tid"]}}]
    notes = evidence(lexicon, codes, ["Det fanns ingen tid."])[0]["cold-start"][1]
    assert sorted(notes) == ["ingen tid", "tid"]  # a phrase and a word inside it are different spans


def test_weak_model_does_not_drown_strong_rules():
    from qualcode.suggest.scoring import LAMBDA_DOWN_MAX, combine, evidence_score

    rules = evidence_score(3.0, 0.2)
    # A model with few examples that knows little (p = 0.05) lowers a strong rule score
    # by at most LAMBDA_DOWN_MAX of the gap, whatever the number of examples.
    for n in (1, 3, 10, 100):
        assert combine(3.0, 0.05, n, True, 0.2) >= rules - LAMBDA_DOWN_MAX * (rules - 0.05) - 1e-9
    assert combine(3.0, 0.05, 1, True, 0.2) > combine(3.0, 0.05, 20, True, 0.2)  # its say grows with n
    assert combine(3.0, 0.05, 0, True, 0.2) == rules  # no project examples: no say


def test_confident_model_raises_a_code():
    from qualcode.suggest.scoring import combine, evidence_score

    weak_rules = evidence_score(0.9, 0.05)
    raised = combine(0.9, 0.95, 10, True, 0.05)
    assert raised > weak_rules and raised <= 1.0
    assert combine(0.9, 0.95, 30, True, 0.05) > raised       # more examples, more say
    assert combine(0.9, 0.5, 10, True, 0.05) <= weak_rules    # an unsure model never raises
    assert combine(0.0, 0.95, 30, True, 0.0) > 0.5            # it can show a code the rules missed


def test_model_features_content_words_compound_parts_bigrams(lexicon):
    from qualcode.suggest.model import features, model_stop_words

    feats = features(lexicon, None, "Det fanns ingen tid för chefsbyten.", model_stop_words("sv"))
    assert "det" not in feats and "för" not in feats        # stop words out
    assert "ingen" in feats and "ingen_tid" in feats        # negations kept, bigrams across content words
    assert "chef" in feats                                  # a compound part
    assert features(lexicon, None, "Tid. Chef.", model_stop_words("sv")).count("tid_chef") == 0  # no bigram over punctuation


def test_model_features_carry_the_codebook_signals(lexicon):
    from qualcode.suggest.model import features, model_stop_words
    from qualcode.suggest.rules import SegmentRules

    signals = SegmentRules({"cold-start": (1.0, ["tid"])}, {"cold-start": 0.3, "warm-start": 0.01})
    feats = features(lexicon, None, "Ingen tid.", model_stop_words("sv"), signals)
    assert "§rule:cold-start" in feats and "§simtop:cold-start" in feats and "§sim:cold-start" in feats
    assert "§sim:warm-start" not in feats
