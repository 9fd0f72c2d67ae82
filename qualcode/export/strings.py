"""The report's fixed words in Swedish and English (the project's language chooses)."""

from __future__ import annotations

EN = {
    "subtitle": "Coded excerpts by {by}",
    "project": "Project", "codebook": "Codebook", "version": "version", "coders": "Coders", "date": "Date",
    "filters": "Filters", "no_filters": "none (all coded excerpts)", "contents": "Contents",
    "counts": "{quotes} quotes from {codings} codings in {transcripts} transcripts",
    "pseudonyms": "Pseudonyms", "pseudonyms_applied": "names replaced with pseudonyms",
    "summary": "Summary", "summary_caption": "Codings per code and {col}; darker cells hold more codings.",
    "transcripts_row": "Transcripts", "total": "Total",
    "other_codes": "Codes outside the themes",
    "definition": "Definition", "source": "Source", "inclusion": "Inclusion", "exclusion": "Exclusion",
    "examples": "Examples", "appendix": "Appendix: codebook", "turn": "turn", "turns": "turns",
    "indicators": "Indicators", "nothing_coded": "nothing is coded yet; this report holds the codebook",
}
SV = {
    "subtitle": "Kodade citat efter {by}",
    "project": "Projekt", "codebook": "Kodbok", "version": "version", "coders": "Kodare", "date": "Datum",
    "filters": "Urval", "no_filters": "inget (alla kodade citat)", "contents": "Innehåll",
    "counts": "{quotes} citat från {codings} kodningar i {transcripts} transkript",
    "pseudonyms": "Pseudonymer", "pseudonyms_applied": "namn ersatta med pseudonymer",
    "summary": "Sammanfattning", "summary_caption": "Kodningar per kod och {col}; mörkare celler har fler kodningar.",
    "transcripts_row": "Transkript", "total": "Totalt",
    "other_codes": "Koder utanför teman",
    "definition": "Definition", "source": "Källa", "inclusion": "Inkludering", "exclusion": "Exkludering",
    "examples": "Exempel", "appendix": "Bilaga: kodbok", "turn": "replik", "turns": "repliker",
    "indicators": "Indikatorer", "nothing_coded": "inget är kodat ännu; rapporten innehåller kodboken",
}
ATTRS_SV = {"theme": "tema", "code": "kod", "site": "plats", "organisation": "organisation", "role": "roll",
            "transcript": "transkript", "coder": "kodare", "speaker": "talare"}


def get(language: str) -> dict:
    return SV if language == "sv" else EN


def attr(language: str, name: str) -> str:
    """An attribute's name for headings and captions, e.g. site -> plats in Swedish."""
    return ATTRS_SV.get(name, name) if language == "sv" else name
