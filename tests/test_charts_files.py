"""capacity.charts.files: each size's file names, at the size it was drawn."""

from __future__ import annotations

from pathlib import Path

from chart_plans import documents_plan
from PIL import Image

from capacity.charts import ChartSize, utilisation_chart
from capacity.charts.files import save_chart


def test_each_size_has_its_own_file_names_and_the_a4_names_stay(tmp_path: Path) -> None:
    plan = documents_plan()
    names = []
    for size in ChartSize:
        names += [
            p.name for p in save_chart(utilisation_chart(plan, size=size), tmp_path, "u", size=size)
        ]
    assert names == [
        "u.png", "u.svg", "u.pdf",
        "u-word.png", "u-word.svg", "u-word.pdf",
        "u-slide.png", "u-slide.svg", "u-slide.pdf",
    ]  # fmt: skip
    with Image.open(tmp_path / "u-word.png") as image:
        assert abs(image.size[0] - 16 / 2.54 * 300) < 1  # 16 cm at 300 dpi
    with Image.open(tmp_path / "u-slide.png") as image:
        assert image.size == (4000, 2250)  # 13.33 x 7.5 in, 16:9


def test_the_same_chart_saves_the_same_bytes(tmp_path: Path) -> None:
    plan = documents_plan()
    size = ChartSize.WORD_PORTRAIT
    written = []
    for folder in (tmp_path / "first", tmp_path / "second"):
        folder.mkdir()
        written.append(save_chart(utilisation_chart(plan, size=size), folder, "u", size=size))
    first, second = written
    for one, other in zip(first, second, strict=True):
        assert one.read_bytes() == other.read_bytes(), one.name
