"""What kind of organ publishes a report, judged from its name.

Two checks depend on the kind of organ: ``proactive.regulation-maker`` (only the
State Council's departments and the people's governments of provinces, 设区的市
and 自治州 make 规章, 立法法 articles 91 and 93) and ``report.deadline`` (条例
article 49: a 县级以上 department publishes by 1月31日, a 县级以上 people's
government's own report is published by 3月31日, a 乡/镇/街道 has no national
date). :func:`organ_kind` reads the kind from the organ's name; a caller who
knows better passes the kind to :func:`gipreport.check` instead.

How a name is read: :data:`NAME_PATTERNS`, also shown in the rule catalogue.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from typing import Final, Literal, TypeAlias

__all__ = ["NAME_PATTERNS", "ORGAN_KINDS", "OrganKind", "organ_kind"]

NAME_PATTERNS: Final = """\
The kind of organ is read from its name (pass `organ_kind` to the check when you
know better):

1. Words that contain a place-unit character without being a place are masked
   first: 城乡, 城镇, 乡村, 乡镇, 市场, 市政, 市容, 城市, 市民, 区域, 社区, 园区, 景区,
   开发区, 高新区, 保税区, 工业区 (so 住房和城乡建设局 is not a township and
   市场监督管理局 is not a city).
2. The name is read as a run of places, each a name of one or more characters
   followed by a unit: 特别行政区, 自治区, 省, 自治州, 州, 盟, 地区, 市, 自治县, 县,
   自治旗, 旗, 林区, 特区, 新区, 区, 民族乡, 乡, 镇, 苏木, 街道. A unit followed by 族 is
   part of a people's name (东乡族), and a unit followed by another unit is part of
   the name (杭州市 is 杭州 + 市, 通州区 is 通州 + 区). A place name holds no character that ends an
   organ's name (局, 厅, 委, 办, 府, 部, 院, 会, 署, 所, 站, 队, 室, 处, 司), so
   国家税务总局乌拉特前旗税务局 is read as 乌拉特前旗 + 税务局.
3. The last place decides the level. 乡, 民族乡, 镇, 苏木, 街道: a township. 县, 自治县,
   旗, 自治旗, 区, 新区, 林区, 特区, or a 市 right after a 市, 州, 自治州, 盟 or 地区
   (恩施土家族苗族自治州恩施市): county level. Anything else (省, 自治区, 自治州, 盟,
   地区, a 市 of unknown level, or no place at all, as in 教育部): above county level,
   or unknown.
4. What follows the last place decides the role: `人民政府` with nothing after it,
   `办事处` (of a 街道), `行政公署`, or nothing at all, is a government; anything else
   (`人民政府办公室`, `公安局`, `管理委员会`) is a department.

A 市 alone cannot be placed: 如皋市 is a 县级市 and 南通市 a 设区的市, and nothing in
the name tells them apart. Such an organ counts as above county level, so
`proactive.regulation-maker` stays silent for it.
"""
"""How :func:`organ_kind` reads a name, as Markdown (shown in the rule catalogue)."""

OrganKind: TypeAlias = Literal[
    "township", "county_government", "county_department", "government", "department"
]
"""The kinds of organ the checks tell apart.

- ``"township"``: a 乡, 民族乡, 镇, 苏木 or 街道, or an office of one;
- ``"county_government"``: the people's government of a 县, 自治县, 旗, 市辖区 or 县级市;
- ``"county_department"``: a department of a county-level government;
- ``"government"``: a people's government above county level, or of unknown level;
- ``"department"``: any other organ (a department above county level, of the State
  Council, or of unknown level).
"""

ORGAN_KINDS: Final[tuple[OrganKind, ...]] = (
    "township",
    "county_government",
    "county_department",
    "government",
    "department",
)
"""Every :data:`OrganKind`, from the lowest level up."""

_NOT_PLACES: Final = (
    "城乡",
    "城镇",
    "乡村",
    "乡镇",
    "市场",
    "市政",
    "市容",
    "城市",
    "市民",
    "区域",
    "社区",
    "园区",
    "景区",
    "开发区",
    "高新区",
    "保税区",
    "工业区",
)
_MASK: Final = "|".join(_NOT_PLACES)

# Longer units first, so 自治县 is not read as 自治 + 县.
_UNITS: Final = (
    "特别行政区",
    "自治区",
    "自治州",
    "自治县",
    "自治旗",
    "民族乡",
    "地区",
    "林区",
    "特区",
    "新区",
    "苏木",
    "街道",
    "省",
    "州",
    "盟",
    "市",
    "县",
    "旗",
    "区",
    "乡",
    "镇",
)
# A place name is word characters without digits and without the characters that
# end an organ's name (公安局, 教育厅, 人民政府, …) or mask a non-place word (□). A
# unit is not one when 族 or another unit follows it (东乡族; 杭州市, 通州区).
_NAME_RUN: Final = r"[^\W\d_局厅委办府部院会署所站队室处司□]+"
_UNIT: Final = rf"(?:{'|'.join(_UNITS)})(?!族)(?!{'|'.join(_UNITS)})"


@functools.cache
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    """Return :data:`_MASK`, :data:`_NAME_RUN` and :data:`_UNIT` compiled: when first used."""
    return re.compile(_MASK), re.compile(_NAME_RUN), re.compile(_UNIT)


def _places(text: str) -> Iterator[tuple[str, int]]:
    """Yield ``(unit, end)`` for each place in ``text``, in order, in linear time.

    A place is the shortest run of one or more place-name characters followed by a
    unit. Scanning each run of name characters once finds them all: where no unit
    follows some start in a run, none follows a later start in it either, so the
    scan never goes back (a regular expression with a lazy name tried at every
    start took quadratic time: 16,000 characters took half a minute).
    """
    _mask, name_run, unit_pattern = _patterns()
    for run in name_run.finditer(text):
        stop = run.end()
        at = run.start() + 1  # a place name has at least one character
        while at < stop:
            unit = unit_pattern.match(text, at)
            if unit is None:
                at += 1
                continue
            yield unit.group(), unit.end()
            at = unit.end() + 1


_TOWNSHIP_UNITS: Final = frozenset({"乡", "民族乡", "镇", "苏木", "街道"})
_COUNTY_UNITS: Final = frozenset({"县", "自治县", "旗", "自治旗", "区", "新区", "林区", "特区"})
_PREFECTURE_UNITS: Final = frozenset({"市", "州", "自治州", "盟", "地区"})
_GOVERNMENT_BODIES: Final = frozenset({"", "人民政府", "办事处", "行政公署"})


@functools.lru_cache(maxsize=1024)
def organ_kind(name: str) -> OrganKind:
    """Return the kind of organ that ``name`` names, judged from the name alone.

    The last place in the name (乡, 镇, 街道, 县, 区, 旗, 市, 省, …) decides the level,
    the words after it the role (人民政府 or a department). The patterns are listed
    in the rule catalogue, under ``proactive.regulation-maker``; a name that cannot
    be placed counts as above county level, so no warning rests on a guess.

    >>> organ_kind("乌拉特前旗明安镇人民政府")
    'township'
    >>> organ_kind("某某县人民政府"), organ_kind("某某县市场监督管理局")
    ('county_government', 'county_department')
    >>> organ_kind("某某省人民政府"), organ_kind("某某市教育局")
    ('government', 'department')
    """
    text = _patterns()[0].sub(lambda match: "□" * len(match[0]), "".join(name.split()))
    units: list[str] = []
    end = 0
    for unit, unit_end in _places(text):
        units.append(unit)
        end = unit_end
    body = text[end:]
    is_government = body in _GOVERNMENT_BODIES
    if not units:
        return "government" if body == "人民政府" else "department"
    last = units[-1]
    if last in _TOWNSHIP_UNITS:
        return "township"
    county = last in _COUNTY_UNITS or (
        last == "市" and len(units) > 1 and units[-2] in _PREFECTURE_UNITS
    )
    if county:
        return "county_government" if is_government else "county_department"
    return "government" if is_government else "department"
