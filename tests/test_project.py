"""Finding and creating projects."""

from __future__ import annotations

import pytest

from qualcode.errors import QualcodeError
from qualcode.project import ENV_PROJECT, find_project, init_project


def test_init_creates_folders_and_database(tmp_path):
    p = init_project(tmp_path / "study", language="en")
    for sub in ("transcripts", "codebooks", "exports"):
        assert (p.root / sub).is_dir()
    assert p.db_path.is_file()
    assert p.language == "en"


def test_init_twice_is_refused(tmp_path):
    init_project(tmp_path / "study")
    with pytest.raises(QualcodeError, match="already"):
        init_project(tmp_path / "study")


def test_unknown_language_is_refused_before_anything_is_created(tmp_path):
    with pytest.raises(QualcodeError, match="language 'xx'"):
        init_project(tmp_path / "study", language="xx")
    assert not (tmp_path / "study").exists()


def test_discovery_order(tmp_path, monkeypatch):
    a = init_project(tmp_path / "a")
    b = init_project(tmp_path / "b")
    deep = a.root / "transcripts" / "syd"
    deep.mkdir()
    monkeypatch.delenv(ENV_PROJECT, raising=False)
    assert find_project(cwd=deep).root == a.root
    monkeypatch.setenv(ENV_PROJECT, str(b.root))
    assert find_project(cwd=deep).root == b.root
    assert find_project(explicit=a.root, cwd=deep).root == a.root


def test_missing_project_folder_is_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.delenv(ENV_PROJECT, raising=False)
    with pytest.raises(QualcodeError, match="does not exist"):
        find_project(explicit=tmp_path / "nope")
    with pytest.raises(QualcodeError, match="qualcode init"):
        find_project(cwd=tmp_path)


def test_coder_identity_order(project, monkeypatch):
    monkeypatch.delenv("QUALCODE_CODER", raising=False)
    assert project.coder() == "anna"
    monkeypatch.setenv("QUALCODE_CODER", "bertil")
    assert project.coder() == "bertil"
    assert project.coder("cecilia") == "cecilia"
