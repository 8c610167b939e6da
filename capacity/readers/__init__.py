"""Readers turn files into validated domain objects; they never solve or print."""

from collections.abc import Callable
from pathlib import Path

from capacity.domain.scenario import Scenario
from capacity.errors import ScenarioError
from capacity.readers.scenario_yaml import read_scenario
from capacity.readers.yaml_loader import check_input_file

SCENARIO_SUFFIXES = (".yaml", ".yml")
WORKBOOK_SUFFIX = ".xlsx"


def load_scenario(
    path: str | Path, warn: Callable[[ScenarioError], None] | None = None
) -> Scenario:
    """Read a scenario file, whatever its format: YAML, or an Excel workbook (.xlsx).

    ``warn``, if given, is told of each value that is valid but almost
    certainly a slip (a recruit who starts after the horizon), located like
    an error.

    Raises
    ------
    ScenarioError
        For any problem with the file, located by file, key path and line
        (YAML) or by sheet, row and column (workbook).
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == WORKBOOK_SUFFIX:
        from capacity.readers.scenario_xlsx import read_scenario_workbook

        return read_scenario_workbook(path, warn)
    if suffix in SCENARIO_SUFFIXES:
        return read_scenario(path, warn)
    check_input_file(path, "a .yaml scenario or an .xlsx scenario workbook")
    excel = {".xls": "an Excel 97-2003 workbook", ".xlsm": "a workbook with macros"}
    advice = (
        f"{excel[suffix]}: in Excel, save it as an .xlsx workbook"
        if suffix in excel
        else "give a .yaml scenario or an .xlsx scenario workbook"
    )
    raise ScenarioError(str(path), "", f"unsupported file type {path.suffix!r}; {advice}")


__all__ = ["load_scenario"]
