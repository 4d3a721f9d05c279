"""Lesson 08 (the claim audit): recorded results of the executed notebook, both profiles."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

from helpers import audit, data, exercises, record

pytestmark = pytest.mark.notebooks


@pytest.fixture(scope="module")
def tables():
    claims = data.load("article_claims")
    assessments = data.load("claim_assessments")
    return claims, assessments, audit.audit_table(claims, assessments)


@pytest.mark.parametrize("profile", ["default", "alternative"])
def test_every_claim_is_in_the_evidence_map_with_its_verdict(executed_notebook, tables, profile):
    claims, _, table = tables
    rec = record.read(executed_notebook(profile, "08"))
    assert rec["n_claims"] == len(claims)
    assert rec["claims_in_map"] == sorted(claims["claim_id"])
    expected = {k: int(v) for k, v in audit.verdict_counts(table).items()}
    assert rec["verdict_counts"] == expected
    assert sum(rec["verdict_counts"].values()) == len(claims)
    assert set(rec["verdict_counts"]) == set(audit.VERDICTS)


@pytest.mark.parametrize("profile", ["default", "alternative"])
def test_search_results_recorded_match_the_data(executed_notebook, profile):
    rec = record.read(executed_notebook(profile, "08"))
    s = data.load("literature_search")
    assert rec["n_searches_run"] == int((s["status"] == "run").sum())
    assert rec["n_relevant_found"] == 0  # no study of melatonin combined with kratom was found


def test_default_profile_shows_every_claim_and_the_synergy_claim(executed_notebook, tables):
    _, assessments, table = tables
    rec = record.read(executed_notebook("default", "08"))
    assert rec["n_shown"] == len(table)  # min_certainty = "any"
    assert rec["focus_claim"] == {
        "claim_id": "C06",
        "verdict": "no direct evidence",
        "steps_ok": True,
    }
    assert rec["n_evidence_citations"] == len(audit.resolve_all(assessments))
    assert "why" in rec["handout_columns"]  # show_rationale = True


def test_alternative_profile_filters_and_hides_rationale(executed_notebook, tables):
    _, _, table = tables
    rec = record.read(executed_notebook("alternative", "08"))
    # alternative profile: min_certainty = "low", show_rationale = False, focus_claim = "C15"
    assert rec["n_shown"] == len(audit.filter_min_certainty(table, "low"))
    assert rec["n_shown"] < len(table)
    assert "why" not in rec["handout_columns"]
    assert rec["focus_claim"] == {"claim_id": "C15", "verdict": "contradicted", "steps_ok": True}


@pytest.fixture
def exercise_08_4(cell_value, check_cell):
    """``exercise_08_4(changes)``: the Result of lesson 08's check cell for exercise 08.4 on
    the course's own answer with ``changes`` applied."""
    nb = nbformat.read(
        Path(__file__).resolve().parents[1] / "notebooks" / "08_claim_audit.ipynb", 4
    )
    solution = next(
        c for c in nb.cells if "solution" in c.metadata.get("tags", []) and "answer_4" in c.source
    )
    check = check_cell("08_claim_audit.ipynb", "08.4")

    def run(changes: dict):
        ns = {"audit": audit, "data": data, "exercises": exercises}
        ns["trials"] = data.load("melatonin_sud_trials")
        exec(solution.source, ns)  # the course's own answer
        ns["answer_4"] = {**ns["answer_4"], **changes}
        return cell_value(check, ns)

    return run


def test_exercise_08_4_reads_certainty_and_verdict_whatever_their_case(exercise_08_4):
    assert exercise_08_4({}).status == "correct"  # the solution itself
    assert exercise_08_4({"verdict": "Partly Supported"}).status == "correct"
    high = exercise_08_4({"certainty": "High"})  # not waved through by its capital letter
    assert high.status == "incorrect" and "Certainty 'high'" in high.message
    wrong = exercise_08_4({"verdict": "Contradicted"})
    assert (
        wrong.status == "incorrect"
        and "is 'no direct evidence' or 'contradicted' fair" in wrong.message
    )
