"""Lesson 06 (regulatory history): recorded results of the executed notebook, and its
parameters cell."""

from __future__ import annotations

import ast
from pathlib import Path

import nbformat
import pandas as pd
import pytest

from helpers import record, regulation

NOTEBOOK = Path(__file__).resolve().parents[1] / "notebooks" / "06_regulatory_history.ipynb"


def _parameters() -> dict:
    nb = nbformat.read(NOTEBOOK, as_version=4)
    cell = next(c for c in nb.cells if "parameters" in c.metadata.get("tags", []))
    tree = ast.parse(cell.source)
    return {t.targets[0].id: ast.literal_eval(t.value) for t in tree.body}


def test_default_view_date_is_the_newest_date_in_the_data():
    # never today's date: the default literal equals data_through()
    assert _parameters()["view_date"] == regulation.data_through().isoformat()


def test_parameters_cell_comments_every_line():
    nb = nbformat.read(NOTEBOOK, as_version=4)
    cell = next(c for c in nb.cells if "parameters" in c.metadata.get("tags", []))
    for line in cell.source.strip().splitlines():
        assert "#" in line, line


@pytest.mark.notebooks
def test_default_profile_records(executed_notebook):
    rec = record.read(executed_notebook("default", "06"))
    assert rec["view_date"] == rec["data_through"] == regulation.data_through().isoformat()
    assert rec["view_after_data"] is False
    assert rec["n_jurisdictions_on_map"] == 51
    assert sum(rec["state_counts"].values()) == 51
    counts = regulation.status_counts(rec["view_date"], rec["map_substance"])
    assert rec["state_counts"] == {k: int(v) for k, v in counts.items()}
    assert rec["n_states_with_law"] == 51 - rec["state_counts"]["no_law_found"]
    assert rec["federal_status"] == "not_controlled"  # kratom leaf: never federally scheduled
    assert rec["wisconsin_kratom_status"] == "controlled"
    assert rec["noi_to_withdrawal_days"] == 43  # 31 Aug -> 13 Oct 2016
    assert rec["withdrawal_pages"] == 3  # 81 FR 70652-70654


@pytest.mark.notebooks
def test_alternative_profile_records(executed_notebook):
    rec = record.read(executed_notebook("alternative", "06"))
    assert rec["view_date"] == "2016-09-15"
    assert rec["map_substance"] == "7-OH"
    # between the DEA notice of intent (31 Aug 2016) and its withdrawal (13 Oct 2016)
    assert rec["federal_status"] == "scheduling_proposed"
    assert rec["state_counts"]["controlled"] == 4  # AL, AR, IN, WI listed 7-OH by then
    # only Illinois: its 2015 age-limit act names 7-OH; the other acts came from 2019 on
    assert rec["state_counts"]["regulated"] == 1
    assert rec["view_after_data"] is False


@pytest.fixture
def check_result(cell_value, check_cell):
    """``check_result(exercise, namespace)``: the Result of the lesson's check cell."""
    from helpers import exercises
    from helpers.plots import regulation as regplots

    def run(exercise: str, namespace: dict):
        ns = {"regulation": regulation, "regplots": regplots, "exercises": exercises}
        return cell_value(check_cell(NOTEBOOK.name, exercise), {**ns, **namespace})

    return run


@pytest.mark.parametrize(
    "answer, right",
    [
        ("controlled", True),
        (" Controlled (in a state schedule) ", True),  # the label, case and spaces ignored
        ("CTL", True),  # the code on the map's tile
        ("regulated", False),
        ("REG", False),
        ("WI", False),
        (pd.Series(["Controlled  (in a state schedule)"]), True),  # one value, spaces collapsed
    ],
)
def test_exercise_06_3_accepts_the_status_code_its_label_or_the_tile_code(
    answer, right, check_result
):
    when = regulation.data_through()
    assert regulation.status_at(when, "WI", "kratom")["status"].iloc[0] == "controlled"
    result = check_result("06.3", {"shown_date": when, "answer_3": answer})
    assert (result.status == "correct") is right, result


def test_exercise_06_1_explains_counting_both_end_days(check_result):
    result = check_result("06.1", {"answer_1": 44})
    assert result.status != "correct" and "both" in result.message
    assert check_result("06.1", {"answer_1": 43}).status == "correct"
