"""The speaker-line parser: label forms, timestamps, continuations and the false-positive guard."""

from __future__ import annotations

import pytest

from qualcode.importers import parse_text
from qualcode.importers.speakers import normalise_label, normalise_timestamp, parse_speaker_lines


def contents(text, turns):
    return [(t.speaker, t.timestamp, text[t.start:t.end]) for t in turns]


@pytest.mark.parametrize(
    "line, speaker",
    [
        ("I: Hur började det?", "I"),
        ("IP: Det var så.", "IP"),
        ("IP 1: Jag börjar.", "IP 1"),
        ("IP1: Jag börjar.", "IP 1"),
        ("IP  2: Jag börjar.", "IP 2"),
        ("Intervjuare: Hur började det?", "Intervjuare"),
        ("Interviewer: How did it start?", "Interviewer"),
        ("**I:** Hur började det?", "I"),
        ("**IP 2**: Det var så.", "IP 2"),
    ],
)
def test_family_labels_are_speakers_even_once(line, speaker):
    text = "Förord utan talare.\n" + line
    turns = parse_speaker_lines(text)
    assert [t.speaker for t in turns] == [None, speaker]
    content = line.split(":", 1)[1].lstrip("* ").strip()
    assert text[turns[1].start:turns[1].end] == content
    assert turns[1].label_start == len("Förord utan talare.\n")


@pytest.mark.parametrize(
    "first, second, speaker",
    [
        ("Anna: hej", "Anna: igen", "Anna"),
        ("Anna Berg: hej", "Anna Berg: igen", "Anna Berg"),
        ("[Anna] hej", "[Anna] igen", "Anna"),
        ("[Anna]: hej", "[Anna]: igen", "Anna"),
        ("Anna-Karin Öberg: hej", "Anna-Karin Öberg: igen", "Anna-Karin Öberg"),
    ],
)
def test_name_labels_used_twice_are_speakers(first, second, speaker):
    text = f"{first}\nI: fråga\n{second}\n"
    turns = parse_speaker_lines(text)
    assert contents(text, turns) == [(speaker, None, "hej"), ("I", None, "fråga"), (speaker, None, "igen")]


@pytest.mark.parametrize(
    "stamp, expected",
    [
        ("[00:01:23]", "00:01:23"),
        ("00:01:23", "00:01:23"),
        ("(01:23)", "00:01:23"),
        ("[01:23]", "00:01:23"),
        ("[1:02:03]", "01:02:03"),
        ("(00:01:23)", "00:01:23"),
        ("[00:01:23.450]", "00:01:23"),
    ],
)
def test_timestamp_forms(stamp, expected):
    text = f"{stamp} IP: svar här\n{stamp} Anna: en\n{stamp} Anna: två"
    turns = parse_speaker_lines(text)
    assert contents(text, turns) == [
        ("IP", expected, "svar här"), ("Anna", expected, "en"), ("Anna", expected, "två"),
    ]
    assert [t.label_start for t in turns] == [0, text.index("\n") + 1, text.rindex("\n") + 1]


def test_continuation_lines_and_blank_lines_stay_in_the_turn():
    text = "I: fråga\nIP: första raden\nandra raden\n\ntredje stycket   \n\nI: nästa"
    turns = parse_speaker_lines(text)
    assert contents(text, turns) == [
        ("I", None, "fråga"),
        ("IP", None, "första raden\nandra raden\n\ntredje stycket"),
        ("I", None, "nästa"),
    ]


def test_text_before_first_label_is_a_turn_without_speaker():
    text = "\n  Inledning av intervjun.\nMer inledning.\nI: Välkommen."
    turns = parse_speaker_lines(text)
    assert contents(text, turns) == [
        (None, None, "Inledning av intervjun.\nMer inledning."), ("I", None, "Välkommen."),
    ]
    assert turns[0].label_start == 1


def test_label_alone_on_its_line_takes_content_from_next_line():
    text = "I:\nHur började det?\nIP:\n"
    turns = parse_speaker_lines(text)
    assert contents(text, turns) == [("I", None, "Hur började det?"), ("IP", None, "")]


def test_false_positive_guard():
    text = (
        "I: Vad var viktigast?\n"
        "IP: Det var mycket.\n"
        "Viktigt: vi måste hålla i det.\n"          # once: not a speaker
        "Det var så här: ingen hade helheten.\n"  # not a name
        "Region Västra Götaland Norra: x\n"         # four words
        "Kalle2: siffror\n"                         # digit in a name
        "http://example.org: länk\n"
    )
    turns = parse_speaker_lines(text)
    assert [t.speaker for t in turns] == ["I", "IP"]
    assert text[turns[1].start:turns[1].end].endswith("http://example.org: länk")


def test_speakers_map_makes_a_single_use_label_a_speaker():
    text = "I: fråga\nViktigt: svar"
    assert [t.speaker for t in parse_speaker_lines(text)] == ["I"]
    assert [t.speaker for t in parse_speaker_lines(text, known={"Viktigt"})] == ["I", "Viktigt"]


def test_ip1_and_ip_1_are_one_speaker_and_map_keys_normalise():
    text = "---\nspeakers:\n  IP1: {role: chef}\n  'IP  2': {role: personal}\n---\nIP 1: a\nIP1: b\nIP2: c\n"
    parsed = parse_text(text, format="text")
    assert [t.speaker for t in parsed.turns] == ["IP 1", "IP 1", "IP 2"]
    assert parsed.speakers == {"IP 1": {"role": "chef"}, "IP 2": {"role": "personal"}}


def test_offsets_hold_for_every_turn_of_a_mixed_transcript():
    text = "Rubrik\n[00:00:01] I: a b\n00:00:05 IP 1: c\n(00:10) [Anna] d\nfortsätter\n[Anna]: e"
    turns = parse_speaker_lines(text)
    assert contents(text, turns) == [
        (None, None, "Rubrik"), ("I", "00:00:01", "a b"), ("IP 1", "00:00:05", "c"),
        ("Anna", "00:00:10", "d\nfortsätter"), ("Anna", None, "e"),
    ]
    for turn in turns:
        assert text[turn.label_start:].startswith(("Rubrik", "[00", "00", "(00", "[Anna]"))


def test_normalisers():
    assert normalise_label(" IP01 ") == "IP 1"
    assert normalise_label("Anna   Berg") == "Anna Berg"
    assert normalise_timestamp("5:07") == "00:05:07"
    assert normalise_timestamp(None) is None


def test_parser_handles_a_10000_word_transcript():
    # Speed is measured in benchmarks/bench_import.py, not here.
    words = "och det var så att vi jobbade med teamet i kommunen".split()
    lines = [f"[00:{i // 60 % 60:02d}:{i % 60:02d}] {'I' if i % 2 else 'IP'}: " + " ".join(words * 6)
             for i in range(150)]
    text = "\n".join(lines)
    assert len(text.split()) > 10_000
    parsed = parse_text(text)
    assert len(parsed.turns) == 150
    assert [t.speaker for t in parsed.turns[:2]] == ["IP", "I"]
    assert parsed.turns[1].timestamp == "00:00:01"


def test_turns_are_ordered_trimmed_and_in_bounds_for_any_text():
    from hypothesis import given, settings
    from hypothesis import strategies as st

    pieces = st.sampled_from(["I: ", "IP1: ", "Anna: ", "[Bo] ", "(01:23) ", "Viktigt: ", "\n", " ", "\t",
                              "hej", "å", ":", "[", "]", "00:00:01 ", "\n\n"])

    @settings(max_examples=200, deadline=None)
    @given(st.lists(pieces, max_size=40).map("".join))
    def check(text):
        turns = parse_speaker_lines(text)
        previous_end = 0
        for turn in turns:
            assert previous_end <= turn.label_start <= turn.start <= turn.end <= len(text)
            content = text[turn.start:turn.end]
            assert content == content.strip()
            assert turn.label_start == 0 or text[turn.label_start - 1] == "\n"
            previous_end = turn.end
        # Any text with a visible character yields at least one turn.
        assert bool(turns) == bool(text.strip())

    check()
