"""JUnit XML output, for CI systems that show test reports (as ruff writes it): one
``<testsuite>`` per file with findings, one ``<testcase>`` per finding holding its
``<failure>`` (so a CI lists each finding as a failed test, with its file and line); a
path that could not be checked is a testcase with an ``<error>``. A run without findings
is one passing testcase, ``No problems found``.

XML 1.0 cannot hold C0 controls (but tab, LF, CR) or the bytes of a non-UTF-8 file name,
not even as character references: those are written ``\\x1b`` / ``\\xff`` (notecheck.escape);
every other character is exact.
"""

from __future__ import annotations

from typing import IO, Sequence
from xml.etree import ElementTree as ET

from ..escape import for_xml as _clean


def _suite(suites: ET.Element, name: str) -> ET.Element:
    return ET.SubElement(suites, "testsuite", name=_clean(name), package="notecheck")


def _add_suite(suites: ET.Element, result) -> tuple[int, int, int]:
    """The testsuite of one file with findings or an error, added to ``suites``; its
    (tests, failures, errors)."""
    suite = _suite(suites, result.path)
    s_tests = s_failures = s_errors = 0
    for d in result.diagnostics:
        case = ET.SubElement(suite, "testcase", name=_clean(f"{d.code} {d.path}:{d.line}:{d.column}"),
                             classname=_clean(d.path), file=_clean(d.path), line=str(d.line))
        ET.SubElement(ET.SubElement(case, "properties"), "property", name="severity", value=d.severity)
        failure = ET.SubElement(case, "failure", message=_clean(f"{d.code} {d.message}"), type=d.code)
        failure.text = _clean(f"{d.path}:{d.line}:{d.column}: {d.code} [{d.severity}] {d.message}")
        s_tests += 1
        s_failures += 1
    if result.error is not None:
        case = ET.SubElement(suite, "testcase", name=_clean(result.path), classname=_clean(result.path),
                             file=_clean(result.path))
        ET.SubElement(case, "error", message=_clean(result.error), type="path").text = _clean(
            f"{result.path}: {result.error}")
        s_tests += 1
        s_errors += 1
    for key, value in (("tests", s_tests), ("failures", s_failures), ("errors", s_errors)):
        suite.set(key, str(value))
    return s_tests, s_failures, s_errors


def _shown(result) -> bool:
    return result.error is not None or bool(result.diagnostics)


def _totals(results: Sequence) -> tuple[int, int, int]:
    tests = failures = errors = 0
    for result in filter(_shown, results):
        n, e = len(result.diagnostics), int(result.error is not None)
        tests, failures, errors = tests + n + e, failures + n, errors + e
    return tests, failures, errors


def build(results: Sequence) -> ET.Element:
    suites = ET.Element("testsuites", name="notecheck")
    for result in filter(_shown, results):
        _add_suite(suites, result)
    tests, failures, errors = _totals(results)
    if tests == 0:
        suite = _suite(suites, "notecheck")
        ET.SubElement(suite, "testcase", name="No problems found", classname="notecheck")
        suite.set("tests", "1")
        suite.set("failures", "0")
        suite.set("errors", "0")
        tests = 1
    suites.set("tests", str(tests))
    suites.set("failures", str(failures))
    suites.set("errors", str(errors))
    return suites


def write(results: Sequence, stream: IO[str], options) -> None:
    """The indented ``build(results)``, written a testsuite at a time: the totals are counted
    first, the root is written around a placeholder, and each file's suite is indented as
    ``ET.indent`` indents it inside the root (one level in)."""
    stream.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    tests, failures, errors = _totals(results)
    if tests == 0:
        tree = build(results)
        ET.indent(tree)
        stream.write(ET.tostring(tree, encoding="unicode"))
        stream.write("\n")
        return
    root = ET.Element("testsuites", name="notecheck", tests=str(tests), failures=str(failures), errors=str(errors))
    ET.SubElement(root, "placeholder")
    ET.indent(root)
    head, _, tail = ET.tostring(root, encoding="unicode").partition("<placeholder />")
    stream.write(head)
    opened = False
    for result in filter(_shown, results):
        holder = ET.Element("testsuites")
        _add_suite(holder, result)
        suite = holder[0]
        ET.indent(suite, level=1)
        stream.write(("\n  " if opened else "") + ET.tostring(suite, encoding="unicode"))
        opened = True
    stream.write(tail)
    stream.write("\n")
