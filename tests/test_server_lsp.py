"""`notecheck server` end to end: pytest-lsp starts the real server process and drives it
as an editor would (VS Code's and Neovim's client capabilities), over stdio."""

from __future__ import annotations

import asyncio
import json
import shutil
import sys
from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities
from pytest_lsp import client as plc

from conftest import FIXTURES, ROOT, run_cli
from notecheck.explain import explain
from notecheck.server.analysis import analyze
from notecheck.server.positions import UTF8, UTF16, LineIndex
from test_server_analysis import URL, defective

EXAMPLE = ROOT / "examples" / "aBcD3fGh1jK.md"
PUBLISH = types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS
TIMEOUT = 30  # seconds; a check takes milliseconds, a loaded machine may take longer

# what the server must say about defective(example), as a UTF-16 client sees it
EXPECTED = [
    ("NC102", (5, 21, 5, 28), "https://github.com/OWNER/notecheck#file-front-matter-and-structure-nc0xxnc2xx"),
    ("NC407", (47, 156, 47, 162), "https://github.com/OWNER/notecheck#times-and-clips-nc3xx-nc4xx"),
    ("NC301", (71, 89, 71, 93), "https://github.com/OWNER/notecheck#times-and-clips-nc3xx-nc4xx"),
    ("NC303", (80, 18, 80, 25), "https://github.com/OWNER/notecheck#times-and-clips-nc3xx-nc4xx"),
]


def make_client() -> LanguageClient:
    """pytest-lsp's client, also recording each publishDiagnostics with its version and
    answering client/registerCapability."""
    client = LanguageClient(converter_factory=plc.default_converter)
    client.published = []  # type: ignore[attr-defined]
    client.registrations = []  # type: ignore[attr-defined]
    client.new_publish = asyncio.Event()  # type: ignore[attr-defined]

    def publish(ls: LanguageClient, params: types.PublishDiagnosticsParams):
        ls.diagnostics[params.uri] = params.diagnostics
        ls.published.append(params)  # type: ignore[attr-defined]
        ls.new_publish.set()  # type: ignore[attr-defined]

    def register(ls: LanguageClient, params: types.RegistrationParams):
        ls.registrations.extend(params.registrations)  # type: ignore[attr-defined]

    features = dict(plc.DEFAULT_CLIENT_FEATURES, **{PUBLISH: publish, types.CLIENT_REGISTER_CAPABILITY: register})
    plc.register_lsp_features(client, features)
    return client


SERVER = ClientServerConfig(server_command=[sys.executable, "-m", "notecheck", "server"], client_factory=make_client)


async def start(client: LanguageClient, root: Path, editor: str = "visual-studio-code", options=None):
    return await client.initialize_session(types.InitializeParams(
        capabilities=client_capabilities(editor), root_uri=root.as_uri(),
        workspace_folders=[types.WorkspaceFolder(uri=root.as_uri(), name="notes")],
        initialization_options=options))


@pytest_lsp.fixture(config=SERVER)
async def vscode(lsp_client: LanguageClient, tmp_path):
    await start(lsp_client, tmp_path)
    yield
    await lsp_client.shutdown_session()


@pytest_lsp.fixture(config=SERVER)
async def server(lsp_client: LanguageClient):
    """A client not yet initialized: the test calls start() with its own capabilities or options."""
    yield
    if lsp_client.capabilities is None:  # the test failed before start(): the server still has to go
        lsp_client.exit(None)
    await lsp_client.shutdown_session()


# ------------------------------------------------------------------------------ helpers


async def published(client, uri: str, version: int | None = None, after: int = 0) -> list[types.Diagnostic]:
    """The first diagnostics published for ``uri`` (at ``version``) after the ``after``-th publish."""
    async def wait():
        while True:
            for p in client.published[after:]:
                if p.uri == uri and (version is None or p.version == version):
                    return list(p.diagnostics)
            client.new_publish.clear()
            await client.new_publish.wait()
    return await asyncio.wait_for(wait(), TIMEOUT)


def open_note(client, path: Path, text: str | None = None, version: int = 1) -> str:
    text = path.read_text(encoding="utf-8") if text is None else text
    uri = path.as_uri()
    client.text_document_did_open(types.DidOpenTextDocumentParams(types.TextDocumentItem(
        uri=uri, language_id="markdown", version=version, text=text)))
    return uri


def change(client, uri: str, version: int, text: str, old: str, new: str, encoding: str = UTF16) -> str:
    """Replace the first ``old`` in ``text`` by ``new`` with an incremental change; the new text."""
    index = LineIndex(text)
    start = text.index(old)
    r = types.Range(types.Position(*index.position(start, encoding)),
                    types.Position(*index.position(start + len(old), encoding)))
    client.text_document_did_change(types.DidChangeTextDocumentParams(
        text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
        content_changes=[types.TextDocumentContentChangePartial(range=r, text=new)]))
    return text.replace(old, new, 1)


def apply(text: str, edit: types.WorkspaceEdit, encoding: str = UTF16) -> str:
    """Apply a WorkspaceEdit for one document as a client does (all ranges on the old text)."""
    if edit.document_changes:
        [doc_edit] = edit.document_changes
        edits = doc_edit.edits
    else:
        [edits] = edit.changes.values()
    index = LineIndex(text)
    spans = sorted(((index.offset(e.range.start.line, e.range.start.character, encoding),
                     index.offset(e.range.end.line, e.range.end.character, encoding), e.new_text) for e in edits),
                   reverse=True)
    for start, end, new in spans:
        text = text[:start] + new + text[end:]
    return text


def summary(diags) -> list:
    return [(d.code, (d.range.start.line, d.range.start.character, d.range.end.line, d.range.end.character),
             d.code_description.href if d.code_description else None) for d in diags]


def codes(diags) -> list[str]:
    return [d.code for d in diags]


def write(path: Path, text: str) -> Path:
    path.write_bytes(text.encode("utf-8"))
    return path


async def actions(client, uri: str, rng: types.Range, only=None):
    return await client.text_document_code_action_async(types.CodeActionParams(
        text_document=types.TextDocumentIdentifier(uri=uri), range=rng,
        context=types.CodeActionContext(diagnostics=[], only=only)))


def cli_fix(path: Path, *args: str) -> str:
    """What `notecheck fix` writes for the note at ``path`` (run on a copy, sidecars beside it)."""
    copy = path.with_name("cli-copy") / path.name
    copy.parent.mkdir(exist_ok=True)
    shutil.copy(path, copy)
    for sidecar in path.parent.glob("*.json"):
        shutil.copy(sidecar, copy.parent / sidecar.name)
    run_cli("fix", *args, str(copy))
    return copy.read_text(encoding="utf-8")


# ------------------------------------------------------------------------------ diagnostics


@pytest.mark.asyncio
async def test_bundled_example_has_no_diagnostics_and_defects_have_exact_ones(vscode, tmp_path):
    client = vscode
    example_uri = open_note(client, EXAMPLE)
    assert await published(client, example_uri, 1) == []

    path = write(tmp_path / "aBcD3fGh1jK.md", defective(EXAMPLE.read_text(encoding="utf-8")))
    uri = open_note(client, path)
    diags = await published(client, uri, 1)
    assert summary(diags) == EXPECTED
    assert {(d.source, d.severity) for d in diags} == {("notecheck", types.DiagnosticSeverity.Error)}
    code, out, _ = run_cli("check", "--output-format", "json", str(path))
    assert [d.message for d in diags] == [x["message"] for x in json.loads(out)]

    client.text_document_did_close(types.DidCloseTextDocumentParams(types.TextDocumentIdentifier(uri)))
    n = len(client.published)
    assert await published(client, uri, after=n) == []


@pytest.mark.asyncio
async def test_a_change_introduces_then_removes_a_defect(vscode, tmp_path):
    client = vscode
    path = write(tmp_path / "aBcD3fGh1jK.md", EXAMPLE.read_text(encoding="utf-8"))
    text = path.read_text(encoding="utf-8")
    uri = open_note(client, path, text)
    assert await published(client, uri, 1) == []
    anchor = f"({URL}&t=500s)) - Her plots"
    text = change(client, uri, 2, text, anchor, anchor.replace("500s", "520s"))
    [diag] = await published(client, uri, 2)
    assert diag.code == "NC301" and diag.message == "label 8:20 is 500 s but t=520s is 8:40"
    text = change(client, uri, 3, text, "520s", "500s")
    assert await published(client, uri, 3) == []


@pytest.mark.asyncio
async def test_typing_fast_never_publishes_an_older_version(vscode, tmp_path):
    """Thirty keystrokes in a row: every published version is newer than the one before,
    its diagnostics are those of the text at that version, and the last one is published."""
    client = vscode
    path = write(tmp_path / "aBcD3fGh1jK.md", EXAMPLE.read_text(encoding="utf-8"))
    text = path.read_text(encoding="utf-8")
    uri = open_note(client, path, text)
    await published(client, uri, 1)
    texts = {1: text}
    for version in range(2, 32):  # toggle the t= of one link between right and wrong
        old, new = ("t=500s)) - Her", "t=520s)) - Her") if version % 2 == 0 else ("t=520s)) - Her", "t=500s)) - Her")
        text = texts[version] = change(client, uri, version, text, old, new)
        if version % 10 == 0:
            await asyncio.sleep(0.3)  # a pause now and then: those versions get checked
    final = await published(client, uri, 31)
    assert final == []
    versions = [p.version for p in client.published if p.uri == uri]
    assert versions == sorted(set(versions)) and versions[-1] == 31
    for p in client.published:
        if p.uri == uri:
            assert codes(p.diagnostics) == [i.code for i in analyze(texts[p.version], str(path)).items]


@pytest.mark.asyncio
async def test_half_typed_notes_and_odd_line_breaks_never_crash_the_server(vscode, tmp_path):
    client = vscode
    path = tmp_path / "draft.md"
    target = defective(EXAMPLE.read_text(encoding="utf-8"))
    text = ""
    uri = open_note(client, path, text)
    await published(client, uri, 1)
    version = 1
    for cut in range(0, len(target), 331):  # typed in pieces: broken YAML, half links, open fences
        version += 1
        piece = target[len(text):cut + 331]
        index = LineIndex(text)
        end = types.Position(*index.position(len(text)))
        client.text_document_did_change(types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
            content_changes=[types.TextDocumentContentChangePartial(range=types.Range(end, end), text=piece)]))
        text += piece
        await asyncio.sleep(0.02)
    assert text == target
    assert summary(await published(client, uri, version)) == EXPECTED
    # U+2028 and a form feed are not line breaks in LSP: a change after them lands where the editor made it
    odd = write(tmp_path / "aBcD3fGh1jK.md", target.replace("Twenty years 🌱", "Twenty\u2028years\x0c 🌱"))
    odd_text = odd.read_text(encoding="utf-8")
    odd_uri = open_note(client, odd, odd_text)
    assert "NC301" in codes(await published(client, odd_uri, 1))
    change(client, odd_uri, 2, odd_text, "t=520s", "t=500s")
    assert codes(await published(client, odd_uri, 2)) == ["NC102", "NC407", "NC303"]
    hover = await client.text_document_hover_async(types.HoverParams(
        types.TextDocumentIdentifier(uri), types.Position(71, 90)))
    assert hover is not None and "NC301" in hover.contents.value


# ------------------------------------------------------------------------------ code actions and hover


@pytest.mark.asyncio
async def test_quick_fix_and_fix_all_give_the_text_of_notecheck_fix(vscode, tmp_path):
    client = vscode
    clean = EXAMPLE.read_text(encoding="utf-8")
    (tmp_path / "one").mkdir()
    one = write(tmp_path / "one" / "aBcD3fGh1jK.md", clean.replace("&t=500s)) - Her plots", "&t=520s)) - Her plots"))
    one_text = one.read_text(encoding="utf-8")
    uri = open_note(client, one, one_text)
    [diag] = await published(client, uri, 1)
    found = await actions(client, uri, diag.range)
    assert [(a.title, a.kind, a.is_preferred) for a in found] == [
        ("NC301: rewrite t= from the label", "quickfix", True),
        ("Disable NC301 for this line", "quickfix", None),
        ("Fix all safe problems", "source.fixAll.notecheck", None),  # no `only`: every kind
    ]
    assert found[0].diagnostics[0].code == "NC301"
    fixed = apply(one_text, found[0].edit)
    assert fixed == cli_fix(one) == clean
    silenced = apply(one_text, found[1].edit)
    assert "<!-- notecheck: disable=NC301 -->\n- **Twenty years of trials**" in silenced

    path = write(tmp_path / "aBcD3fGh1jK.md", defective(clean))
    text = path.read_text(encoding="utf-8")
    uri = open_note(client, path, text)
    await published(client, uri, 1)
    whole = types.Range(types.Position(0, 0), types.Position(0, 0))
    [fix_all] = await actions(client, uri, whole, only=[types.CodeActionKind.SourceFixAll])
    assert (fix_all.title, fix_all.kind, fix_all.edit) == ("Fix all safe problems", "source.fixAll.notecheck", None)
    resolved = await client.code_action_resolve_async(fix_all)
    assert len(resolved.edit.document_changes[0].edits) == 1  # one edit: the span from first to last fix
    assert resolved.edit.document_changes[0].text_document.version == 1
    after = apply(text, resolved.edit)
    assert after == cli_fix(path) != text
    assert [d for d in analyze(after, str(path)).items if d.fix] == []
    # asked for quick fixes only: no source action; asked for nothing in particular: every kind
    assert "source.fixAll.notecheck" not in [a.kind for a in await actions(client, uri, whole, only=["quickfix"])]
    assert "source.fixAll.notecheck" in [a.kind for a in await actions(client, uri, whole)]


@pytest.mark.asyncio
async def test_hover_on_a_finding_shows_its_explanation(vscode, tmp_path):
    client = vscode
    path = write(tmp_path / "aBcD3fGh1jK.md", defective(EXAMPLE.read_text(encoding="utf-8")))
    uri = open_note(client, path)
    diags = await published(client, uri, 1)
    nc301 = next(d for d in diags if d.code == "NC301")
    hover = await client.text_document_hover_async(types.HoverParams(
        types.TextDocumentIdentifier(uri), nc301.range.start))
    assert hover.contents.kind == types.MarkupKind.Markdown
    assert hover.contents.value.startswith("**NC301** label 8:20 is 500 s but t=520s is 8:40\n\n")
    assert f"```text\n{explain('NC301')}\n```" in hover.contents.value
    assert hover.range == nc301.range
    nothing = await client.text_document_hover_async(types.HoverParams(
        types.TextDocumentIdentifier(uri), types.Position(nc301.range.start.line, 2)))
    assert nothing is None


@pytest.mark.asyncio
async def test_unsafe_fixes_only_when_the_setting_says_so(vscode, tmp_path):
    client = vscode
    for name in ("Hs9kWq2TzLm.md", "Hs9kWq2TzLm.json"):
        shutil.copy(FIXTURES / "sidecar" / name, tmp_path / name)
    path = tmp_path / "Hs9kWq2TzLm.md"
    text = path.read_text(encoding="utf-8").replace("&t=1506s)", "&t=1508s)").replace("[25:06]", "[25:08]")
    write(path, text)
    uri = open_note(client, path, text)
    [diag] = await published(client, uri, 1)
    assert diag.code == "NC602"  # found through the sidecar beside the note
    assert [a.title for a in await actions(client, uri, diag.range)] == ["Disable NC602 for this line"]
    n = len(client.published)
    client.workspace_did_change_configuration(types.DidChangeConfigurationParams(
        settings={"notecheck": {"unsafeFixes": True}}))
    await published(client, uri, after=n)
    found = await actions(client, uri, diag.range)
    assert [(a.title.endswith("(unsafe)"), a.is_preferred) for a in found] == [(True, False), (False, None)]
    assert apply(text, found[0].edit) == cli_fix(path, "--unsafe-fixes") != text


@pytest.mark.asyncio
async def test_neovim_gets_utf8_positions_and_plain_changes(server, tmp_path):
    """Neovim 0.11 offers utf-8 first: positions are then in UTF-8 bytes, and without
    documentChanges support the edits come as ``changes``."""
    client = server
    result = await start(client, tmp_path, "neovim")
    assert result.capabilities.position_encoding == UTF8
    path = write(tmp_path / "aBcD3fGh1jK.md", defective(EXAMPLE.read_text(encoding="utf-8")))
    text = path.read_text(encoding="utf-8")
    uri = open_note(client, path, text)
    nc301 = next(d for d in await published(client, uri, 1) if d.code == "NC301")
    line = text.split("\n")[71]
    byte = len(line[:line.index("520s")].encode("utf-8"))  # 🌱 is 4 bytes, 土 and 壌 3 each
    assert (nc301.range.start.line, nc301.range.start.character, nc301.range.end.character) == (71, byte, byte + 4)
    assert byte == 95  # 88 code points, of which the emoji takes 4 bytes and each CJK character 3
    quick = (await actions(client, uri, nc301.range))[0]
    assert quick.edit.document_changes is None and list(quick.edit.changes) == [uri]
    assert "t=500s" in apply(text, quick.edit, UTF8).split("\n")[71]


# ------------------------------------------------------------------------------ settings and config files


@pytest.mark.asyncio
async def test_settings_from_initialization_and_configuration_changes(server, tmp_path):
    client = server
    await start(client, tmp_path, options={"ignore": ["NC303"]})
    path = write(tmp_path / "aBcD3fGh1jK.md", defective(EXAMPLE.read_text(encoding="utf-8")))
    uri = open_note(client, path)
    assert codes(await published(client, uri, 1)) == ["NC102", "NC407", "NC301"]
    # pushed settings: select replaces the config's selection, ignore is cleared
    n = len(client.published)
    client.workspace_did_change_configuration(types.DidChangeConfigurationParams(
        settings={"notecheck": {"select": ["NC3"], "ignore": []}}))
    assert codes(await published(client, uri, after=n)) == ["NC301", "NC303"]
    # pulled settings: the notification only says "ask", the server asks workspace/configuration
    client.set_configuration({"select": ["NC1"]}, section="notecheck")
    n = len(client.published)
    client.workspace_did_change_configuration(types.DidChangeConfigurationParams(settings=None))
    assert codes(await published(client, uri, after=n)) == ["NC102"]
    # a bad value is reported once and the previous setting kept
    n = len(client.published)
    client.workspace_did_change_configuration(types.DidChangeConfigurationParams(
        settings={"notecheck": {"select": ["NC999"]}}))
    assert codes(await published(client, uri, after=n)) == ["NC102"]
    assert [m.message for m in client.messages] == [
        "notecheck: setting select: 'NC999' matches no rule ('notecheck rules' lists them)"]


@pytest.mark.asyncio
async def test_changed_config_and_sidecar_files_recheck_open_notes(vscode, tmp_path):
    client = vscode
    for _ in range(TIMEOUT * 10):  # the server registers the watcher once the client is initialized
        if client.registrations:
            break
        await asyncio.sleep(0.1)
    [registration] = client.registrations
    assert registration.method == types.WORKSPACE_DID_CHANGE_WATCHED_FILES
    assert [w["globPattern"] for w in registration.register_options["watchers"]] == [
        "**/pyproject.toml", "**/.notecheck.toml", "**/*.json"]
    path = write(tmp_path / "aBcD3fGh1jK.md", defective(EXAMPLE.read_text(encoding="utf-8")))
    uri = open_note(client, path)
    assert codes(await published(client, uri, 1)) == ["NC102", "NC407", "NC301", "NC303"]

    async def file_changed(name: str, content: str) -> list[str]:
        target = tmp_path / name
        target.write_text(content, encoding="utf-8")
        n = len(client.published)
        client.workspace_did_change_watched_files(types.DidChangeWatchedFilesParams(changes=[
            types.FileEvent(uri=target.as_uri(), type=types.FileChangeType.Changed)]))
        return await published(client, uri, after=n)

    assert codes(await file_changed(".notecheck.toml", 'ignore = ["NC3"]\n')) == ["NC102", "NC407"]
    broken = await file_changed(".notecheck.toml", "ignore = [\n")
    assert len(broken) == 1 and broken[0].code is None and "not valid TOML" in broken[0].message
    assert any("not valid TOML" in m.message for m in client.messages)
    assert codes(await file_changed(".notecheck.toml", "")) == ["NC102", "NC407", "NC301", "NC303"]

    # the sidecar beside a note: a broken one becomes NC604 when the JSON changes
    for name in ("Hs9kWq2TzLm.md", "Hs9kWq2TzLm.json"):
        shutil.copy(FIXTURES / "sidecar" / name, tmp_path / name)
    side_uri = open_note(client, tmp_path / "Hs9kWq2TzLm.md")
    assert await published(client, side_uri, 1) == []
    (tmp_path / "Hs9kWq2TzLm.json").write_text('{"broken": ', encoding="utf-8")
    n = len(client.published)
    client.workspace_did_change_watched_files(types.DidChangeWatchedFilesParams(changes=[
        types.FileEvent(uri=(tmp_path / "Hs9kWq2TzLm.json").as_uri(), type=types.FileChangeType.Changed)]))
    while True:
        diags = await published(client, side_uri, after=n)
        n = len(client.published)
        if diags:
            break
    assert codes(diags) == ["NC604"] and "not valid JSON" in diags[0].message



# ------------------------------------------------------------------------------ in process: failure paths


def _server_with(monkeypatch, analyze_impl):
    """A server object (no client) whose one open note is ``doc`` and whose check is ``analyze_impl``."""
    from types import SimpleNamespace

    from notecheck.server.lsp import create_server

    ls = create_server()
    doc = SimpleNamespace(uri="file:///notes/a.md", version=3, source="x", language_id="markdown", path="/notes/a.md")
    logged, publishes = [], []
    monkeypatch.setattr(ls, "open_document", lambda uri: doc)
    monkeypatch.setattr(ls, "log_error", logged.append)
    monkeypatch.setattr(ls, "publish", lambda uri, result, epoch: publishes.append(result))
    monkeypatch.setattr(ls, "analyze", lambda d: analyze_impl(ls, d))
    return ls, doc, logged, publishes


@pytest.mark.asyncio
async def test_an_exception_in_a_check_is_logged_and_the_server_goes_on(monkeypatch):
    async def boom(ls, doc):
        return 1 / 0

    ls, doc, logged, publishes = _server_with(monkeypatch, boom)
    await ls._check(doc.uri, 0)
    assert publishes == []
    assert len(logged) == 1 and logged[0].startswith(
        "notecheck: checking file:///notes/a.md failed: internal error (please report it): ZeroDivisionError")


@pytest.mark.asyncio
async def test_a_result_for_an_older_version_or_older_settings_is_never_published(monkeypatch):
    from notecheck.server.analysis import Analysis

    async def edited_meanwhile(ls, doc):
        result = Analysis(doc.version)
        doc.version += 1  # the user typed while the worker checked
        return result

    ls, doc, logged, publishes = _server_with(monkeypatch, edited_meanwhile)
    await ls._check(doc.uri, 0)
    assert publishes == [] and logged == []

    async def settings_changed_meanwhile(ls, doc):
        ls.epoch += 1
        return Analysis(doc.version)

    ls, doc, logged, publishes = _server_with(monkeypatch, settings_changed_meanwhile)
    await ls._check(doc.uri, 0)
    assert publishes == [] and logged == []

    async def quiet(ls, doc):
        return Analysis(doc.version)

    ls, doc, logged, publishes = _server_with(monkeypatch, quiet)
    await ls._check(doc.uri, 0)
    assert publishes == [Analysis(3)]


@pytest.mark.asyncio
async def test_a_worker_process_that_dies_is_replaced(monkeypatch):
    import os

    from concurrent.futures.process import BrokenProcessPool

    from notecheck.server.lsp import create_server

    ls = create_server()
    logged = []
    monkeypatch.setattr(ls, "log_error", logged.append)
    try:
        assert await ls.run(len, "abc") == 3
        with pytest.raises(BrokenProcessPool):  # it dies, and dies again on the one retry
            await ls.run(os._exit, 1)
        assert await ls.run(len, "abcd") == 4  # the next check gets a new worker
        assert logged == ["notecheck: the check worker stopped unexpectedly; starting a new one"] * 2
    finally:
        ls.stop_workers()
