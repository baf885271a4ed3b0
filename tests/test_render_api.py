"""The renderer API: render(report, fmt, **options), the registry and its plug-ins."""

from __future__ import annotations

import importlib.util
from typing import Any, ClassVar

import attrs
import pytest

import gipreport
from gipreport import (
    HtmlOptions,
    Renderer,
    RenderError,
    Report,
    TextOptions,
    register_renderer,
    render,
    renderers,
    unregister_renderer,
)
from gipreport._rendering import registry
from gipreport._rendering.registry import ENTRY_POINT_GROUP, JSON_RENDERER, JsonOptions, renderer
from gipreport._rendering.to_html import HTML_RENDERER
from gipreport._rendering.to_text import TEXT_RENDERER

HTML_OPTIONS = (
    "fragment",
    "css",
    "lang",
    "title",
    "heading_level",
    "id_prefix",
    "subheading_style",
)
TEXT_OPTIONS = ("newline", "subheading_style")


@attrs.frozen(kw_only=True)
class OrganOptions:
    upper: bool = False


class OrganRenderer:
    """A third-party format: the organ's name."""

    name: ClassVar[str] = "organ"
    media_type: ClassVar[str] = "text/plain"
    binary: ClassVar[bool] = False
    options: ClassVar[type[OrganOptions]] = OrganOptions

    def render(self, report: Report, options: OrganOptions) -> str:
        return report.organ.upper() if options.upper else report.organ


class BytesRenderer:
    name: ClassVar[str] = "bytes"
    media_type: ClassVar[str] = "application/octet-stream"
    binary: ClassVar[bool] = True
    options: ClassVar[type[OrganOptions]] = OrganOptions

    def render(self, report: Report, options: OrganOptions) -> bytes:
        del options
        return report.organ.encode()


@attrs.frozen
class FakeEntryPoint:
    """What importlib.metadata.entry_points() yields, as far as the registry reads it."""

    name: str
    value: str
    loaded: object
    group: str = ENTRY_POINT_GROUP

    def load(self) -> object:
        return self.loaded


@pytest.fixture(autouse=True)
def isolated_registry(monkeypatch: pytest.MonkeyPatch) -> None:
    # Each test sees an empty plug-in registry and no installed entry points.
    monkeypatch.setattr(registry, "_registered", {})
    monkeypatch.setattr(registry, "_entry_points_loaded", False)
    monkeypatch.setattr(registry, "entry_points", lambda group: [])


@pytest.fixture
def report() -> Report:
    return gipreport.examples.mingan_2023()


def install_entry_points(monkeypatch: pytest.MonkeyPatch, *points: FakeEntryPoint) -> list[str]:
    calls: list[str] = []

    def entry_points(*, group: str) -> list[FakeEntryPoint]:
        calls.append(group)
        return [p for p in points if p.group == group]

    monkeypatch.setattr(registry, "entry_points", entry_points)
    monkeypatch.setattr(registry, "_entry_points_loaded", False)
    return calls


# --- the built-in formats -----------------------------------------------------------------


def test_builtin_formats_are_listed_sorted() -> None:
    names = renderers()
    assert {"html", "json", "text"} <= set(names)
    assert list(names) == sorted(names)
    has_docx = (
        importlib.util.find_spec("docx") is not None
        and importlib.util.find_spec("gipreport._rendering.to_docx") is not None
    )
    assert ("docx" in names) == has_docx


def test_render_each_builtin_format(report: Report) -> None:
    assert render(report, "json") == gipreport.dump_json(report)
    html = render(report, "html")
    assert isinstance(html, str)
    assert html.startswith("<!DOCTYPE html>")
    text = render(report, "text")
    assert isinstance(text, str)
    assert text.startswith(report.display_title + "\n")


@pytest.mark.parametrize("count", [0, 7, 999, 1000, 123456])
def test_a_count_is_written_alike_under_and_over_1000(report: Report, count: int) -> None:
    # Counts under 1,000 are looked up (model.COUNT_TEXTS), others made (format_value):
    # each page is the page of a count printed nowhere else, with that count's text.
    cell = "requests.new_received.commercial"
    unique = 9876543
    for fmt, printed in (("html", f'data-path="{cell}">{{}}</td>'), ("text", "\n\t{}\n")):
        page = render(report.with_cells({cell: count}), fmt)
        other = render(report.with_cells({cell: unique}), fmt)
        assert isinstance(page, str)
        assert isinstance(other, str)
        assert other.count(printed.format(unique)) == 1
        assert page == other.replace(printed.format(unique), printed.format(count))
        assert gipreport.read(page).report.requests.new_received.commercial == count


@pytest.mark.parametrize(
    ("fmt", "builtin", "options"),
    [
        ("json", JSON_RENDERER, JsonOptions),
        ("html", HTML_RENDERER, HtmlOptions),
        ("text", TEXT_RENDERER, TextOptions),
    ],
)
def test_builtin_renderers_satisfy_the_protocol(
    fmt: str, builtin: Renderer, options: type[Any]
) -> None:
    found = renderer(fmt)
    assert found is builtin
    assert isinstance(found, Renderer)
    assert found.name == fmt
    assert found.options is options
    assert attrs.has(found.options)
    assert found.binary is False
    assert "/" in found.media_type
    # Options are keyword-only and all have defaults.
    assert all(field.kw_only for field in attrs.fields(options))
    options()


def test_html_and_text_options_are_public() -> None:
    assert gipreport.HtmlOptions is HtmlOptions
    assert gipreport.TextOptions is TextOptions
    assert tuple(f.name for f in attrs.fields(HtmlOptions)) == HTML_OPTIONS
    assert tuple(f.name for f in attrs.fields(TextOptions)) == TEXT_OPTIONS


# --- errors that list what is valid ----------------------------------------------------------


def test_unknown_format_lists_the_valid_ones(report: Report) -> None:
    with pytest.raises(RenderError) as info:
        render(report, "pdf")
    assert info.value.valid == renderers()
    message = str(info.value)
    assert "unknown format 'pdf'" in message
    for name in renderers():
        assert name in message
    assert isinstance(info.value, ValueError)
    assert isinstance(info.value, gipreport.GipReportError)


def test_missing_docx_says_how_to_get_it(monkeypatch: pytest.MonkeyPatch, report: Report) -> None:
    available = registry._builtin_available
    monkeypatch.setattr(
        registry, "_builtin_available", lambda name: name != "docx" and available(name)
    )
    assert "docx" not in renderers()
    with pytest.raises(RenderError, match="install python-docx, the docx extra"):
        render(report, "docx")


@pytest.mark.parametrize(
    ("fmt", "valid"),
    [("html", HTML_OPTIONS), ("text", TEXT_OPTIONS), ("json", ())],
)
def test_unknown_option_lists_the_valid_ones(
    report: Report, fmt: str, valid: tuple[str, ...]
) -> None:
    with pytest.raises(RenderError) as info:
        render(report, fmt, colour="red", size=3)
    assert info.value.valid == valid
    message = str(info.value)
    assert f"unknown option(s) colour, size for format {fmt!r}" in message
    assert message.endswith("valid: " + (", ".join(valid) if valid else "none"))


def test_options_are_typed(report: Report) -> None:
    with pytest.raises(RenderError, match="fragment: must be a bool"):
        render(report, "html", fragment="yes")
    with pytest.raises(RenderError, match="heading_level: must be an int"):
        render(report, "html", heading_level="2")
    with pytest.raises(RenderError, match="newline"):
        render(report, "text", newline="\r")


def test_only_reports_are_rendered() -> None:
    with pytest.raises(TypeError, match=r"expected a gipreport\.Report, got dict"):
        render({"organ": "x"}, "html")  # type: ignore[call-overload]


# --- registering formats -----------------------------------------------------------------------


def test_register_and_unregister(report: Report) -> None:
    register_renderer(OrganRenderer())
    assert "organ" in renderers()
    assert render(report, "organ") == "乌拉特前旗明安镇人民政府"
    assert render(report, "organ", upper=True) == "乌拉特前旗明安镇人民政府".upper()
    with pytest.raises(RenderError) as info:
        render(report, "organ", lower=True)
    assert info.value.valid == ("upper",)
    unregister_renderer("organ")
    assert "organ" not in renderers()
    with pytest.raises(RenderError, match="unknown format 'organ'"):
        render(report, "organ")


def test_a_binary_format(report: Report) -> None:
    register_renderer(BytesRenderer())
    assert render(report, "bytes") == "乌拉特前旗明安镇人民政府".encode()


def test_a_name_is_taken_once_unless_replaced(report: Report) -> None:
    register_renderer(OrganRenderer())
    with pytest.raises(RenderError, match="pass replace=True") as info:
        register_renderer(OrganRenderer())
    assert "organ" in info.value.valid
    register_renderer(OrganRenderer(), replace=True)
    assert render(report, "organ") == report.organ


def test_a_builtin_can_be_replaced_and_restored(report: Report) -> None:
    class PlainHtml(OrganRenderer):
        name: ClassVar[str] = "html"

    with pytest.raises(RenderError, match="a renderer named 'html' exists"):
        register_renderer(PlainHtml())
    register_renderer(PlainHtml(), replace=True)
    assert render(report, "html") == report.organ
    unregister_renderer("html")
    html = render(report, "html")
    assert isinstance(html, str)
    assert html.startswith("<!DOCTYPE html>")


def test_builtins_cannot_be_unregistered() -> None:
    register_renderer(OrganRenderer())
    with pytest.raises(RenderError, match="no registered renderer named 'html'") as info:
        unregister_renderer("html")
    assert info.value.valid == ("organ",)


def test_only_renderers_are_registered() -> None:
    class NoOptions:
        name, media_type, binary, options = "none", "text/plain", False, dict

        def render(self, report: Report, options: object) -> str:
            return ""

    with pytest.raises(TypeError, match="is not a gipreport renderer"):
        register_renderer(object())  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="an attrs options class"):
        register_renderer(NoOptions())


# --- entry points ----------------------------------------------------------------------------


def test_entry_points_add_formats(monkeypatch: pytest.MonkeyPatch, report: Report) -> None:
    calls = install_entry_points(
        monkeypatch,
        FakeEntryPoint(name="organ", value="pkg.render:OrganRenderer", loaded=OrganRenderer),
        FakeEntryPoint(name="bytes", value="pkg.render:BYTES", loaded=BytesRenderer()),
        FakeEntryPoint(name="other", value="pkg:X", loaded=OrganRenderer(), group="something.else"),
    )
    assert {"organ", "bytes"} <= set(renderers())
    assert "other" not in renderers()
    assert render(report, "organ", upper=True) == report.organ.upper()  # a class, instantiated
    assert render(report, "bytes") == report.organ.encode()  # an instance, as it is
    assert calls == [ENTRY_POINT_GROUP]  # looked up once, then cached


def test_entry_points_cannot_shadow_builtins_or_registered(
    monkeypatch: pytest.MonkeyPatch, report: Report
) -> None:
    register_renderer(OrganRenderer())

    class Impostor(OrganRenderer):
        def render(self, report: Report, options: OrganOptions) -> str:
            return "impostor"

    install_entry_points(
        monkeypatch,
        FakeEntryPoint(name="html", value="evil:HTML", loaded=Impostor()),
        FakeEntryPoint(name="organ", value="evil:ORGAN", loaded=Impostor()),
    )
    html = render(report, "html")
    assert isinstance(html, str)
    assert html.startswith("<!DOCTYPE html>")
    assert render(report, "organ") == report.organ


def test_a_broken_entry_point_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    install_entry_points(
        monkeypatch, FakeEntryPoint(name="broken", value="pkg.mod:NOT_A_RENDERER", loaded=42)
    )
    with pytest.raises(TypeError, match=r"entry point 'pkg.mod:NOT_A_RENDERER' is not"):
        renderers()
