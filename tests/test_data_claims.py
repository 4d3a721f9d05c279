"""Data tests of the claim audit: article_claims, claim_assessments, literature_search."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlparse

import pandas as pd
import pytest

from helpers import ROOT, audit, cite, data

ARTICLE = ROOT.parent / "shared" / "source-article.txt"


@pytest.fixture(scope="module")
def article() -> list[str]:
    if not ARTICLE.exists():  # pragma: no cover - the article lives beside the repository
        pytest.skip(f"source article not found at {ARTICLE}")
    return ARTICLE.read_text(encoding="utf-8").splitlines()


@pytest.fixture(scope="module")
def claims() -> pd.DataFrame:
    return data.load("article_claims")


@pytest.fixture(scope="module")
def assessments() -> pd.DataFrame:
    return data.load("claim_assessments")


@pytest.fixture(scope="module")
def searches() -> pd.DataFrame:
    return data.load("literature_search")


# ---------------------------------------------------------------- article_claims


def test_every_quote_occurs_verbatim_in_its_paragraph(claims, article):
    for r in claims.itertuples():
        assert r.quote in article[r.paragraph - 1], (
            f"{r.claim_id}: quote not in paragraph {r.paragraph}"
        )


def test_quotes_keep_the_articles_curly_apostrophes(claims, article):
    c19 = claims.set_index("claim_id").loc["C19", "quote"]
    assert "body\u2019s natural sleep patterns" in c19
    assert "body's" not in c19


@pytest.mark.parametrize(
    ("claim_id", "fragment"),
    [
        ("C06", "synergistic effects"),  # synergy
        (
            "C06",
            "alleviate withdrawal symptoms and promote restorative sleep",
        ),  # withdrawal relief, sleep
        ("C20", "restorative sleep"),  # restorative sleep
        ("C07", "Studies have begun"),  # "studies have begun"
        ("C11", "cravings"),  # cravings
        ("C15", "mu, delta, and kappa opioid receptors, providing a balanced effect"),
        ("C24", "non-addictive nature"),  # melatonin non-addictive
        ("C05", "carefully managed by healthcare professionals"),  # professional supervision
        ("C13", "under the guidance of a healthcare professional"),
        ("C04", "varying legal statuses across U.S. jurisdictions in 2023"),  # regulatory picture
        ("C21", "outright bans"),
    ],
)
def test_the_claims_the_course_must_audit_are_present(claims, claim_id, fragment):
    assert fragment in claims.set_index("claim_id").loc[claim_id, "quote"]


def test_paragraph_and_section_of_spot_claims(claims):
    c = claims.set_index("claim_id")
    assert c.loc["C15", "paragraph"] == 10 and c.loc["C15", "claim_type"] == "mechanism"
    assert c.loc["C07", "paragraph"] == 7 and c.loc["C07", "claim_type"] == "research_status"
    assert c.loc["C24", "paragraph"] == 14 and c.loc["C24", "claim_type"] == "safety"
    assert c.loc["C04", "claim_type"] == "regulatory"


def test_every_article_paragraph_with_text_has_a_claim(claims, article):
    # headings (lines 3-6, 9, 12) are titles; every prose paragraph yields at least one claim
    prose = [i + 1 for i, line in enumerate(article) if len(line) > 200]
    assert set(prose) <= set(claims["paragraph"])


def test_claims_cite_the_article(claims):
    assert set(claims["source"]) == {"kratomplanetsource"}
    entry = cite.entries()["kratomplanetsource"]
    assert "kratom-planet.com" in entry.fields["url"]


# ---------------------------------------------------------------- claim_assessments


def test_every_claim_has_one_assessment_with_verdict_and_rationale(claims, assessments):
    assert sorted(assessments["claim_id"]) == sorted(claims["claim_id"])
    assert assessments["verdict"].isin(audit.VERDICTS).all()
    assert assessments["certainty"].isin(audit.CERTAINTIES).all()
    assert (assessments["rationale"].str.strip().str.len() > 20).all()
    assert (assessments["judged_by"] == "course authors").all()


def test_every_assessment_passes_the_reasoning_steps(claims, assessments):
    table = audit.audit_table(claims, assessments)  # raises on the first failing step
    assert len(table) == len(claims)


def test_claims_resting_on_the_same_evidence_get_the_same_certainty(assessments):
    # one body of evidence has one certainty, whichever claim cites it
    cited = assessments.assign(
        evidence_set=assessments["evidence"].map(
            lambda text: frozenset(str(r) for r in audit.parse_evidence(text))
        )
    )
    for evidence_set, group in cited[cited["evidence_set"].map(bool)].groupby("evidence_set"):
        assert group["certainty"].nunique() == 1, (
            f"{list(group['claim_id'])} cite the same evidence {sorted(evidence_set)} "
            f"but are rated {list(group['certainty'])}"
        )


def test_claims_without_studies_of_the_outcome_have_no_grade_rating(assessments):
    # GRADE rates bodies of studies of the outcome; a search that found none, or a chain of
    # mechanism-based reasoning, leaves nothing to rate (lesson 07's summary of findings)
    unrated = assessments[assessments["design"].isin(["none found", "mechanism-based reasoning"])]
    assert len(unrated) > 0
    assert (unrated["certainty"] == "no evidence").all(), unrated[["claim_id", "certainty"]]


def test_every_cited_evidence_resolves_to_a_row_and_a_reference(assessments):
    cited = audit.resolve_all(assessments)
    bib = set(cite.entries())
    assert len(cited) >= 40
    for r in cited.itertuples():
        for k in r.source.split(";"):
            assert k.strip() in bib, (r.claim_id, r.ref)
    # every testable verdict other than "no direct evidence" cites at least one item
    needs = assessments[
        ~assessments["verdict"].isin(["no direct evidence", "not a testable claim"])
    ]
    assert set(needs["claim_id"]) <= set(cited["claim_id"])
    # and the assessment's own source is a reference too
    assert assessments["source"].isin(bib).all()


def test_spot_verdicts(assessments):
    a = assessments.set_index("claim_id")
    # synergy and "studies have begun": nothing tests the combination
    for cid in ("C01", "C06", "C07", "C18", "C20"):
        assert a.loc[cid, "verdict"] == "no direct evidence", cid
    assert a.loc["C06", "cebm_level"] == 5  # OCEBM 2011 level 5: mechanism-based reasoning
    # the "balanced" three-receptor claim vs mu partial agonism + delta/kappa antagonism
    assert a.loc["C15", "verdict"] == "contradicted"
    assert "receptor_pharmacology:R08" in a.loc["C15", "evidence"]
    assert a.loc["C26", "verdict"] == a.loc["C27", "verdict"] == "not a testable claim"


def test_receptor_rows_behind_c15_say_what_the_verdict_needs():
    r = data.load("receptor_pharmacology").set_index("row_id")
    assert r.loc["R07", "value_text"] == "partial agonist" and r.loc["R07", "receptor"] == "MOR"
    assert (
        r.loc["R08", "value_text"] == "competitive antagonist" and r.loc["R08", "receptor"] == "KOR"
    )
    assert (
        r.loc["R09", "value_text"] == "competitive antagonist" and r.loc["R09", "receptor"] == "DOR"
    )
    assert set(r.loc[["R07", "R08", "R09"], "source"]) == {"kruegel2016"}


def test_unknown_verdict_in_a_copy_of_the_table_is_a_clear_error(claims, assessments):
    bad = assessments.copy()
    bad.loc[bad["claim_id"] == "C06", "verdict"] = "probably true"
    with pytest.raises(audit.AuditError, match="verdict='probably true'"):
        audit.audit_table(claims, bad)


# ---------------------------------------------------------------- literature_search


def test_search_rows_are_honest_about_what_was_run(searches):
    run = searches[searches["status"] == "run"]
    not_run = searches[searches["status"] == "not_run"]
    assert len(run) >= 5 and len(not_run) >= 4
    assert not_run["date_run"].isna().all() and not_run["hits_n"].isna().all()
    assert not_run["relevant_n"].isna().all()
    ours = run[run["run_by"] == "course authors (this lesson)"]
    assert ours["date_run"].notna().all() and ours["hits_n"].notna().all()
    assert (ours["verified"] == "primary").all()
    assert (run["relevant_n"] == 0).all()  # no study of the combination was found


def test_learner_queries_cover_a_database_and_a_registry(searches):
    not_run = searches[searches["status"] == "not_run"]
    assert {"PubMed", "ClinicalTrials.gov"} <= set(not_run["database"])
    pubmed = not_run[not_run["database"] == "PubMed"].iloc[0]
    assert "melatonin" in pubmed["query"] and "kratom" in pubmed["query"]
    assert re.search(r"\[(tiab|mh)\]", pubmed["query"])
    for r in not_run.itertuples():
        if isinstance(r.rerun_url, str) and "pubmed" in r.rerun_url:
            assert parse_qs(urlparse(r.rerun_url).query)["term"] == [r.query]


def test_spot_search_findings(searches):
    s = searches.set_index("search_id")
    assert "NCT05883358" in s.loc["L09", "found"] and "NCT06072170" in s.loc["L09", "found"]
    assert "kratom-planet.com" in s.loc["L06", "found"]
    assert str(s.loc["L05", "date_run"].date()) == "2026-11-27"


def test_audit_design_levels_match_the_ocebm_2011_table_in_data():
    cebm = data.load("cebm_levels")
    cebm = cebm[cebm["question"].str.startswith("Does this intervention help")]
    text = dict(zip(cebm["level"].astype(int), cebm["evidence"].str.lower(), strict=True))
    words = {
        "systematic review of randomized trials": "systematic review of randomized",
        "randomized trial": "randomized trial",
        "non-randomized controlled study": "non-randomized controlled",
        "cohort study": "cohort",
        "case series": "case series",
        "case-control study": "case-control",
        "mechanism-based reasoning": "mechanism-based reasoning",
    }
    for design, word in words.items():
        assert word in text[audit.cebm_level(design)], design
