"""``gipreport check --lang zh``: the verdict, the read notes and the summary in Chinese."""

from __future__ import annotations

import re
from pathlib import Path

import attrs
import pytest

import gipreport
from cli_support import Gip, runner
from gipreport._cli.zh import NOTE_MESSAGES_ZH, NOTE_NOUNS_ZH, default_lang, note_line_zh
from gipreport._reading.source import ParseNote, Where

_HAN = re.compile(r"[\u4e00-\u9fff]")
_NAMES = re.compile(r"\[[^]]*\]|[a-z_]+(?:\.[a-z_]+)+|[a-z]+(?:-[a-z]+)+")
_ENGLISH_WORD = re.compile(
    r"\b(?:at|suspect|not assessable|files?|reports?|read notes|errors?|warnings?|ok)\b"
)


@pytest.fixture
def gip(capsys: pytest.CaptureFixture[str]) -> Gip:
    return runner(capsys)


@pytest.fixture
def blank_form(tmp_path: Path) -> Path:
    path = tmp_path / "2024.docx"
    report = gipreport.blank_report("某某县人民政府", 2024, blank=True)
    path.write_bytes(gipreport.render(report, "docx"))
    return path


def test_every_note_code_has_a_chinese_message_and_noun() -> None:
    assert set(NOTE_MESSAGES_ZH) == set(gipreport.NOTE_CODES)
    assert set(NOTE_NOUNS_ZH) == set(gipreport.NOTE_CODES)
    for code in gipreport.NOTE_CODES:
        note = ParseNote(code=code, message="in English", where=Where(table=0, form_table=2))
        line = note_line_zh(note)
        assert _HAN.search(NOTE_MESSAGES_ZH[code]), code
        assert _HAN.search(NOTE_NOUNS_ZH[code]), code
        assert "in English" not in line
        assert line.startswith("表2")


def test_check_lang_zh_words_everything_in_chinese(gip: Gip, blank_form: Path) -> None:
    run = gip("check", blank_form, "--lang", "zh", "--verbose")
    assert run.status == 1
    lines = run.out.splitlines()
    assert lines[0] == f"{blank_form}: 某某县人民政府 2024年: 3 个错误，202 个警告，47 项无法判断"
    assert "  读取说明：" in lines
    assert "    表2 第3行第2列 [proactive.rules.issued]：blank-cell：" in run.out
    assert "      位置: proactive" in lines
    assert lines[-1].startswith("共 1 个文件，检查了 1 份报告，1 份有错误，0 个无法读取或无效；")
    for line in lines:
        # What is left once the file's name, rule IDs, paths and note codes are taken out.
        words = _NAMES.sub("", line.replace(str(blank_form), ""))
        assert not _ENGLISH_WORD.findall(words), line


def test_check_lang_en_is_unchanged(gip: Gip, blank_form: Path) -> None:
    run = gip("check", blank_form, "--lang", "en")
    assert run.out.splitlines()[0].endswith(": 3 errors, 202 warnings, 47 not assessable")
    assert "  read notes: 185 blank cells" in run.out


def test_the_language_defaults_from_the_locale(
    gip: Gip, blank_form: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("LC_ALL")
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    assert "读取说明" in gip("check", blank_form).out
    assert "read notes" in gip("check", blank_form, "--lang", "en").out
    monkeypatch.setenv("LC_ALL", "en_US.UTF-8")
    assert "read notes" in gip("check", blank_form).out
    assert default_lang({}) == "en"


def test_a_series_in_chinese(gip: Gip, tmp_path: Path) -> None:
    report = gipreport.examples.mingan_2023()
    paths = []
    for year in (2022, 2023):
        path = tmp_path / f"{year}.json"
        path.write_text(gipreport.dump_json(attrs.evolve(report, year=year)), encoding="utf-8")
        paths.append(path)
    run = gip("check", *paths, "--series", "--lang", "zh")
    assert run.out.startswith("2 份报告的系列（2022–2023），")
    assert run.out.splitlines()[-1].startswith("共 2 个文件，检查了 2 份报告")
