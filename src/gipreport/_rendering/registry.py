"""The renderer API: ``render(report, fmt, **options)`` and a registry of formats.

A renderer is any object with the attributes of :class:`Renderer`: a ``name``,
a ``media_type``, whether its output is ``binary``, an ``options`` class (a
keyword-only attrs class, so options are typed and checked) and a
``render(report, options)`` method. Built-in renderers are imported only when
first used, so ``import gipreport`` stays light. A third party adds a format
with :func:`register_renderer`, or by naming its renderer object in the
``gipreport.renderers`` entry-point group of its package::

    [project.entry-points."gipreport.renderers"]
    csv = "mypackage.render:CSV_RENDERER"
"""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Callable, Iterable, Mapping
from typing import (
    TYPE_CHECKING,
    Any,
    Final,
    Literal,
    Protocol,
    Unpack,
    cast,
    overload,
    runtime_checkable,
)

import attrs

from gipreport._core.errors import GipReportError
from gipreport._core.jsonio import dump_json
from gipreport._core.model import Report
from gipreport._rendering.layout import SUBHEADING_STYLES
from gipreport._rendering.options import DocxKeywords, HtmlKeywords, JsonKeywords, TextKeywords

if TYPE_CHECKING:
    from importlib.metadata import EntryPoint

__all__ = [
    "ENTRY_POINT_GROUP",
    "FunctionRenderer",
    "JsonOptions",
    "RenderError",
    "Renderer",
    "check_subheading_style",
    "option_validator",
    "register_renderer",
    "render",
    "render_docx",
    "render_html",
    "render_text",
    "renderer",
    "renderers",
    "unregister_renderer",
]

ENTRY_POINT_GROUP: Final = "gipreport.renderers"
"""The entry-point group in which packages name their renderers."""


class RenderError(GipReportError, ValueError):
    """A format or option that does not exist, or a report a renderer cannot write.

    ``valid`` lists what would have been accepted (format names or option names)
    where that is the problem.
    """

    def __init__(self, message: str, *, valid: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.valid = valid


RenderError.__module__ = "gipreport"  # shown (and pickled) as gipreport.RenderError


@runtime_checkable
class Renderer(Protocol):
    """What a renderer provides. ``options`` is an attrs class of keyword-only options.

    The four attributes are read-only, so a renderer may hold them as class
    variables (``name: ClassVar[str] = "csv"``), as the built-ins do, or as
    instance attributes.
    """

    @property
    def name(self) -> str:
        """Return the format's name, the ``fmt`` of :func:`render`."""
        ...

    @property
    def media_type(self) -> str:
        """Return the IANA media type of the output (``text/html``)."""
        ...

    @property
    def binary(self) -> bool:
        """Return whether the output is ``bytes`` (``str`` otherwise)."""
        ...

    @property
    def options(self) -> type[Any]:
        """Return the attrs class of the renderer's keyword-only options."""
        ...

    def render(self, report: Report, options: Any) -> str | bytes:
        """Return ``report`` in this format, with ``options`` (an instance of ``options``)."""
        ...


def option_validator(
    predicate: Callable[[Any], bool], message: str
) -> Callable[[Any, attrs.Attribute[Any], Any], None]:
    """Return an attrs validator for a renderer option: ``RenderError`` naming it.

    The error reads ``HtmlOptions.fragment: must be a bool, got 'yes'``.
    """

    def validator(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        if not predicate(value):
            msg = f"{type(instance).__name__}.{attribute.name}: {message}, got {value!r}"
            raise RenderError(msg)

    return validator


check_subheading_style: Final = option_validator(
    lambda v: v in SUBHEADING_STYLES,
    f"must be one of {', '.join(map(repr, SUBHEADING_STYLES))}",
)
"""The validator of every renderer's ``subheading_style`` option (default ``"chinese"``):
the same names everywhere (:data:`gipreport.layout.SUBHEADING_STYLES`)."""


@attrs.frozen(kw_only=True)
class JsonOptions:
    """The JSON renderer has no options: it writes JSON document version 1."""


@attrs.frozen(kw_only=True)
class FunctionRenderer:
    """A renderer made of a function ``(report, options) -> str | bytes``.

    The built-in formats are instances; a third party can use it too::

        FunctionRenderer(name="csv", media_type="text/csv", binary=False,
                         options=CsvOptions, function=write_csv)
    """

    name: str
    media_type: str
    binary: bool
    options: type[Any]
    function: Callable[[Report, Any], str | bytes] = attrs.field(repr=False)

    def render(self, report: Report, options: Any) -> str | bytes:
        """Return ``report`` rendered by the function, with ``options``."""
        return self.function(report, options)


def _render_json(report: Report, options: JsonOptions) -> str:
    del options  # JSON document version 1 has no options
    return dump_json(report)


# name -> (module, attribute, the import that must be available)
_BUILTIN: Final[Mapping[str, tuple[str, str, str | None]]] = {
    "json": ("gipreport._rendering.registry", "JSON_RENDERER", None),
    "html": ("gipreport._rendering.to_html", "HTML_RENDERER", None),
    "text": ("gipreport._rendering.to_text", "TEXT_RENDERER", None),
    "docx": ("gipreport._rendering.to_docx", "DOCX_RENDERER", "docx"),
    "xlsx": ("gipreport._rendering.to_xlsx", "XLSX_RENDERER", "openpyxl"),
}

JSON_RENDERER: Final = FunctionRenderer(
    name="json",
    media_type="application/json",
    binary=False,
    options=JsonOptions,
    function=_render_json,
)

_registered: dict[str, Renderer] = {}
_entry_points_loaded = False


def entry_points(*, group: str) -> Iterable[EntryPoint]:
    """Return the installed entry points of ``group`` (importlib.metadata, imported late)."""
    from importlib.metadata import entry_points as installed  # noqa: PLC0415 - slow to import

    return installed(group=group)


def _builtin_available(name: str) -> bool:
    module, _attribute, needs = _BUILTIN[name]
    if importlib.util.find_spec(module) is None:
        return False
    return needs is None or importlib.util.find_spec(needs) is not None


def _load_entry_points() -> None:
    global _entry_points_loaded  # noqa: PLW0603 - a load-once cache of installed plug-ins
    if _entry_points_loaded:
        return
    _entry_points_loaded = True
    for entry_point in entry_points(group=ENTRY_POINT_GROUP):
        if entry_point.name in _registered or entry_point.name in _BUILTIN:
            continue
        obj = entry_point.load()
        candidate = obj() if isinstance(obj, type) else obj
        _check_renderer(candidate, where=f"entry point {entry_point.value!r}")
        _registered[entry_point.name] = candidate


def _check_renderer(candidate: object, *, where: str) -> None:
    if not isinstance(candidate, Renderer) or not attrs.has(candidate.options):
        msg = (
            f"{where} is not a gipreport renderer: it needs name, media_type, binary, "
            "an attrs options class and render(report, options)"
        )
        raise TypeError(msg)


def register_renderer(renderer: Renderer, *, replace: bool = False) -> None:
    """Add ``renderer`` under ``renderer.name``; ``replace=True`` to override one.

    >>> import attrs
    >>> @attrs.frozen(kw_only=True)
    ... class Options:
    ...     upper: bool = False
    >>> class Organ:
    ...     name, media_type, binary, options = "organ", "text/plain", False, Options
    ...     def render(self, report, options):
    ...         return report.organ.upper() if options.upper else report.organ
    >>> register_renderer(Organ())
    >>> import gipreport
    >>> render(gipreport.examples.mingan_2023(), "organ", upper=True)
    '乌拉特前旗明安镇人民政府'
    >>> unregister_renderer("organ")
    """
    _check_renderer(renderer, where=repr(renderer))
    if not replace and renderer.name in renderers():
        msg = f"a renderer named {renderer.name!r} exists; pass replace=True to override it"
        raise RenderError(msg, valid=renderers())
    _registered[renderer.name] = renderer


def unregister_renderer(name: str) -> None:
    """Remove the renderer registered as ``name`` (built-in formats cannot be removed)."""
    if name not in _registered:
        msg = f"no registered renderer named {name!r}"
        raise RenderError(msg, valid=tuple(sorted(_registered)))
    del _registered[name]


def renderers() -> tuple[str, ...]:
    """Return the names of the formats that can be rendered here, sorted.

    ``docx`` is listed only when python-docx is installed (``gipreport[docx]``),
    ``xlsx`` only when openpyxl is (``gipreport[xlsx]``).
    """
    _load_entry_points()
    names = {name for name in _BUILTIN if _builtin_available(name)} | set(_registered)
    return tuple(sorted(names))


def renderer(fmt: str) -> Renderer:
    """Return the renderer of format ``fmt``; :class:`RenderError` lists the valid ones."""
    _load_entry_points()
    if fmt in _registered:
        return _registered[fmt]
    if fmt in _BUILTIN and _builtin_available(fmt):
        module, attribute, _needs = _BUILTIN[fmt]
        found = getattr(importlib.import_module(module), attribute)
        assert isinstance(found, Renderer)
        return found
    valid = renderers()
    hints = {
        "docx": " (install python-docx, the docx extra, for docx)",
        "xlsx": " (install openpyxl, the xlsx extra: pip install 'gipreport[xlsx]')",
    }
    hint = hints.get(fmt, "")
    msg = f"unknown format {fmt!r}{hint}; available: {', '.join(valid)}"
    raise RenderError(msg, valid=valid)


@overload
def render(report: Report, fmt: Literal["docx"], **options: Unpack[DocxKeywords]) -> bytes: ...
@overload
def render(report: Report, fmt: Literal["xlsx"]) -> bytes: ...
@overload
def render(report: Report, fmt: Literal["html"], **options: Unpack[HtmlKeywords]) -> str: ...
@overload
def render(report: Report, fmt: Literal["text"], **options: Unpack[TextKeywords]) -> str: ...
@overload
def render(report: Report, fmt: Literal["json"], **options: Unpack[JsonKeywords]) -> str: ...
@overload
def render(report: Report, fmt: str, **options: Any) -> str | bytes: ...
def render(report: Report, fmt: str, **options: Any) -> str | bytes:
    """Return ``report`` rendered as ``fmt`` (``"json"``, ``"html"``, ``"text"``, ``"docx"``…).

    ``options`` are the keyword options of that format's renderer (for HTML,
    ``fragment``, ``css``, ``lang``, ``title``…). An unknown format or option is a
    :class:`RenderError` listing the valid ones. Text formats return ``str``,
    binary formats (docx) ``bytes``.

    For a type checker, each built-in format name gives its own return type
    (``"docx"`` → ``bytes``, the others → ``str``) and its typed options
    (:mod:`gipreport._rendering.options`); any other name is a registered
    format, ``str | bytes`` with untyped options. A misspelt option of a built-in
    format is therefore a type error in :func:`render_html`, :func:`render_text`
    and :func:`render_docx`, which take only their format's options.
    """
    if not isinstance(cast(object, report), Report):  # untyped callers
        msg = f"expected a gipreport.Report, got {type(report).__name__}"
        raise TypeError(msg)
    chosen = renderer(fmt)
    valid = tuple(field.name for field in attrs.fields(chosen.options))
    unknown = sorted(set(options) - set(valid))
    if unknown:
        listed = ", ".join(valid) if valid else "none"
        msg = f"unknown option(s) {', '.join(unknown)} for format {fmt!r}; valid: {listed}"
        raise RenderError(msg, valid=valid)
    return chosen.render(report, chosen.options(**options))


def render_html(report: Report, **options: Unpack[HtmlKeywords]) -> str:
    """Return ``report`` as HTML: ``render(report, "html", **options)``, typed.

    >>> import gipreport
    >>> gipreport.render_html(gipreport.examples.mingan_2023(), fragment=True)[:27]
    '<article class="gip-report"'
    """
    return render(report, "html", **options)


def render_text(report: Report, **options: Unpack[TextKeywords]) -> str:
    """Return ``report`` as plain text: ``render(report, "text", **options)``, typed."""
    return render(report, "text", **options)


def render_docx(report: Report, **options: Unpack[DocxKeywords]) -> bytes:
    """Return ``report`` as a Word document: ``render(report, "docx", **options)``, typed.

    Needs python-docx (``gipreport[docx]``).
    """
    return render(report, "docx", **options)
