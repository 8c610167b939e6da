"""Readers turn files into validated domain objects; they never solve or print."""

from pathlib import Path

from capacity.domain.scenario import Scenario
from capacity.errors import ScenarioError
from capacity.readers.scenario_yaml import read_scenario

SCENARIO_SUFFIXES = (".yaml", ".yml")


def load_scenario(path: str | Path) -> Scenario:
    """Read a scenario file, whatever its format.

    Raises
    ------
    ScenarioError
        For any problem with the file, located by file, key path and line.
    """
    path = Path(path)
    if not path.exists():
        raise ScenarioError(str(path), "", "no such file")
    if path.suffix.lower() not in SCENARIO_SUFFIXES and not path.is_dir():
        raise ScenarioError(
            str(path), "", f"unsupported file type {path.suffix!r}; give a .yaml scenario"
        )
    return read_scenario(path)


__all__ = ["load_scenario"]
