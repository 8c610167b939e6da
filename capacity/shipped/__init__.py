"""The shipped dataset and scenarios (2021/22 and 2022/23), installed with the package.

In the repository they stay where a reader looks for them: the top-level
``data/`` folder (the decision record's dataset) and ``scenarios/`` (the
staffing options and what-ifs). ``pyproject.toml`` maps those folders to the
packages ``capacity.shipped.data`` and ``capacity.shipped.scenarios``
(setuptools ``package-dir``), so a wheel (``pip install .``) installs them
inside this package, where :mod:`importlib.resources` finds them. An editable
install (``pip install -e .``) and a checkout on ``PYTHONPATH`` read them in
place, from the checkout: setuptools' editable finder does not map a folder
without ``__init__.py`` inside a package, and the folders are kept free of
Python files for the people who edit them. The two folders keep their places beside each
other, so an ``extends:`` path, which is relative to the scenario file (e.g.
``../data/west-mercia-2021-22.yaml``), resolves in an installed copy as it
does in the repository.
"""

from __future__ import annotations

from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

DATA = "data"
SCENARIOS = "scenarios"
FOLDERS = (DATA, SCENARIOS)
DEFAULT_SCENARIO = "two-years-2021-23.yaml"
"""The scenario ``capacity`` plans when given none: the four staffing options over two
financial years, 2021/22 and 2022/23 (the options differ most after March 2022: option 2's
extension ends then, options 3 and 4 are permanent posts)."""

ONE_YEAR_SCENARIO = "staffing-options-2021-22.yaml"
"""The same options over 2021/22 alone (the file the two-year scenario extends): what the
what-if page plans when given no scenario, so that a change shows in seconds."""

CHECKOUT = Path(__file__).resolve().parent.parent.parent
"""The repository, when this package is imported from a checkout (an editable install,
or ``PYTHONPATH``) rather than from an installed wheel."""


def shipped_file(folder: str, name: str) -> Path:
    """The path of one shipped file, e.g. ``shipped_file("scenarios", DEFAULT_SCENARIO)``."""
    files = _files(folder)
    # Joining a name to a folder's resources gives the file's own path: pip installs
    # packages as folders, never as zips, so it is a real file.
    return CHECKOUT / folder / name if files is None else Path(str(files.joinpath(name)))


def shipped_files(folder: str) -> list[Path]:
    """Every shipped YAML file in ``folder`` (``"data"`` or ``"scenarios"``), by name."""
    files = _files(folder)
    found = (CHECKOUT / folder).iterdir() if files is None else files.iterdir()
    return sorted(Path(str(f)) for f in found if f.name.endswith(".yaml"))


def default_scenario() -> Path:
    """The shipped staffing-options scenario over 2021/22 and 2022/23."""
    return shipped_file(SCENARIOS, DEFAULT_SCENARIO)


def one_year_scenario() -> Path:
    """The shipped staffing-options scenario over 2021/22 alone."""
    return shipped_file(SCENARIOS, ONE_YEAR_SCENARIO)


def _files(folder: str) -> Traversable | None:
    """A shipped folder's resources; ``None`` when imported from a checkout."""
    if folder not in FOLDERS:
        raise ValueError(f"no shipped folder {folder!r}; the shipped folders are {FOLDERS}")
    try:
        return resources.files(f"{__name__}.{folder}")
    except ModuleNotFoundError:
        return None
