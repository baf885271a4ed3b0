"""The Chinese words of ``gipreport check --lang zh``: every read note, the verdict, the summary.

The findings carry their own Chinese (:attr:`gipreport.Finding.message_zh`); this
module words what the command line adds around them. Every note code of
:data:`gipreport.NOTE_CODES` has a Chinese message here (a test keeps them in step).
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Final, Literal

from gipreport._reading.source import ParseNote, Where

__all__ = [
    "NOTE_MESSAGES_ZH",
    "NOTE_NOUNS_ZH",
    "Lang",
    "default_lang",
    "note_line_zh",
    "notes_summary_zh",
    "where_zh",
]

Lang = Literal["en", "zh"]
"""The languages of ``gipreport check``'s text output."""


def default_lang(environ: Mapping[str, str] | None = None) -> Lang:
    """Return ``"zh"`` if the locale is Chinese (``LC_ALL``, else ``LC_MESSAGES``, else ``LANG``).

    >>> default_lang({"LANG": "zh_CN.UTF-8"}), default_lang({"LANG": "C.UTF-8"})
    ('zh', 'en')
    >>> default_lang({"LC_ALL": "en_US.UTF-8", "LANG": "zh_CN.UTF-8"})
    'en'
    """
    environ = os.environ if environ is None else environ
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(name, "")
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    return "en"


NOTE_MESSAGES_ZH: Final[Mapping[str, str]] = {
    "artefact": "文件制作过程留下的痕迹（书签标记、多余的控制字符），已去除",
    "bidi-control": "文字中含有改变显示顺序的控制字符（U+202E 从右至左强制等双向控制字符）："
    "按原样保留，但显示顺序可能与阅读顺序不同",
    "blank-cell": "数值单元格为空（“”“/”“—”“-”“无”等）：读作空白，不是0",
    "column-missing": "来源表格缺少表样中的一列：该列单元格为空白",
    "column-unknown": "来源表格中有一列的表头与表样各列都不符：未读取",
    "date-inferred": "落款下没有成文日期：取自网页的元数据（发文日期、发布时间等）",
    "date-unreadable": "落款下的成文日期不是有效日期",
    "duplicate-row": "表样中的一行出现两次：保留第一次",
    "encoding": "文件不是UTF-8编码，已按其他编码解码",
    "excess-values": "表格一行印出的数值多于其列数（其间有未识别的标签）：无法分清各值属于哪一列，"
    "该行读作空白；说明中列出这些数值",
    "extra-cells": "一行的数值多于表样的列数：多出的未读取",
    "formula-uncached": "电子表格中的公式没有保存计算结果（文件未经 Excel、WPS 或 LibreOffice "
    "打开保存）：读作空白，不作推算；gipreport fill 可写入合计",
    "spans-ambiguous": "转换时合并单元格被重复或留空的表格中的一行：其数值可按多种方式"
    "（或无法）对应到表样的格子，无法分清各值属于哪一列，该行读作空白；说明中列出该行的单元格",
    "font-unmapped": "PDF中字体未映射到Unicode的文字（私用区字符、(cid:NN)）："
    "按原样读取，很可能有误",
    "extra-text": "表样中没有的文字（表格之间、落款之后、网页的栏目和元数据）：未读取",
    "header-lost": "转换丢失了表头的列名（“数据1”“数据2”等占位）：未读取，各列按表样顺序读取",
    "label-value": "行标签和数值在同一单元格内，以空格分开（“行政许可 97”）：分别读作标签和数值",
    "label-variant": "行、列或部分的标题与表样措辞不同（不只是空格、标点或繁简之别），按其含义识别",
    "missing-cells": "一行的数值少于表样的列数：缺少的单元格为空白",
    "not-a-number": "数值单元格的内容不是该单元格可以容纳的数字：读作空白",
    "organ-differs": "两处写的机关名称不同（落款与标题，或来源与调用者给出的）：保留所述的一个",
    "organ-given": "来源没有写明机关：使用调用者给出的机关（--organ）",
    "organ-inferred": "落款和标题中都没有机关名称："
    "取自其他地方（网页元数据、前言、标题简称的全称）",
    "page-furniture": "页与页之间印出的页码或页眉"
    "（“-1-”“— 3 —”“第 2 页 共 6 页”、每页重复的标题）：已去除",
    "row-missing": "来源表格缺少表样中的一行：该行单元格为空白",
    "row-unknown": "来源表格中有一行的标签与表样各行都不符：未读取",
    "rows-merged": "表样的几行印成了一行（（六）其他处理没有分成三行，如2019年版）："
    "数值无法拆分，表样各行为空白",
    "section-missing": "六个部分之一没有找到：其内容为空",
    "section-number": "部分标题的序号与表样不同",
    "signature-missing": "最后一部分之后没有落款（机关名称和成文日期）",
    "source-kind": "根据内容判断的来源文本类型（markdown、以空格分列的PDF文本）",
    "table-image": "应当是表格的位置是一张图片：表格可能以图片形式发布",
    "table-missing": "三张表格之一没有找到：其单元格为空白",
    "table-joined": "转换拆开的同一张表格（被标题或分页隔开）合并读作一张表格",
    "table-unknown": "不属于表样三张表格的表格：未读取",
    "table-unruled": "PDF中的表格没有框线：按文字所在的列读取",
    "table-unread": "找到了三张表格之一，但一行也未能读出：其单元格为空白",
    "title-missing": "第一部分之前没有标题",
    "unit": "数值带有单位（“万元”“元”“件”）：按表样的单位读取数字",
    "year-differs": "两处所述年度不同（标题与标题下的年度行，或来源与调用者给出的）："
    "保留年度行或调用者给出的年度",
    "year-given": "来源没有写明报告年度：使用调用者给出的年度（--year）",
    "year-inferred": "标题中没有报告年度：取自其他地方",
}
"""What each note code means, in Chinese (as :data:`gipreport.NOTE_CODES` says in English)."""

NOTE_NOUNS_ZH: Final[Mapping[str, str]] = {
    "artefact": "去除的痕迹",
    "bidi-control": "含双向控制字符的文字",
    "blank-cell": "空白单元格",
    "column-missing": "缺少的列",
    "column-unknown": "无法识别的列",
    "date-inferred": "取自别处的日期",
    "date-unreadable": "无法读取的日期",
    "duplicate-row": "重复的行",
    "formula-uncached": "没有保存结果的公式",
    "encoding": "其他编码",
    "excess-values": "数值多于列数的行",
    "extra-cells": "多出单元格的行",
    "spans-ambiguous": "合并单元格无法对应的行",
    "extra-text": "未读取的文字",
    "font-unmapped": "字体未映射的文字",
    "header-lost": "丢失的表头",
    "label-value": "标签与数值同格",
    "label-variant": "措辞不同的标签",
    "missing-cells": "缺少单元格的行",
    "not-a-number": "不是数字的数值",
    "organ-differs": "不一致的机关名称",
    "organ-given": "给出的机关（--organ）",
    "organ-inferred": "取自别处的机关",
    "page-furniture": "去除的页码或页眉",
    "row-missing": "缺少的行",
    "row-unknown": "无法识别的行",
    "rows-merged": "合为一行的几行",
    "section-missing": "缺少的部分",
    "section-number": "序号不同的部分",
    "signature-missing": "缺少的落款",
    "source-kind": "根据内容判断的来源类型",
    "table-image": "图片形式的表格",
    "table-joined": "拼合的表格",
    "table-missing": "缺少的表格",
    "table-unknown": "无法识别的表格",
    "table-unruled": "没有框线的表格",
    "table-unread": "一行也未读出的表格",
    "title-missing": "缺少的标题",
    "unit": "带单位的数值",
    "year-differs": "不一致的年度",
    "year-given": "给出的年度（--year）",
    "year-inferred": "推断的年度",
}
"""How the summary of read notes names each code, in Chinese."""


def where_zh(where: Where) -> str:
    """Return where ``where`` is, in Chinese: ``表3 第5行第4列（第130行文字）``.

    >>> where_zh(Where(table=1, form_table=3, row=4, column=3, line=130))
    '表3 第5行第4列（文本第130行）'
    >>> where_zh(Where(paragraph=0)), where_zh(Where())
    ('第1段', '全文')
    >>> where_zh(Where(sheet="表三", cell="J4"))
    '工作表“表三”J4单元格'
    >>> where_zh(Where(table=2, form_table=3, row=4, column=3, page=3))
    '表3 第5行第4列（第3页）'
    """
    parts = []
    if where.table is not None:
        table = (
            f"表{where.form_table}"
            if where.form_table is not None
            else f"来源第{where.table + 1}个表格"
        )
        cell = ""
        if where.row is not None:
            cell += f"第{where.row + 1}行"
        if where.column is not None:
            cell += f"第{where.column + 1}列"
        parts.append(f"{table} {cell}" if cell else table)
    elif where.paragraph is not None:
        parts.append(f"第{where.paragraph + 1}段")
    if where.line is not None:
        parts.append(f"（文本第{where.line}行）" if parts else f"文本第{where.line}行")
    if where.sheet is not None:
        place = f"工作表“{where.sheet}”" + (f"{where.cell}单元格" if where.cell else "")
        parts.append(f"（{place}）" if parts else place)
    if where.page is not None:
        parts.append(f"（第{where.page}页）" if parts else f"第{where.page}页")
    return "".join(parts) or "全文"


def note_line_zh(note: ParseNote) -> str:
    """Return a read note in Chinese: ``where [path]: code: message: 'text'``."""
    about = f" [{note.path}]" if note.path else ""
    raw = f"：{note.text!r}" if note.text else ""
    level = "错误：" if note.severity == "error" else ""
    message = NOTE_MESSAGES_ZH.get(note.code, note.message)
    return f"{where_zh(note.where)}{about}：{level}{note.code}：{message}{raw}"


def notes_summary_zh(notes: Sequence[ParseNote]) -> str:
    """Return ``空白单元格 12 处，无法识别的行 1 处``: the notes counted by code, most first."""
    counts = Counter(note.code for note in notes)
    return "，".join(
        f"{NOTE_NOUNS_ZH.get(code, code)} {count} 处"
        for code, count in sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    )
