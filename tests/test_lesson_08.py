"""Lesson 08 (the claim audit): recorded results of the executed notebook (both profiles) and
the checks of its exercises."""

from __future__ import annotations

from pathlib import Path

import nbformat
import numpy as np
import pandas as pd
import pytest

from helpers import DATA_DIR, audit, data, exercises, plots, record

pytestmark = pytest.mark.notebooks

NB = "08_claim_audit.ipynb"


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
    assert exercise_08_4({"certainty": "low"}).status == "correct"  # one level lower: defensible
    assert exercise_08_4({"certainty": "very low"}).status == "incorrect"
    for verdict in ("Contradicted", "not supported"):
        wrong = exercise_08_4({"verdict": verdict})
        assert wrong.status == "incorrect"
        assert "is 'not supported', 'no direct evidence' or 'contradicted' fair" in wrong.message


@pytest.mark.parametrize(
    ("changes", "says"),
    [
        # each is self-consistent (the six reasoning steps pass) but wrong for the cited trial
        ({"design": "systematic review of randomized trials", "cebm_level": 1}, "randomized trial"),
        ({"design": "laboratory study (in vitro or animal)", "cebm_level": 5}, "randomized trial"),
        ({"comparator": "zolpidem"}, "comparator"),
        (
            {
                "claim_type": "background",
                "design": "primary documents",
                "cebm_level": None,
                "certainty": "not applicable",
                "verdict": "supported",
            },
            "efficacy claim",
        ),
    ],
)
def test_exercise_08_4_checks_the_answer_against_the_cited_trial(exercise_08_4, changes, says):
    got = exercise_08_4(changes)
    assert got.status == "incorrect" and says in got.message


def _invented_trial() -> pd.DataFrame:
    """The lesson's invented 2 × 2 factorial trial, made by the notebook's own cell."""
    nb = nbformat.read(Path(__file__).resolve().parents[1] / "notebooks" / NB, 4)
    cell = next(c for c in nb.cells if c.cell_type == "code" and "arms = pd.DataFrame(" in c.source)
    ns = {"np": np, "pd": pd, "plots": plots}
    exec(cell.source, ns)
    return ns["arms"]


def _interaction(arms: pd.DataFrame) -> float:
    """Interaction contrast of a 2 × 2 table: +1, -1, -1, +1 on the cells of the two factors."""
    cell = arms.set_index(["melatonin", "kratom"])["improvement"].astype(float)
    sign = {("yes", "yes"): 1, ("yes", "no"): -1, ("no", "yes"): -1, ("no", "no"): 1}
    return float(sum(sign[k] * v for k, v in cell.items()))


def test_exercise_08_1_asks_for_the_interaction_not_the_number_of_arms(cell_value, check_cell):
    check = check_cell(NB, "08.1")
    arms = _invented_trial()
    assert len(arms) == 4  # the 2 × 2 factorial the text describes
    y = arms["improvement"]
    assert y["both"] == y.max()  # the text: the combination arm improved most ...
    right = _interaction(arms)
    assert abs(right) > 0.05  # ... and the interaction is not zero
    ns = {"exercises": exercises, "arms": arms}
    assert cell_value(check, {**ns, "answer_1": ...}).status == "not attempted"
    assert cell_value(check, {**ns, "answer_1": round(right, 1)}).status == "correct"
    copied = cell_value(check, {**ns, "answer_1": 4})  # the old question: how many arms
    assert copied.status != "correct" and "number of arms" in copied.message
    pair = cell_value(check, {**ns, "answer_1": float(y["both"] - y["neither"])})
    assert pair.status != "correct" and "the pair helps" in pair.message
    sign = cell_value(check, {**ns, "answer_1": -right})
    assert sign.status != "correct" and "sign" in sign.message


def test_exercise_08_1_check_follows_the_arms_it_is_given(cell_value, check_cell):
    check = check_cell(NB, "08.1")
    # a synergistic table: single effects 1 and 2 points, combination effect 5 points
    arms = pd.DataFrame(
        {
            "melatonin": ["no", "yes", "no", "yes"],
            "kratom": ["no", "no", "yes", "yes"],
            "improvement": [1.0, 2.0, 3.0, 6.0],
        },
        index=pd.Index(["neither", "melatonin alone", "kratom alone", "both"], name="arm"),
    )
    ns = {"exercises": exercises, "arms": arms}
    assert _interaction(arms) == 2.0
    assert cell_value(check, {**ns, "answer_1": 2.0}).status == "correct"
    forgot = cell_value(check, {**ns, "answer_1": 6.0 - 2.0 - 3.0})  # neither arm counted twice
    assert forgot.status != "correct" and "before adding them up" in forgot.message


def _audit_from_csv() -> pd.DataFrame:
    claims = pd.read_csv(DATA_DIR / "article_claims.csv")
    assessments = pd.read_csv(DATA_DIR / "claim_assessments.csv")
    return claims[["claim_id", "claim_type"]].merge(
        assessments[["claim_id", "verdict", "certainty"]], on="claim_id", validate="1:1"
    )


def test_exercise_08_2_asks_for_efficacy_claims_without_direct_evidence(
    tables, cell_value, check_cell
):
    _, _, table = tables
    check = check_cell(NB, "08.2")
    csv = _audit_from_csv()
    right = int(
        ((csv["claim_type"] == "efficacy") & (csv["verdict"] == "no direct evidence")).sum()
    )
    printed = int((csv["verdict"] == "no direct evidence").sum())  # the verdict table shows it
    assert right not in set(csv["verdict"].value_counts()) | set(csv["claim_type"].value_counts())
    for min_certainty in ("any", "low"):
        ns = {
            "exercises": exercises,
            "table": table,
            "shown": audit.filter_min_certainty(table, min_certainty),
        }
        assert cell_value(check, {**ns, "answer_2": ...}).status == "not attempted"
        assert cell_value(check, {**ns, "answer_2": right}).status == "correct"
        copied = cell_value(check, {**ns, "answer_2": printed})
        assert copied.status != "correct" and "every type" in copied.message
        n_efficacy = int((csv["claim_type"] == "efficacy").sum())
        assert (
            "number of efficacy claims" in cell_value(check, {**ns, "answer_2": n_efficacy}).message
        )
    # with min_certainty "low", `shown` has lost the efficacy claims without direct evidence
    hidden = cell_value(check, {**ns, "answer_2": 0})
    assert hidden.status != "correct" and "`shown` hides" in hidden.message


def test_exercise_08_3_asks_for_the_results_screened_not_the_relevant_ones(cell_value, check_cell):
    check = check_cell(NB, "08.3")
    s = pd.read_csv(DATA_DIR / "literature_search.csv")
    ran = s[s["status"] == "run"]
    right = int(ran["hits_n"].fillna(0).sum())
    assert right > 0 and ran["relevant_n"].fillna(0).sum() == 0
    ns = {
        "exercises": exercises,
        "ran": data.load("literature_search").query("status == 'run'"),
        "n_run": len(ran),
        "n_relevant": 0,
    }
    assert cell_value(check, {**ns, "answer_3": ...}).status == "not attempted"
    assert cell_value(check, {**ns, "answer_3": right}).status == "correct"
    copied = cell_value(check, {**ns, "answer_3": 0})  # the old question: relevant results
    assert copied.status != "correct" and "number of relevant results" in copied.message
    searches = cell_value(check, {**ns, "answer_3": len(ran)})
    assert searches.status != "correct" and "number of searches run" in searches.message
