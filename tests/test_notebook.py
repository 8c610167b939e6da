"""The worked notebook runs, top to bottom, in this interpreter, so it never rots.

It is executed once per run in a kernel started from ``sys.executable``, from the
repository root as the command line would be, on a small copy of the shipped decision
(``tests/data/notebook/``: the same four options and the same kind of what-if, eight
pieces of work instead of forty), so it takes seconds, not the half minute the shipped
data's six solves take. The small files are set the way papermill sets parameters: a
cell assigning them is inserted, in memory, after the cell tagged ``parameters``. The
shipped data's own figures are checked by ``test_shipped.py``. The committed file itself
must carry no outputs.
"""

from __future__ import annotations

import ast
import re
import sys
from decimal import Decimal
from pathlib import Path

import nbformat
import pytest
from conftest import REPOSITORY
from ipykernel.kernelspec import write_kernel_spec
from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.manager import KernelManager
from nbclient import NotebookClient

NOTEBOOK = REPOSITORY / "notebooks" / "scenario-comparison.ipynb"
KERNEL_NAME = "capacity-notebook-test"
CELL_TIMEOUT_SECONDS = 120  # the slowest cell solves four small options, under a second
SMALL = REPOSITORY / "tests" / "data" / "notebook"
PARAMETERS = {
    "SCENARIO": SMALL / "staffing-options.yaml",
    "WHAT_IF": SMALL / "what-if-recruitment-gap.yaml",
}


def code_cells(notebook: nbformat.NotebookNode) -> list[nbformat.NotebookNode]:
    return [cell for cell in notebook.cells if cell.cell_type == "code"]


def tagged(notebook: nbformat.NotebookNode, tag: str) -> nbformat.NotebookNode:
    cells = [c for c in code_cells(notebook) if tag in c.metadata.get("tags", [])]
    assert len(cells) == 1, f"expected one code cell tagged {tag!r}, found {len(cells)}"
    return cells[0]


def with_parameters(
    notebook: nbformat.NotebookNode, values: dict[str, Path]
) -> nbformat.NotebookNode:
    """The notebook with a cell setting ``values`` after the one tagged ``parameters``, as
    papermill injects them (the notebook is changed in memory only)."""
    cells = notebook.cells
    position = cells.index(tagged(notebook, "parameters")) + 1
    source = "\n".join(f"{name} = Path({str(path)!r})" for name, path in values.items())
    injected = nbformat.v4.new_code_cell(source, metadata={"tags": ["injected-parameters"]})
    notebook.cells = [*cells[:position], injected, *cells[position:]]
    return notebook


def output_text(cell: nbformat.NotebookNode) -> str:
    """Everything a cell showed, as text (stream text, plain and HTML results)."""
    parts = []
    for output in cell.outputs:
        parts.append(output.get("text", ""))
        data = output.get("data", {})
        parts += [data.get("text/plain", ""), data.get("text/html", "")]
    return "\n".join(parts)


@pytest.fixture(scope="module")
def executed(tmp_path_factory: pytest.TempPathFactory) -> nbformat.NotebookNode:
    # A kernelspec of our own that starts *this* interpreter: a "python3" kernel found on
    # the machine (in ~/.local/share/jupyter, say) could belong to another environment.
    kernels = tmp_path_factory.mktemp("kernels")
    write_kernel_spec(kernels / KERNEL_NAME, overrides={"display_name": "capacity test"})
    manager = KernelManager(
        kernel_name=KERNEL_NAME, kernel_spec_manager=KernelSpecManager(kernel_dirs=[str(kernels)])
    )
    assert manager.kernel_spec is not None
    assert manager.kernel_spec.argv[0] == sys.executable
    notebook = with_parameters(nbformat.read(NOTEBOOK, as_version=4), PARAMETERS)
    client = NotebookClient(
        notebook,
        km=manager,
        timeout=CELL_TIMEOUT_SECONDS,
        resources={"metadata": {"path": str(REPOSITORY)}},  # run from the repository root
    )
    client.execute()  # raises CellExecutionError, naming the cell, if any cell fails
    return notebook


def test_every_cell_ran_without_error(executed: nbformat.NotebookNode) -> None:
    cells = code_cells(executed)
    assert all(cell.execution_count is not None for cell in cells)
    errors = [o for cell in cells for o in cell.outputs if o.output_type == "error"]
    assert errors == []


def test_it_ran_on_the_files_the_suite_set(executed: nbformat.NotebookNode) -> None:
    # The notebook prints the scenario's name: the small copy's, not the shipped one's.
    text = "\n".join(output_text(cell) for cell in code_cells(executed))
    assert "Small commissioning team 2021/22 - staffing options" in text
    assert "West Mercia" not in text


def test_by_default_it_compares_the_shipped_files() -> None:
    # What a reader runs: the parameters cell names the shipped scenario and what-if.
    source = tagged(nbformat.read(NOTEBOOK, as_version=4), "parameters").source
    assignments = {
        node.targets[0].id: ast.unparse(node.value)
        for node in ast.parse(source).body
        if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name)
    }
    assert set(assignments) == set(PARAMETERS)
    assert "staffing-options-2021-22.yaml" in assignments["SCENARIO"]
    assert "what-if-recruitment-gap.yaml" in assignments["WHAT_IF"]


def test_it_shows_the_comparison_table(executed: nbformat.NotebookNode) -> None:
    text = output_text(tagged(executed, "comparison"))
    for figure in ("Unmet (FTE-weeks)", "Mandatory work delivered", "Additional cost 2021/22"):
        assert figure in text
    for option in ("Option 1", "Option 2", "Option 3", "Option 4"):  # headed by name
        assert option in text


@pytest.mark.parametrize("tag", ["team", "work", "unmet"])
def test_it_shows_the_data_tables(executed: nbformat.NotebookNode, tag: str) -> None:
    assert "text/html" in tagged(executed, tag).outputs[0].get("data", {})


def test_it_draws_the_gantt_chart_inline(executed: nbformat.NotebookNode) -> None:
    images = [o for o in tagged(executed, "gantt").outputs if "image/png" in o.get("data", {})]
    assert len(images) == 1


def shown_row(cell: nbformat.NotebookNode, row: str) -> dict[str, Decimal]:
    """One row of the transposed table a cell shows (its plain text), by column."""
    (table,) = [o["data"]["text/plain"] for o in cell.outputs if "text/plain" in o.get("data", {})]
    lines = table.splitlines()
    header = next(line.split() for line in lines if "option-" in line)
    columns = [word for word in header if word.startswith("option-")]
    (values,) = [line.split()[1:] for line in lines if line.split()[:1] == [row]]
    return {column: Decimal(value) for column, value in zip(columns, values, strict=True)}


def test_the_what_if_moves_the_comparison(executed: nbformat.NotebookNode) -> None:
    cell = tagged(executed, "what-if")
    text = output_text(cell)
    assert "option-3" in text and "option-4" in text and "option-1" not in text
    # A recruitment gap leaves more work unmet and costs less in the year (the post is
    # empty for a while): a what-if that changed nothing would show 0 for both.
    assert shown_row(cell, "unmet_fte_weeks_change")["option-4"] > 0
    assert shown_row(cell, "additional_cost_in_year_change")["option-4"] < 0


def test_it_shows_the_reconciliation(executed: nbformat.NotebookNode) -> None:
    text = output_text(tagged(executed, "reconciliation"))
    assert "DIFFERS" in text and "£29,462.67" in text


def test_committed_notebook_has_no_outputs() -> None:
    # Outputs would put megabytes of images in every diff, and go stale the moment the
    # data changes; the suite runs the notebook instead.
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    nbformat.validate(notebook)
    for cell in code_cells(notebook):
        assert cell.outputs == [], f"cell {cell.id} has outputs: clear them before committing"
        assert cell.execution_count is None, f"cell {cell.id} has an execution count"


def test_notebook_uses_only_public_names() -> None:
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    imported, private = [], []
    for cell in code_cells(notebook):
        # IPython magics (%matplotlib) are not Python; everything else must parse.
        source = "\n".join(line for line in cell.source.splitlines() if not line.startswith("%"))
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.ImportFrom) and node.module:
                imported.append(node.module)
                names = node.module.split(".") + [alias.name for alias in node.names]
                private += [name for name in names if name.startswith("_")]
            elif isinstance(node, ast.Attribute) and node.attr.startswith("_"):
                private.append(node.attr)
    assert any(module.startswith("capacity") for module in imported)  # the check saw real code
    assert private == []


def test_notebook_names_real_scenario_files() -> None:
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    text = "\n".join(cell.source for cell in notebook.cells)
    named = set(re.findall(r"[\w-]+\.yaml", text))
    assert named, "the notebook should name the scenario files it uses"
    for name in named:
        assert (REPOSITORY / "scenarios" / name).exists(), name


def test_notebook_is_where_the_readme_says() -> None:
    assert Path("notebooks/scenario-comparison.ipynb").as_posix() in (
        REPOSITORY / "README.md"
    ).read_text(encoding="utf-8")


def test_the_small_copy_has_the_shipped_options(shipped_scenario) -> None:
    # The notebook names option-3 and option-4 in its code, so the copy and its what-if
    # must have the shipped options (what the what-if moves is checked above).
    from capacity.readers import load_scenario

    shipped = [o.id for o in shipped_scenario.options]
    for path in PARAMETERS.values():
        assert [o.id for o in load_scenario(path).options] == shipped, path
