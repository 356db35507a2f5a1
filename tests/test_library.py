"""The library API as a user script sees it: one path or many, a missing path raises,
Config(...) validated like the config file, and typed (checked with mypy on a script)."""

from __future__ import annotations

from pathlib import Path

import pytest

import notecheck
from conftest import CLEAN
from notecheck import Config, ConfigError

BAD = CLEAN.read_text(encoding="utf-8").replace("&t=95s) People", "&t=96s) People", 1)


@pytest.fixture
def folder(tmp_path):
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "a.md").write_text(BAD, encoding="utf-8")
    (tmp_path / "notes" / "b.md").write_text(BAD, encoding="utf-8")
    return tmp_path / "notes"


def test_check_paths_takes_one_path_or_many(folder):
    one = notecheck.check_paths(str(folder))
    assert [(Path(d.path).name, d.code) for d in one] == [("a.md", "NC301"), ("b.md", "NC301")]
    assert notecheck.check_paths(folder) == one  # a Path
    assert notecheck.check_paths([str(folder / "a.md"), folder / "b.md"]) == one
    assert notecheck.check_paths(str(folder / "a.md")) == one[:1]  # not read letter by letter


def test_check_paths_raises_for_a_missing_path(folder):
    with pytest.raises(FileNotFoundError) as info:
        notecheck.check_paths([str(folder / "a.md"), str(folder / "missing.md")])
    assert info.value.filename == str(folder / "missing.md")


def test_config_validates_like_the_config_file():
    assert Config(select="NC3").select == ("NC3",)  # one prefix, not "N", "C", "3"
    assert Config(select="nc3,NC501").select == ("NC3", "NC501")
    assert Config(clip_seconds=[5, 60]).clip_seconds == (5.0, 60.0)
    assert Config(severity={"NC306": "warning"}).severity_of("NC306", "error") == "warning"
    assert Config(sidecar=False).use_sidecar is False
    hash(Config(per_file_ignores={"a.md": ["NC3"]}, severity={"NC3": "warning"}))  # stays hashable
    for kwargs, says in [({"select": ("NC999",)}, "select: 'NC999' matches no rule"),
                         ({"ignore": "XX1"}, "is not a rule code"),
                         ({"label_style": "short"}, "label_style: expected"),
                         ({"clip_seconds": (60, 5)}, "clip_seconds: min 60 is larger than max 5"),
                         ({"quote_similarity": 2}, "quote_similarity"),
                         ({"severity": {"NC301": "fatal"}}, "severity.NC301"),
                         ({"required_sections": "Summary"}, "required_sections")]:
        with pytest.raises(ConfigError, match=None) as info:
            Config(**kwargs)
        assert says in str(info.value), kwargs


def test_config_reaches_the_rules_through_check_text():
    assert [d.code for d in notecheck.check_text(BAD, config=Config(select="NC3"))] == ["NC301"]
    assert notecheck.check_text(BAD, config=Config(select="NC2")) == []
    (d,) = notecheck.check_text(BAD, config=Config(select="NC3", severity={"NC3": "warning"}))
    assert d.severity == "warning"


def test_fix_text_and_fix_result_are_plain_attributes():
    import notecheck.fixer as fixer
    import notecheck.note as note

    assert notecheck.fix_text is fixer.fix_text and notecheck.FixResult is fixer.FixResult
    # imported on first use (PEP 562), then plain attributes of the package; the type checker
    # reads them from the package's TYPE_CHECKING imports (test_mypy_sees_the_types_of_a_user_script)
    assert vars(notecheck)["fix_text"] is fixer.fix_text and vars(notecheck)["FixResult"] is fixer.FixResult
    assert notecheck.parse is note.parse and notecheck.Note is note.Note
    assert {"parse", "Note", "fix_text", "FixResult"} <= set(dir(notecheck))
    with pytest.raises(AttributeError, match="no attribute 'fix_txt'"):
        notecheck.fix_txt  # noqa: B018 - a typo is an AttributeError, not a lazy import
    result = notecheck.fix_text(BAD)
    assert result.text == CLEAN.read_text(encoding="utf-8") and [d.code for d in result.applied] == ["NC301"]


def test_package_ships_py_typed():
    assert (Path(notecheck.__file__).parent / "py.typed").is_file()


def test_mypy_sees_the_types_of_a_user_script(tmp_path):
    mypy = pytest.importorskip("mypy.api")
    (tmp_path / "user.py").write_text(
        "import notecheck\n"
        "from notecheck import Config, Diagnostic, FixResult, check_paths, fix_text\n"
        "result: FixResult = fix_text('---\\n---\\n', Config(select=('NC3',)))\n"
        "text: str = result.text\n"
        "applied: list[Diagnostic] = result.applied\n"
        "diags: list[Diagnostic] = check_paths('notes') + notecheck.check_paths(['a.md'])\n"
        "remaining: list[Diagnostic] = notecheck.fix_text('x', unsafe=True).remaining\n", encoding="utf-8")
    (tmp_path / "wrong.py").write_text("import notecheck\ncount: int = notecheck.fix_text('x')\n", encoding="utf-8")
    args = ["--strict", "--cache-dir", str(tmp_path / ".mypy_cache"), "--no-incremental"]

    out, err, code = mypy.run([*args, str(tmp_path / "user.py")])
    assert code == 0, out + err
    assert out.startswith("Success")

    # not Any: a wrong use is an error naming FixResult
    out, err, code = mypy.run([*args, str(tmp_path / "wrong.py")])
    assert code == 1 and 'expression has type "FixResult", variable has type "int"' in out, out + err
