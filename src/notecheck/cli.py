"""The command line: argument parsing and exit codes. No rule knowledge lives here.

Exit codes: see ``EXIT_CODES`` (0 nothing that fails the run, 1 findings that fail it,
2 usage error, bad config, a missing path).
"""

from __future__ import annotations

import argparse
import sys
TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing (~5 ms) on a cached run
if TYPE_CHECKING:
    from typing import Sequence

from . import __version__
from .config import ConfigError, Overrides, Resolver, _codes, _size, command_line_globs, load_file
from .escape import for_terminal

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
# the README quotes this text (tests/test_docs.py keeps the two the same)
EXIT_CODES = ("Exit codes: 0 no errors found (warnings alone exit 0 unless --strict); 1 errors remain "
              "(with --strict: any finding); 2 usage error, bad config or baseline, a path that does not exist "
              "or cannot be read as a folder, or an internal error.")


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # usage errors exit 2 with a one-line hint
        self.print_usage(sys.stderr)
        self.exit(EXIT_ERROR, f"{self.prog}: error: {message}\n")


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("paths", nargs="*", metavar="PATH",
                   help="files or folders to check (folders: every *.md below, recursively); '-' reads standard input")
    p.add_argument("--select", metavar="CODES", help="only these codes or prefixes, comma-separated (NC3 = every NC3xx)")
    p.add_argument("--ignore", metavar="CODES", help="skip these codes or prefixes, comma-separated")
    p.add_argument("--extend-select", metavar="CODES", help="add codes to the selection from the config")
    p.add_argument("--config", metavar="FILE", help="use this pyproject.toml or .notecheck.toml for every file")
    p.add_argument("--stdin-filename", metavar="NAME", help="the name to report for '-' (standard input)")
    p.add_argument("--sidecar", metavar="DIR", help="look for <video_id>.json sidecar transcripts in DIR")
    p.add_argument("--no-sidecar", action="store_true", help="do not read sidecar transcripts")
    p.add_argument("--output-format", choices=["full", "concise", "json", "github", "gitlab", "sarif", "junit", "text"],
                   default="full", metavar="FORMAT",
                   help="full (default: path:line:col: CODE [severity] message, then the source line), concise "
                        "(that first line only), json, github, gitlab (Code Quality), sarif or junit; "
                        "'text' is another name for full")
    p.add_argument("-q", "--quiet", action="store_true", help="print the findings only (no summary)")
    p.add_argument("-s", "--silent", action="store_true",
                   help="print nothing (the exit code still says whether findings remain)")
    p.add_argument("--statistics", action="store_true",
                   help="print only the number of findings per code (a table; JSON with --output-format json)")
    p.add_argument("--exit-zero", action="store_true", help="exit 0 even when findings remain")
    p.add_argument("--strict", action="store_true", help="warnings fail the run too (exit 1), not only errors")
    p.add_argument("--exclude", metavar="GLOBS",
                   help="skip these files or folders in folder walks, comma-separated (replaces the config's exclude)")
    p.add_argument("--extend-exclude", metavar="GLOBS", help="skip these too, in addition to the config's exclude")
    baseline = p.add_mutually_exclusive_group()
    baseline.add_argument("--baseline", metavar="FILE",
                          help="report (and fix) only findings that FILE does not record")
    baseline.add_argument("--write-baseline", metavar="FILE",
                          help="record every finding of this run in FILE (to adopt notecheck on an old archive); "
                               "exits 0")
    p.add_argument("--fix-only", action="store_true",
                   help="apply fixes, but report nothing about what remains and exit 0 for it (the pre-commit fix hook)")
    p.add_argument("--no-show-source", dest="show_source", action="store_false",
                   help="do not print the source line under each finding")
    p.add_argument("--show-fixes", action="store_true", help="list what was fixed")
    p.add_argument("--report-unused-suppressions", action="store_true",
                   help="report notecheck: disable comments that silence nothing (as NC009)")
    p.add_argument("--force-exclude", action="store_true",
                   help="also skip excluded files named on the command line or given as --stdin-filename: the "
                        "exclude globs and what folder walks skip, such as README.md (for pre-commit)")
    p.add_argument("-j", "--jobs", type=int, default=0, metavar="N",
                   help="check files in N processes (default: one per core when there are many files)")
    p.add_argument("--max-file-size", metavar="SIZE",
                   help="do not read notes or sidecars larger than this (bytes, or e.g. '64 MiB'; default 16 MiB)")
    p.add_argument("--unsafe-fixes", action="store_true", help="also apply fixes marked unsafe")
    p.add_argument("--diff", action="store_true", help="print the fixes as a unified diff; write nothing")
    _cache_dir_option(p)
    p.add_argument("--no-cache", action="store_true",
                   help="neither read nor write the result cache (every note is checked)")


def _cache_dir_option(p: argparse.ArgumentParser, what: str = "keep the result cache in DIR") -> None:
    p.add_argument("--cache-dir", metavar="DIR",
                   help=f"{what} (default: $NOTECHECK_CACHE_DIR, else .notecheck_cache "
                        "in the folder of the config file, else in the current directory)")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="notecheck",
        description="Lint and auto-fix video notes: Markdown with YAML front matter, YouTube timestamp links "
                    "and yt-dlp clip commands.",
        epilog=f"{EXIT_CODES} Run 'notecheck rules' for the rule table and 'notecheck explain NC301' for one rule.",
    )
    parser.add_argument("--version", action="version", version=f"notecheck {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    check = sub.add_parser("check", help="report problems in notes", description="Report problems in notes.",
                           epilog=EXIT_CODES)
    _common(check)
    check.add_argument("--fix", action="store_true", help="apply safe fixes in place (same as 'notecheck fix')")
    check.add_argument("--changed-since", metavar="REF",
                       help="only findings on lines changed since the git revision REF (committed, staged, "
                            "unstaged and untracked), plus findings on a changed highlight, quote or front "
                            "matter, and the note's structure findings when it changed")
    check.add_argument("--summary", metavar="FILE",
                       help="append a Markdown summary to FILE (default: $GITHUB_STEP_SUMMARY when set)")
    fix = sub.add_parser("fix", help="apply safe fixes in place", description=(
        "Apply fixes in place (atomically, keeping line endings, BOM and mode), then report what remains."),
        epilog=EXIT_CODES)
    _common(fix)
    sub.add_parser("rules", help="list every rule: code, severity, fixable, summary",
                   description="List every rule.").add_argument(
        "--output-format", choices=["text", "json"], default="text")
    explain = sub.add_parser("explain", help="explain one rule, with a bad and a good example",
                             description="Explain one rule.")
    explain.add_argument("code", metavar="CODE")
    server = sub.add_parser("server", help="run the Language Server (stdio) for editors; needs notecheck[server]",
                            description="Run a Language Server over stdin/stdout for editors (VS Code, Neovim, ...): "
                                        "diagnostics as a note is typed, quick fixes, fix all, hover explanations. "
                                        'Needs the optional extra: pip install "notecheck[server]".')
    server.add_argument("--stdio", action="store_true", help="talk over stdin/stdout (the default and only transport)")
    clean = sub.add_parser("clean", help="remove the result cache",
                           description="Remove the result cache: the project's .notecheck_cache (or --cache-dir / "
                                       "$NOTECHECK_CACHE_DIR) and every .notecheck_cache below the current directory. "
                                       "Only files notecheck wrote are removed.")
    _cache_dir_option(clean, "remove the result cache in DIR only")
    parser.set_defaults(_path_commands={"check": check, "fix": fix})
    return parser


def _existing_dash_paths_as_paths(argv: list[str], parser: argparse.ArgumentParser) -> list[str]:
    """Move arguments that name an existing file or folder starting with ``-`` behind ``--``.

    Notes are named after video ids, and ids may start with ``-`` (``-HzgcbRXUK8.md``):
    every path is a path (SPEC §1), here and in the pre-commit hooks, which pass file
    names last. An argument counts only when it is not exactly one of our options and
    not the value of the option before it."""
    commands = parser.get_default("_path_commands")
    if not argv or argv[0] not in commands:
        return argv
    takes_value: dict[str, bool] = {}
    for action in commands[argv[0]]._actions:
        for opt in action.option_strings:
            takes_value[opt] = action.nargs != 0
    import os

    head, moved, rest = [argv[0]], [], argv[1:]
    if "--" in rest:
        cut = rest.index("--")
        rest, tail = rest[:cut], rest[cut:]
    else:
        tail = []
    expects_value = False
    for arg in rest:
        if expects_value:
            head.append(arg)
            expects_value = False
        elif arg.startswith("-") and arg != "-" and arg not in takes_value and os.path.lexists(arg):
            moved.append(arg)
        else:
            head.append(arg)
            expects_value = takes_value.get(arg, False)
    if not moved:
        return argv
    return head + (tail or ["--"]) + moved


def _fewer_collections() -> None:
    """A check allocates millions of short-lived objects and makes no reference cycles of its
    own (after a whole archive, gc.collect() finds none): the cyclic collector's young
    generation is swept every 10,000 allocations instead of 700 (2-3% of a check's CPU). The
    command line's process only; the library leaves its caller's settings alone."""
    import gc

    gc.set_threshold(10_000, *gc.get_threshold()[1:])


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    args = parser.parse_args(_existing_dash_paths_as_paths(argv, parser))
    try:
        if args.command in ("check", "fix"):
            _fewer_collections()
            return _run(args, fix=args.command == "fix" or args.fix)
        if args.command == "rules":
            return _rules(args)
        if args.command == "explain":
            return _explain(args.code)
        if args.command == "server":
            from .server import main as server_main

            return server_main()
        if args.command == "clean":
            return _clean(args)
    except ConfigError as exc:
        print(f"notecheck: error: {for_terminal(str(exc))}", file=sys.stderr)
        return EXIT_ERROR
    except BrokenPipeError:
        return EXIT_OK
    except KeyboardInterrupt:
        return 130
    parser.print_help(sys.stderr)
    return EXIT_ERROR


def _resolver(args) -> Resolver:
    if args.sidecar and not args.no_sidecar:
        import os

        if not os.path.isdir(args.sidecar):  # a typo would otherwise silently turn NC601-NC604 off
            raise ConfigError(f"--sidecar {args.sidecar}: no such folder")
    overrides = Overrides(
        select=_codes("--select", args.select) if args.select else None,
        ignore=_codes("--ignore", args.ignore) if args.ignore else (),
        extend_select=_codes("--extend-select", args.extend_select) if args.extend_select else (),
        sidecar=args.sidecar,
        use_sidecar=False if args.no_sidecar else None,
        force_exclude=True if args.force_exclude else None,
        report_unused_suppressions=True if args.report_unused_suppressions else None,
        exclude=command_line_globs("--exclude", args.exclude) if args.exclude is not None else None,
        extend_exclude=command_line_globs("--extend-exclude", args.extend_exclude) if args.extend_exclude else (),
        max_file_size=_size("--max-file-size", args.max_file_size) if args.max_file_size is not None else None,
    )
    explicit = load_file(args.config) if args.config else None
    return Resolver(explicit=explicit, overrides=overrides)


def _run(args, *, fix: bool) -> int:
    from .output import TEXT_FORMATS, OutputOptions, write
    from .runner import check_paths

    paths = args.paths or ["."]
    if "-" in paths and len(paths) > 1:
        print("notecheck: error: '-' (standard input) cannot be combined with other paths", file=sys.stderr)
        return EXIT_ERROR
    changes = None
    if getattr(args, "changed_since", None) is not None:  # before the run: a bad REF stops here
        from .changed import GitError, collect

        if "-" in paths:
            print("notecheck: error: --changed-since cannot be used with '-' (standard input)", file=sys.stderr)
            return EXIT_ERROR
        try:
            changes = collect(args.changed_since, ".", paths)
        except GitError as exc:
            print(f"notecheck: error: --changed-since: {for_terminal(str(exc))}", file=sys.stderr)
            return EXIT_ERROR
    if args.statistics and args.output_format not in (*TEXT_FORMATS, "json"):
        print(f"notecheck: error: --statistics prints a table (full, concise) or JSON (json), "
              f"not {args.output_format}", file=sys.stderr)
        return EXIT_ERROR
    fix = fix or args.fix_only
    resolver = _resolver(args)
    baseline = None
    if args.baseline:
        from .baseline import load

        baseline = load(args.baseline)
    jobs = args.jobs if args.jobs > 0 else None
    cache = _result_cache(args, paths)
    if fix or args.diff:
        from .fixer import fix_paths

        results = fix_paths(paths, resolver, unsafe=args.unsafe_fixes, diff_only=args.diff,
                            stdin_filename=args.stdin_filename, jobs=jobs, baseline=baseline, cache=cache)
    else:
        results = check_paths(paths, resolver, stdin_filename=args.stdin_filename, jobs=jobs, cache=cache)
        if baseline is not None:  # the recorded findings are not reported
            for r in results:
                r.diagnostics = baseline.new_findings(r.path, r.diagnostics, r.excerpts.get)
    for warning in cache.warnings if cache is not None else ():
        print(warning, file=sys.stderr)
    hidden = 0
    if changes is not None:
        from .changed import filter_results

        results, hidden = filter_results(results, changes, lambda path: resolver(path).max_file_size)
        if hidden and not (args.quiet or args.silent):
            print(f"notecheck: {hidden} finding{'s' if hidden != 1 else ''} on lines not changed since "
                  f"{args.changed_since} not shown", file=sys.stderr)

    path_errors = [r for r in results if r.error is not None]
    for r in path_errors:
        print(f"notecheck: error: {for_terminal(r.path)}: {for_terminal(r.error)}", file=sys.stderr)
    quiet = args.quiet or args.silent
    diff_out = [r for r in results if getattr(r, "diff", None)]
    if args.diff:  # the diff is the whole stdout (a report beside it would spoil the patch)
        for r in diff_out if not args.silent else ():  # as bytes: the note's UTF-8 and CRLF reach the pipe as they are
            _write_bytes(sys.stdout, r.diff.encode("utf-8"))
        if diff_out and not quiet:
            n, files = sum(len(r.fixed) for r in diff_out), len(diff_out)
            print(f"Would fix {n} problem{'s' if n != 1 else ''} in {files} file{'s' if files != 1 else ''}.",
                  file=sys.stderr)
    stdin_fix = fix and not args.diff and paths == ["-"]
    if stdin_fix:
        # the fixed note goes to stdout, byte for byte; the report goes to stderr
        outputs = [r for r in results if getattr(r, "output", None) is not None]
        if not results:  # skipped (--force-exclude): the note passes through unchanged
            _write_bytes(sys.stdout, sys.stdin.buffer.read())
        for r in outputs:
            _write_bytes(sys.stdout, r.output)
            if getattr(r, "stdin_rest", False):  # a note too large to fix passes through as it is
                _copy_rest_of_stdin(sys.stdout)
        stream = sys.stderr
    else:
        stream = sys.stdout
    if args.write_baseline:
        from .baseline import write as write_baseline

        findings, files = write_baseline(args.write_baseline, results)
        if not quiet:
            print(f"Recorded {findings} finding{'s' if findings != 1 else ''} in {files} "
                  f"file{'s' if files != 1 else ''} in {args.write_baseline}.", file=sys.stderr)
        return EXIT_ERROR if path_errors else EXIT_OK
    if fix and not args.diff and args.output_format in TEXT_FORMATS and not quiet:
        for r in results:  # like pre-commit-hooks: name each file that was rewritten
            if r.changed:
                stream.write(f"Fixing {for_terminal(r.path)}\n")
    if args.fix_only:  # what remains is for 'notecheck check' to report (the pre-commit check hook)
        fixed = sum(len(r.fixed) for r in results if not args.diff)
        if fixed and not quiet and args.output_format in TEXT_FORMATS:
            stream.write(f"Fixed {fixed} problem{'s' if fixed != 1 else ''}.\n")
        return EXIT_ERROR if path_errors else EXIT_OK
    if not args.diff and not args.silent:
        if args.statistics:
            _statistics(results, stream, args.output_format)
        else:
            options = OutputOptions(show_source=args.show_source, quiet=quiet, show_fixes=args.show_fixes)
            write(args.output_format, results, stream, options)
    if not args.diff and not _summary(args, results, changes, hidden):
        return EXIT_ERROR
    if path_errors:
        return EXIT_ERROR
    if args.diff:  # --diff: exit 1 only when fix would change something
        return EXIT_FINDINGS if diff_out else EXIT_OK
    failing = any(d.severity == "error" or args.strict for r in results for d in r.diagnostics)
    if failing and not args.exit_zero:
        return EXIT_FINDINGS
    return EXIT_OK


def _summary(args, results, changes, hidden: int) -> bool:
    """Append the Markdown summary to --summary FILE or $GITHUB_STEP_SUMMARY; False if --summary failed."""
    import os

    target = getattr(args, "summary", None)
    explicit = target is not None
    if not explicit:
        target = os.environ.get("GITHUB_STEP_SUMMARY") if args.command == "check" else None
    if not target:
        return True
    from .output.summary import summary_markdown

    text = summary_markdown(results, changed_since=changes.ref if changes is not None else None, hidden=hidden)
    try:
        with open(target, "a", encoding="utf-8", newline="\n") as f:  # GitHub appends the steps' summaries too
            f.write(text)
    except OSError as exc:
        where = "--summary" if explicit else "$GITHUB_STEP_SUMMARY"
        print(f"notecheck: {'error' if explicit else 'warning'}: {where} {target}: cannot write: "
              f"{exc.strerror or exc}", file=sys.stderr)
        return not explicit
    return True


def _statistics(results, stream, output_format: str) -> None:
    """--statistics: the table only (as ruff: JSON with --output-format json)."""
    from .output.text import statistics, statistics_lines

    if output_format == "json":
        import json

        json.dump(statistics(results), stream, indent=2)
        stream.write("\n")
        return
    for line in statistics_lines(results):
        stream.write(line + "\n")


def _result_cache(args, paths: list[str]):
    """The run's result cache (see cache.py); None with --no-cache or for standard input."""
    if args.no_cache or paths == ["-"]:
        return None
    from .cache import ResultCache, default_cache_dir

    try:
        return ResultCache(default_cache_dir(args.cache_dir), explicit_config=bool(args.config))
    except OSError:  # no current directory (it was removed): run without a cache
        return None


def _clean(args) -> int:
    from .cache import folders_to_clean, remove

    try:
        folders = folders_to_clean(args.cache_dir)
    except OSError as exc:
        print(f"notecheck: error: cannot look for caches: {exc.strerror or exc}", file=sys.stderr)
        return EXIT_ERROR
    if not folders:
        print("No notecheck cache to remove.")
        return EXIT_OK
    status = EXIT_OK
    for folder in folders:
        try:
            files, size, kept = remove(folder)
        except OSError as exc:
            print(f"notecheck: error: cannot remove {folder}: {exc.strerror or exc}", file=sys.stderr)
            status = EXIT_ERROR
            continue
        amount = f"{size / 1e6:.1f} MB" if size >= 1e6 else f"{size / 1e3:.0f} KB"
        print(f"Removed the cache at {_relative(folder)} ({files} file{'s' if files != 1 else ''}, {amount})"
              + (f"; kept {len(kept)} file{'s' if len(kept) != 1 else ''} notecheck did not write: "
                 + ", ".join(map(_relative, kept[:5])) + (" ..." if len(kept) > 5 else "") if kept else "") + ".")
    return status


def _relative(path: str) -> str:
    """``path`` relative to the current directory when it lies below it, else as it is."""
    import os

    try:
        rel = os.path.relpath(path)
    except ValueError:  # another drive
        return path
    return path if rel == os.pardir or rel.startswith(os.pardir + os.sep) else rel


def _write_bytes(stream, data: bytes) -> None:
    buffer = getattr(stream, "buffer", None)
    if buffer is not None:
        stream.flush()
        buffer.write(data)
        buffer.flush()
    else:  # a text stream without bytes underneath (tests): the note is UTF-8 or left as is
        stream.write(data.decode("utf-8", "surrogateescape"))
        stream.flush()


def _copy_rest_of_stdin(stream) -> None:
    import shutil

    stream.flush()
    target = getattr(stream, "buffer", None)
    if target is None:  # a text stream without bytes underneath (tests)
        for chunk in iter(lambda: sys.stdin.buffer.read(1 << 16), b""):
            stream.write(chunk.decode("utf-8", "surrogateescape"))
        return
    shutil.copyfileobj(sys.stdin.buffer, target, 1 << 16)
    target.flush()


def _rules(args) -> int:
    from .rules import all_rules

    rules = all_rules()
    if args.output_format == "json":
        import json

        json.dump([{"code": r.code, "name": r.name, "severity": r.severity, "fix": r.fix, "summary": r.summary}
                   for r in rules], sys.stdout, indent=2)
        sys.stdout.write("\n")
        return EXIT_OK
    for r in rules:  # the same layout on a terminal and in a pipe
        print(f"{r.code}  {r.severity:<7}  {(r.fix or '-'):<6}  {r.name:<28}  {r.summary}")
    return EXIT_OK


def _explain(code: str) -> int:
    from .explain import explain

    page = explain(code)
    if page is None:
        print(f"notecheck: error: unknown rule code {code!r}; 'notecheck rules' lists them", file=sys.stderr)
        return EXIT_ERROR
    print(page)
    return EXIT_OK


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
