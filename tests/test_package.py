"""The package as installed: what `import capacity` loads, its public names, and the shipped
data carried as package data (so `capacity compare` works from any folder)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest
from conftest import REPOSITORY

import capacity
from capacity import shipped
from capacity.readers import load_scenario

HEAVY = ("ortools", "pandas", "matplotlib")


def test_importing_capacity_loads_neither_the_solver_nor_pandas_nor_matplotlib() -> None:
    # A fresh interpreter: this one has long since imported all three.
    check = (
        "import capacity, capacity.readers, capacity.domain, sys; "
        f"loaded = [m for m in {HEAVY!r} if m in sys.modules]; "
        "assert not loaded, loaded"
    )
    done = subprocess.run(
        [sys.executable, "-c", check], cwd=REPOSITORY, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr


def test_the_public_names_still_work() -> None:
    from capacity import pipeline

    assert capacity.plan_option is pipeline.plan_option
    assert capacity.compare_options is pipeline.compare_options
    for name in capacity.__all__:
        assert getattr(capacity, name) is not None
        assert name in dir(capacity)
    with pytest.raises(AttributeError, match="no attribute 'plan_options'"):
        _ = capacity.plan_options  # type: ignore[attr-defined]


# -- the shipped data ---------------------------------------------------------------------


def repository_files(folder: str) -> list[str]:
    return sorted(p.name for p in (REPOSITORY / folder).glob("*.yaml"))


@pytest.mark.parametrize("folder", shipped.FOLDERS)
def test_every_shipped_file_is_found_through_the_package(folder: str) -> None:
    found = shipped.shipped_files(folder)
    assert [p.name for p in found] == repository_files(folder)
    assert all(p.is_file() for p in found)


def test_the_default_scenario_and_its_extends_chain_resolve() -> None:
    assert shipped.default_scenario().name == shipped.DEFAULT_SCENARIO
    # what-if -> staffing options -> ../data/...: every `extends:` is relative to its file.
    what_if = load_scenario(shipped.shipped_file("scenarios", "what-if-lost-bid.yaml"))
    assert what_if.what_ifs and len(what_if.team) > 0


def test_the_default_scenario_plans_two_financial_years_and_the_page_one() -> None:
    # Issue 13: `capacity compare` with no scenario shows 2021/22 and 2022/23; the what-if
    # page plans 2021/22 alone by default, so that a change shows in seconds.
    from capacity.cli import default_scenario, one_year_scenario
    from capacity.domain.years import financial_years

    two = load_scenario(default_scenario())
    assert [y.label for y in financial_years(two.horizon.start, two.horizon.end)] == [
        "2021/22",
        "2022/23",
    ]
    one = load_scenario(one_year_scenario())
    assert [y.label for y in financial_years(one.horizon.start, one.horizon.end)] == ["2021/22"]
    assert [o.id for o in one.options] == [o.id for o in two.options]


def test_a_copy_in_the_current_folder_comes_first(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from capacity.cli import default_scenario

    monkeypatch.chdir(tmp_path)
    assert default_scenario() == shipped.default_scenario()  # nothing here: the shipped one
    mine = tmp_path / "scenarios" / shipped.DEFAULT_SCENARIO
    mine.parent.mkdir()
    shutil.copy2(shipped.default_scenario(), mine)
    assert default_scenario() == mine


def test_pyproject_maps_the_top_level_folders_into_the_package() -> None:
    config = tomllib.loads((REPOSITORY / "pyproject.toml").read_text(encoding="utf-8"))
    setuptools = config["tool"]["setuptools"]
    for folder in shipped.FOLDERS:
        package = f"capacity.shipped.{folder}"
        assert setuptools["package-dir"][package] == folder
        assert setuptools["package-data"][package] == ["*.yaml"]
    packages = {
        ".".join(p.parent.relative_to(REPOSITORY).parts)
        for p in (REPOSITORY / "capacity").rglob("__init__.py")
    }
    missing = packages - set(setuptools["packages"])
    assert not missing, f"add {sorted(missing)} to [tool.setuptools] packages in pyproject.toml"


def test_a_built_wheel_carries_the_shipped_data_and_finds_it(tmp_path: Path) -> None:
    # Build from a copy, so no build/ or .egg-info is left in the checkout (a stale build/
    # would also slip deleted modules into the wheel).
    source = tmp_path / "source"
    ignore = shutil.ignore_patterns("__pycache__", "*.egg-info", "build")
    for name in ("capacity", "capacity_bench", *shipped.FOLDERS):
        shutil.copytree(REPOSITORY / name, source / name, ignore=ignore)
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(REPOSITORY / name, source / name)
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "-q"]
    subprocess.run(
        [*pip, "wheel", "--no-deps", "--no-build-isolation", "-w", tmp_path / "wheel", source],
        check=True,
        capture_output=True,
        timeout=120,
    )
    (wheel,) = (tmp_path / "wheel").glob("capacity-*.whl")
    listed = set(zipfile.ZipFile(wheel).namelist())
    for folder in shipped.FOLDERS:
        for name in repository_files(folder):
            assert f"capacity/shipped/{folder}/{name}" in listed
    modules = {
        p.relative_to(REPOSITORY).as_posix() for p in (REPOSITORY / "capacity").rglob("*.py")
    }
    assert not modules - listed  # every module, so every package, is in the wheel

    # Installed (unpacked) on its own and run from an empty folder, it finds its own copy.
    installed = tmp_path / "installed"
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(installed)
    empty = tmp_path / "empty"
    empty.mkdir()
    check = (
        "from capacity import shipped; from capacity.cli import default_scenario; "
        "from capacity.readers import load_scenario; "
        "path = default_scenario(); print(path); "
        "load_scenario(shipped.shipped_file('scenarios', 'what-if-recruitment-gap.yaml'))"
    )
    done = subprocess.run(
        [sys.executable, "-c", check],
        cwd=empty,
        env={**os.environ, "PYTHONPATH": str(installed)},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert Path(done.stdout.strip()) == installed / "capacity" / "shipped" / "scenarios" / (
        shipped.DEFAULT_SCENARIO
    )
