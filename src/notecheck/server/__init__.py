"""``notecheck server``: a Language Server (stdio) for editors, on pygls.

pygls and lsprotocol come with the optional extra ``notecheck[server]``; the linter's
own install stays without them. Layout:

  positions.py  offsets <-> LSP positions (UTF-16 units by default)
  analysis.py   checks, quick fixes, fix-all and suppression edits (no LSP library)
  lsp.py        the pygls server: documents, debouncing, workers, LSP messages
"""

from __future__ import annotations

import sys

INSTALL_HINT = 'notecheck server needs the optional "server" extra: pip install "notecheck[server]"'


def main(argv: list[str] | None = None) -> int:
    """Run the server on stdin/stdout until the client says exit; 2 when pygls is missing."""
    try:
        import lsprotocol  # noqa: F401
        import pygls  # noqa: F401
    except ImportError:
        print(f"notecheck: error: {INSTALL_HINT}", file=sys.stderr)
        return 2
    from .lsp import serve

    return serve()
