"""The HTML page in a real browser: headless Chromium shows what a person would see.

Chromium is driven through the DevTools protocol over a pipe
(``--remote-debugging-pipe``: commands on fd 3, replies on fd 4), so no Python
package is needed. The page is opened at a desktop width, at a phone's width
and in print mode at the width of an A4 page; each time a script measures the
tables as laid out (rows and columns from the cells' edges) and what overflows.
Screenshots and the A4 PDF are saved under ``test-artifacts/browser/``.

Also checked (issue 20): no column header is broken inside a word, on a
phone table 3's row labels stay in view while its values scroll sideways, and
printed to A4 no table heading stands without its header rows and first row
(six copies of the example of growing length put the headings at every height
of a page), each check beside a control page showing that it can fail.

The tests skip when no Chromium binary is found (``GIPREPORT_CHROMIUM``, else
``chromium``, ``chromium-browser``, ``google-chrome`` on ``PATH``), except in CI
(the environment variable ``CI`` set), where they fail: ``.ci/run`` installs
Debian's ``chromium``.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import re
import select
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

import attrs
import pytest

import gipreport

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts" / "browser"
A4_CONTENT_WIDTH = 703  # CSS px: 210 mm less the 2 × 12 mm page margins of DEFAULT_CSS
TIMEOUT = 60.0

# Measures what the reader sees; returns a JSON-able object.
MEASURE = """
(() => {
  const round = (x) => Math.round(x);
  const tables = [...document.querySelectorAll("table.gip-table")].map((table) => {
    const cells = [...table.querySelectorAll("th, td")].map((c) => c.getBoundingClientRect());
    const wrap = table.closest(".gip-table-wrap");
    return {
      key: [...table.classList].find((c) => c.startsWith("gip-table-")).slice(10),
      rows: new Set(cells.map((r) => round(r.top))).size,
      columns: new Set(cells.map((r) => round(r.left))).size,
      domRows: table.rows.length,
      right: table.getBoundingClientRect().right,
      wrapScrollWidth: wrap.scrollWidth,
      wrapClientWidth: wrap.clientWidth,
      emptyCells: cells.filter((r) => r.width < 1 || r.height < 1).length,
    };
  });
  let widest = 0;
  for (const el of document.body.querySelectorAll("*")) {
    if (el.matches(".gip-caption")) continue;  // visually hidden on purpose
    widest = Math.max(widest, el.getBoundingClientRect().right);
  }
  const value = document.querySelector(".gip-value");
  return {
    print: matchMedia("print").matches,
    viewportWidth: document.documentElement.clientWidth,
    scrollWidth: document.documentElement.scrollWidth,
    widest: widest,
    tables: tables,
    valueAlign: getComputedStyle(value).textAlign,
    title: document.querySelector(".gip-title").innerText,
    fontSize: parseFloat(getComputedStyle(document.querySelector(".gip-report p")).fontSize),
  };
})()
"""


def chromium_binary() -> str | None:
    configured = os.environ.get("GIPREPORT_CHROMIUM")
    if configured:
        return shutil.which(configured) or configured
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


def needed_chromium() -> str:
    """Return the Chromium binary; skip without one, but fail in CI (``CI`` set)."""
    binary = chromium_binary()
    if binary is None:
        if os.environ.get("CI"):
            pytest.fail("no Chromium binary in CI: .ci/run installs Debian's chromium")
        pytest.skip("no Chromium binary (set GIPREPORT_CHROMIUM, or install Debian's chromium)")
    return binary


class DevTools:
    """A minimal DevTools-protocol client over Chromium's debugging pipe."""

    def __init__(self, binary: str, profile: Path, log: Path) -> None:
        to_browser_read, self._to_browser = os.pipe()
        self._from_browser, from_browser_write = os.pipe()
        devnull = os.open(os.devnull, os.O_RDWR)
        log_fd = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        args = [
            binary,
            "--headless",
            "--no-sandbox",  # tests run as root in CI containers
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
            "--remote-debugging-pipe",
            f"--user-data-dir={profile}",
            "about:blank",
        ]
        actions = [
            (os.POSIX_SPAWN_DUP2, devnull, 0),
            (os.POSIX_SPAWN_DUP2, devnull, 1),
            (os.POSIX_SPAWN_DUP2, log_fd, 2),
            (os.POSIX_SPAWN_DUP2, to_browser_read, 3),
            (os.POSIX_SPAWN_DUP2, from_browser_write, 4),
        ]
        try:
            self.pid = os.posix_spawn(binary, args, dict(os.environ), file_actions=actions)
        finally:
            for fd in (to_browser_read, from_browser_write, devnull, log_fd):
                os.close(fd)
        self._next_id = 0
        self._buffer = b""
        self.events: list[dict[str, Any]] = []

    def _send(self, message: dict[str, Any]) -> None:
        data = json.dumps(message).encode() + b"\0"
        while data:
            data = data[os.write(self._to_browser, data) :]

    def _receive(self, deadline: float) -> dict[str, Any]:
        while b"\0" not in self._buffer:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not select.select([self._from_browser], [], [], remaining)[0]:
                msg = "Chromium did not answer in time"
                raise TimeoutError(msg)
            chunk = os.read(self._from_browser, 1 << 20)
            if not chunk:
                msg = "Chromium closed the debugging pipe"
                raise ConnectionError(msg)
            self._buffer += chunk
        raw, self._buffer = self._buffer.split(b"\0", 1)
        message: dict[str, Any] = json.loads(raw)
        return message

    def call(self, method: str, params: dict[str, Any] | None = None, session: str = "") -> Any:
        """Send one command and return its result; events met on the way are kept."""
        self._next_id += 1
        message: dict[str, Any] = {"id": self._next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        self._send(message)
        deadline = time.monotonic() + TIMEOUT
        while True:
            reply = self._receive(deadline)
            if reply.get("id") == self._next_id:
                if "error" in reply:
                    msg = f"{method}: {reply['error']}"
                    raise RuntimeError(msg)
                return reply.get("result", {})
            self.events.append(reply)

    def wait_for(self, method: str) -> dict[str, Any]:
        """Return the first event ``method`` (kept or yet to come), removing it."""
        deadline = time.monotonic() + TIMEOUT
        while True:
            for index, event in enumerate(self.events):
                if event.get("method") == method:
                    return self.events.pop(index)
            self.events.append(self._receive(deadline))

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self._send({"id": 0, "method": "Browser.close"})
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if os.waitpid(self.pid, os.WNOHANG) != (0, 0):
                break
            time.sleep(0.05)
        else:
            os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
        os.close(self._to_browser)
        os.close(self._from_browser)


class Tab:
    """One page target, attached with a flat session."""

    def __init__(self, browser: DevTools) -> None:
        self.browser = browser
        target = browser.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        attached = browser.call("Target.attachToTarget", {"targetId": target, "flatten": True})
        self.session: str = attached["sessionId"]
        for domain in ("Page", "Runtime", "Log"):
            self.call(f"{domain}.enable")

    def call(self, method: str, params: dict[str, Any] | None = None) -> Any:
        return self.browser.call(method, params, self.session)

    def open(self, url: str, *, width: int, height: int = 900, mobile: bool = False) -> None:
        self.resize(width=width, height=height, mobile=mobile)
        self.browser.events.clear()
        self.call("Page.navigate", {"url": url})
        self.browser.wait_for("Page.loadEventFired")

    def resize(self, *, width: int, height: int = 900, mobile: bool = False) -> None:
        metrics = {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile}
        self.call("Emulation.setDeviceMetricsOverride", metrics)

    def evaluate(self, expression: str) -> Any:
        result = self.call("Runtime.evaluate", {"expression": expression, "returnByValue": True})
        if "exceptionDetails" in result:
            msg = f"script failed: {result['exceptionDetails']}"
            raise RuntimeError(msg)
        return result["result"]["value"]

    def screenshot(self, path: Path) -> None:
        size = self.call("Page.getLayoutMetrics")["cssContentSize"]
        clip = {"x": 0, "y": 0, "width": size["width"], "height": size["height"], "scale": 1}
        shot = self.call(
            "Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True, "clip": clip}
        )
        path.write_bytes(base64.b64decode(shot["data"]))

    def screenshot_between(self, path: Path, first: str, last: str) -> None:
        """Save the part of the page from element ``first`` to element ``last``."""
        top, bottom = self.evaluate(
            f"[document.querySelector('{first}').getBoundingClientRect().top + scrollY,"
            f" document.querySelector('{last}').getBoundingClientRect().bottom + scrollY]"
        )
        width = self.evaluate("document.documentElement.clientWidth")
        clip = {
            "x": 0,
            "y": max(0, top - 8),
            "width": width,
            "height": bottom - top + 16,
            "scale": 1,
        }
        shot = self.call(
            "Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True, "clip": clip}
        )
        path.write_bytes(base64.b64decode(shot["data"]))

    def errors(self) -> list[str]:
        """Return the console errors and uncaught exceptions seen since the page opened."""
        found = []
        for event in self.browser.events:
            method, params = event.get("method"), event.get("params", {})
            if method == "Runtime.exceptionThrown":
                found.append(json.dumps(params["exceptionDetails"], ensure_ascii=False))
            elif method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
                found.append(json.dumps(params.get("args"), ensure_ascii=False))
            elif method == "Log.entryAdded" and params["entry"].get("level") == "error":
                found.append(params["entry"].get("text", ""))
        return found


@attrs.frozen(kw_only=True)
class Seen:
    """What the browser showed, at each width."""

    desktop: dict[str, Any]
    phone: dict[str, Any]
    printed: dict[str, Any]
    errors: list[str]
    control_errors: list[str]
    pdf: bytes
    screenshots: tuple[Path, ...]


@pytest.fixture(scope="module")
def seen() -> Seen:
    binary = needed_chromium()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page = ARTIFACTS / "mingan_2023.html"
    html = gipreport.render(gipreport.examples.mingan_2023(), "html")
    assert isinstance(html, str)
    page.write_text(html, encoding="utf-8")
    with tempfile.TemporaryDirectory(prefix="gipreport-chromium-") as profile:
        browser = DevTools(binary, Path(profile), ARTIFACTS / "chromium.log")
        try:
            tab = Tab(browser)
            # A page with an error first, to show that errors are caught at all.
            control = "data:text/html,<script>console.error('control');undefined_name()</script>"
            tab.open(control, width=800)
            tab.evaluate("1")  # let the console events arrive
            control_errors = tab.errors()

            tab.open(page.as_uri(), width=1000)
            desktop = tab.evaluate(MEASURE)
            desktop_png = ARTIFACTS / "mingan_2023-desktop.png"
            tab.screenshot(desktop_png)

            # The picture in the docs (docs/_static/rendered-tables.png) is this one.
            tab.resize(width=820)
            tables_png = ARTIFACTS / "mingan_2023-tables.png"
            tab.screenshot_between(tables_png, "#gip-requests", "#gip-appeals")

            tab.resize(width=375, height=800, mobile=True)
            phone = tab.evaluate(MEASURE)
            phone_png = ARTIFACTS / "mingan_2023-phone.png"
            tab.screenshot(phone_png)

            tab.resize(width=A4_CONTENT_WIDTH)
            tab.call("Emulation.setEmulatedMedia", {"media": "print"})
            printed = tab.evaluate(MEASURE)
            print_png = ARTIFACTS / "mingan_2023-print.png"
            tab.screenshot(print_png)
            tab.call("Emulation.setEmulatedMedia", {"media": ""})
            pdf = base64.b64decode(tab.call("Page.printToPDF", {"preferCSSPageSize": True})["data"])
            (ARTIFACTS / "mingan_2023-a4.pdf").write_bytes(pdf)
            errors = tab.errors()
        finally:
            browser.close()
    print(f"\nbrowser artefacts in {ARTIFACTS}")  # shown with pytest -s
    return Seen(
        desktop=desktop,
        phone=phone,
        printed=printed,
        errors=errors,
        control_errors=control_errors,
        pdf=pdf,
        screenshots=(desktop_png, tables_png, phone_png, print_png),
    )


EXPECTED = {"proactive": (14, 4), "requests": (28, 10), "appeals": (4, 15)}


@pytest.mark.parametrize("where", ["desktop", "phone", "printed"])
def test_tables_show_their_rows_and_columns(seen: Seen, where: str) -> None:
    measured = getattr(seen, where)
    shown = {t["key"]: (t["rows"], t["columns"]) for t in measured["tables"]}
    assert shown == EXPECTED
    for table in measured["tables"]:
        assert table["domRows"] == EXPECTED[table["key"]][0]
        assert table["emptyCells"] == 0


def test_nothing_overflows_an_a4_page_in_print(seen: Seen) -> None:
    printed = seen.printed
    assert printed["print"] is True
    assert printed["viewportWidth"] == A4_CONTENT_WIDTH
    assert printed["scrollWidth"] <= printed["viewportWidth"]
    assert printed["widest"] <= printed["viewportWidth"] + 0.5
    for table in printed["tables"]:
        # Nothing hidden in the scrolling box: every table fits the page.
        assert table["wrapScrollWidth"] <= table["wrapClientWidth"], table["key"]


def test_the_pdf_is_a4(seen: Seen) -> None:
    assert seen.pdf.startswith(b"%PDF-")
    # One /MediaBox per page, in points: A4 is 595.28 × 841.89.
    boxes = re.findall(rb"/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]", seen.pdf)
    assert 2 <= len(boxes) <= 8
    for width, height in boxes:
        assert abs(float(width) - 595.28) < 1.5
        assert abs(float(height) - 841.89) < 1.5


def test_readable_on_a_phone(seen: Seen) -> None:
    phone = seen.phone
    assert phone["print"] is False
    # The page itself never scrolls sideways; a wide table scrolls in its own box.
    assert phone["scrollWidth"] <= phone["viewportWidth"]
    assert phone["fontSize"] >= 14


def test_desktop_shows_the_report(seen: Seen) -> None:
    desktop = seen.desktop
    assert desktop["title"] == "乌拉特前旗明安镇人民政府2023年政府信息公开工作年度报告"
    assert desktop["valueAlign"] == "right"
    assert desktop["scrollWidth"] <= desktop["viewportWidth"]
    for table in desktop["tables"]:
        assert table["wrapScrollWidth"] <= table["wrapClientWidth"], table["key"]


def test_no_console_errors(seen: Seen) -> None:
    assert len(seen.control_errors) >= 2, "the error detector saw nothing on the control page"
    assert seen.errors == []


def test_screenshots_saved(seen: Seen) -> None:
    for path in seen.screenshots:
        assert path.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
        assert path.stat().st_size > 10_000


# --- pages that read and print well (issue 20) -------------------------------------------

# Every text node of a column header is one word or more (the renderer puts <wbr>
# between words): a node laid out on two lines is a word broken inside.
BROKEN_WORDS = """
(() => {
  const broken = [];
  let nodes = 0;
  for (const th of document.querySelectorAll("th.gip-col-header")) {
    for (const node of th.childNodes) {
      if (node.nodeType !== Node.TEXT_NODE || !node.textContent.trim()) continue;
      nodes += 1;
      const range = document.createRange();
      range.selectNodeContents(node);
      const lines = new Set([...range.getClientRects()].map((r) => Math.round(r.top)));
      if (lines.size > 1) broken.push(node.textContent);
    }
  }
  return {nodes: nodes, broken: broken};
})()
"""

# Table 3 on a phone, scrolled sideways as far as it goes: where are its row labels?
STICKY = """
(() => {
  const table = document.querySelector(".gip-table-requests");
  const wrap = table.closest(".gip-table-wrap");
  wrap.scrollLeft = wrap.scrollWidth;
  const box = wrap.getBoundingClientRect();
  const outside = [], overlapping = [];
  for (const row of table.rows) {
    const labels = [...row.querySelectorAll(".gip-row-header, .gip-corner")]
      .map((th) => [th.innerText, th.getBoundingClientRect()]);
    for (const [text, r] of labels) {
      if (r.left < box.left - 0.5 || r.right > box.right + 0.5) outside.push(text);
    }
    labels.sort((a, b) => a[1].left - b[1].left);
    for (let i = 1; i < labels.length; i++) {
      if (labels[i][1].left < labels[i - 1][1].right - 1.5) overlapping.push(labels[i][0]);
    }
  }
  const value = table.querySelector(".gip-value").getBoundingClientRect();
  const labelsRight = Math.max(
    ...[...table.querySelectorAll(".gip-row-header")].map((th) => th.getBoundingClientRect().right)
  );
  return {
    scrolled: wrap.scrollLeft,
    scrollable: wrap.scrollWidth - wrap.clientWidth,
    pageScrollWidth: document.documentElement.scrollWidth,
    viewportWidth: document.documentElement.clientWidth,
    labels: table.querySelectorAll(".gip-row-header").length,
    outside: outside,
    overlapping: overlapping,
    firstValueLeft: value.left,
    labelsRight: labelsRight,
  };
})()
"""


COPIES = 6


def many_reports_page(css: str, copies: int = COPIES) -> str:
    """Return one page of copies of the example, each two lines longer than the last.

    Printed, their headings fall at every height of an A4 page, the foot included.
    The prose is cut to one paragraph a section, so that the copies print quickly.
    """
    example = gipreport.examples.mingan_2023()
    short = gipreport.Prose(paragraphs=(example.overview.paragraphs[0],))
    base = attrs.evolve(example, overview=short, problems=short, other_matters=short)
    line = "本机关认真贯彻落实《中华人民共和国政府信息公开条例》。" * 2
    articles = []
    for number in range(copies):
        report = attrs.evolve(base, preamble=(*base.preamble, *(line,) * number))
        article = gipreport.render(report, "html", fragment=True, id_prefix=f"r{number}-")
        assert isinstance(article, str)
        articles.append(article)
    return (
        '<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8">'
        f"<style>{css}</style></head><body>{''.join(articles)}</body></html>\n"
    )


def pdf_pages(pdf: Path) -> list[str]:
    """Return the text of each page of ``pdf`` in the order Chromium wrote it, no whitespace.

    (poppler's ``pdftotext -raw``: the order of the page's content, which is the
    order of the HTML, where a reading by position would interleave the lines of
    neighbouring header cells.)
    """
    pdftotext = shutil.which("pdftotext")
    assert pdftotext is not None, "pdftotext is missing: install poppler-utils (.ci/run does)"
    out = subprocess.run(
        [pdftotext, "-raw", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    return ["".join(page.split()) for page in out.split("\f")]


# What must follow each table's heading on its page: the header rows and a first row.
FOLLOWS = {
    "二、主动公开政府信息情况": ("第二十条第（一）项", "信息内容", "规章"),
    "三、收到和处理政府信息公开申请情况": ("申请人情况", "一、本年新收政府信息公开申请数量"),
    "四、政府信息公开行政复议、行政诉讼情况": ("行政复议", "结果维持", "尚未审结"),
}


def stranded(pages: list[str]) -> list[tuple[int, str]]:
    """Return (page, heading) of each table heading not followed on its page by its table."""
    found = []
    for number, page in enumerate(pages, 1):
        for heading, follows in FOLLOWS.items():
            start = page.find(heading)
            while start >= 0:
                rest = page[start + len(heading) :]
                # Up to the next heading of any table, on the same page.
                ends = [rest.find(h) for h in FOLLOWS if rest.find(h) >= 0]
                rest = rest[: min(ends)] if ends else rest
                if not all(label in rest for label in follows):
                    found.append((number, heading))
                start = page.find(heading, start + 1)
    return found


@attrs.frozen(kw_only=True)
class Layout:
    """What the browser showed of headers, row labels and page breaks."""

    words: dict[str, dict[str, Any]]
    control_words: dict[str, Any]
    sticky: dict[str, Any]
    printed: list[str]
    control_printed: list[str]
    example_printed: list[str]
    example_control_printed: list[str]


@pytest.fixture(scope="module")
def laid_out() -> Layout:
    binary = needed_chromium()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page = ARTIFACTS / "mingan_2023.html"
    html = gipreport.render(gipreport.examples.mingan_2023(), "html")
    assert isinstance(html, str)
    page.write_text(html, encoding="utf-8")
    # The same page with words allowed to break anywhere: the detector must see it.
    control = ARTIFACTS / "mingan_2023-break-all.html"
    control.write_text(
        html.replace("</style>", ".gip-table .gip-col-header{word-break:break-all}</style>"),
        encoding="utf-8",
    )
    many = ARTIFACTS / "many.html"
    many.write_text(many_reports_page(gipreport.HtmlOptions.DEFAULT_CSS), encoding="utf-8")
    # The same without the rules that keep headings and header rows with their tables.
    many_control = ARTIFACTS / "many-control.html"
    many_control.write_text(
        many_reports_page(gipreport.HtmlOptions.DEFAULT_CSS.replace(":avoid", ":auto")),
        encoding="utf-8",
    )
    # The example with every row kept whole, as the print rules once did: a cell that
    # spans rows (三、本年度办理结果) then carries all its rows to the next page.
    rows_whole = ARTIFACTS / "mingan_2023-rows-whole.html"
    rows_whole.write_text(
        html.replace("</style>", "@media print{.gip-table tr{break-inside:avoid}}</style>"),
        encoding="utf-8",
    )
    words: dict[str, dict[str, Any]] = {}
    with tempfile.TemporaryDirectory(prefix="gipreport-chromium-") as profile:
        browser = DevTools(binary, Path(profile), ARTIFACTS / "chromium-layout.log")
        try:
            tab = Tab(browser)
            tab.open(page.as_uri(), width=1280)
            words["desktop"] = tab.evaluate(BROKEN_WORDS)
            tab.resize(width=390, height=844, mobile=True)
            words["phone"] = tab.evaluate(BROKEN_WORDS)
            sticky = tab.evaluate(STICKY)
            tab.screenshot(ARTIFACTS / "mingan_2023-phone-scrolled.png")
            tab.resize(width=A4_CONTENT_WIDTH)
            tab.call("Emulation.setEmulatedMedia", {"media": "print"})
            words["print"] = tab.evaluate(BROKEN_WORDS)
            tab.call("Emulation.setEmulatedMedia", {"media": ""})
            tab.open(control.as_uri(), width=390, height=844, mobile=True)
            control_words = tab.evaluate(BROKEN_WORDS)
            printed = {}
            sources = (
                ("many", many),
                ("control", many_control),
                ("example", page),
                ("rows-whole", rows_whole),
            )
            for name, source in sources:
                tab.open(source.as_uri(), width=1000)
                data = tab.call("Page.printToPDF", {"preferCSSPageSize": True})["data"]
                pdf = ARTIFACTS / f"{name}-a4.pdf"
                pdf.write_bytes(base64.b64decode(data))
                printed[name] = pdf_pages(pdf)
        finally:
            browser.close()
    return Layout(
        words=words,
        control_words=control_words,
        sticky=sticky,
        printed=printed["many"],
        control_printed=printed["control"],
        example_printed=printed["example"],
        example_control_printed=printed["rows-whole"],
    )


@pytest.mark.parametrize("where", ["desktop", "phone", "print"])
def test_headers_wrap_between_words_never_inside_one(laid_out: Layout, where: str) -> None:
    seen = laid_out.words[where]
    assert seen["nodes"] >= 40  # every word of every column header was measured
    assert seen["broken"] == []


def test_the_broken_word_detector_sees_broken_words(laid_out: Layout) -> None:
    assert laid_out.control_words["broken"], "break-all on a phone broke no word: detector blind?"


def test_on_a_phone_row_labels_stay_in_view_while_values_scroll(laid_out: Layout) -> None:
    sticky = laid_out.sticky
    assert sticky["pageScrollWidth"] <= sticky["viewportWidth"]  # the page itself never scrolls
    assert sticky["scrollable"] > 100  # table 3 is wider than the phone ...
    assert sticky["scrolled"] > 100  # ... and scrolled sideways
    assert sticky["labels"] >= 25
    assert sticky["outside"] == []  # yet every row label is still in view
    assert sticky["overlapping"] == []  # each in its own column
    # The first value column went under the labels, out of view.
    assert sticky["firstValueLeft"] < sticky["labelsRight"] - 20


def test_printed_a_heading_never_stands_without_its_table(laid_out: Layout) -> None:
    pages = laid_out.printed
    assert len(pages) >= 2 * COPIES
    assert sum(page.count("三、收到和处理政府信息公开申请情况") for page in pages) == COPIES
    assert stranded(pages) == []
    # Header rows repeat: table 3 crosses a page in some copies, and its header is
    # printed again on the next page.
    assert sum(page.count("申请人情况") for page in pages) > COPIES


def carried_over(pages: list[str]) -> list[int]:
    """Return the pages where table 3 stops after 二、 though 三、本年度办理结果 follows.

    Its label spans 22 rows: where they may not break, all of them go to the next
    page and leave the page they would have begun on half empty.
    """
    return [
        number
        for number, page in enumerate(pages, 1)
        if "二、上年结转政府信息公开申请数量" in page
        and "（一）予以公开" not in page.split("二、上年结转政府信息公开申请数量", 1)[1]
    ]


def test_printed_table_3_breaks_between_the_rows_a_label_spans(laid_out: Layout) -> None:
    pages = laid_out.example_printed
    assert carried_over(pages) == []
    # It does break: its header rows are printed again where it goes on.
    assert sum(page.count("申请人情况") for page in pages) == 2


def test_the_carried_over_detector_sees_rows_carried_over(laid_out: Layout) -> None:
    assert carried_over(laid_out.example_control_printed), "rows kept whole, none carried over"


def test_the_stranded_heading_detector_sees_stranded_headings(laid_out: Layout) -> None:
    assert stranded(laid_out.control_printed), "without break rules no heading was stranded"
