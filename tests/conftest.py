"""Shared fixtures: a tiny codebook, a fresh project, sample transcripts."""

from __future__ import annotations

from pathlib import Path

import os

import pytest
from hypothesis import settings

# CI runs the property tests with a fixed seed, so a landing never depends on luck;
# locally they explore new examples on every run.
settings.register_profile("ci", derandomize=True, deadline=None, print_blob=True)
settings.register_profile("dev", deadline=None)
settings.load_profile("ci" if os.environ.get("CI") else "dev")

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"

TINY_CODEBOOK = """\
name: Tiny test codebook
version: "0.1"
language: sv
themes:
  - id: readiness
    uuid: 6a0f4f52-8f3c-4a49-9d43-0c6a4d7f0a01
    label: {sv: Beredskap, en: Readiness}
    color: "#4C78A8"
codes:
  - id: warm-start
    uuid: 6a0f4f52-8f3c-4a49-9d43-0c6a4d7f0a02
    parent: readiness
    label: {sv: varmstart, en: warm start}
    definition: Organisationen startar redo.
    inclusion: Tidigare erfarenhet, engagerade chefer.
    exclusion: Brist på beredskap kodas som kallstart.
    examples: ["Vi hade jobbat så förut."]
    indicators:
      sv: [erfarenhet, engagerad, "jobbat så förut"]
      en: [experience]
    color: "#59A14F"
    shortcut: "1"
  - id: cold-start
    uuid: 6a0f4f52-8f3c-4a49-9d43-0c6a4d7f0a03
    parent: readiness
    label: {sv: kallstart, en: cold start}
    definition: Organisationen startar oförberedd.
    inclusion: Chefsbyten, nedskärningar, ingen tid.
    exclusion: Beredskap kodas som varmstart.
    examples: ["Chefen byttes tre gånger."]
    indicators:
      sv: [chef, nedskärning, "ingen tid"]
      en: [cuts]
    color: "#E15759"
    shortcut: "2"
"""

GROUP_INTERVIEW = """\
---
title: Gruppintervju Syd
site: Syd
organisation: kommun
role: personal
date: 2024-05-02
speakers:
  IP 1: {role: case manager, organisation: psykiatri}
  IP 2: {role: chef}
---
I: Spelar den in nu? Bra. Hur började det?
IP 1: Vi hade jobbat så förut. Det fanns mycket erfarenhet i teamet.
IP2: Chefen byttes tre gånger första året. Det var tufft.
I: Och sedan?
IP 1: Sedan gick det bättre.
Vi fick handledning varje vecka.
"""


@pytest.fixture(autouse=True)
def _isolated_config(tmp_path_factory, monkeypatch):
    """A developer's own ~/.config/qualcode (keymap) or QUALCODE_* never leaks into a test."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path_factory.mktemp("xdg")))
    monkeypatch.delenv("QUALCODE_PROJECT", raising=False)
    monkeypatch.delenv("QUALCODE_CODER", raising=False)


@pytest.fixture
def codebook_file(tmp_path: Path) -> Path:
    path = tmp_path / "tiny.yaml"
    path.write_text(TINY_CODEBOOK, encoding="utf-8")
    return path


@pytest.fixture
def project(tmp_path: Path, codebook_file: Path):
    from qualcode.project import init_project

    p = init_project(tmp_path / "proj", language="sv", codebook=codebook_file, coder="anna")
    yield p
    p.close()


@pytest.fixture
def group_file(tmp_path: Path) -> Path:
    path = tmp_path / "syd-grupp.md"
    path.write_text(GROUP_INTERVIEW, encoding="utf-8")
    return path


@pytest.fixture
def imported(project, group_file):
    """A project with the group interview imported; returns (project, transcript)."""
    from qualcode.ingest import import_paths
    from qualcode.transcripts import resolve

    import_paths(project, [group_file])
    return project, resolve(project.db, "syd-grupp")


@pytest.fixture
def project_from(tmp_path: Path):
    """Build a project from codebook text and one transcript's text: make(codebook, transcript, name).

    Returns (project, transcript id); the project is closed after the test.
    """
    from qualcode.ingest import import_paths
    from qualcode.project import init_project

    made = []

    def make(codebook: str, transcript: str, name: str = "interview.md"):
        book = tmp_path / "book.yaml"
        book.write_text(codebook, encoding="utf-8")
        source = tmp_path / name
        source.write_text(transcript, encoding="utf-8")
        project = init_project(tmp_path / "proj", language="sv", codebook=book, coder="anna")
        made.append(project)
        import_paths(project, [source])
        return project, project.db.execute("SELECT id FROM transcripts").fetchone()[0]

    yield make
    for project in made:
        project.close()


def run_cli(*args: str, input: str | None = None):
    """Run the CLI in-process; returns click's Result."""
    from click.testing import CliRunner

    import qualcode.cli  # noqa: F401  (registers every command)
    from qualcode.cli.base import cli

    return CliRunner().invoke(cli, list(args), input=input, catch_exceptions=False)
