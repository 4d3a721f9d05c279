"""The speed benchmark's floor: the lessons' kernels running only their import statements."""

from __future__ import annotations

import importlib.util

import nbformat

from helpers import ROOT, manifest


def _load_bench_run():
    spec = importlib.util.spec_from_file_location("bench_run", ROOT / "benchmarks" / "run.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


floor_notebook = _load_bench_run().floor_notebook


def test_floor_keeps_every_top_level_import_and_nothing_else():
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_markdown_cell("import not_code"),
        nbformat.v4.new_code_cell("%matplotlib inline\nimport numpy as np\nx = np.arange(3)"),
        nbformat.v4.new_code_cell(
            "from helpers import (\n    cite,\n    data,\n)\nimport ipywidgets as widgets"
        ),
        nbformat.v4.new_code_cell(
            "import numpy as np\n"  # a repeat
            "def f():\n    import scipy\n"  # runs only when f is called
            "if False:\n    import statsmodels\n"
            "print('import json')"
        ),
    ]
    floor = floor_notebook(nb)
    assert len(floor["cells"]) == 1
    assert floor["cells"][0]["source"].splitlines() == [
        "import numpy as np",
        "from helpers import (",
        "    cite,",
        "    data,",
        ")",
        "import ipywidgets as widgets",
    ]


def test_floor_of_every_lesson_compiles_and_keeps_its_aliases():
    for les in manifest.load_manifest().lessons:
        nb = nbformat.read(les.path, as_version=4)
        src = floor_notebook(nb)["cells"][0]["source"]
        compile(src, les.file, "exec")  # a valid cell
        for cell in nb.cells:
            if cell.cell_type == "code" and "import pandas as pd" in cell.source.splitlines():
                assert "import pandas as pd" in src.splitlines(), les.id
