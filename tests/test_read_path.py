"""runner.read_capped reads what one ``read(limit + 1)`` reads, with a buffer the file's size (not the limit's)."""

from __future__ import annotations

import os

import pytest

from notecheck import runner


@pytest.mark.parametrize("content_size, limit, stat_size", [
    (0, 10, None), (5, 10, None), (10, 10, None), (11, 10, None),  # the limit's near misses
    (8, 10, 3),  # the file grew after fstat: the rest is read
    (10, 10, 3), (11, 10, 3), (40, 10, 3),  # grew to the limit, one byte past it, far past it
    (5, 10, 9),  # shrank
])
def test_read_capped_reads_what_one_read_of_limit_plus_one_reads(tmp_path, monkeypatch, content_size, limit, stat_size):
    path = tmp_path / "n.md"
    content = bytes(range(256)) * (content_size // 256 + 1)
    path.write_bytes(content[:content_size])
    if stat_size is not None:  # what fstat said before the file changed
        real_fstat = os.fstat
        monkeypatch.setattr(runner.os, "fstat", lambda fd: os.stat_result((0,) * 6 + (stat_size,) + (0,) * 3)
                            if fd > 2 else real_fstat(fd))
    with open(path, "rb") as fh:
        once = fh.read(limit + 1)
    data, size = runner.read_capped(str(path), limit)
    if len(once) > limit:
        assert data is None and size == max(stat_size if stat_size is not None else content_size, len(once))
    else:
        assert data == once and size == (stat_size if stat_size is not None else content_size)
