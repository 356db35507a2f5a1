"""Front matter: find the ``---`` block and load it with PyYAML, keeping each key's position.

We load with PyYAML's C loader (``CSafeLoader``) where present: it is 8x faster than the
pure-Python loader. We compose the node graph first so that we know each top-level
key's line, and refuse YAML aliases outright (a "billion laughs" front matter is
rejected before anything is expanded).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from typing import Any


class _YamlOnFirstUse:
    """PyYAML, imported when a front matter is first read (``yaml.X`` below): a run answered
    from the cache reads none, and importing PyYAML costs ~10 ms of its start-up."""

    def __getattr__(self, name: str) -> Any:
        import yaml as module

        globals()["yaml"] = module
        return getattr(module, name)


yaml: Any = _YamlOnFirstUse()


@functools.lru_cache(maxsize=1)
def _loader() -> Any:
    """The C loader where the libyaml binding is built, else PyYAML's own."""
    try:
        from yaml import CSafeLoader
    except ImportError:  # pragma: no cover - depends on the PyYAML build
        from yaml import SafeLoader

        return SafeLoader
    return CSafeLoader

# The opening line must be exactly "---" (trailing blanks allowed); the block ends at the
# next "---" or "..." line. Unlike a loose "^-{3,}\s*$" this never spans blank lines.
_OPEN_RE = re.compile(r"---[ \t]*\r?\n")
_CLOSE_RE = re.compile(r"^(?:---|\.\.\.)[ \t]*\r?$", re.MULTILINE)

MAX_FRONT_MATTER_CHARS = 256 * 1024  # far beyond any real note; bounds YAML work per file

# Keys the schema types as strings. An unquoted value YAML 1.1 resolves to a number or a
# bool (``upload_date: 20251017`` as yt-dlp writes it, ``duration_formatted: 1:06:40``
# read as base-60, ``title: 1984``) is kept as its source text: that is what the author
# wrote. tests/test_schema.py checks this set against schemas/note.schema.json.
STRING_KEYS = frozenset({"video_id", "title", "channel", "duration_formatted", "upload_date", "url", "thumbnail"})


@dataclass
class FrontMatter:
    """The front matter block of a note."""

    start: int  # offset of the opening ---
    end: int  # offset just past the closing delimiter line (including its newline)
    content_start: int  # offset of the first YAML character
    content_end: int  # offset of the closing delimiter
    data: dict[str, Any] | None = None  # None when the YAML is broken or not a mapping
    error: str | None = None  # why data is None
    error_offset: int | None = None
    key_offsets: dict[str, int] = field(default_factory=dict)  # key -> offset of the key
    value_spans: dict[str, tuple[int, int]] = field(default_factory=dict)  # scalar values only
    closed: bool = True

    @property
    def ok(self) -> bool:
        return self.data is not None


def find_block(text: str, start: int = 0) -> FrontMatter | None:
    """Locate the front matter block at ``start`` (after any BOM); None when there is none."""
    m = _OPEN_RE.match(text, start)
    if m is None:
        return None
    content_start = m.end()
    close = _CLOSE_RE.search(text, content_start)
    if close is None:
        return FrontMatter(start, len(text), content_start, len(text), error="front matter block is not closed (no closing '---' line)",
                           error_offset=start, closed=False)
    end = close.end()
    if text.startswith("\r\n", end):
        end += 2
    elif text.startswith("\n", end):
        end += 1
    return FrontMatter(start, end, content_start, close.start())


def _line_starts(text: str) -> list[int]:
    starts = [0]
    starts.extend(m.end() for m in re.finditer("\n", text))
    return starts


def load(text: str, fm: FrontMatter) -> FrontMatter:
    """Load the YAML of ``fm`` into ``fm.data`` / ``fm.error``; never raises."""
    if not fm.closed:
        return fm
    source = text[fm.content_start:fm.content_end]
    if len(source) > MAX_FRONT_MATTER_CHARS:
        fm.error, fm.error_offset = f"front matter is larger than {MAX_FRONT_MATTER_CHARS} characters", fm.start
        return fm
    deep = _too_deep(source)
    if deep is not None:
        fm.error = f"front matter nests deeper than {MAX_NESTING} levels"
        fm.error_offset = fm.content_start + deep
        return fm
    loader = _loader()(source)
    try:
        node = loader.get_single_node()
        if node is None:
            fm.error, fm.error_offset = "front matter is empty (expected a mapping of keys)", fm.start
            return fm
        if not isinstance(node, yaml.MappingNode):
            fm.error = "front matter is not a mapping of keys"
            fm.error_offset = fm.content_start + (node.start_mark.index or 0)
            return fm
        alias = _find_alias(node) if "*" in source else None  # an alias is written "*name"
        if alias is not None:
            fm.error = "front matter uses a YAML alias; notecheck does not expand anchors/aliases"
            fm.error_offset = fm.content_start + _alias_index(source, alias.start_mark.index)
            return fm
        data = _construct_flat(loader, node)
        if data is None:
            data = loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        fm.error = f"front matter is not valid YAML: {exc.problem or exc.context}"
        fm.error_offset = fm.content_start + (mark.index if mark is not None else 0)
        return fm
    except (yaml.YAMLError, ValueError, TypeError, OverflowError, RecursionError) as exc:
        fm.error, fm.error_offset = f"front matter is not valid YAML: {exc}", fm.content_start
        return fm
    finally:
        loader.dispose()
    if not isinstance(data, dict):
        fm.error, fm.error_offset = "front matter is not a mapping of keys", fm.content_start
        return fm
    for key_node, value_node in node.value:
        key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
        if not isinstance(key, str):
            continue
        if key in fm.key_offsets:
            # PyYAML keeps the last value silently; YAML says keys are unique, and a fix
            # aimed at "the" value would edit the wrong line: refuse the mapping.
            fm.error = f"front matter key {key!r} appears twice (YAML mapping keys must be unique)"
            fm.error_offset = fm.content_start + key_node.start_mark.index
            fm.key_offsets.clear()
            fm.value_spans.clear()
            return fm
        fm.key_offsets[key] = fm.content_start + key_node.start_mark.index
        if isinstance(value_node, yaml.ScalarNode):
            fm.value_spans[key] = (
                fm.content_start + value_node.start_mark.index,
                fm.content_start + value_node.end_mark.index,
            )
            if (key in STRING_KEYS and not value_node.style and isinstance(data.get(key), (int, float))
                    and value_node.value):
                data[key] = value_node.value  # bool is an int: covers "yes"/"on" too
        elif key == "tags" and isinstance(value_node, yaml.SequenceNode) and isinstance(data.get(key), list):
            for i, item in enumerate(value_node.value):  # "- 2024" is a tag, not a number
                if isinstance(item, yaml.ScalarNode) and not item.style and item.value \
                        and isinstance(data[key][i], (int, float)):
                    data[key][i] = item.value
    fm.data = data
    return fm


_STR, _SEQ, _MAP = "tag:yaml.org,2002:str", "tag:yaml.org,2002:seq", "tag:yaml.org,2002:map"
# the tags the resolver gives a plain scalar (explicit tags such as "!!map" go the general way)
_PLAIN_TAGS = frozenset({_STR} | {f"tag:yaml.org,2002:{t}" for t in ("int", "float", "bool", "null", "timestamp")})


def _construct_flat(loader: Any, node: yaml.MappingNode) -> dict[str, Any] | None:
    """``loader.construct_document(node)`` for the usual front matter: a map of string keys to scalars and
    to lists of scalars; None for any other (then construct_document builds it).

    A string scalar is its node's value (what construct_yaml_str returns); the others are built by
    construct_object, in construct_document's order (the map's scalars, then each list's items: the
    same first error). About 4x quicker: no generator, no constructor lookup a string."""
    if node.tag != _MAP:
        return None
    scalar, sequence = yaml.ScalarNode, yaml.SequenceNode
    for key, value in node.value:
        if type(key) is not scalar or key.tag != _STR:
            return None
        if type(value) is sequence and value.tag == _SEQ:
            if any(type(item) is not scalar or item.tag not in _PLAIN_TAGS for item in value.value):
                return None
        elif type(value) is not scalar or value.tag not in _PLAIN_TAGS:
            return None
    construct = loader.construct_object
    data: dict[str, Any] = {}
    lists = []
    for key, value in node.value:
        if type(value) is scalar:
            data[key.value] = value.value if value.tag == _STR else construct(value)
        else:
            data[key.value] = items = []
            lists.append((items, value))
    for items, value in lists:
        items.extend(item.value if item.tag == _STR else construct(item) for item in value.value)
    return data


def _alias_index(source: str, default: int) -> int:
    """Index of the first alias (``*name``) in ``source``: the composed node only knows its anchor."""
    loader = _loader()(source)
    try:
        while loader.check_token():
            token = loader.get_token()
            if isinstance(token, yaml.AliasToken):
                return token.start_mark.index
    except yaml.YAMLError:
        pass
    finally:
        loader.dispose()
    return default


# Real front matter nests two levels deep. libyaml's composer recurses in C and
# crashes the process (SIGSEGV) on ~100,000 nested "[" - well inside the size limit.
MAX_NESTING = 50


def _too_deep(source: str) -> int | None:
    """Offset where the YAML nests deeper than MAX_NESTING, else None.

    Reads only parser events (libyaml's parser keeps an explicit stack, it does not
    recurse), and only when the text holds enough "[", "{", "-" or "?" to nest that
    deep; block mappings nested by indentation alone are bounded by the size limit.
    """
    if sum(source.count(c) for c in "[{-?") <= MAX_NESTING:
        return None
    loader = _loader()(source)
    depth = 0
    try:
        while True:
            event = loader.get_event()
            if event is None or isinstance(event, yaml.StreamEndEvent):
                return None
            if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                depth += 1
                if depth > MAX_NESTING:
                    return event.start_mark.index
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                depth -= 1
    except yaml.YAMLError:
        return None  # the full load reports it, with its position
    finally:
        loader.dispose()


def _find_alias(root: yaml.Node) -> yaml.Node | None:
    """Return the first node reached twice (an alias), without expanding anything."""
    seen: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            return node
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            for k, v in node.value:
                stack.append(k)
                stack.append(v)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
    return None
