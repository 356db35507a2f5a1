"""The README stays true: its rule table is the registry, its quick start is two commands."""

from __future__ import annotations

import re

from conftest import ROOT
from notecheck.rules import all_rules

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_rule_table_matches_the_registry():
    table = README.split("<!-- rules-table")[1].split("<!-- end rules-table -->")[0]
    rows = [line for line in table.splitlines() if re.match(r"\| NC\d{3} ", line)]
    expected = [
        f"| {r.code} | {r.name} | {r.severity} | {'fix' if r.fix == 'safe' else (r.fix or '')} | {r.summary} |"
        for r in all_rules()
    ]
    assert rows == expected


def test_quick_start_is_two_commands_and_ci_runs_the_test_one():
    quick = README.split("## Quick start")[1].split("\n## ")[0]
    commands = re.findall(r"```sh\n(.+?)\n```", quick)
    assert len(commands) == 2
    assert "notecheck check examples/" in commands[0]
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert commands[1] in ci
