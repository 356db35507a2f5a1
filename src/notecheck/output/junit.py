"""JUnit XML output, for CI systems that show test reports: one testcase per checked
file, one ``<failure>`` per finding in it (a clean file is a passing testcase).
"""

from __future__ import annotations

import re
from typing import IO, Sequence
from xml.etree import ElementTree as ET

# characters XML 1.0 cannot hold at all (a binary file's message may quote them)
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def _clean(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)


def build(results: Sequence) -> ET.Element:
    suites = ET.Element("testsuites", name="notecheck")
    suite = ET.SubElement(suites, "testsuite", name="notecheck")
    tests = failures = errors = 0
    for result in results:
        tests += 1
        case = ET.SubElement(suite, "testcase", name=_clean(result.path), classname="notecheck",
                             file=_clean(result.path))
        if result.error is not None:
            errors += 1
            ET.SubElement(case, "error", message=_clean(result.error), type="path").text = _clean(
                f"{result.path}: {result.error}")
            continue
        if result.diagnostics:
            failures += 1
        for d in result.diagnostics:
            failure = ET.SubElement(case, "failure", message=_clean(f"{d.code} {d.message}"), type=d.code)
            failure.text = _clean(f"{d.path}:{d.line}:{d.column}: {d.code} [{d.severity}] {d.message}")
    for element in (suites, suite):
        element.set("tests", str(tests))
        element.set("failures", str(failures))
        element.set("errors", str(errors))
    return suites


def write(results: Sequence, stream: IO[str], options) -> None:
    tree = build(results)
    ET.indent(tree)
    stream.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    stream.write(ET.tostring(tree, encoding="unicode"))
    stream.write("\n")
