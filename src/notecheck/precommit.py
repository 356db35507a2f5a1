"""Entry point of the pre-commit hooks: ``python -m notecheck.precommit check|fix [OPTIONS] FILES``.

pre-commit runs ``entry + args + file names``. A note named after its video id may
start with ``-`` (``-HzgcbRXUK8.md``), which the command line would read as an
option (it wants ``--`` or ``./`` before such a name). pre-commit always puts the
file names last, so the trailing arguments that name existing Markdown files are
moved behind a ``--``; everything before them (the hook's own ``args``) is left to
the normal command line.
"""

from __future__ import annotations

import os
import sys
from typing import Sequence

MARKDOWN_SUFFIXES = (".md", ".markdown", ".mdown", ".mkdn", ".mkd")  # identify's "markdown" type


def split_files(argv: Sequence[str]) -> tuple[list[str], list[str]]:
    """(options, files): ``files`` is the longest tail of ``argv`` made of existing Markdown files."""
    argv = list(argv)
    i = len(argv)
    while i > 0 and argv[i - 1] != "--" and argv[i - 1].lower().endswith(MARKDOWN_SUFFIXES) \
            and os.path.lexists(argv[i - 1]):
        i -= 1
    return argv[:i], argv[i:]


def main(argv: Sequence[str] | None = None) -> int:
    from .cli import main as cli_main

    options, files = split_files(sys.argv[1:] if argv is None else argv)
    if not files:
        return cli_main(options)
    if "--" in options:  # the hook's args already end the options
        return cli_main([*options, *files])
    return cli_main([*options, "--", *files])


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
