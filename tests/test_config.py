"""Config files: discovery by walking up, every key, clear errors (exit 2), --config, globs.

Mechanism tests use the throwaway marker rules (NC911 error on BADWORD, NC912 warning
on WARNWORD, see throwaway_rules.py), run alone with --select/--config selecting NC91.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import CLEAN, line_of, run_cli
from notecheck.config import ConfigError, Resolver, load_file
from throwaway_rules import marker_rules  # noqa: F401  (fixture)

pytestmark = pytest.mark.usefixtures("marker_rules")

MARKED = CLEAN.read_text(encoding="utf-8").replace("## Summary\n", "## Summary\nBADWORD and WARNWORD.\n", 1)


def note(path, text=MARKED):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def found(*args) -> tuple[int, list[tuple[str, str]], str]:
    """(exit code, [(file name, code)], stderr) of a JSON check run."""
    code, out, err = run_cli("check", "--output-format", "json", *args)
    items = json.loads(out) if out.strip() else []
    return code, sorted((d["path"].replace("\\", "/").rsplit("/", 1)[-1], d["code"]) for d in items), err


def test_pyproject_table_found_walking_up(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[tool.notecheck]\nselect = ["NC91"]\nignore = ["NC912"]\n')
    path = note(tmp_path / "notes" / "deep" / "a.md")

    code, items, err = found(str(path))

    assert (code, items) == (1, [("a.md", "NC911")]), err


def test_nearest_config_wins_and_pyproject_without_table_is_skipped(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[tool.notecheck]\nselect = ["NC91"]\nignore = ["NC911"]\n')
    (tmp_path / "notes" / "pyproject.toml").parent.mkdir()
    (tmp_path / "notes" / "pyproject.toml").write_text('[tool.black]\nline-length = 100\n')  # no notecheck table
    near = note(tmp_path / "notes" / "a.md")
    nearer = note(tmp_path / "notes" / "sub" / "b.md")
    (tmp_path / "notes" / "sub" / ".notecheck.toml").write_text('select = ["NC91"]\nignore = ["NC912"]\n')

    code, items, err = found(str(near), str(nearer))

    assert items == [("a.md", "NC912"), ("b.md", "NC911")], err


def test_notecheck_toml_may_use_tool_table(tmp_path):
    (tmp_path / ".notecheck.toml").write_text('[tool.notecheck]\nselect = ["NC912"]\n')
    path = note(tmp_path / "a.md")

    assert found(str(path))[1] == [("a.md", "NC912")]


def test_explicit_config_overrides_discovered_one(tmp_path):
    (tmp_path / ".notecheck.toml").write_text('select = ["NC911"]\n')
    other = tmp_path / "elsewhere" / "custom.toml"
    other.parent.mkdir()
    other.write_text('select = ["NC912"]\n')
    path = note(tmp_path / "a.md")

    assert found(str(path))[1] == [("a.md", "NC911")]
    assert found("--config", str(other), str(path))[1] == [("a.md", "NC912")]


def test_cli_select_and_ignore_lay_over_the_file(tmp_path):
    (tmp_path / ".notecheck.toml").write_text('select = ["NC911"]\n')
    path = note(tmp_path / "a.md")

    assert found("--select", "NC912", str(path))[1] == [("a.md", "NC912")]
    assert found("--ignore", "NC911", str(path))[:2] == (0, [])


def test_extend_select_adds_to_select(tmp_path):
    (tmp_path / ".notecheck.toml").write_text('select = ["NC911"]\nextend-select = ["NC912"]\n')
    path = note(tmp_path / "a.md")

    assert found(str(path))[1] == [("a.md", "NC911"), ("a.md", "NC912")]


def test_per_file_ignores_globs_are_relative_to_the_config_folder(tmp_path, monkeypatch):
    project = tmp_path / "project"
    project.mkdir()
    (project / ".notecheck.toml").write_text(
        'select = ["NC91"]\n[per-file-ignores]\n"drafts/*.md" = ["NC911"]\n"b.md" = "NC912"\n')
    draft = note(project / "drafts" / "a.md")
    near_miss = note(project / "notes" / "drafts" / "a.md")  # drafts/ not at the config's folder
    by_name = note(project / "notes" / "b.md")  # a bare file name matches anywhere
    monkeypatch.chdir(tmp_path)  # paths given relative to a folder above the config

    code, out, err = run_cli("check", "--output-format", "json", "project")
    items = sorted((d["path"], d["code"]) for d in json.loads(out))

    assert items == [
        ("project/drafts/a.md", "NC912"),
        ("project/notes/b.md", "NC911"),
        ("project/notes/drafts/a.md", "NC911"),
        ("project/notes/drafts/a.md", "NC912"),
    ], err
    assert {draft.name, near_miss.name, by_name.name} == {"a.md", "b.md"}


def test_per_file_ignores_relative_to_explicit_config(tmp_path, monkeypatch):
    conf = tmp_path / "conf" / "notecheck.toml"
    conf.parent.mkdir()
    conf.write_text('select = ["NC91"]\n[per-file-ignores]\n"../notes/*.md" = ["NC912"]\n"notes/*.md" = ["NC911"]\n')
    note(tmp_path / "notes" / "a.md")
    monkeypatch.chdir(tmp_path)

    # notes/a.md is ../notes/a.md seen from conf/: that pattern applies, "notes/*.md" does not
    assert found("--config", str(conf), "notes/a.md")[1] == [("a.md", "NC911")]


def test_exclude_skips_files_in_folders_but_not_named_files_unless_forced(tmp_path, monkeypatch):
    (tmp_path / ".notecheck.toml").write_text('select = ["NC911"]\nexclude = ["drafts/", "*.tmp.md"]\n')
    note(tmp_path / "drafts" / "a.md")
    note(tmp_path / "b.tmp.md")
    note(tmp_path / "c.md")
    monkeypatch.chdir(tmp_path)

    assert found(".")[1] == [("c.md", "NC911")]
    assert found("drafts/a.md", "c.md")[1] == [("a.md", "NC911"), ("c.md", "NC911")]
    assert found("--force-exclude", "drafts/a.md", "b.tmp.md", "c.md")[1] == [("c.md", "NC911")]


def test_force_exclude_in_config(tmp_path, monkeypatch):
    (tmp_path / ".notecheck.toml").write_text('select = ["NC911"]\nexclude = ["drafts"]\nforce-exclude = true\n')
    note(tmp_path / "drafts" / "a.md")
    monkeypatch.chdir(tmp_path)

    assert found("drafts/a.md")[:2] == (0, [])


def test_every_option_is_read(tmp_path):
    conf = tmp_path / "pyproject.toml"
    conf.write_text(
        "[tool.notecheck]\n"
        'select = ["NC91"]\nignore = ["NC912"]\nextend-select = ["nc911"]\n'
        'required-sections = ["Summary", "Transcript"]\nclip-seconds = [3, 120.5]\n'
        'clip-lead-seconds = 4\nlabel-style = "hms"\nexclude = ["drafts"]\nforce-exclude = true\n'
        'sidecar = "transcripts"\nquote-similarity = 0.9\n'
        '[tool.notecheck.per-file-ignores]\n"old/*.md" = ["NC911", "NC912"]\n')

    cfg = load_file(conf)

    assert cfg.select == ("NC91",) and cfg.ignore == ("NC912",) and cfg.extend_select == ("NC911",)
    assert cfg.required_sections == ("Summary", "Transcript")
    assert cfg.clip_seconds == (3.0, 120.5)
    assert cfg.clip_lead_seconds == 4.0
    assert cfg.label_style == "hms"
    assert cfg.per_file_ignores == (("old/*.md", ("NC911", "NC912")),)
    assert cfg.exclude == ("drafts",) and cfg.force_exclude is True
    assert cfg.sidecar == str(tmp_path / "transcripts")
    assert cfg.quote_similarity == 0.9
    assert cfg.root == str(tmp_path)


@pytest.mark.parametrize("content, key", [
    ('[tool.notecheck]\nslect = ["NC3"]\n', "'slect'"),
    ('[tool.notecheck]\nclip_seconds = [1, 2]\n', "'clip_seconds'"),
    ('[tool.notecheck]\nclip-seconds = [600, 5]\n', "clip-seconds"),
    ('[tool.notecheck]\nclip-seconds = [5]\n', "clip-seconds"),
    ('[tool.notecheck]\nclip-seconds = ["a", 5]\n', "clip-seconds"),
    ('[tool.notecheck]\nselect = ["XX1"]\n', "select"),
    ('[tool.notecheck]\nselect = ["NC99"]\n', "select"),
    ('[tool.notecheck]\nignore = 3\n', "ignore"),
    ('[tool.notecheck]\nrequired-sections = "Summary"\n', "required-sections"),
    ('[tool.notecheck]\nexclude = [""]\n', "exclude"),
    ('[tool.notecheck]\nforce-exclude = "yes"\n', "force-exclude"),
    ('[tool.notecheck]\nlabel-style = "short"\n', "label-style"),
    ('[tool.notecheck]\nquote-similarity = 2\n', "quote-similarity"),
    ('[tool.notecheck]\nclip-lead-seconds = true\n', "clip-lead-seconds"),
    ('[tool.notecheck]\nper-file-ignores = ["a.md"]\n', "per-file-ignores"),
    ('[tool.notecheck.per-file-ignores]\n"a.md" = ["NCX"]\n', "per-file-ignores.a.md"),
    ('[tool.notecheck]\nsidecar = 3\n', "sidecar"),
    ("[tool.notecheck\nselect = 1\n", "not valid TOML"),
    ("[tool]\nnotecheck = 5\n", "must be a table"),
])
def test_bad_config_exits_2_naming_the_key(tmp_path, content, key):
    (tmp_path / "pyproject.toml").write_text(content)
    path = note(tmp_path / "a.md")

    code, out, err = run_cli("check", str(path))

    assert code == 2, out + err
    assert key in err, err
    assert str(tmp_path / "pyproject.toml") in err
    assert "Traceback" not in err and out == ""


def test_unknown_key_suggests_the_right_one(tmp_path):
    (tmp_path / ".notecheck.toml").write_text('per_file_ignores = {}\n')
    code, _, err = run_cli("check", str(note(tmp_path / "a.md")))
    assert code == 2
    assert "unknown option 'per_file_ignores' (did you mean 'per-file-ignores'?" in err


def test_config_not_utf8_or_missing_is_a_clear_error(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_bytes(b'select = ["\xff"]\n')
    path = note(tmp_path / "a.md")

    code, _, err = run_cli("check", "--config", str(bad), str(path))
    assert code == 2 and "not valid TOML" in err and "Traceback" not in err

    code, _, err = run_cli("check", "--config", str(tmp_path / "missing.toml"), str(path))
    assert code == 2 and "cannot read config" in err and "missing.toml" in err


@pytest.mark.parametrize("flag", ["--select", "--ignore", "--extend-select"])
def test_bad_codes_on_the_command_line_exit_2(tmp_path, flag):
    code, out, err = run_cli("check", flag, "NC9999", str(note(tmp_path / "a.md")))
    assert code == 2 and flag in err and "NC9999" in err and "Traceback" not in err


def test_config_edits_are_seen_by_a_later_run_in_the_same_process(tmp_path):
    conf = tmp_path / ".notecheck.toml"
    conf.write_text('select = ["NC911"]\n')
    path = note(tmp_path / "a.md")
    assert found(str(path))[1] == [("a.md", "NC911")]
    conf.write_text('select = ["NC912"]\n')
    assert found(str(path))[1] == [("a.md", "NC912")]


def test_resolver_reads_each_folder_once(tmp_path):
    (tmp_path / ".notecheck.toml").write_text('select = ["NC911"]\n')
    resolver = Resolver()
    first = resolver(str(tmp_path / "a.md"))
    (tmp_path / ".notecheck.toml").write_text('select = ["NC912"]\n')
    assert resolver(str(tmp_path / "b.md")) is first  # one run sees one config per folder


def test_config_error_is_a_value_error():
    with pytest.raises(ConfigError, match="clip-seconds"):
        from notecheck.config import from_mapping

        from_mapping({"clip-seconds": [9, 1]})


def test_required_sections_and_clip_seconds_reach_the_rules(tmp_path):
    (tmp_path / ".notecheck.toml").write_text(
        'select = ["NC201", "NC408"]\nrequired-sections = ["Summary", "Chapters"]\nclip-seconds = [5, 70]\n')
    path = note(tmp_path / "a.md", CLEAN.read_text(encoding="utf-8"))
    text = path.read_text(encoding="utf-8")

    code, out, err = run_cli("check", "--output-format", "json", str(path))
    items = [(d["code"], d["line"]) for d in json.loads(out)]

    # the clean note has no Chapters section; its clips last 65, 80 and 75 s
    assert items == [("NC201", line_of(text, "\n# Maria") + 1),  # reported at the H1
                     ("NC408", line_of(text, "*25:10-26:30")), ("NC408", line_of(text, "*1:02:00-1:03:15"))], err
    assert "'## Chapters'" in json.loads(out)[0]["message"]

    (tmp_path / ".notecheck.toml").write_text('select = ["NC201", "NC408"]\n')
    assert found(str(path))[:2] == (0, [])


_TOML_KEY = st.sampled_from(["tool", '"tool"', "'tool'"])
_NC_KEY = st.sampled_from(["notecheck", '"notecheck"', "'notecheck'"])
_SP = st.sampled_from(["", " ", "  ", "\t"])


@st.composite
def _pyprojects(draw):
    """pyproject.toml texts writing tool.notecheck in each way TOML has, or naming notecheck elsewhere."""
    tool, nc, a, b, c = draw(_TOML_KEY), draw(_NC_KEY), draw(_SP), draw(_SP), draw(_SP)
    other = draw(st.sampled_from(["", "[project]\nname = \"notecheck\"\ndependencies = [\"notecheck>=0.2\"]\n",
                                  "[tool.hatch]\nx = 1\n", "# notecheck tool notes\n"]))
    filler = "".join(f"k{i} = {i}\n" for i in range(draw(st.integers(0, 12))))
    shapes = [
        f"[{a}{tool}{b}.{c}{nc}{a}]\nselect = [\"NC3\"]\n",
        f"[[{tool}.{nc}]]\nselect = 1\n",
        f"{tool}{a}.{b}{nc}.select = [\"NC3\"]\n",
        f"[{a}{tool}{b}]\n{filler}{nc} = {{ select = [\"NC3\"] }}\n",
        f"{tool} = {{ hatch = {{ x = 1 }}, {filler.strip().replace(chr(10), ', ')}{',' if filler else ''} {nc} = {{ select = 1 }} }}\n",
        "[project]\nname = \"notecheck\"\n",  # names it, no table
    ]
    return (other + draw(st.sampled_from(shapes))).encode()


@settings(max_examples=500, deadline=None)
@given(_pyprojects())
def test_a_pyproject_with_a_notecheck_table_is_never_skipped_unparsed(data):
    # config discovery parses a pyproject.toml only when a cheap search says it may hold
    # [tool.notecheck]; the search must never say no to one that does
    import tomllib

    from notecheck import config

    try:
        tool = tomllib.loads(data.decode()).get("tool")
    except tomllib.TOMLDecodeError:
        return  # broken: see the test below
    if isinstance(tool, dict) and "notecheck" in tool:
        assert config._may_hold_notecheck_table(data), data
        assert config._has_notecheck_table(data)


def test_a_broken_notecheck_table_is_still_parsed_and_reported(tmp_path):
    # a [tool.notecheck] the TOML parser refuses is reported (not silently skipped); a broken
    # pyproject.toml that cannot hold the table (it names notecheck as a dependency) is not
    # notecheck's config
    from notecheck import config

    broken = b'[tool.notecheck\nselect = ["NC3"]\n'
    assert config._may_hold_notecheck_table(broken) and config._has_notecheck_table(broken)
    (tmp_path / "pyproject.toml").write_bytes(broken)
    with pytest.raises(ConfigError):
        config.discover(tmp_path)
    (tmp_path / "pyproject.toml").write_bytes(b'[project]\ndependencies = ["notecheck"]\n[project]\n')
    assert config.discover(tmp_path) == config.Config()


def test_a_pyproject_naming_notecheck_only_as_a_dependency_is_not_parsed():
    from notecheck import config

    assert not config._may_hold_notecheck_table(b'[project]\nname = "x"\ndependencies = ["notecheck"]\n')
    assert config._may_hold_notecheck_table(b'["\\u0074ool".notecheck]\nselect = 1\n')  # an escaped key: parsed


def test_the_builtin_code_catalog_is_what_the_rule_modules_register():
    from notecheck.rules import BUILTIN_CODES, FAMILIES, REGISTRY, all_rules

    all_rules()
    builtin = sorted(code for code, r in REGISTRY.items()
                     if r.check.__module__.rpartition(".")[2] in FAMILIES and r.check.__module__.startswith("notecheck."))
    assert list(BUILTIN_CODES) == builtin


@pytest.mark.parametrize("codes, valid", [
    ('["NC202", "NC5", "NC009", "NC", "ALL"]', True),  # a code, a prefix, the suppression warning, every rule
    ('["NC605"]', False), ('["NC7"]', False), ('["NC30"]', True), ('["NC412"]', False),  # past the catalog, no family
])
def test_config_codes_are_checked_without_importing_a_rule(tmp_path, codes, valid):
    # a run answered from the cache imports no rule module: the config's codes are checked against
    # the catalog; only a code it does not hold asks every rule module (and is then refused)
    (tmp_path / "c.toml").write_text(f"ignore = {codes}\n")
    script = ("import sys\nfrom notecheck.config import load_file, ConfigError\n"
              "try:\n    load_file(sys.argv[1]); print('valid')\n"
              "except ConfigError as exc:\n    print('refused', exc)\n"
              "print('notecheck.rules.quotes' in sys.modules)\n")
    got = subprocess.run([sys.executable, "-c", script, str(tmp_path / "c.toml")], capture_output=True, text=True)
    verdict, imported = got.stdout.split("\n")[:2]
    assert verdict.startswith("valid" if valid else "refused"), got.stdout + got.stderr
    assert imported == str(not valid)  # the rule modules are imported only to refuse a code


def test_one_run_walks_each_folder_up_once_and_still_finds_the_nearest_config(tmp_path, monkeypatch):
    # an archive's folders share the walk above them: the resolver remembers each folder's answer,
    # and a folder with a config of its own (or below one) still gets that one
    from notecheck import config as config_mod

    (tmp_path / ".notecheck.toml").write_text('ignore = ["NC202"]\n')
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / ".notecheck.toml").write_text('ignore = ["NC301"]\n')
    for folder in ("a", "a/x", "b/c", "d"):
        (tmp_path / folder).mkdir(parents=True, exist_ok=True)
        note(tmp_path / folder / "n.md")
    asked: list[str] = []
    real_is_file = config_mod.Path.is_file
    monkeypatch.setattr(config_mod.Path, "is_file", lambda self: asked.append(str(self)) or real_is_file(self))
    resolver = Resolver()
    got = {f: resolver(str(tmp_path / f / "n.md")).ignore for f in ("a", "a/x", "b/c", "d")}
    assert got == {"a": ("NC202",), "a/x": ("NC202",), "b/c": ("NC301",), "d": ("NC202",)}
    assert len(asked) == len(set(asked))  # no file looked for twice
    assert str(tmp_path / ".notecheck.toml") in asked and str(tmp_path.parent / ".notecheck.toml") not in asked
