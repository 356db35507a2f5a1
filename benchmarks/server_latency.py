"""How quickly `notecheck server` answers an editor, measured over stdio as a client sees it.

1. Diagnostics after a change: the ~50 KB sample note is opened, then edited ``--edits``
   times (one t= value toggled between right and wrong, so every edit changes the
   findings); for each edit, the time from sending didChange to receiving the
   publishDiagnostics of that version. This includes the server's debounce
   (``CHANGE_DELAY``), which is also subtracted to show the check's own share.
2. Responsiveness under load: a ~300 KB note (the sample's transcript repeated) gets a
   keystroke every ``--keystroke-ms`` (longer than the debounce, so each one re-checks the
   whole note), and hover requests go out back to back (10 ms apart) all the while; the
   hover latencies, all of them and those sent while a check was running, show whether
   the event loop stays free; then the time from the last keystroke to its diagnostics.

Both are run with the worker in a process (the default) and in a thread
(``NOTECHECK_SERVER_WORKERS=thread``). Usage::

    python benchmarks/server_latency.py            # needs notecheck[server]
    python benchmarks/server_latency.py --edits 20 --keystrokes 30

The machine's load average is printed before and after: on a shared machine, say so
with the numbers.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from lsprotocol import types
from pygls.lsp.client import LanguageClient

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT / "src"))

from notecheck.server.analysis import analyze  # noqa: E402
from notecheck.server.lsp import CHANGE_DELAY  # noqa: E402
from notecheck.server.positions import LineIndex  # noqa: E402

SAMPLE = ROOT.parent / "shared" / "samples" / "lXUZvyajciY.md"
RIGHT, WRONG = "&t=565s)) - LLMs are not", "&t=566s)) - LLMs are not"  # a Key Points link


class Client(LanguageClient):
    def __init__(self):
        super().__init__("server-latency", "1")
        self.arrived: dict[tuple[str, int | None], float] = {}
        self.event = asyncio.Event()

        @self.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        def published(params: types.PublishDiagnosticsParams):
            self.arrived[(params.uri, params.version)] = time.perf_counter()
            self.event.set()

    async def until(self, uri: str, version: int, timeout: float = 120.0) -> float:
        async def wait():
            while (uri, version) not in self.arrived:
                self.event.clear()
                await self.event.wait()
            return self.arrived[(uri, version)]
        return await asyncio.wait_for(wait(), timeout)


def big_note(text: str, target: int) -> str:
    """The sample with its transcript paragraphs repeated until the note is ``target`` bytes."""
    head, transcript = text.split("## Transcript\n", 1)
    out = [head, "## Transcript\n", transcript]
    size = len(text.encode("utf-8"))
    while size < target:
        out.append("\n" + transcript)
        size += len(transcript.encode("utf-8")) + 1
    return "".join(out)


def replace_change(text: str, old: str, new: str, version: int, uri: str) -> tuple[str, types.DidChangeTextDocumentParams]:
    index = LineIndex(text)
    start = text.index(old)
    rng = types.Range(types.Position(*index.position(start)), types.Position(*index.position(start + len(old))))
    params = types.DidChangeTextDocumentParams(
        text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
        content_changes=[types.TextDocumentContentChangePartial(range=rng, text=new)])
    return text.replace(old, new, 1), params


def ms(values: list[float]) -> str:
    values = sorted(values)
    p95 = values[min(len(values) - 1, int(round(0.95 * (len(values) - 1))))]
    return (f"median {statistics.median(values) * 1000:7.1f} ms   p95 {p95 * 1000:7.1f} ms   "
            f"max {values[-1] * 1000:7.1f} ms   (n={len(values)})")


async def session(workers: str, folder: Path, args) -> None:
    env = dict(os.environ, NOTECHECK_SERVER_WORKERS=workers)
    client = Client()
    await client.start_io(sys.executable, "-m", "notecheck", "server", env=env)
    await client.initialize_async(types.InitializeParams(capabilities=types.ClientCapabilities(),
                                                         root_uri=folder.as_uri()))
    client.initialized(types.InitializedParams())

    # 1. the 50 KB sample, one edit at a time
    sample = folder / "lXUZvyajciY.md"
    text = sample.read_text(encoding="utf-8")
    uri = sample.as_uri()
    client.text_document_did_open(types.DidOpenTextDocumentParams(types.TextDocumentItem(uri, "markdown", 1, text)))
    await client.until(uri, 1)
    latencies = []
    for version in range(2, args.edits + 2):
        old, new = (RIGHT, WRONG) if version % 2 == 0 else (WRONG, RIGHT)
        text, params = replace_change(text, old, new, version, uri)
        sent = time.perf_counter()
        client.text_document_did_change(params)
        latencies.append(await client.until(uri, version) - sent)
    print(f"  50 KB note, diagnostics after didChange  {ms(latencies)}")
    print(f"     (of which {CHANGE_DELAY * 1000:.0f} ms debounce)          "
          f"{ms([x - CHANGE_DELAY for x in latencies])}")

    # 2. a 300 KB note, a keystroke every --keystroke-ms, hovers in between
    big = folder / "big.md"
    text = big_note(sample.read_text(encoding="utf-8"), args.big_kb * 1000)
    big.write_text(text, encoding="utf-8")
    uri = big.as_uri()
    client.text_document_did_open(types.DidOpenTextDocumentParams(types.TextDocumentItem(uri, "markdown", 1, text)))
    await client.until(uri, 1)
    hovers: list[tuple[float, float]] = []  # (sent, latency)
    keys: list[tuple[int, float]] = []  # (version, sent)
    index = LineIndex(text)
    where = types.Position(*index.position(text.index("[1:25:00]") + 3))  # on an NC301 finding
    version = 1
    started = time.perf_counter()
    for _ in range(args.keystrokes):
        version += 1
        insert_at = text.index("## Summary\n") + len("## Summary\n")
        pos = types.Position(*LineIndex(text).position(insert_at))
        client.text_document_did_change(types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
            content_changes=[types.TextDocumentContentChangePartial(range=types.Range(pos, pos), text="x")]))
        text = text[:insert_at] + "x" + text[insert_at:]
        where = types.Position(where.line + 0, where.character)  # the x goes above: the finding stays put
        key_sent = time.perf_counter()
        keys.append((version, key_sent))
        while time.perf_counter() - key_sent < args.keystroke_ms / 1000:  # hovers, 10 ms apart
            sent = time.perf_counter()
            await client.text_document_hover_async(types.HoverParams(types.TextDocumentIdentifier(uri), where))
            hovers.append((sent, time.perf_counter() - sent))
            await asyncio.sleep(0.01)
    arrived = await client.until(uri, version)
    # a check of version v runs from (keystroke + debounce) until its diagnostics arrive
    busy = [(sent + CHANGE_DELAY, client.arrived[(uri, v)]) for v, sent in keys if (uri, v) in client.arrived]
    during = [lat for sent, lat in hovers if any(a <= sent <= b for a, b in busy)]
    checked = sum(1 for v, _ in keys if (uri, v) in client.arrived)
    size = len(text.encode("utf-8")) // 1000
    print(f"  {size} KB note, a keystroke every {args.keystroke_ms} ms for {time.perf_counter() - started:.1f} s:"
          f" {checked} of {args.keystrokes} versions checked and published")
    print(f"     hover, any time                       {ms([lat for _, lat in hovers])}")
    if during:
        print(f"     hover sent while a check ran          {ms(during)}")
    print(f"     last keystroke -> its diagnostics      {(arrived - keys[-1][1]) * 1000:.0f} ms")

    await client.shutdown_async(None)
    client.exit(None)
    await client.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--edits", type=int, default=50)
    parser.add_argument("--keystrokes", type=int, default=60)
    parser.add_argument("--keystroke-ms", type=int, default=300, help="more than the debounce: every keystroke is checked")
    parser.add_argument("--big-kb", type=int, default=300)
    parser.add_argument("--workers", choices=["process", "thread", "both"], default="both")
    args = parser.parse_args()

    print(f"load average before: {os.getloadavg()}  cores: {os.cpu_count()}")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "lXUZvyajciY.md").write_bytes(SAMPLE.read_bytes())
        text = SAMPLE.read_text(encoding="utf-8")
        for label, note in (("50 KB", text), (f"{args.big_kb} KB", big_note(text, args.big_kb * 1000))):
            analyze(note, str(folder / "x.md"))  # the first check imports the rules: not counted
            times = []
            for _ in range(5):
                t0 = time.perf_counter()
                analyze(note, str(folder / "x.md"))
                times.append(time.perf_counter() - t0)
            print(f"  in process, one check of the {label} note: {ms(times)}")
        for workers in (["process", "thread"] if args.workers == "both" else [args.workers]):
            print(f"workers: {workers}")
            asyncio.run(session(workers, folder, args))
    print(f"load average after: {os.getloadavg()}")


if __name__ == "__main__":
    main()
