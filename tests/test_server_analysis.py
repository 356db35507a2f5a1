"""What the server computes, without a client: same findings as `check`, fixes as `fix`,
suppression comments the parser accepts, settings over the config like the CLI's options."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import FIXTURES, ROOT, SAMPLES, line_of, run_cli
from notecheck.server.analysis import Settings, TextChange, analyze, fix_all, minimal_change, settings_from
from notecheck.server.positions import LineIndex
from notecheck.suppressions import suppression_comment

EXAMPLE = ROOT / "examples" / "aBcD3fGh1jK.md"
SAMPLE = SAMPLES / "lXUZvyajciY.md"
URL = "https://www.youtube.com/watch?v=aBcD3fGh1jK"


def defective(text: str) -> str:
    """The bundled example with four defects: NC102 in the front matter, NC301 after an
    emoji and CJK, NC303 (report only) and NC407 inside a clip command."""
    return (text.replace('duration_formatted: "1:06:40"', 'duration_formatted: "1:06:41"')
            .replace(f"**Twenty years of trials** ([8:20]({URL}&t=500s))",
                     f"**Twenty years 🌱 of 土壌 trials** ([8:20]({URL}&t=520s))")
            .replace(f"- **Andalusia** ([8:20]({URL}&t=500s))", f"- **Andalusia** ([1:10:00]({URL}&t=4200s))")
            .replace('-o "aBcD3fGh1jK-25m10s.mp4"', '-o "aBcD3fGh1jK-25m11s.mp4"'))


def apply_changes(text: str, changes) -> str:
    """Apply LSP text edits (UTF-16 ranges on the original text) the way a client does."""
    index = LineIndex(text)
    spans = sorted(((index.offset(c.range[0], c.range[1]), index.offset(c.range[2], c.range[3]), c.new_text)
                    for c in changes), reverse=True)
    for start, end, new in spans:
        text = text[:start] + new + text[end:]
    return text


def cli_findings(path) -> list[tuple[str, int, str]]:
    code, out, _ = run_cli("check", "--output-format", "json", str(path))
    return [(d["code"], d["line"], d["message"]) for d in json.loads(out)]


def items_as_cli(result, text: str) -> list[tuple[str, int, str]]:
    return [(i.code, i.range[0] + 1, i.message) for i in result.items]


@pytest.fixture
def note(tmp_path):
    path = tmp_path / "aBcD3fGh1jK.md"
    path.write_text(defective(EXAMPLE.read_text(encoding="utf-8")), encoding="utf-8")
    return path


# ------------------------------------------------------------------------------ findings


@pytest.mark.parametrize("path", [EXAMPLE, SAMPLE, FIXTURES / "sidecar" / "Hs9kWq2TzLm.md", FIXTURES / "variations.md"])
def test_same_findings_as_check_on_files(path):
    text = path.read_text(encoding="utf-8")
    assert items_as_cli(analyze(text, str(path)), text) == cli_findings(path)


def test_same_findings_as_check_with_the_sidecar_beside_the_note(tmp_path):
    for name in ("Hs9kWq2TzLm.md", "Hs9kWq2TzLm.json"):
        shutil.copy(FIXTURES / "sidecar" / name, tmp_path / name)
    path = tmp_path / "Hs9kWq2TzLm.md"
    text = path.read_text(encoding="utf-8").replace("&t=1506s)", "&t=1508s)").replace("[25:06]", "[25:08]")
    path.write_text(text, encoding="utf-8")
    result = analyze(text, str(path))
    assert [(i.code, i.applicability) for i in result.items] == [("NC602", "unsafe")]
    assert items_as_cli(result, text) == cli_findings(path)


def utf16_slice(text: str, r) -> str:
    """The text an LSP range covers, cut the way a UTF-16 editor cuts it."""
    line = text.split("\n")[r[0]]
    assert r[0] == r[2]
    return line.encode("utf-16-le")[2 * r[1]:2 * r[3]].decode("utf-16-le")


def test_defects_with_exact_utf16_ranges(note):
    text = note.read_text(encoding="utf-8")
    result = analyze(text, str(note))
    got = [(i.code, i.severity, i.range, i.applicability) for i in result.items]
    assert got == [
        ("NC102", "error", (5, 21, 5, 28), "safe"),
        ("NC407", "error", (47, 156, 47, 162), "safe"),
        ("NC301", "error", (71, 89, 71, 93), "safe"),
        ("NC303", "error", (80, 18, 80, 25), None),
    ]
    assert [utf16_slice(text, i.range) for i in result.items] == ["1:06:41", "25m11s", "520s", "1:10:00"]
    # the emoji before the NC301 finding is one code point but two UTF-16 units
    assert text.split("\n")[71].index("520s") == 88
    assert items_as_cli(result, text) == cli_findings(note)


def test_a_note_without_path_and_a_half_typed_one_are_checked():
    assert analyze("---\nvideo_id: [\n", None).items  # broken YAML: a finding, no exception
    for cut in range(0, 2000, 97):
        analyze(defective(EXAMPLE.read_text(encoding="utf-8"))[:cut], None)


def test_nul_bytes_are_nc001_as_on_disk():
    assert [i.code for i in analyze("---\x00\n", None).items] == ["NC001"]


# ------------------------------------------------------------------------------ config and settings


def test_settings_lay_over_the_config_like_the_command_line(tmp_path, note):
    (tmp_path / ".notecheck.toml").write_text('ignore = ["NC303"]\n', encoding="utf-8")
    text = note.read_text(encoding="utf-8")
    codes = lambda s: [i.code for i in analyze(text, str(note), s).items]  # noqa: E731
    assert codes(Settings()) == ["NC102", "NC407", "NC301"]
    assert codes(Settings(ignore=("NC3",))) == ["NC102", "NC407"]
    assert codes(Settings(select=("NC1", "NC3"))) == ["NC102", "NC301"]  # the file's ignore still holds
    code, out, _ = run_cli("check", "--output-format", "json", "--select", "NC1,NC3", str(note))
    assert [d["code"] for d in json.loads(out)] == ["NC102", "NC301"]


def test_per_file_ignores_exclude_and_a_broken_config(tmp_path, note):
    text = note.read_text(encoding="utf-8")
    cfg = tmp_path / "pyproject.toml"
    cfg.write_text('[tool.notecheck.per-file-ignores]\n"aBcD*.md" = ["NC4"]\n', encoding="utf-8")
    assert [i.code for i in analyze(text, str(note)).items] == ["NC102", "NC301", "NC303"]
    cfg.write_text('[tool.notecheck]\nexclude = ["aBcD3fGh1jK.md"]\n', encoding="utf-8")
    assert analyze(text, str(note)).excluded and analyze(text, str(note)).items == []
    cfg.write_text('[tool.notecheck]\nselcet = ["NC1"]\n', encoding="utf-8")
    result = analyze(text, str(note))
    assert result.items == [] and "unknown option 'selcet'" in result.error


def test_client_settings_parsing():
    s, problems = settings_from({"notecheck": {"select": ["nc3"], "ignore": "NC301,NC302", "unsafeFixes": True}})
    assert s == Settings(("NC3",), ("NC301", "NC302"), True) and problems == []
    s2, problems = settings_from({"select": ["NC999"], "unsafeFixes": "yes"}, s)
    assert s2 == s  # a bad value keeps the current one, and says why
    assert problems == ["setting select: 'NC999' matches no rule ('notecheck rules' lists them)",
                        "setting unsafeFixes: expected true or false, got 'yes'"]
    assert settings_from({"select": [], "ignore": None}, s)[0] == Settings(None, (), True)
    assert settings_from(None, s)[0] == s


# ------------------------------------------------------------------------------ fixes


def test_fix_all_is_the_text_notecheck_fix_writes(note, tmp_path):
    text = note.read_text(encoding="utf-8")
    change = fix_all(text, str(note))
    assert change is not None
    fixed = apply_changes(text, [change])
    code, _, _ = run_cli("fix", str(note))
    assert fixed == note.read_text(encoding="utf-8") != text


def test_fix_all_keeps_crlf_and_bom(tmp_path):
    path = tmp_path / "aBcD3fGh1jK.md"
    text = "\ufeff" + defective(EXAMPLE.read_text(encoding="utf-8")).replace("\n", "\r\n")
    path.write_bytes(text.encode("utf-8"))
    fixed = apply_changes(text, [fix_all(text, str(path))])
    run_cli("fix", str(path))
    assert fixed.encode("utf-8") == path.read_bytes()
    assert fixed.startswith("\ufeff---\r\n") and "\n" not in fixed.replace("\r\n", "")


def test_each_quick_fix_alone_matches_fix_on_a_note_with_only_that_defect(tmp_path):
    clean = EXAMPLE.read_text(encoding="utf-8")
    for old, new in [('duration_formatted: "1:06:40"', 'duration_formatted: "1:06:41"'),
                     ("&t=500s)) - Her plots", "&t=520s)) - Her plots"),
                     ('-o "aBcD3fGh1jK-25m10s.mp4"', '-o "aBcD3fGh1jK-25m11s.mp4"')]:
        text = clean.replace(old, new, 1)
        path = tmp_path / "aBcD3fGh1jK.md"
        path.write_text(text, encoding="utf-8")
        [item] = analyze(text, str(path)).items
        run_cli("fix", str(path))
        assert apply_changes(text, item.fix.changes) == path.read_text(encoding="utf-8") == clean
        assert "(unsafe)" not in item.fix.title


@given(st.text(alphabet="ab\r\n😀土", max_size=12), st.text(alphabet="ab\r\n😀土", max_size=12))
def test_minimal_change_turns_old_into_new_and_never_splits_crlf(old, new):
    change = minimal_change(old, new, LineIndex(old))
    if old == new:
        assert change is None
        return
    assert apply_changes(old, [change]) == new
    index = LineIndex(old)
    for line, char in (change.range[:2], change.range[2:]):
        at = index.offset(line, char)
        assert not (0 < at < len(old) and old[at - 1] == "\r" and old[at] == "\n")


def test_minimal_change_of_a_large_note_is_small():
    old = SAMPLE.read_text(encoding="utf-8")
    new = old.replace("t=4500s", "t=5100s")
    change = minimal_change(old, new, LineIndex(old))
    assert change == TextChange((281, 56, 281, 58), "51")  # t=4500s -> t=5100s


# ------------------------------------------------------------------------------ disable comments


@pytest.mark.parametrize("path", ["note", SAMPLE])
def test_each_disable_action_silences_its_finding_and_nothing_else(path, note):
    path = note if path == "note" else path
    text = path.read_text(encoding="utf-8")
    result = analyze(text, str(path))
    assert result.items
    for item in result.items:
        silenced = apply_changes(text, item.disable.changes)
        after = analyze(silenced, str(path))
        rest = [(i.code, i.message) for i in result.items if i is not item]
        assert [(i.code, i.message) for i in after.items] == rest, item.disable


def test_disable_forms(note):
    text = note.read_text(encoding="utf-8")
    by_code = {i.code: i for i in analyze(text, str(note)).items}
    line_301 = line_of(text, "Twenty years 🌱") - 1
    assert by_code["NC301"].disable.title == "Disable NC301 for this line"
    assert by_code["NC301"].disable.changes == (
        TextChange((line_301, 0, line_301, 0), "<!-- notecheck: disable=NC301 -->\n"),)
    # in the YAML front matter and in a fenced clip command a comment cannot stand: the file
    after_front_matter = line_of(text, "---", 2)
    for code in ("NC102", "NC407"):
        assert by_code[code].disable.title == f"Disable {code} for this file"
        assert by_code[code].disable.changes == (
            TextChange((after_front_matter, 0, after_front_matter, 0),
                       f"<!-- notecheck: disable-file={code} -->\n"),)
    # a second code for the same line (or file) goes into the existing comment
    once = apply_changes(text, by_code["NC102"].disable.changes)
    [nc407] = [i for i in analyze(once, str(note)).items if i.code == "NC407"]
    twice = apply_changes(once, nc407.disable.changes)
    assert suppression_comment("disable-file", ("NC102", "NC407")) in twice
    assert twice.count("notecheck:") == 1


def test_disable_keeps_crlf_and_indentation(tmp_path):
    text = defective(EXAMPLE.read_text(encoding="utf-8")).replace(
        "- **Andalusia**", "  - **Andalusia**").replace("\n", "\r\n")
    path = tmp_path / "aBcD3fGh1jK.md"
    path.write_text(text, encoding="utf-8", newline="")
    [nc303] = [i for i in analyze(text, str(path)).items if i.code == "NC303"]
    assert nc303.disable.changes[0].new_text == "  <!-- notecheck: disable=NC303 -->\r\n"
    assert [i.code for i in analyze(apply_changes(text, nc303.disable.changes), str(path)).items] == [
        "NC102", "NC407", "NC301"]


# ------------------------------------------------------------------------------ the extra


def test_server_without_the_extra_says_how_to_install_it():
    code = ("import sys; sys.modules['pygls'] = None; sys.modules['lsprotocol'] = None\n"
            "from notecheck.cli import main; sys.exit(main(['server']))")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert proc.stderr == ('notecheck: error: notecheck server needs the optional "server" extra: '
                           'pip install "notecheck[server]"\n')


def test_rule_links_point_at_readme_sections():
    import re

    from notecheck.rules import all_rules
    from notecheck.server.lsp import REPOSITORY_URL, rule_url

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    headings = re.findall(r"^#{2,3} (.+)$", readme, re.MULTILINE)
    slugs = {re.sub(r"[^\w\- ]", "", h.lower()).replace(" ", "-"): h for h in headings}  # GitHub's anchors
    for code in [r.code for r in all_rules()] + ["NC009"]:
        url = rule_url(code)
        assert url.startswith(REPOSITORY_URL + "#")
        heading = slugs[url.split("#", 1)[1]]
        family = re.findall(r"NC(\d)", heading)
        assert heading == "Rules" or code[2] in family or code[2] in "012" and "0" in family, (code, heading)
