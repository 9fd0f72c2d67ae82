"""WebVTT and SubRip import: voice tags, merged cues, speaker prefixes and malformed timings."""

from __future__ import annotations

import pytest

from qualcode.errors import QualcodeError
from qualcode.importers import parse_file, parse_text

VTT = """WEBVTT
Kind: captions

NOTE Teams export
with two lines

6f3c/1-0
00:00:06.063 --> 00:00:10.445
<v Maria Holm>Hej, hör du mig?</v>

6f3c/2-0
00:00:11.777 --> 00:00:15.743 align:start
<v.loud Jonas Ekström>Ja, nu <b>hör</b> jag.</v>

6f3c/3-0
00:00:16.000 --> 00:00:18.000
<v Jonas Ekström>Det hackade &amp; frös.</v>

01:02.500 --> 01:04.000
<v Maria Holm>Bra.
<v Jonas Ekström>Mm.

01:05.000 --> 01:06.000
utan röst
"""


def turn_texts(parsed):
    return [(t.speaker, t.timestamp, parsed.text[t.start:t.end]) for t in parsed.turns]


def test_vtt_voice_tags_and_merging(tmp_path):
    path = tmp_path / "teams.vtt"
    path.write_text(VTT, encoding="utf-8")
    parsed = parse_file(path)
    assert parsed.format == "vtt"
    assert turn_texts(parsed) == [
        ("Maria Holm", "00:00:06", "Hej, hör du mig?"),
        ("Jonas Ekström", "00:00:11", "Ja, nu hör jag. Det hackade & frös."),
        ("Maria Holm", "00:01:02", "Bra."),
        ("Jonas Ekström", "00:01:02", "Mm. utan röst"),
    ]
    assert parsed.text.splitlines()[0] == "[00:00:06] Maria Holm: Hej, hör du mig?"
    assert all(parsed.text[t.label_start] == "[" for t in parsed.turns)


def test_vtt_with_sidecar_speakers(tmp_path):
    (tmp_path / "teams.vtt").write_text(VTT, encoding="utf-8")
    (tmp_path / "teams.meta.yaml").write_text(
        "site: Mellan I\ndate: 2024-04-03\nspeakers:\n  Maria Holm: {role: intervjuare}\n", encoding="utf-8")
    parsed = parse_file(tmp_path / "teams.vtt")
    assert parsed.attributes == {"site": "Mellan I", "date": "2024-04-03"}
    assert parsed.speakers == {"Maria Holm": {"role": "intervjuare"}}


def test_vtt_name_prefix_inside_cues():
    vtt = ("WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nAnna: Hej.\n\n"
           "00:00:02.000 --> 00:00:03.000\nAnna: Fortsätter.\n\n"
           "00:00:04.000 --> 00:00:05.000\nIP: Svar.\n\n"
           "00:00:06.000 --> 00:00:07.000\nViktigt: inte en talare.\n")
    parsed = parse_text(vtt, source_name="x.vtt", format="vtt")
    assert turn_texts(parsed) == [
        ("Anna", "00:00:01", "Hej. Fortsätter."),
        ("IP", "00:00:04", "Svar. Viktigt: inte en talare."),
    ]


def test_vtt_without_speakers_is_one_turn_without_speaker():
    vtt = "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nförsta\n\n00:00:03.000 --> 00:00:04.000\nandra\n"
    parsed = parse_text(vtt, format="vtt")
    assert len(parsed.turns) == 1 and parsed.turns[0].speaker is None
    assert parsed.text[parsed.turns[0].start:parsed.turns[0].end] == "[00:00:01] första andra"


@pytest.mark.parametrize(
    "content, line, fragment",
    [
        ("WEBVTT\n\n1\n00:00:01 --> 00:00:02\nhej\n", 4, "malformed cue timing"),
        ("WEBVTT\n\n00:00:01.000 --> soon\nhej\n", 3, "malformed cue timing"),
        ("WEBVTT\n\nid\nhej\n", 4, "timing"),
        ("Hej\n\n00:00:01.000 --> 00:00:02.000\nhej\n", 1, "WEBVTT"),
    ],
)
def test_vtt_malformed_timing_names_file_and_line(tmp_path, content, line, fragment):
    path = tmp_path / "bad.vtt"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(QualcodeError) as err:
        parse_file(path)
    assert err.value.path == str(path) and err.value.line == line
    assert fragment in str(err.value)


SRT = """1
00:00:01,000 --> 00:00:03,000
Anna: Hej och välkommen,
vi börjar nu.

2
00:00:03,500 --> 00:00:05,000
<i>Anna:</i> Första frågan.

3
00:00:06,000 --> 00:00:08,000
[Bo] Tack, jag minns.

4
00:00:09,000 --> 00:00:10,000
[Bo]: Det var så.

5
00:00:11,000 --> 00:00:12,000
[MUSIK]

6
00:00:13,000 --> 00:00:14,000
Anna: Slut.
"""


def test_srt_prefixes_and_merging(tmp_path):
    path = tmp_path / "zoom.srt"
    path.write_bytes(SRT.replace("\n", "\r\n").encode("utf-8"))
    parsed = parse_file(path)
    assert parsed.format == "srt"
    assert turn_texts(parsed) == [
        ("Anna", "00:00:01", "Hej och välkommen, vi börjar nu. Första frågan."),
        ("Bo", "00:00:06", "Tack, jag minns. Det var så. [MUSIK]"),
        ("Anna", "00:00:13", "Slut."),
    ]


@pytest.mark.parametrize(
    "content, line",
    [
        ("1\n00:00:01,000 --> 00:00:02,000\nhej\n\n2\n00:00:03 -> 00:00:04\nhopp\n", 6),
        ("1\n00:00:01,000 --> 00:00:02,000\nhej\n\nbara text\n", 5),
        ("1\n", 1),
    ],
)
def test_srt_malformed_names_file_and_line(tmp_path, content, line):
    path = tmp_path / "bad.srt"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(QualcodeError) as err:
        parse_file(path)
    assert err.value.path == str(path) and err.value.line == line


def test_empty_subtitle_file_is_refused(tmp_path):
    path = tmp_path / "empty.vtt"
    path.write_text("WEBVTT\n\nNOTE nothing here\n", encoding="utf-8")
    with pytest.raises(QualcodeError, match="empty transcript"):
        parse_file(path)


def test_dialogue_lines_inside_one_cue_split_speakers():
    srt = ("1\n00:00:01,000 --> 00:00:02,000\n- Anna: Kommer du?\n- Bo: Ja.\n\n"
           "2\n00:00:03,000 --> 00:00:04,000\nAnna: Bra.\nBo: Då går vi.\n")
    parsed = parse_text(srt, format="srt")
    assert turn_texts(parsed) == [
        ("Anna", "00:00:01", "Kommer du?"), ("Bo", "00:00:01", "Ja."),
        ("Anna", "00:00:03", "Bra."), ("Bo", "00:00:03", "Då går vi."),
    ]


def test_voice_names_normalise_like_labels():
    vtt = ("WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n<v IP1>Hej.</v>\n\n"
           "00:00:02.000 --> 00:00:03.000\nIP 1: Igen.\n\n00:00:04.000 --> 00:00:05.000\n<v   Anna   Berg  >Svar.\n")
    parsed = parse_text(vtt, format="vtt")
    assert turn_texts(parsed) == [("IP 1", "00:00:01", "Hej. Igen."), ("Anna Berg", "00:00:04", "Svar.")]
