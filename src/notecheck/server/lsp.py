"""The language server: pygls wiring around ``analysis``.

How a note gets its diagnostics: didOpen/didSave check at once, didChange after
``CHANGE_DELAY`` seconds without a newer change (debounce). A check runs in a worker
(one process by default, so a slow check never holds the event loop; threads when no
process can be started, or with ``NOTECHECK_SERVER_WORKERS=thread``); a newer version
of the note cancels the task waiting for an older one, and a result is published only
when the note is still at the version that was checked. An exception in a check
becomes a log message; the server goes on.
"""

from __future__ import annotations

import asyncio
import logging
import os
import re
import sys
from concurrent.futures import Executor, ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from functools import partial
from pathlib import PurePath
from typing import Any, Callable

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.uris import to_fs_path
from pygls.workspace import TextDocument

from .. import __version__
from ..config import ConfigError
from ..diagnostic import SAFE
from ..explain import explain
from . import analysis
from .analysis import Analysis, Item, Settings, TextChange
from .positions import UTF16

log = logging.getLogger("notecheck.server")

SOURCE = "notecheck"
CHANGE_DELAY = 0.15  # seconds of quiet after a keystroke before the note is checked
FIX_ALL_KIND = f"{types.CodeActionKind.SourceFixAll.value}.notecheck"  # source.fixAll.notecheck
CONFIG_FILES = ("pyproject.toml", ".notecheck.toml")

# Where a rule is documented: the README's rule sections on the project's repository.
REPOSITORY_URL = "https://github.com/OWNER/notecheck"
RULE_SECTIONS = (  # code prefix -> anchor of the README heading that describes the family
    ("NC009", "rules"),
    ("NC0", "file-front-matter-and-structure-nc0xxnc2xx"),
    ("NC1", "file-front-matter-and-structure-nc0xxnc2xx"),
    ("NC2", "file-front-matter-and-structure-nc0xxnc2xx"),
    ("NC3", "times-and-clips-nc3xx-nc4xx"),
    ("NC4", "times-and-clips-nc3xx-nc4xx"),
    ("NC5", "quotes-nc501-nc502"),
    ("NC6", "sidecar-transcripts-nc601nc604"),
)


def rule_url(code: str) -> str:
    anchor = next((a for prefix, a in RULE_SECTIONS if code.startswith(prefix)), "rules")
    return f"{REPOSITORY_URL}#{anchor}"


# ------------------------------------------------------------------------------ documents

_LSP_LINE_RE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")


class _Document(TextDocument):
    """pygls' document, with lines split where LSP splits them (``\\r\\n``, ``\\n``, ``\\r``).

    pygls splits with ``str.splitlines``, which also breaks at U+2028, form feed, U+0085
    and others: an incremental change on a line holding one would land in the wrong
    place and the server's text would drift from the editor's."""

    @property
    def lines(self):
        return tuple(_LSP_LINE_RE.findall(self.source))


def _use_lsp_lines(workspace) -> None:
    """Make the workspace create ``_Document``s (pygls has no public hook for it)."""
    def create(doc_uri, source=None, version=None, language_id=None):
        return _Document(doc_uri, source=source, version=version, language_id=language_id,
                         sync_kind=workspace._sync_kind, position_codec=workspace._position_codec)

    if hasattr(workspace, "_create_text_document") and hasattr(workspace, "_sync_kind"):
        workspace._create_text_document = create


@dataclass
class _State:
    task: asyncio.Task | None = None  # the pending (debounced) check
    analysis: Analysis | None = None  # the latest one (published, or computed for a code action)
    epoch: int = -1  # the server's epoch (settings and config files) that analysis was made in


# ------------------------------------------------------------------------------ workers


def _load_rules() -> None:
    from ..rules import all_rules

    all_rules()


def _start_worker_process() -> None:
    """A worker process shares the server's stdout, the LSP stream: send its output to stderr."""
    try:
        os.dup2(2, 1)
        sys.stdout = sys.stderr
    except OSError:
        pass
    _load_rules()


def _make_executor(kind: str | None = None) -> Executor:
    kind = kind or os.environ.get("NOTECHECK_SERVER_WORKERS", "process")
    if kind != "thread":
        import multiprocessing

        methods = multiprocessing.get_all_start_methods()
        ctx = multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
        try:
            return ProcessPoolExecutor(max_workers=1, mp_context=ctx, initializer=_start_worker_process)
        except (OSError, NotImplementedError, ValueError) as exc:  # no semaphores, no processes
            log.warning("no worker process (%s); checking in a thread", exc)
    return ThreadPoolExecutor(max_workers=1, thread_name_prefix="notecheck-check")


# ------------------------------------------------------------------------------ the server


class NotecheckServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__("notecheck", __version__, text_document_sync_kind=types.TextDocumentSyncKind.Incremental)
        self.settings = Settings()
        self.states: dict[str, _State] = {}
        self._executor: Executor | None = None
        self._shown_errors: set[str] = set()
        self.epoch = 0  # counts changes of settings and config files: older analyses are out of date

    # -- workers -------------------------------------------------------------------------
    @property
    def executor(self) -> Executor:
        if self._executor is None:
            self._executor = _make_executor()
        return self._executor

    async def run(self, func: Callable, *args, **kwargs):
        """``func(*args, **kwargs)`` in the worker. A worker process that died (killed, out
        of memory) is replaced, and the call tried once more."""
        loop = asyncio.get_running_loop()
        call = partial(func, *args, **kwargs)
        executor = self.executor
        try:
            return await loop.run_in_executor(executor, call)
        except BrokenProcessPool:
            if self._executor is executor:  # not yet replaced by another call that saw it die
                self.log_error("notecheck: the check worker stopped unexpectedly; starting a new one")
                executor.shutdown(wait=False, cancel_futures=True)
                self._executor = None
            return await loop.run_in_executor(self.executor, call)

    def stop_workers(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=False, cancel_futures=True)
            self._executor = None

    # -- messages ------------------------------------------------------------------------
    def log_error(self, message: str) -> None:
        log.error("%s", message)
        try:
            self.window_log_message(types.LogMessageParams(type=types.MessageType.Error, message=message))
        except Exception:  # no client connected (yet)
            pass

    def show_once(self, message: str, kind: types.MessageType = types.MessageType.Error) -> None:
        if message in self._shown_errors:
            return
        self._shown_errors.add(message)
        self.window_show_message(types.ShowMessageParams(type=kind, message=message))

    # -- documents -----------------------------------------------------------------------
    @property
    def encoding(self) -> str:
        enc = self.workspace.position_encoding or UTF16
        return getattr(enc, "value", enc)

    @property
    def root(self) -> str | None:
        ws = self.workspace
        uri = ws.root_uri or next(iter(ws.folders), None)
        return to_fs_path(uri) if uri else None

    def open_document(self, uri: str) -> TextDocument | None:
        from urllib.parse import unquote

        docs = self.workspace.text_documents
        return docs.get(unquote(uri)) or docs.get(uri)

    def is_note(self, doc: TextDocument) -> bool:
        if doc.language_id == "markdown":
            return True
        return PurePath(doc.path or "").suffix.lower() in (".md", ".markdown")

    @staticmethod
    def path_of(doc: TextDocument) -> str | None:
        return to_fs_path(doc.uri) if doc.uri.startswith("file:") else None

    def note_uris(self) -> list[str]:
        return [uri for uri, doc in self.workspace.text_documents.items() if self.is_note(doc)]

    # -- checking ------------------------------------------------------------------------
    def schedule(self, uri: str, delay: float = 0.0) -> None:
        """Check the note ``delay`` seconds from now, cancelling a check still waiting."""
        state = self.states.setdefault(uri, _State())
        if state.task is not None and not state.task.done():
            state.task.cancel()
        state.task = asyncio.get_running_loop().create_task(self._check(uri, delay))

    def schedule_all(self) -> None:
        """Settings or config files changed: every open note is checked again."""
        self.epoch += 1
        self._shown_errors.clear()  # a problem that is still there after this change is said again
        for uri in self.note_uris():
            self.schedule(uri)

    async def analyze(self, doc: TextDocument) -> Analysis:
        return await self.run(analysis.analyze, doc.source, self.path_of(doc), self.settings, root=self.root,
                              encoding=self.encoding, version=doc.version)

    async def _check(self, uri: str, delay: float) -> None:
        try:
            if delay:
                await asyncio.sleep(delay)
            doc = self.open_document(uri)
            if doc is None or not self.is_note(doc):
                return
            version, epoch = doc.version, self.epoch
            result = await self.analyze(doc)
            doc = self.open_document(uri)
            if doc is None or doc.version != version or epoch != self.epoch:
                return  # a newer version is on its way: never publish an old one
            self.publish(uri, result, epoch)
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # a bug in a rule must not stop the server
            from ..runner import internal_error

            self.log_error(f"notecheck: checking {uri} failed: {internal_error(exc)}")

    def publish(self, uri: str, result: Analysis, epoch: int) -> None:
        state = self.states.setdefault(uri, _State())
        state.analysis, state.epoch = result, epoch
        if result.error is not None:
            message = f"notecheck: {result.error} (notes under this config are not checked until it is fixed)"
            self.show_once(message)
            diagnostics = [types.Diagnostic(range=types.Range(types.Position(0, 0), types.Position(0, 0)),
                                            message=message, severity=types.DiagnosticSeverity.Error,
                                            source=SOURCE)]
        else:
            diagnostics = [lsp_diagnostic(item) for item in result.items]
        self.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(uri=uri, diagnostics=diagnostics, version=result.version))

    async def current_analysis(self, uri: str) -> tuple[TextDocument, Analysis] | None:
        """The analysis of the note as it is now: the published one when current, else a fresh one."""
        doc = self.open_document(uri)
        if doc is None or not self.is_note(doc):
            return None
        state = self.states.setdefault(uri, _State())
        if state.analysis is not None and state.analysis.version == doc.version and state.epoch == self.epoch:
            return doc, state.analysis
        epoch = self.epoch
        result = await self.analyze(doc)
        if doc.version == result.version and epoch == self.epoch and uri in self.states:
            state.analysis, state.epoch = result, epoch  # for the next request (the editor asks often)
        return doc, result

    def apply_settings(self, data: Any) -> None:
        self.settings, problems = analysis.settings_from(data, self.settings)
        for problem in problems:
            self.show_once(f"notecheck: {problem}", types.MessageType.Warning)

    # -- capabilities --------------------------------------------------------------------
    def client_can(self, dotted: str) -> Any:
        node: Any = self.client_capabilities
        for part in dotted.split("."):
            node = getattr(node, part, None)
            if node is None:
                return None
        return node

    def workspace_edit(self, doc: TextDocument, changes: tuple[TextChange, ...] | list[TextChange]
                       ) -> types.WorkspaceEdit:
        edits: list[types.TextEdit | types.AnnotatedTextEdit | types.SnippetTextEdit] = [
            types.TextEdit(range=lsp_range(c.range), new_text=c.new_text) for c in changes]
        if self.client_can("workspace.workspace_edit.document_changes"):
            ident = types.OptionalVersionedTextDocumentIdentifier(uri=doc.uri, version=doc.version)
            return types.WorkspaceEdit(document_changes=[types.TextDocumentEdit(text_document=ident, edits=edits)])
        return types.WorkspaceEdit(changes={doc.uri: edits})  # type: ignore[dict-item]


# ------------------------------------------------------------------------------ conversions


def lsp_range(r: tuple[int, int, int, int]) -> types.Range:
    return types.Range(start=types.Position(line=r[0], character=r[1]),
                       end=types.Position(line=r[2], character=r[3]))


def lsp_diagnostic(item: Item) -> types.Diagnostic:
    severity = types.DiagnosticSeverity.Warning if item.severity == "warning" else types.DiagnosticSeverity.Error
    return types.Diagnostic(range=lsp_range(item.range), message=item.message, severity=severity, code=item.code,
                            code_description=types.CodeDescription(href=rule_url(item.code)), source=SOURCE)


def _kind_wanted(only: list[str] | None, kind: str) -> bool:
    """A requested kind ``K`` covers ``K`` and every ``K.sub``; no ``only``: every kind."""
    return not only or any(kind == k or kind.startswith(f"{k}.") for k in only)


def _touches(r: tuple[int, int, int, int], req: types.Range) -> bool:
    start, end = (r[0], r[1]), (r[2], r[3])
    return not (end < (req.start.line, req.start.character) or start > (req.end.line, req.end.character))


def _contains(r: tuple[int, int, int, int], pos: types.Position) -> bool:
    return (r[0], r[1]) <= (pos.line, pos.character) <= (r[2], r[3])


def hover_text(items: list[Item], markdown: bool) -> str:
    parts = []
    for item in items:
        explanation = explain(item.code) or item.code
        if markdown:
            parts.append(f"**{item.code}** {item.message}\n\n[{item.code} in the README]({rule_url(item.code)})"
                         f"\n\n```text\n{explanation}\n```")
        else:
            parts.append(f"{item.code} {item.message}\n\n{explanation}")
    return ("\n\n---\n\n" if markdown else "\n\n") .join(parts)


# ------------------------------------------------------------------------------ features


def create_server() -> NotecheckServer:
    server = NotecheckServer()

    @server.feature(types.INITIALIZE)
    def initialize(ls: NotecheckServer, params: types.InitializeParams) -> None:
        _use_lsp_lines(ls.workspace)
        ls.apply_settings(params.initialization_options)
        ls.executor.submit(_load_rules)  # start the worker and load the rules while the client gets ready

    @server.feature(types.INITIALIZED)
    async def initialized(ls: NotecheckServer, params: types.InitializedParams) -> None:
        if ls.client_can("workspace.did_change_watched_files.dynamic_registration"):
            watchers = [types.FileSystemWatcher(glob_pattern=f"**/{name}") for name in (*CONFIG_FILES, "*.json")]
            registration = types.Registration(
                id="notecheck-watch-config", method=types.WORKSPACE_DID_CHANGE_WATCHED_FILES,
                register_options=types.DidChangeWatchedFilesRegistrationOptions(watchers=watchers))
            try:
                await ls.client_register_capability_async(types.RegistrationParams(registrations=[registration]))
            except Exception as exc:
                log.warning("the client did not register the file watcher: %s", exc)
        await _pull_settings(ls)

    @server.feature(types.SHUTDOWN)
    def shutdown(ls: NotecheckServer, params: Any = None) -> None:
        for state in ls.states.values():
            if state.task is not None:
                state.task.cancel()
        ls.stop_workers()

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: NotecheckServer, params: types.DidOpenTextDocumentParams) -> None:
        ls.schedule(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: NotecheckServer, params: types.DidChangeTextDocumentParams) -> None:
        ls.schedule(params.text_document.uri, CHANGE_DELAY)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE)
    def did_save(ls: NotecheckServer, params: types.DidSaveTextDocumentParams) -> None:
        ls.schedule(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: NotecheckServer, params: types.DidCloseTextDocumentParams) -> None:
        uri = params.text_document.uri
        state = ls.states.pop(uri, None)
        if state is not None and state.task is not None:
            state.task.cancel()
        ls.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=uri, diagnostics=[]))

    @server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    def did_change_watched_files(ls: NotecheckServer, params: types.DidChangeWatchedFilesParams) -> None:
        names = {PurePath(to_fs_path(c.uri) or c.uri).name for c in params.changes}
        if any(n in CONFIG_FILES or n.lower().endswith(".json") for n in names):
            ls.schedule_all()

    @server.feature(types.WORKSPACE_DID_CHANGE_CONFIGURATION)
    async def did_change_configuration(ls: NotecheckServer, params: types.DidChangeConfigurationParams) -> None:
        settings = params.settings
        if isinstance(settings, dict) and ("notecheck" in settings or {"select", "ignore"} & settings.keys()):
            ls.apply_settings(settings)
        else:  # the pull model: the notification only says "ask me"
            await _pull_settings(ls)
        ls.schedule_all()

    @server.feature(types.TEXT_DOCUMENT_HOVER)
    def hover(ls: NotecheckServer, params: types.HoverParams) -> types.Hover | None:
        # the last published findings: what the editor shows under the pointer
        state = ls.states.get(params.text_document.uri)
        if state is None or state.analysis is None:
            return None
        items = [i for i in state.analysis.items if _contains(i.range, params.position)]
        if not items:
            return None
        formats = ls.client_can("text_document.hover.content_format") or []
        markdown = types.MarkupKind.Markdown in formats
        return types.Hover(contents=types.MarkupContent(
            kind=types.MarkupKind.Markdown if markdown else types.MarkupKind.PlainText,
            value=hover_text(items, markdown)), range=lsp_range(items[0].range))

    @server.feature(types.TEXT_DOCUMENT_CODE_ACTION, types.CodeActionOptions(
        code_action_kinds=[types.CodeActionKind.QuickFix, types.CodeActionKind.SourceFixAll, FIX_ALL_KIND],
        resolve_provider=True))
    async def code_action(ls: NotecheckServer, params: types.CodeActionParams) -> list[types.CodeAction] | None:
        found = await ls.current_analysis(params.text_document.uri)
        if found is None:
            return None
        doc, result = found
        only = params.context.only
        actions: list[types.CodeAction] = []
        if _kind_wanted(only, types.CodeActionKind.QuickFix):
            here = [i for i in result.items if _touches(i.range, params.range)]
            for item in here:
                if item.fix is None or (item.applicability != SAFE and not ls.settings.unsafe_fixes):
                    continue
                actions.append(types.CodeAction(
                    title=item.fix.title, kind=types.CodeActionKind.QuickFix, diagnostics=[lsp_diagnostic(item)],
                    edit=ls.workspace_edit(doc, item.fix.changes), is_preferred=item.applicability == SAFE))
            seen: set[str] = set()
            for item in here:
                if item.disable is None or (item.disable.title, item.disable.changes[0].range) in seen:
                    continue
                seen.add((item.disable.title, item.disable.changes[0].range))  # type: ignore[arg-type]
                actions.append(types.CodeAction(
                    title=item.disable.title, kind=types.CodeActionKind.QuickFix,
                    diagnostics=[lsp_diagnostic(item)], edit=ls.workspace_edit(doc, item.disable.changes)))
        if _kind_wanted(only, FIX_ALL_KIND) and result.safe_fixable:
            lazy = "edit" in (ls.client_can("text_document.code_action.resolve_support.properties") or [])
            action = types.CodeAction(title="Fix all safe problems", kind=FIX_ALL_KIND,
                                      data={"uri": doc.uri, "version": doc.version})
            if lazy:
                actions.append(action)
            elif only:  # computed now only when asked for by kind (not on every cursor move)
                actions.append(await _resolve_fix_all(ls, action))
        return actions

    @server.feature(types.CODE_ACTION_RESOLVE)
    async def code_action_resolve(ls: NotecheckServer, action: types.CodeAction) -> types.CodeAction:
        if action.kind == FIX_ALL_KIND:
            return await _resolve_fix_all(ls, action)
        return action

    return server


async def _resolve_fix_all(ls: NotecheckServer, action: types.CodeAction) -> types.CodeAction:
    data = action.data if isinstance(action.data, dict) else {}
    doc = ls.open_document(str(data.get("uri", "")))
    if doc is None:
        return action
    try:
        change = await ls.run(analysis.fix_all, doc.source, ls.path_of(doc), ls.settings, root=ls.root,
                              encoding=ls.encoding)
    except ConfigError as exc:
        ls.show_once(f"notecheck: {exc}")
        return action
    action.edit = ls.workspace_edit(doc, [change] if change is not None else [])
    return action


async def _pull_settings(ls: NotecheckServer) -> None:
    if not ls.client_can("workspace.configuration"):
        return
    try:
        result = await ls.workspace_configuration_async(
            types.ConfigurationParams(items=[types.ConfigurationItem(section="notecheck")]))
    except Exception as exc:
        log.warning("workspace/configuration failed: %s", exc)
        return
    if result and isinstance(result[0], dict):
        ls.apply_settings(result[0])


def serve() -> int:
    logging.basicConfig(stream=sys.stderr, level=logging.WARNING, format="notecheck server: %(message)s")
    server = create_server()
    try:
        server.start_io()
    finally:
        server.stop_workers()
    return 0
