"""--output-format github | sarif | junit, through the command line.

Uses the throwaway marker rules: NC911 (error, fixable) on BADWORD, NC912 (warning,
whose message holds "%", "," and ":") on WARNWORD; see throwaway_rules.py.
"""

from __future__ import annotations

import inspect
import json
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest

from conftest import CLEAN, FIXTURES, line_of, run_cli
from notecheck.output.github import escape_data, escape_property
from throwaway_rules import _bad, marker_rules  # noqa: F401  (fixture)

pytestmark = pytest.mark.usefixtures("marker_rules")

CLEAN_TEXT = CLEAN.read_text(encoding="utf-8")
MARKED = CLEAN_TEXT.replace("## Summary\n", "## Summary\nSee BADWORD.\nWARNWORD\n", 1)
BAD_LINE = line_of(MARKED, "See BADWORD")


def write(folder: Path, name: str, text: str = MARKED) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


# ----------------------------------------------------------------------------- github


def test_github_annotations(tmp_path, monkeypatch):
    monkeypatch.delenv("GITHUB_WORKSPACE", raising=False)
    path = write(tmp_path, "note.md")

    code, out, err = run_cli("check", "--select", "NC91", "--output-format", "github", str(path))

    assert code == 1, err
    assert out.splitlines() == [
        f"::error file={path},line={BAD_LINE},col=5,endLine={BAD_LINE},endColumn=12,title=NC911"
        "::BADWORD: say goodword (fixable with `notecheck fix`)",
        f"::warning file={path},line={BAD_LINE + 1},col=1,endLine={BAD_LINE + 1},endColumn=9,title=NC912"
        "::WARNWORD, 100%25 a warning: with, commas",
    ]


def test_github_escapes_property_values_and_data(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path, "a,b:c%.md")

    code, out, _ = run_cli("check", "--select", "NC911", "--output-format", "github", "a,b:c%.md")

    assert out.startswith(f"::error file=a%2Cb%3Ac%25.md,line={BAD_LINE},col=5,")
    assert escape_data("50%\r\nnext, a: b") == "50%25%0D%0Anext, a: b"
    assert escape_property("x,y:z\n%") == "x%2Cy%3Az%0A%25"


def test_github_paths_are_relative_to_the_workspace(tmp_path, monkeypatch):
    (tmp_path / "notes").mkdir()
    path = write(tmp_path / "notes", "note.md")
    monkeypatch.chdir(tmp_path / "notes")
    monkeypatch.setenv("GITHUB_WORKSPACE", str(tmp_path))

    _, out, _ = run_cli("check", "--select", "NC911", "--output-format", "github", "./note.md", str(path))
    _, absolute, _ = run_cli("check", "--select", "NC911", "--output-format", "github", str(path))

    assert out.startswith(f"::error file=note.md,line={BAD_LINE},")  # "./" dropped (relative to cwd as given)
    assert absolute.startswith(f"::error file=notes/note.md,line={BAD_LINE},")


def test_github_clean_run_prints_nothing(tmp_path):
    code, out, err = run_cli("check", "--select", "NC91", "--output-format", "github", str(CLEAN))
    assert (code, out) == (0, ""), err


# ------------------------------------------------------------------------------ sarif


def sarif_validator():
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads((FIXTURES / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
    return jsonschema.Draft4Validator(schema)


def run_sarif(*args: str) -> tuple[int, dict]:
    code, out, err = run_cli("check", "--output-format", "sarif", *args)
    assert "Traceback" not in err
    return code, json.loads(out)


def test_sarif_is_valid_and_carries_rules_with_help(tmp_path):
    path = write(tmp_path, "note.md")

    code, log = run_sarif("--select", "NC91", str(path))

    sarif_validator().validate(log)
    assert code == 1
    assert log["version"] == "2.1.0"
    run = log["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    ids = [r["id"] for r in rules]
    bad = rules[ids.index("NC911")]
    assert bad["name"] == "test-badword"
    assert bad["shortDescription"]["text"] == "test marker BADWORD"
    assert bad["help"]["text"] == inspect.cleandoc(_bad.__doc__)
    assert bad["help"]["markdown"] == (
        "**What it finds**\n\nThe word BADWORD.\n\n**Why it matters**\n\nIt is a test marker.\n\n"
        "**Bad**\n\n```markdown\na BADWORD here\n```\n\n**Good**\n\n```markdown\na goodword here\n```\n\n"
        "**Fix**\n\nReplaces it with goodword.")
    assert bad["fullDescription"]["text"] == "The word BADWORD."
    assert bad["defaultConfiguration"]["level"] == "error"
    assert rules[ids.index("NC912")]["defaultConfiguration"]["level"] == "warning"

    first, second = run["results"]
    assert (first["ruleId"], first["level"], second["ruleId"], second["level"]) == \
        ("NC911", "error", "NC912", "warning")
    assert rules[first["ruleIndex"]]["id"] == "NC911" and rules[second["ruleIndex"]]["id"] == "NC912"
    location = first["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == path.as_uri()
    assert location["region"] == {"startLine": BAD_LINE, "startColumn": 5, "endLine": BAD_LINE, "endColumn": 12}
    assert first["message"]["text"] == "BADWORD: say goodword"
    (replacement,) = first["fixes"][0]["artifactChanges"][0]["replacements"]
    start = MARKED.index("BADWORD")
    assert replacement == {"deletedRegion": {"charOffset": start, "charLength": 7},
                           "insertedContent": {"text": "goodword"}}
    assert "fixes" not in second
    assert run["columnKind"] == "unicodeCodePoints"


def test_sarif_relative_paths_use_srcroot(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "my notes").mkdir()
    write(tmp_path / "my notes", "é.md")

    _, log = run_sarif("--select", "NC911", "my notes/é.md")

    sarif_validator().validate(log)
    run = log["runs"][0]
    artifact = run["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert artifact == {"uri": "my%20notes/%C3%A9.md", "uriBaseId": "%SRCROOT%"}
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == tmp_path.resolve().as_uri() + "/"


def test_sarif_with_no_findings_and_with_nc009_is_valid(tmp_path):
    code, log = run_sarif("--select", "NC91", str(CLEAN))
    sarif_validator().validate(log)
    assert code == 0 and log["runs"][0]["results"] == []

    path = write(tmp_path, "note.md", CLEAN_TEXT + "<!-- notecheck: disable-file=NC911 -->\n")
    code, log = run_sarif("--select", "NC91", "--report-unused-suppressions", str(path))
    sarif_validator().validate(log)
    run = log["runs"][0]
    (result,) = run["results"]
    rule = run["tool"]["driver"]["rules"][result["ruleIndex"]]
    assert (result["ruleId"], rule["id"], rule["name"]) == ("NC009", "NC009", "unused-suppression")
    assert "What it finds" in rule["help"]["text"]


def test_sarif_lists_every_registered_rule_with_its_docstring():
    from notecheck.rules import all_rules

    _, log = run_sarif(str(CLEAN))

    sarif_validator().validate(log)
    rules = {r["id"]: r for r in log["runs"][0]["tool"]["driver"]["rules"]}
    for rule in all_rules():
        assert rules[rule.code]["help"]["text"] == rule.explanation
        assert rules[rule.code]["shortDescription"]["text"] == rule.summary


# ------------------------------------------------------------------------------ junit


def test_junit_one_testcase_per_finding(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path, "bad.md")
    write(tmp_path, "good.md", CLEAN_TEXT)

    code, out, err = run_cli("check", "--select", "NC91", "--output-format", "junit", ".", "missing.md")

    assert code == 2, err  # the missing path
    root = ET.fromstring(out)
    assert (root.get("tests"), root.get("failures"), root.get("errors")) == ("3", "2", "1")
    bad, missing = root.findall("testsuite")
    assert (bad.get("name"), bad.get("tests"), bad.get("failures")) == ("bad.md", "2", "2")  # no "./"
    cases = bad.findall("testcase")
    assert [(c.get("name"), c.get("classname"), c.get("file"), c.get("line")) for c in cases] == [
        (f"NC911 bad.md:{BAD_LINE}:5", "bad.md", "bad.md", str(BAD_LINE)),
        (f"NC912 bad.md:{BAD_LINE + 1}:1", "bad.md", "bad.md", str(BAD_LINE + 1)),
    ]
    failures = [c.find("failure") for c in cases]
    assert [(f.get("type"), f.get("message")) for f in failures] == [
        ("NC911", "NC911 BADWORD: say goodword"),
        ("NC912", "NC912 WARNWORD, 100% a warning: with, commas"),
    ]
    assert failures[0].text == f"bad.md:{BAD_LINE}:5: NC911 [error] BADWORD: say goodword"
    assert [c.find("properties/property").get("value") for c in cases] == ["error", "warning"]
    assert missing.get("name") == "missing.md"
    assert missing.find("testcase/error").get("message") == "no such file or directory"
    assert "good.md" not in out  # a clean file is no testcase


def test_junit_of_a_clean_run_is_one_passing_testcase(tmp_path):
    code, out, err = run_cli("check", "--select", "NC91", "--output-format", "junit", str(CLEAN))
    root = ET.fromstring(out)
    assert code == 0 and (root.get("tests"), root.get("failures"), root.get("errors")) == ("1", "0", "0")
    (case,) = root.iter("testcase")
    assert case.get("name") == "No problems found" and list(case) == []


def test_junit_holds_control_characters_as_valid_xml(tmp_path):
    path = write(tmp_path, "odd\x01name.md")  # a control character XML 1.0 cannot hold
    code, out, _ = run_cli("check", "--select", "NC911", "--output-format", "junit", str(path))
    case = ET.fromstring(out).find("testsuite/testcase")
    assert case.get("classname") == str(path).replace("\x01", "\\x01")  # shown, as the text output does
    assert case.find("failure").get("type") == "NC911"


def test_sarif_help_markdown_fences_examples_that_hold_backticks():
    from notecheck.output.sarif import help_markdown

    doc = "What it finds:\n    A fence.\n\nBad:\n    ```bash\n    yt-dlp x\n    ```\n"
    assert help_markdown(doc) == ("**What it finds**\n\nA fence.\n\n**Bad**\n\n"
                                  "````markdown\n```bash\nyt-dlp x\n```\n````")


# ----------------------------------------------------------------------------- json


def test_json_is_written_a_file_at_a_time_as_one_exact_document(tmp_path):
    # the writer streams (a file's findings at a time); the text must be exactly the one
    # json.dumps(indent=2) of the whole list: files with findings, a clean one between them,
    # a path error (stderr, not JSON), strings holding line breaks and quotes
    from notecheck.escape import json_dumps

    write(tmp_path, "a.md")
    write(tmp_path, "b.md", CLEAN_TEXT)
    write(tmp_path, "c.md", MARKED.replace("See BADWORD.", 'See BADWORD "x"\\n.'))

    code, out, err = run_cli("check", "--select", "NC91", "--output-format", "json",
                             str(tmp_path), str(tmp_path / "missing.md"))

    assert code == 2, err  # the missing path
    items = json.loads(out)
    assert [(Path(i["path"]).name, i["code"]) for i in items] == [
        ("a.md", "NC911"), ("a.md", "NC912"), ("c.md", "NC911"), ("c.md", "NC912")]
    assert out == json_dumps(items, indent=2) + "\n"
    assert out == json.dumps(items, indent=2, ensure_ascii=False) + "\n"


def test_json_of_a_clean_run_is_an_empty_list(tmp_path):
    write(tmp_path, "b.md", CLEAN_TEXT)
    code, out, _ = run_cli("check", "--select", "NC91", "--output-format", "json", str(tmp_path))
    assert (code, out) == (0, "[]\n")


@pytest.mark.parametrize("fmt, batch", [("json", 1000), ("json", 1), ("json", 2), ("sarif", None), ("gitlab", None),
                                        ("junit", None)])
def test_streamed_reports_are_the_whole_document_dumped_at_once(tmp_path, fmt, batch, monkeypatch):
    # json and sarif are written a file at a time (memory stays flat with the findings); the
    # text must be exactly the document a single json_dumps(indent=2) writes: findings in two
    # files around a clean one, an NC009 (its rule described only when it occurs), no findings
    import io

    from notecheck import runner
    from notecheck.config import Config
    from notecheck.escape import json_dumps
    from notecheck.output import gitlab, json_format, junit, sarif

    if batch is not None:  # a note's findings written a batch at a time: the joins between batches
        monkeypatch.setattr(json_format, "BATCH", batch)
    write(tmp_path, "a.md")
    write(tmp_path, "b.md", CLEAN_TEXT)
    write(tmp_path, "c.md", MARKED + "<!-- notecheck: disable-file=NC999 -->\n")
    cfg = Config(select=("NC91", "NC009"), report_unused_suppressions=True)
    for paths in ([str(tmp_path)], [str(tmp_path / "b.md")], [str(tmp_path / "a.md"), str(tmp_path / "missing.md")]):
        results = runner.check_paths(paths, cfg)
        items = [d.to_dict() for r in results for d in r.diagnostics]
        module = {"json": json_format, "sarif": sarif, "gitlab": gitlab, "junit": junit}[fmt]
        if fmt == "junit":
            tree = junit.build(results)
            ET.indent(tree)
            whole = '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(tree, encoding="unicode") + "\n"
        else:
            whole = json_dumps(items if fmt == "json" else module.build(results), indent=2) + "\n"
        out = io.StringIO()
        module.write(results, out, None)
        assert out.getvalue() == whole
    assert [d.code for r in runner.check_paths([str(tmp_path)], cfg) for d in r.diagnostics] == [
        "NC911", "NC912", "NC911", "NC912", "NC009"]
