"""The published package: the wheel's metadata has no development tools, the right extras."""

from __future__ import annotations

import email.parser
import re
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

import gipreport

ROOT = Path(__file__).resolve().parent.parent
DEV_TOOLS = (
    "pytest",
    "pytest-cov",
    "pytest-xdist",
    "mypy",
    "ruff",
    "sphinx",
    "myst-parser",
    "jsonschema",
)


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> zipfile.ZipFile:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",  # hatchling is in the dev group; no download here
            "--quiet",
            "--wheel-dir",
            str(out),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
    )
    (built,) = out.glob("gipreport-*.whl")
    return zipfile.ZipFile(built)


def _metadata(wheel: zipfile.ZipFile) -> email.message.Message:
    (name,) = [n for n in wheel.namelist() if n.endswith(".dist-info/METADATA")]
    return email.parser.Parser().parsestr(wheel.read(name).decode("utf-8"))


def _name(requirement: str) -> str:
    return re.split(r"[;<>=!~\[ ]", requirement, maxsplit=1)[0].strip().lower()


def test_the_wheel_has_no_development_tools(wheel: zipfile.ZipFile) -> None:
    metadata = _metadata(wheel)
    names = {_name(requirement) for requirement in metadata.get_all("Requires-Dist") or []}
    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]
    extras = project["optional-dependencies"]
    declared = {_name(r) for r in project["dependencies"]} | {
        _name(r) for deps in extras.values() for r in deps if not r.startswith("gipreport[")
    }
    assert names == declared  # the runtime dependencies and the extras, nothing else
    assert {"attrs", "cattrs", "python-docx", "hypothesis"} <= names
    assert not names & set(DEV_TOOLS)
    provided = sorted(metadata.get_all("Provides-Extra") or [])
    assert provided == sorted(extras)
    assert {"all", "docx", "testing", "parquet", "pandas", "dask"} <= set(provided)
    assert not {"dev", "test", "lint", "docs"} & set(provided)
    assert metadata["Version"] == gipreport.__version__


def test_the_wheel_names_its_entry_points_and_is_typed(wheel: zipfile.ZipFile) -> None:
    (name,) = [n for n in wheel.namelist() if n.endswith(".dist-info/entry_points.txt")]
    entry_points = wheel.read(name).decode("utf-8")
    assert "gipreport = gipreport._cli:main" in entry_points
    assert "gipreport = gipreport._core.hypothesis_hook:_hypothesis_setup_hook" in entry_points
    assert "gipreport/py.typed" in wheel.namelist()
    assert "gipreport/_rendering/options.py" in wheel.namelist()


def test_the_dev_group_has_the_tools() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))
    assert "dev" not in project["project"]["optional-dependencies"]
    groups = project["dependency-groups"]
    listed = {
        requirement.split(">")[0].split("[")[0]
        for name in ("test", "lint", "docs")
        for requirement in groups[name]
    }
    assert set(DEV_TOOLS) <= listed
    assert groups["dev"] == [{"include-group": name} for name in ("test", "lint", "docs")]


def test_the_readme_and_ci_install_the_same_way() -> None:
    readme = (ROOT / "README.md").read_text("utf-8")
    ci = (ROOT / ".ci" / "run").read_text("utf-8")
    command = (
        "python3 -m venv .venv && .venv/bin/pip install -U 'pip>=25.1' &&"
        " .venv/bin/pip install -e '.[all]' --group dev && .venv/bin/pytest -n auto --cov"
    )
    assert command in readme
    assert command in ci
