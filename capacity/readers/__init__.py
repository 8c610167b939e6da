"""Readers turn files into validated domain objects; they never solve or print."""

from pathlib import Path

from capacity.domain.scenario import Scenario
from capacity.errors import ScenarioError
from capacity.readers.scenario_yaml import read_scenario

SCENARIO_SUFFIXES = (".yaml", ".yml")
WORKBOOK_SUFFIX = ".xlsx"


def load_scenario(path: str | Path) -> Scenario:
    """Read a scenario file, whatever its format: YAML, or an Excel workbook (.xlsx).

    Raises
    ------
    ScenarioError
        For any problem with the file, located by file, key path and line
        (YAML) or by sheet, row and column (workbook).
    """
    path = Path(path)
    if not path.exists():
        raise ScenarioError(str(path), "", "no such file")
    suffix = path.suffix.lower()
    if suffix == WORKBOOK_SUFFIX and not path.is_dir():
        from capacity.readers.scenario_xlsx import read_scenario_workbook

        return read_scenario_workbook(path)
    if suffix not in SCENARIO_SUFFIXES and not path.is_dir():
        excel = {".xls": "an Excel 97-2003 workbook", ".xlsm": "a workbook with macros"}
        advice = (
            f"{excel[suffix]}: in Excel, save it as an .xlsx workbook"
            if suffix in excel
            else "give a .yaml scenario or an .xlsx scenario workbook"
        )
        raise ScenarioError(str(path), "", f"unsupported file type {path.suffix!r}; {advice}")
    return read_scenario(path)


__all__ = ["load_scenario"]
