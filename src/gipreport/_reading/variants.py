r"""How real reports word what the form names: the variants readers accept, as data.

The form (:mod:`gipreport._core.form`) gives each row, column and section its
official label. Published reports word some of them otherwise — the 2019
format's "规范性文件" for 行政规范性文件, "五、存在的主要问题及整改措施" for
五、存在的主要问题及改进情况, a table 4 header shortened to "维持". Each variant
here is read as the form's label it stands for, with a ``label-variant`` note
naming it; nothing else in the readers knows a variant. Variants are compared
by :func:`~gipreport._reading.labels.bare_key` (spacing, punctuation, script and
bracketed notes do not count), and a variant of a row is tried only after the
form's own labels matched no row.

Web pages put their own text around a report (the site's chrome, a capture's
metadata header); the words and keys that tell it are here too.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

__all__ = [
    "CHROME_LINES",
    "CHROME_PARTS",
    "CHROME_WORDS",
    "COLUMN_VARIANTS",
    "METADATA_KEYS",
    "ROW_VARIANTS",
    "SECTION_KEYWORDS",
    "SECTION_VARIANTS",
]

ROW_VARIANTS: Final[Mapping[str, tuple[str, ...]]] = MappingProxyType(
    {
        "proactive.normative_documents": ("规范性文件", "行政规范性文件数"),
        "proactive.fees": ("行政事业性收费项目", "行政事业收费"),
        "requests.new_received": ("本年新收政府信息公开申请", "本年新收申请数量"),
        "requests.carried_over": ("上年结转政府信息公开申请", "上年结转申请数量"),
        "requests.results.withheld.security_stability": (
            "危及国家安全、公共安全、经济安全和社会稳定",
            "危及三安全一稳定",
        ),
        "requests.results.withheld.internal_affairs": ("属于内部事务信息",),
        "requests.results.withheld.process_information": ("属于过程性信息",),
        "requests.results.other.no_correction": ("申请人无正当理由逾期不补正",),
        "requests.results.other.unpaid_fee": ("申请人逾期未按收费通知要求缴纳费用",),
        "requests.carried_forward": ("结转下年继续办理", "结转下一年度继续办理"),
    }
)
"""Row labels real reports print for a row of the form, by the row's path."""

COLUMN_VARIANTS: Final[Mapping[str, tuple[str, ...]]] = MappingProxyType(
    {
        # table 4: the four outcomes, shortened
        "结果维持": ("维持",),
        "结果纠正": ("纠正",),
        "其他结果": ("其他", "其他情形"),
        "尚未审结": ("未审结", "尚未审理完结"),
        # table 2
        "本年制发件数": ("本年制发数", "本年制发件数（件）"),
        "本年废止件数": ("本年废止数",),
        "现行有效件数": ("现行有效数",),
        "本年处理决定数量": ("本年处理决定数", "处理决定数量"),
        "本年收费金额（单位：万元）": ("本年收费金额", "收费金额"),
        # table 3
        "社会公益组织": ("公益组织",),
        "法律服务机构": ("法律服务组织",),
        "其他": ("其他组织",),
        "总计": ("合计",),
    }
)
"""Column headers real reports print for a column of the form, by the form's header."""

SECTION_VARIANTS: Final[Mapping[str, tuple[str, ...]]] = MappingProxyType(
    {
        "overview": ("总体情况概述", "基本情况"),
        "proactive": ("行政机关主动公开政府信息情况", "主动公开情况"),
        "requests": ("收到和处理政府信息公开申请的情况", "依申请公开政府信息情况"),
        "appeals": (
            "政府信息公开行政复议和行政诉讼情况",
            "因政府信息公开工作被申请行政复议、提起行政诉讼情况",
            "政府信息公开行政复议、诉讼情况",
        ),
        "problems": (
            "存在的主要问题及整改措施",
            "存在的主要问题及改进措施",
            "存在的主要问题和改进情况",
            "存在的问题及改进措施",
            "存在的问题及改进情况",
            "主要问题及改进措施",
            "主要问题及改进情况",
            "存在的主要问题及下一步工作",
        ),
        "other_matters": ("其他需要报告的事项说明", "其他需要说明的事项", "其他事项"),
    }
)
"""Section headings real reports print (without their numbering), by the section's key."""

SECTION_KEYWORDS: Final[Mapping[str, tuple[tuple[str, ...], ...]]] = MappingProxyType(
    {
        "overview": (("总体",),),
        "proactive": (("主动公开",),),
        "requests": (("申请",),),
        "appeals": (("复议", "诉讼"),),
        "problems": (("问题",), ("改进", "整改", "措施", "下一步")),
        "other_matters": (("其他",), ("事项", "情况")),
    }
)
"""Words a section's heading holds however it is worded: one of each group.

A heading numbered as the section is (五、) and holding a word of every group is
that section's heading even when no variant above words it so."""

METADATA_KEYS: Final[Mapping[str, str]] = MappingProxyType(
    {
        "标题": "title",
        "名称": "title",
        "发布机构": "organ",
        "发文机关": "organ",
        "发文单位": "organ",
        "发布单位": "organ",
        "单位": "organ",
        "来源": "organ",
        "信息来源": "organ",
        "文章来源": "organ",
        "成文日期": "issued",
        "发文日期": "issued",
        "印发日期": "issued",
        "发布时间": "posted",
        "发布日期": "posted",
        "公开日期": "posted",
        "时间": "posted",
        "日期": "posted",
        "索引号": "",
        "文号": "",
        "发文字号": "",
        "主题分类": "",
        "分类": "",
        "栏目": "",
        "关键词": "",
        "主题词": "",
        "时效": "",
        "有效性": "",
        "原文链接": "",
        "本地目录": "",
        "采集时间": "",
        "抓取时间": "",
        "浏览次数": "",
        "访问次数": "",
        "点击数": "",
        "作者": "",
        "编辑": "",
        "责任编辑": "",
        "字号": "",
        "文件下载": "",
        "相关链接": "",
        "附件": "",
    }
)
"""The keys of the metadata lines (``key：value``) a web page or a capture puts around a
report, and what the value gives: the title, the organ, the date of issue
(``issued``), the date the page was posted (``posted``), or nothing (``""``)."""

CHROME_LINES: Final = frozenset(
    {
        "微信", "微博", "QQ空间", "QQ", "qq空间", "分享", "分享到", "全真版", "文字版", "文件下载",
        "打印", "打印本页", "打印此页", "关闭", "关闭窗口", "关闭本页", "返回顶部", "收藏",
        "字号", "繁體版", "繁体版", "简体版", "无障碍", "适老化",
        "智能问答", "长者模式", "首页", "扫一扫", "扫一扫在手机打开当前页", "手机版",
        "相关链接", "上一篇", "下一篇", "【打印】", "【关闭】", "【字体：大 中 小】",
    }
)  # fmt: skip
"""Whole lines that are a web page's chrome (share, print, font size, versions), each
compared after :func:`~gipreport._reading.labels.bare_key`; a line made only of these
words (``微信 微博 QQ空间``) is chrome too."""

CHROME_PARTS: Final = frozenset({"大", "中", "小", "默认", "A", "A+", "A-"})
"""Words that are chrome only beside a word of :data:`CHROME_LINES` (``字号 大 中 小``)."""

CHROME_WORDS: Final = (
    "当前位置",
    "您的位置",
    "您现在的位置",
    "您当前的位置",
    "分享到",
    "打印本页",
    "关闭窗口",
    "【打印",
    "【关闭",
    "字体：",
    "字号：",
)
"""Words that make a short line chrome wherever they are in it (breadcrumbs, toolbars)."""
