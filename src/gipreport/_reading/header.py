"""The header of a published report, from wherever it states it, and a web page's own text.

The header is the organ, the year and the date of issue.

A report states its organ and year in its title ("XX2023年政府信息公开工作年度报告",
"2024年XX政府信息公开工作年度报告", a title over two lines, "…（修订版）"), in its
signature, in its preamble ("现将XX2023年政府信息公开工作年度报告公布如下",
"本报告由XX编制"), and — on a web page — in the page's metadata lines and table
("发布机构：XX", "发文日期：2024-01-17"). This module reads each of those places;
:mod:`gipreport._reading.assemble` decides which one counts, and notes it.

It also tells a web page's chrome ("微信 微博 QQ空间", "字号 大 中 小", breadcrumbs)
and metadata from the report's own text: the words it knows are data
(:mod:`gipreport._reading.variants`).
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import unicodedata
from typing import Final

import attrs

from gipreport._reading.labels import bare_key, chinese_number, squash
from gipreport._reading.variants import CHROME_LINES, CHROME_PARTS, CHROME_WORDS, METADATA_KEYS
from gipreport._rendering.layout import title_year

__all__ = [
    "MetadataField",
    "abbreviates",
    "date_in",
    "is_chrome",
    "metadata_fields",
    "preamble_organ",
    "title_organ_year",
]

_YEAR: Final = r"(?:\d{4}|[〇零○一二三四五六七八九]{4})"
_KEYS: Final = "|".join(sorted(map(re.escape, METADATA_KEYS), key=len, reverse=True))
# A metadata key at the start of a line or after a space, then its colon.
_KEY: Final = re.compile(rf"(?:^|(?<=[\s\u3000]))(?P<key>{_KEYS})[\s\u3000]*[：:]")
_DATE_CN: Final = re.compile(
    rf"(?P<y>{_YEAR})\s*年\s*(?P<m>\d{{1,2}}|[一二三四五六七八九十]{{1,3}})\s*月"
    r"\s*(?P<d>\d{1,2}|[一二三四五六七八九十]{1,3})\s*日"
)
_DATE_ISO: Final = re.compile(
    r"(?<!\d)(?P<y>\d{4})\s*[-/.．]\s*(?P<m>\d{1,2})\s*[-/.．]\s*(?P<d>\d{1,2})(?!\d)"
)
_MAX_METADATA_LINE: Final = 200
_MAX_CHROME_LINE: Final = 60
_CHROME_SPLIT: Final = re.compile(r"[\s\u3000|｜/>›»·]+")
_BREADCRUMB: Final = re.compile(r"首页\s*[>›»|｜/]")
_RULE_LINE: Final = re.compile(r"[=\-—_*#~·.]{5,}.{0,20}[=\-—_*#~·.]{5,}|[=\-—_*#~·.]{8,}")

# The organ and year in a title: "XX2023年…报告", or year first: "2023年XX政府信息公开…".
_BOILERPLATE: Final = "政府信息公开|政务公开|信息公开|工作年度报告|年度报告|年报"
_AFTER_YEAR_ORGAN: Final = re.compile(
    rf"\A\s*(?:度)?(?!\s*(?:{_BOILERPLATE}))(?P<organ>.+?)\s*(?:{_BOILERPLATE})"
)
_TITLE_PREFIX: Final = re.compile(r"\A\s*关于\s*")
# The organ in a preamble sentence.
_ORGAN_END: Final = (
    "人民政府办公室|人民政府办公厅|人民政府|办公室|办公厅|管理委员会|委员会|管委会|局|委|厅|部|署|院"
    "|中心|办事处|所|站|队|处|司|室|会|馆|镇|乡|街道|苏木|区|县|市"
)
_PREAMBLE_ORGAN: Final = (
    re.compile(
        r"(?:现将|(?:现|特)(?:向社会|予)?(?:公布|公开|发布))"
        rf"(?P<organ>[^，。；：、“”《》\s\d]{{2,40}}?(?:{_ORGAN_END}))\s*(?P<year>{_YEAR})\s*年"
    ),
    re.compile(
        rf"本(?:年度)?报告由(?P<organ>[^，。；：、“”《》\s\d]{{2,40}}?(?:{_ORGAN_END}))"
        r"(?:根据|依据|按照|编制|负责|汇总|组织)"
    ),
)


@attrs.frozen
class MetadataField:
    """One ``key：value`` of a web page's metadata, and what the key says the value is."""

    key: str
    value: str
    gives: str
    """``"title"``, ``"organ"``, ``"issued"`` (date of issue), ``"posted"`` or ``""``."""


def metadata_fields(text: str) -> tuple[MetadataField, ...]:
    """Return the metadata fields of a line, or ``()`` if it is not a metadata line.

    A metadata line starts with a key of :data:`METADATA_KEYS` and its colon;
    several may follow on one line, set apart by spaces.

    >>> [(f.key, f.value) for f in metadata_fields("来源：某某局 时间：2025-03-10 15:35")]
    [('来源', '某某局'), ('时间', '2025-03-10 15:35')]
    >>> metadata_fields("时间紧、任务重：全年完成…")
    ()
    """
    if len(text) <= _REMEMBERED_LINE:
        return _remembered_metadata_fields(text)
    return _metadata_fields(text)


_REMEMBERED_LINE: Final = 2 * _MAX_METADATA_LINE
"""The longest line whose reading as metadata or chrome is remembered: the lines a web
page prints around every article of a site (a longer one is prose, and told so fast)."""


@functools.lru_cache(maxsize=4096)
def _remembered_metadata_fields(text: str) -> tuple[MetadataField, ...]:
    return _metadata_fields(text)


def _metadata_fields(text: str) -> tuple[MetadataField, ...]:
    line = text.strip()
    if not line or len(line) > _MAX_METADATA_LINE or "\n" in line:
        return ()
    matches = list(_KEY.finditer(line))
    if not matches or matches[0].start() != 0:
        return ()
    fields = []
    for number, match in enumerate(matches):
        end = matches[number + 1].start() if number + 1 < len(matches) else len(line)
        value = line[match.end() : end].strip()
        key = match["key"]
        fields.append(MetadataField(key=key, value=value, gives=METADATA_KEYS[key]))
    for field in fields:
        if any(mark in field.value for mark in "。，；"):
            return ()  # a sentence that happens to start with a key
        if field.gives in ("issued", "posted") and field.value and date_in(field.value) is None:
            return ()  # "时间：" or "日期：" followed by no date is not a date line
    return tuple(fields)


def is_chrome(text: str) -> bool:
    """Return whether a line is a web page's chrome (sharing, printing, breadcrumbs, …).

    >>> is_chrome("微信 微博 QQ空间"), is_chrome("字号 大 中 小"), is_chrome("首页 > 政务公开")
    (True, True, True)
    >>> is_chrome("2023年，我局全力做好政府信息公开工作。")
    False
    """
    if len(text) <= _REMEMBERED_LINE:
        return _remembered_chrome(text)
    return _is_chrome(text)


@functools.lru_cache(maxsize=4096)
def _remembered_chrome(text: str) -> bool:
    return _is_chrome(text)


def _is_chrome(text: str) -> bool:
    squashed = squash(text)
    if not squashed or len(squashed) > _MAX_CHROME_LINE or "。" in squashed:
        return False
    if bare_key(text) in _CHROME_KEYS or _RULE_LINE.fullmatch(squashed):
        return True
    words = [word for word in _CHROME_SPLIT.split(text.strip()) if word]
    keys = [bare_key(word) for word in words]
    if any(key in _CHROME_KEYS for key in keys) and all(
        key in _CHROME_KEYS or word in CHROME_PARTS or not key
        for word, key in zip(words, keys, strict=True)
    ):
        return True
    return any(word in squashed for word in CHROME_WORDS) or bool(_BREADCRUMB.search(text))


_CHROME_KEYS: Final = frozenset(bare_key(line) for line in CHROME_LINES) - {""}


def date_in(text: str) -> dt.date | None:
    """Return the first real date written in ``text`` (``2024年1月17日``, ``2024-01-17 15:35``).

    >>> date_in("时间：2025-03-10 15:35"), date_in("二〇二四年一月十七日")
    (datetime.date(2025, 3, 10), datetime.date(2024, 1, 17))
    """
    normalised = unicodedata.normalize("NFKC", text)
    for pattern in (_DATE_CN, _DATE_ISO):
        match = pattern.search(normalised)
        if match is None:
            continue
        year, month, day = (chinese_number(match[name]) for name in ("y", "m", "d"))
        if year is None or month is None or day is None:
            continue
        try:
            return dt.date(year, month, day)
        except ValueError:
            continue
    return None


def title_organ_year(title: str) -> tuple[str | None, int | None]:
    """Return the organ and year a title names, each ``None`` where it names none.

    >>> title_organ_year("某某市教育局2023年政府信息公开工作年度报告")
    ('某某市教育局', 2023)
    >>> title_organ_year("2024年上海市科委政府信息公开工作年度报告（修订版）")
    ('上海市科委', 2024)
    >>> title_organ_year("关于某某县2023年度政府信息公开工作年度报告")
    ('某某县', 2023)
    >>> title_organ_year("2024 年政府信息公开工作年度报告")
    (None, 2024)
    """
    # The year as the layout decides whether to print a year line under the title.
    year, match = title_year(title)
    if match is None:
        return None, None
    organ = _TITLE_PREFIX.sub("", title[: match.start()]).strip() or None
    if organ is None:
        after = _AFTER_YEAR_ORGAN.match(title[match.end() :])
        if after is not None:
            organ = after["organ"].strip() or None
    return organ, year


def preamble_organ(text: str) -> tuple[str, int | None] | None:
    """Return the organ (and year, where stated with it) a preamble sentence names.

    >>> preamble_organ("现将某某县人民政府2025年政府信息公开年度报告向社会公布。")
    ('某某县人民政府', 2025)
    >>> preamble_organ("本报告由某某区人民政府办公室编制。")
    ('某某区人民政府办公室', None)
    """
    for pattern in _PREAMBLE_ORGAN:
        match = pattern.search(text)
        if match is not None:
            year = chinese_number(match["year"]) if "year" in match.groupdict() else None
            return match["organ"], year
    return None


def abbreviates(short: str, full: str) -> bool:
    """Return whether ``short`` is an abbreviation of the organ name ``full``.

    It starts as ``full`` does, its characters are, in order, some of ``full``'s,
    and it is not the start of ``full`` (平潭综合实验区 is not short for
    平潭综合实验区管委会办公室, an office of it).

    >>> abbreviates("上海市科委", "上海市科学技术委员会")
    True
    >>> abbreviates("县发改局", "沭阳县发展和改革局")
    False
    >>> abbreviates("平潭综合实验区", "平潭综合实验区管委会办公室")
    False
    """
    short, full = squash(short), squash(full)
    if len(short) < 2 or len(short) >= len(full) or short[:2] != full[:2]:
        return False
    if full.startswith(short):
        return False
    position = 0
    for char in short:
        position = full.find(char, position) + 1
        if position == 0:
            return False
    return True
