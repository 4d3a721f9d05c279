"""Unit and property tests of helpers.audit (claim-audit bookkeeping) and its figure."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from helpers import audit
from helpers.audit import AuditError


def _good(**over):
    a = dict(
        claim_id="X01",
        claim_type="efficacy",
        topic="test claim",
        paragraph=1,
        population="adults on methadone",
        intervention="melatonin",
        comparator="placebo",
        outcome="sleep quality (PSQI)",
        evidence="bib:somekey",
        design="randomized trial",
        cebm_level=2,
        certainty="low",
        verdict="partly supported",
        rationale="one small trial",
        lesson="05",
    )
    a.update(over)
    return a


# ---------------------------------------------------------------- vocabulary errors


@pytest.mark.parametrize("bad", ["proven", "Supported!", "", None, 3])
def test_unknown_verdict_is_a_clear_error(bad):
    with pytest.raises(AuditError) as exc:
        audit.check_verdict(bad)
    msg = str(exc.value)
    assert "verdict=" in msg and repr(bad) in msg
    for v in audit.VERDICTS:
        assert repr(v) in msg


@pytest.mark.parametrize("bad", ["medium", "very high", "", None])
def test_unknown_certainty_is_a_clear_error(bad):
    with pytest.raises(AuditError) as exc:
        audit.check_certainty(bad)
    msg = str(exc.value)
    assert "certainty=" in msg and "'very low'" in msg and "'not applicable'" in msg


def test_vocabulary_is_case_and_space_tolerant():
    assert audit.check_verdict("  Partly Supported ") == "partly supported"
    assert audit.check_certainty("Very Low") == "very low"


def test_assess_rejects_unknown_verdict_and_certainty():
    with pytest.raises(AuditError, match="verdict="):
        audit.assess(**_good(verdict="probably true"))
    with pytest.raises(AuditError, match="certainty="):
        audit.assess(**_good(certainty="solid"))
    with pytest.raises(AuditError, match="design="):
        audit.assess(**_good(design="anecdote"))


# ---------------------------------------------------------------- CEBM and GRADE order


def test_cebm_levels_follow_ocebm_2011():
    # OCEBM 2011, "does this intervention help?": SR of RCTs 1, RCT 2, cohort 3,
    # case series / case-control 4, mechanism-based reasoning 5.
    assert audit.cebm_level("systematic review of randomized trials") == 1
    assert audit.cebm_level("randomized trial") == 2
    assert audit.cebm_level("cohort study") == 3
    assert audit.cebm_level("case series") == 4
    assert audit.cebm_level("case-control study") == 4
    assert audit.cebm_level("mechanism-based reasoning") == 5
    assert audit.cebm_level("primary documents") is None


def test_certainty_ranks_are_ordered():
    ranks = [
        audit.certainty_rank(c) for c in ("no evidence", "very low", "low", "moderate", "high")
    ]
    assert ranks == [0, 1, 2, 3, 4]
    assert audit.certainty_rank("not applicable") == 0


@given(
    st.lists(st.sampled_from(audit.CERTAINTIES), min_size=1, max_size=30),
    st.sampled_from(audit.GRADE_LEVELS),
)
def test_filter_min_certainty_keeps_exactly_rows_at_or_above(certs, threshold):
    df = pd.DataFrame({"certainty": certs})
    kept = audit.filter_min_certainty(df, threshold)
    order = {"very low": 1, "low": 2, "moderate": 3, "high": 4}
    assert len(kept) == sum(order.get(c, 0) >= order[threshold] for c in certs)
    assert len(audit.filter_min_certainty(df, "any")) == len(certs)


def test_filter_min_certainty_rejects_unknown_threshold():
    with pytest.raises(AuditError, match="min_certainty="):
        audit.filter_min_certainty(pd.DataFrame({"certainty": ["low"]}), "middling")


# ---------------------------------------------------------------- reasoning steps


def test_good_assessment_passes_every_step():
    steps = audit.reasoning_steps(_good())
    assert steps["ok"].all(), steps
    assert len(steps) == 6


@pytest.mark.parametrize(
    ("over", "step"),
    [
        (dict(cebm_level=1), "4 design ↔ CEBM level"),  # an RCT is level 2, not 1
        (dict(certainty="not applicable"), "5 certainty ↔ verdict"),  # efficacy claims are graded
        (dict(verdict="supported", certainty="low"), "5 certainty ↔ verdict"),
        (dict(evidence=""), "3 evidence cited"),
        (dict(comparator=""), "2 PICO question"),
        (dict(verdict="not a testable claim", certainty="not applicable"), "1 testable?"),
        (dict(rationale=" "), "6 rationale"),
    ],
)
def test_each_broken_step_is_caught(over, step):
    steps = audit.reasoning_steps(_good(**over)).set_index("step")
    assert not steps.loc[step, "ok"]
    with pytest.raises(AuditError, match=step.split(" ", 1)[1][:6]):
        audit.assess(**_good(**over))


def test_untestable_claim_needs_no_pico_or_evidence():
    a = _good(
        claim_type="promotional",
        population="",
        intervention="",
        comparator="",
        outcome="",
        evidence="",
        design="not applicable",
        cebm_level=None,
        certainty="not applicable",
        verdict="not a testable claim",
        rationale="a value judgement",
    )
    assert audit.reasoning_steps(a)["ok"].all()


def test_no_direct_evidence_allows_only_no_evidence_or_very_low():
    base = dict(evidence="", design="none found", cebm_level=None, verdict="no direct evidence")
    assert audit.reasoning_steps(_good(certainty="no evidence", **base))["ok"].all()
    assert audit.reasoning_steps(_good(certainty="very low", **base))["ok"].all()
    assert not audit.reasoning_steps(_good(certainty="moderate", **base))["ok"].all()


def test_pico_question_reads_as_a_question_and_rejects_gaps():
    q = audit.pico_question("adults", "melatonin", "placebo", "sleep onset latency")
    assert q == (
        "In adults, what is the effect of melatonin, compared with placebo, on sleep onset latency?"
    )
    # a plural intervention reads as well as a singular one (no verb to agree with it)
    q = audit.pico_question("adults", "kratom alkaloids with melatonin", "neither", "sleep")
    assert "what is the effect of kratom alkaloids with melatonin, compared with neither" in q
    with pytest.raises(AuditError, match="comparator"):
        audit.pico_question("adults", "melatonin", " ", "sleep")
    with pytest.raises(AuditError, match="intervention '—' with comparator 'placebo'"):
        audit.pico_question("adults", "—", "placebo", "sleep")


def test_pico_question_without_comparator_is_descriptive():
    q = audit.pico_question("U.S. states", "kratom laws", "—", "legal status")
    assert "compared with" not in q and q.endswith("(descriptive, no comparator)")


# ---------------------------------------------------------------- evidence references


def test_parse_evidence():
    refs = audit.parse_evidence("melatonin_sud_trials:ghaderi2019; bib:tanna2023ddi")
    assert [str(r) for r in refs] == ["melatonin_sud_trials:ghaderi2019", "bib:tanna2023ddi"]
    assert refs[0].is_row and not refs[1].is_row
    assert audit.parse_evidence("") == [] and audit.parse_evidence(None) == []
    with pytest.raises(AuditError, match="table:key"):
        audit.parse_evidence("just-a-key")


def _fake_tables():
    t = pd.DataFrame(
        {
            "trial_id": ["a", "b"],
            "arm": ["x", "y"],
            "source": ["k1", "k2"],
            "verified": ["primary", "secondary"],
            "where": ["Table 1", ""],
        }
    )
    return {"trials": t}, {"trials": ["trial_id"], "arms": ["trial_id", "arm"]}


def test_resolve_evidence_row_and_reference():
    tables, pks = _fake_tables()
    tables["arms"] = tables["trials"]
    kw = dict(load=tables.__getitem__, primary_key=pks.__getitem__, bib_keys={"k1", "k2", "k3"})
    got = audit.resolve_evidence(audit.EvidenceRef("trials", "b"), **kw)
    assert got["source"] == "k2" and got["verified"] == "secondary"
    got = audit.resolve_evidence(audit.EvidenceRef("arms", "a|x"), **kw)
    assert got["source"] == "k1" and got["where"] == "Table 1"
    assert audit.resolve_evidence(audit.EvidenceRef("bib", "k3"), **kw)["source"] == "k3"


@pytest.mark.parametrize(
    ("ref", "match"),
    [
        (("trials", "zzz"), "no row"),
        (("arms", "a"), "joined with"),
        (("bib", "nokey"), "not in references.bib"),
        (("nosuchtable", "a"), "cannot be loaded"),
    ],
)
def test_resolve_evidence_errors(ref, match):
    tables, pks = _fake_tables()
    tables["arms"] = tables["trials"]
    kw = dict(load=tables.__getitem__, primary_key=pks.__getitem__, bib_keys={"k1", "k2"})
    with pytest.raises(AuditError, match=match):
        audit.resolve_evidence(audit.EvidenceRef(*ref), **kw)


def test_resolve_evidence_rejects_row_whose_source_is_not_in_bib():
    tables, pks = _fake_tables()
    kw = dict(load=tables.__getitem__, primary_key=pks.__getitem__, bib_keys={"k1"})
    with pytest.raises(AuditError, match="'k2' is not in references.bib"):
        audit.resolve_evidence(audit.EvidenceRef("trials", "b"), **kw)


def test_resolve_all_reads_and_indexes_each_table_once_and_agrees_with_single_lookups():
    from collections import Counter

    tables, pks = _fake_tables()
    tables["arms"] = tables["trials"]
    loads, keys = Counter(), Counter()

    def load(name):
        loads[name] += 1
        return tables[name]

    def primary_key(name):
        keys[name] += 1
        return pks[name]

    assessments = pd.DataFrame(
        {
            "claim_id": ["C1", "C2", "C3"],
            "evidence": ["trials:a; trials:b", "arms:b|y; bib:k3", "trials:b; arms:a|x"],
        }
    )
    got = audit.resolve_all(
        assessments, load=load, primary_key=primary_key, bib_keys={"k1", "k2", "k3"}
    )
    assert loads == {"trials": 1, "arms": 1} and keys == {"trials": 1, "arms": 1}
    kw = dict(load=tables.__getitem__, primary_key=pks.__getitem__, bib_keys={"k1", "k2", "k3"})
    for r in got.itertuples():
        table, key = r.ref.split(":", 1)
        alone = audit.resolve_evidence(audit.EvidenceRef(table, key), **kw)
        assert (r.source, r.verified, r.where) == (
            alone["source"],
            alone["verified"],
            alone["where"],
        )
    assert list(got["source"]) == ["k1", "k2", "k2", "k3", "k2", "k1"]


# ---------------------------------------------------------------- tables and figure


def _claims_and_assessments():
    claims = pd.DataFrame(
        {
            "claim_id": ["X01", "X02"],
            "claim_type": ["efficacy", "promotional"],
            "topic": ["a", "b"],
            "paragraph": [1, 2],
            "quote": ["q1", "q2"],
            "source": ["s", "s"],
            "verified": ["primary"] * 2,
            "where": ["", ""],
            "notes": ["", ""],
        }
    )
    g = {k: v for k, v in _good().items() if k not in ("claim_type", "topic", "paragraph")}
    u = dict(
        g,
        claim_id="X02",
        population="",
        intervention="",
        comparator="",
        outcome="",
        evidence="",
        design="not applicable",
        cebm_level=pd.NA,
        certainty="not applicable",
        verdict="not a testable claim",
        rationale="value judgement",
        lesson="08",
    )
    ass = pd.DataFrame([g, u])
    ass["source"], ass["verified"], ass["where"], ass["notes"] = "s", "primary", "", ""
    return claims, ass


def test_audit_table_joins_and_counts():
    claims, ass = _claims_and_assessments()
    t = audit.audit_table(claims, ass)
    assert list(t["claim_id"]) == ["X01", "X02"]
    assert t.loc[0, "question"].startswith(
        "In adults on methadone, what is the effect of melatonin"
    )
    assert t.loc[0, "certainty_symbol"] == "⊕⊕○○"
    counts = audit.verdict_counts(t)
    assert list(counts.index) == list(audit.VERDICTS)
    assert counts["partly supported"] == 1 and counts["not a testable claim"] == 1
    assert counts.sum() == 2
    s = audit.summary_table(t, show_rationale=False)
    assert "why" not in s.columns and len(s) == 2
    assert "why" in audit.summary_table(t, show_rationale=True).columns


def test_audit_table_rejects_missing_or_duplicate_assessments():
    claims, ass = _claims_and_assessments()
    with pytest.raises(AuditError, match=r"without assessment: \['X02'\]"):
        audit.audit_table(claims, ass.iloc[:1])
    with pytest.raises(AuditError, match="more than once"):
        audit.audit_table(claims, pd.concat([ass, ass.iloc[:1]]))
    bad = ass.copy()
    bad.loc[0, "cebm_level"] = 5
    with pytest.raises(AuditError, match="X01.*CEBM"):
        audit.audit_table(claims, bad)


def test_evidence_map_frame_and_figure():
    from helpers.plots import audit as paudit

    claims, ass = _claims_and_assessments()
    frame = audit.evidence_map_frame(audit.audit_table(claims, ass))
    cols = list(audit.EVIDENCE_TYPES)
    got = dict(zip(frame["claim_id"], frame["x"], strict=True))
    assert got == {"X01": cols.index("randomized\ntrial (2)"), "X02": cols.index("not\ntestable")}
    assert sorted(frame["y"]) == [0, 1]
    fig = paudit.evidence_map(frame)
    ax = fig.axes[0]
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert set(labels) == {"X01  a", "X02  b"}
    # verdict is written as text, not only coded by colour
    texts = {t.get_text() for t in ax.texts}
    assert {"partly supported", "not a testable claim", "⊕⊕○○"} <= texts
    import matplotlib.pyplot as plt

    plt.close(fig)


def test_certainty_vocabulary_agrees_with_helpers_evidence():
    from helpers import evidence

    assert set(evidence.CERTAINTY_LEVELS) == set(audit.GRADE_LEVELS)
    for level in evidence.CERTAINTY_LEVELS:
        assert audit.CERTAINTY_SYMBOLS[level] == evidence.CERTAINTY_SYMBOLS[level]
    assert evidence.NO_EVIDENCE in audit.CERTAINTIES
    # a GRADE rating from lesson 07's helper is accepted as an audit certainty
    rating = evidence.grade_certainty("randomized", imprecision=2)
    assert audit.check_certainty(rating.certainty) == "low"


def test_not_supported_needs_cited_evidence_and_a_graded_certainty():
    # studies tested the claim and did not show it: they must be cited and graded
    ok = audit.reasoning_steps(_good(verdict="not supported", certainty="very low"))
    assert ok["ok"].all()
    no_refs = audit.reasoning_steps(_good(verdict="not supported", evidence=""))
    assert not no_refs.set_index("step").loc["3 evidence cited", "ok"]
    ungraded = audit.reasoning_steps(_good(verdict="not supported", certainty="no evidence"))
    assert not ungraded.set_index("step").loc["5 certainty ↔ verdict", "ok"]
    # it ranks between partial support and no direct evidence
    order = list(audit.VERDICTS)
    assert order.index("partly supported") < order.index("not supported")
    assert order.index("not supported") < order.index("no direct evidence")
