"""Claim-audit bookkeeping: claim → question (PICO) → evidence → certainty → verdict.

Lesson 08 audits a text claim by claim. Each audited claim carries

* a **question** in PICO form (population, intervention, comparator, outcome);
* its **best available evidence**, cited as data rows (``"table:key"``) or, where no row
  holds it, as a reference (``"bib:key"``), separated by ``;``;
* the **design** of that evidence and its **Oxford CEBM 2011 level** for the question
  "does this intervention help?" (1 = systematic review of randomized trials ... 5 =
  mechanism-based reasoning);
* a **GRADE certainty** for the body of evidence (high, moderate, low, very low), or
  ``"no evidence"`` when there is no body of evidence to rate, or ``"not applicable"`` when
  GRADE does not apply (a legal fact read in the documents; a claim that tests nothing);
* a **verdict** from a fixed vocabulary (:data:`VERDICTS`) and a one-line rationale.

The verdicts are the course's judgement, not a measurement: the functions here only check
that the vocabulary is used and that the reasoning steps hang together
(:func:`reasoning_steps`), so a learner can audit a new claim with the same rules.

Pure functions on plain values and pandas DataFrames; no plotting (see
``helpers.plots.audit``).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

import pandas as pd

#: The verdict vocabulary, from strongest support to none. "not supported": studies have
#: tested the claim and do not show it (no clear effect, or inconsistent results), which is
#: not the same as showing it false ("contradicted").
VERDICTS: tuple[str, ...] = (
    "supported",
    "partly supported",
    "not supported",
    "no direct evidence",
    "contradicted",
    "not a testable claim",
)

#: GRADE certainty levels, lowest first (the order used by filters).
GRADE_LEVELS: tuple[str, ...] = ("very low", "low", "moderate", "high")

#: Certainty vocabulary: the four GRADE levels plus two labels for "nothing to rate".
CERTAINTIES: tuple[str, ...] = (
    "high",
    "moderate",
    "low",
    "very low",
    "no evidence",
    "not applicable",
)

#: GRADE symbols (filled circles = certainty), for tables and figures.
CERTAINTY_SYMBOLS: dict[str, str] = {
    "high": "⊕⊕⊕⊕",
    "moderate": "⊕⊕⊕○",
    "low": "⊕⊕○○",
    "very low": "⊕○○○",
    "no evidence": "none",
    "not applicable": "n/a",
}

#: Evidence designs and their Oxford CEBM 2011 level for "does this intervention help?"
#: (None: the CEBM scale does not apply, e.g. a legal fact read in the documents).
DESIGNS: dict[str, int | None] = {
    "systematic review of randomized trials": 1,
    "randomized trial": 2,
    "non-randomized controlled study": 3,
    "cohort study": 3,
    "case series": 4,
    "case-control study": 4,
    "cross-sectional survey": 4,
    "spontaneous reports": 4,
    "laboratory study (in vitro or animal)": 5,
    "mechanism-based reasoning": 5,
    "primary documents": None,
    "descriptive studies": None,
    "none found": None,
    "not applicable": None,
}

#: Claim types that state no testable fact.
UNTESTABLE_TYPES: tuple[str, ...] = ("advice", "promotional")

#: Claim types about facts that GRADE does not rate: legal documents, descriptions of
#: physiology or of the literature, and mechanisms shown in the laboratory (GRADE rates the
#: certainty of human outcomes).
DESCRIPTIVE_TYPES: tuple[str, ...] = (
    "regulatory",
    "background",
    "research_status",
    "practice",
    "mechanism",
)

#: Evidence-map columns: label → designs that fall in it (left to right).
EVIDENCE_TYPES: dict[str, tuple[str, ...]] = {
    "systematic review\nof RCTs (CEBM 1)": ("systematic review of randomized trials",),
    "randomized\ntrial (2)": ("randomized trial",),
    "controlled\nnon-randomized (3)": ("non-randomized controlled study", "cohort study"),
    "survey, case series,\nreports (4)": (
        "case series",
        "case-control study",
        "cross-sectional survey",
        "spontaneous reports",
    ),
    "mechanism,\nlab (5)": ("laboratory study (in vitro or animal)", "mechanism-based reasoning"),
    "documents,\ndescriptive": ("primary documents", "descriptive studies"),
    "none\nfound": ("none found",),
    "not\ntestable": ("not applicable",),
}

PICO_FIELDS: tuple[str, ...] = ("population", "intervention", "comparator", "outcome")


class AuditError(ValueError):
    """An assessment uses an unknown verdict, certainty or design, or cites missing evidence."""


def _one_of(argument: str, value: object, allowed: Iterable[str]) -> str:
    allowed = tuple(allowed)
    if not isinstance(value, str) or value.strip().lower() not in allowed:
        raise AuditError(
            f"{argument}={value!r} is not allowed; use one of: "
            + ", ".join(repr(a) for a in allowed)
        )
    return value.strip().lower()


def check_verdict(verdict: object) -> str:
    """Return ``verdict`` normalised, or raise :class:`AuditError` listing :data:`VERDICTS`."""
    return _one_of("verdict", verdict, VERDICTS)


def check_certainty(certainty: object) -> str:
    """Return ``certainty`` normalised, or raise :class:`AuditError` listing :data:`CERTAINTIES`."""
    return _one_of("certainty", certainty, CERTAINTIES)


def check_design(design: object) -> str:
    """Return ``design`` normalised, or raise :class:`AuditError` listing :data:`DESIGNS`."""
    return _one_of("design", design, DESIGNS)


def cebm_level(design: str) -> int | None:
    """The Oxford CEBM 2011 level ("does this intervention help?") of an evidence design."""
    return DESIGNS[check_design(design)]


def certainty_rank(certainty: str) -> int:
    """0 for 'no evidence'/'not applicable', 1 (very low) ... 4 (high)."""
    c = check_certainty(certainty)
    return GRADE_LEVELS.index(c) + 1 if c in GRADE_LEVELS else 0


# ----------------------------------------------------------------------------- questions


#: Comparator values that mark a descriptive question (a fact to read, not a comparison).
NO_COMPARATOR = ("—", "-", "none")


def pico_question(population: str, intervention: str, comparator: str, outcome: str) -> str:
    """The question a claim really asks, in one sentence (PICO): "In P, what is the effect of
    I, compared with C, on O?". A comparator of "—" makes it a descriptive question (what do
    the documents or studies show?); an intervention of "—" is allowed only then."""
    parts = dict(
        population=population, intervention=intervention, comparator=comparator, outcome=outcome
    )
    empty = [k for k, v in parts.items() if not isinstance(v, str) or not v.strip()]
    if empty:
        raise AuditError(f"PICO question incomplete: {', '.join(empty)} empty (fill all four)")
    if comparator.strip() in NO_COMPARATOR:  # a descriptive question: nothing is compared
        return (
            f"In {population.strip()}, what do the documents or studies show about "
            f"{intervention.strip()}: {outcome.strip()}? (descriptive, no comparator)"
        )
    if intervention.strip() in NO_COMPARATOR:
        raise AuditError(
            f"PICO question: intervention {intervention.strip()!r} with comparator "
            f"{comparator.strip()!r}; a comparison needs an intervention or exposure to compare "
            "(use '—' for both to ask a descriptive question)"
        )
    return (
        f"In {population.strip()}, what is the effect of {intervention.strip()}, compared with "
        f"{comparator.strip()}, on {outcome.strip()}?"
    )


# ----------------------------------------------------------------------------- evidence


@dataclass(frozen=True)
class EvidenceRef:
    """One cited piece of evidence: a data row (table, key) or a reference (``bib``, key)."""

    table: str
    key: str

    @property
    def is_row(self) -> bool:
        return self.table != "bib"

    def __str__(self) -> str:
        return f"{self.table}:{self.key}"


def parse_evidence(text: object) -> list[EvidenceRef]:
    """Parse ``"table:key; bib:key"`` into :class:`EvidenceRef` objects (empty → [])."""
    if text is None or (isinstance(text, float) and pd.isna(text)) or text is pd.NA:
        return []
    if not isinstance(text, str):
        raise AuditError(f"evidence={text!r} must be text like 'table:key; bib:key'")
    refs = []
    for part in [p.strip() for p in text.split(";") if p.strip()]:
        table, sep, key = part.partition(":")
        if not sep or not table.strip() or not key.strip():
            raise AuditError(f"evidence item {part!r} must look like 'table:key' or 'bib:key'")
        refs.append(EvidenceRef(table.strip(), key.strip()))
    return refs


def _row_positions(df: pd.DataFrame, cols: list[str]) -> dict[str, list[int]]:
    """Primary-key value (composite values joined with ``|``) → positions of its rows."""
    parts = [df[c].astype("string") for c in cols]
    joined = parts[0]
    for part in parts[1:]:
        joined = joined + "|" + part
    out: dict[str, list[int]] = {}
    for i, key in enumerate(joined):
        if not pd.isna(key):  # a row with a missing key part matches no citation
            out.setdefault(key, []).append(i)
    return out


def _primary_key(name: str) -> list[str]:
    """The primary-key columns of data table ``name`` (from the data package)."""
    from helpers import data

    pk = data._resource(name)["schema"].get("primaryKey", [])
    return [pk] if isinstance(pk, str) else list(pk)


def resolve_evidence(
    ref: EvidenceRef,
    load: Callable[[str], pd.DataFrame] | None = None,
    primary_key: Callable[[str], list[str]] | None = None,
    bib_keys: Iterable[str] | None = None,
    row_positions: Callable[[str], dict[str, list[int]]] | None = None,
) -> dict:
    """Find the row (or reference) a citation points to; raise :class:`AuditError` if missing.

    Returns a dict with ``table``, ``key``, ``source`` (the reference key behind it),
    ``verified`` and ``where``. A table row is matched on the table's primary key (for a
    composite key, give the values joined with ``|``). ``load``, ``primary_key`` and
    ``bib_keys`` default to the course's data package and references.bib; ``row_positions``
    (table name → key value → row positions, as :func:`_row_positions` gives) lets a caller
    resolving many citations index each table once.
    """
    from helpers import cite, data

    bib = set(bib_keys) if bib_keys is not None else cite.keys()
    if not ref.is_row:
        if ref.key not in bib:
            raise AuditError(f"evidence {ref}: reference key {ref.key!r} is not in references.bib")
        return {"table": "bib", "key": ref.key, "source": ref.key, "verified": "", "where": ""}
    load = load or data.load
    primary_key = primary_key or _primary_key
    try:
        df = load(ref.table)
    except Exception as exc:  # unknown table: say which citation needed it
        raise AuditError(f"evidence {ref}: table {ref.table!r} cannot be loaded ({exc})") from None
    cols = primary_key(ref.table)
    if not cols:
        raise AuditError(f"evidence {ref}: table {ref.table!r} has no primary key to match on")
    values = ref.key.split("|")
    if len(values) != len(cols):
        raise AuditError(
            f"evidence {ref}: table {ref.table!r} has primary key {cols}; give "
            f"{len(cols)} value(s) joined with '|'"
        )
    positions = row_positions(ref.table) if row_positions else _row_positions(df, cols)
    hits = positions.get(ref.key, [])
    if len(hits) != 1:
        raise AuditError(
            f"evidence {ref}: no row of {ref.table!r} has {dict(zip(cols, values, strict=True))}"
        )
    row = df.iloc[hits[0]]
    source = str(row["source"])
    for k in [s.strip() for s in source.split(";") if s.strip()]:
        if k not in bib:
            raise AuditError(f"evidence {ref}: its source {k!r} is not in references.bib")
    return {
        "table": ref.table,
        "key": ref.key,
        "source": source,
        "verified": str(row.get("verified", "")),
        "where": "" if pd.isna(row.get("where", "")) else str(row.get("where", "")),
    }


# ----------------------------------------------------------------------------- reasoning


def _allowed_certainties(verdict: str, claim_type: str) -> tuple[str, ...]:
    descriptive = ("not applicable",) if claim_type in DESCRIPTIVE_TYPES else ()
    return {
        "supported": ("high", "moderate", *descriptive),
        "partly supported": (*GRADE_LEVELS, *descriptive),
        "not supported": GRADE_LEVELS,
        "no direct evidence": ("no evidence", "very low"),
        "contradicted": (*GRADE_LEVELS, *descriptive),
        "not a testable claim": ("not applicable",),
    }[verdict]


def _level(value: object) -> int | None:
    """A CEBM level as int, or None when empty/missing; errors name the bad value."""
    if value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value)):
        return None
    if isinstance(value, str) and not value.strip():
        return None
    try:
        level = int(value)
    except (TypeError, ValueError):
        raise AuditError(
            f"cebm_level={value!r} must be a whole number from 1 to 5 or empty"
        ) from None
    if not 1 <= level <= 5:
        raise AuditError(f"cebm_level={value!r} must be a whole number from 1 to 5 or empty")
    return level


def reasoning_steps(assessment: Mapping[str, object]) -> pd.DataFrame:
    """Check the reasoning behind one verdict, step by step (for self-checks and tests).

    ``assessment`` holds ``claim_type``, the four PICO fields, ``evidence``, ``design``,
    ``cebm_level`` (int or empty), ``certainty``, ``verdict`` and ``rationale``. Unknown
    vocabulary raises :class:`AuditError`; otherwise each step is reported with ``ok`` and a
    message saying what a consistent audit needs.
    """
    a = dict(assessment)
    verdict = check_verdict(a.get("verdict"))
    certainty = check_certainty(a.get("certainty"))
    design = check_design(a.get("design"))
    claim_type = str(a.get("claim_type", "")).strip().lower()
    level = _level(a.get("cebm_level"))
    refs = parse_evidence(a.get("evidence"))
    testable = claim_type not in UNTESTABLE_TYPES
    steps = []

    ok = testable == (verdict != "not a testable claim")
    steps.append(
        (
            "1 testable?",
            ok,
            "advice and promotional claims get 'not a testable claim'; every other claim a real verdict",
        )
    )
    missing = [f for f in PICO_FIELDS if not str(a.get(f, "") or "").strip()]
    steps.append(
        (
            "2 PICO question",
            not testable or not missing,
            "a testable claim needs population, intervention, comparator and outcome"
            + (f" (missing: {', '.join(missing)})" if missing and testable else ""),
        )
    )
    needs_evidence = verdict not in ("no direct evidence", "not a testable claim")
    steps.append(
        (
            "3 evidence cited",
            bool(refs) or not needs_evidence,
            "a verdict other than 'no direct evidence' must cite the evidence it rests on",
        )
    )
    expected = DESIGNS[design]
    steps.append(
        (
            "4 design ↔ CEBM level",
            level == expected,
            f"design {design!r} is CEBM level {expected if expected is not None else '— (none)'}",
        )
    )
    allowed = _allowed_certainties(verdict, claim_type)
    steps.append(
        (
            "5 certainty ↔ verdict",
            certainty in allowed,
            f"verdict {verdict!r} allows certainty " + " / ".join(allowed),
        )
    )
    rationale = str(a.get("rationale", "") or "").strip()
    steps.append(("6 rationale", bool(rationale), "one line saying why, citing the evidence"))
    return pd.DataFrame(steps, columns=["step", "ok", "rule"])


def assess(**fields: object) -> dict:
    """Build one assessment (a dict) after checking vocabulary and every reasoning step.

    Raises :class:`AuditError` naming the first failed step, so a learner's audit of a new
    claim is held to the same rules as the course's.
    """
    steps = reasoning_steps(fields)
    bad = steps[~steps["ok"]]
    if len(bad):
        first = bad.iloc[0]
        raise AuditError(f"step {first['step']!r} fails: {first['rule']}")
    out = dict(fields)
    out["verdict"] = check_verdict(fields["verdict"])
    out["certainty"] = check_certainty(fields["certainty"])
    out["design"] = check_design(fields["design"])
    return out


# ----------------------------------------------------------------------------- tables


def audit_table(claims: pd.DataFrame, assessments: pd.DataFrame) -> pd.DataFrame:
    """Join claims with their assessments (one each) and check every row's reasoning.

    Raises :class:`AuditError` when a claim has no assessment (or several), an assessment
    names an unknown claim, or a row fails a reasoning step.
    """
    ids = set(claims["claim_id"])
    counts = assessments["claim_id"].value_counts()
    unassessed = sorted(ids - set(counts.index))
    unknown = sorted(set(counts.index) - ids)
    twice = sorted(counts[counts > 1].index)
    if unassessed or unknown or twice:
        raise AuditError(
            f"claims without assessment: {unassessed}; assessments of unknown claims: {unknown}; "
            f"claims assessed more than once: {twice}"
        )
    keep = [c for c in claims.columns if c not in ("source", "verified", "where", "notes")]
    merged = claims[keep].merge(
        assessments.rename(columns={"source": "evidence_source", "verified": "evidence_verified"}),
        on="claim_id",
        how="left",
        validate="one_to_one",
    )
    for _, row in merged.iterrows():
        steps = reasoning_steps(row.to_dict())
        bad = steps[~steps["ok"]]
        if len(bad):
            raise AuditError(
                f"claim {row['claim_id']}: step {bad.iloc[0]['step']!r} fails: {bad.iloc[0]['rule']}"
            )
    merged["question"] = [
        pico_question(r.population, r.intervention, r.comparator, r.outcome)
        if r.claim_type not in UNTESTABLE_TYPES
        else "— (states no testable fact)"
        for r in merged.itertuples()
    ]
    merged["certainty_symbol"] = merged["certainty"].map(CERTAINTY_SYMBOLS)
    merged["evidence_type"] = merged["design"].map(evidence_type)
    return merged.sort_values("claim_id").reset_index(drop=True)


def evidence_type(design: str) -> str:
    """The evidence-map column (see :data:`EVIDENCE_TYPES`) of a design."""
    d = check_design(design)
    for label, designs in EVIDENCE_TYPES.items():
        if d in designs:
            return label
    raise AuditError(f"design={design!r} has no evidence-map column")  # pragma: no cover


def filter_min_certainty(audit: pd.DataFrame, min_certainty: str) -> pd.DataFrame:
    """Rows whose GRADE certainty is at least ``min_certainty`` ('any' keeps every row).

    'no evidence' and 'not applicable' rank below 'very low', so any GRADE threshold drops
    them.
    """
    if min_certainty == "any":
        return audit.copy()
    threshold = certainty_rank(_one_of("min_certainty", min_certainty, GRADE_LEVELS))
    ranks = audit["certainty"].map(certainty_rank)
    return audit[ranks >= threshold].copy()


def verdict_counts(audit: pd.DataFrame) -> pd.Series:
    """Number of claims per verdict, in :data:`VERDICTS` order (zeros kept)."""
    return audit["verdict"].value_counts().reindex(list(VERDICTS), fill_value=0).rename("claims")


def summary_table(audit: pd.DataFrame, show_rationale: bool = True) -> pd.DataFrame:
    """The one-page handout: claim, paragraph, verdict, certainty, CEBM level, lesson(s)."""
    out = pd.DataFrame(
        {
            "claim": audit["claim_id"],
            "¶": audit["paragraph"],
            "what the article says": audit["topic"],
            "verdict (course's judgement)": audit["verdict"],
            "GRADE certainty": audit["certainty"]
            + " "
            + audit["certainty_symbol"].where(audit["certainty"].isin(GRADE_LEVELS), ""),
            "CEBM level": audit["cebm_level"].astype("string").fillna("—"),
            "lesson(s)": audit["lesson"],
        }
    )
    out["GRADE certainty"] = out["GRADE certainty"].str.strip()
    if show_rationale:
        out["why"] = audit["rationale"]
    return out.reset_index(drop=True)


def evidence_map_frame(audit: pd.DataFrame) -> pd.DataFrame:
    """Positions for the evidence map: one row per claim with x (evidence column) and y."""
    columns = list(EVIDENCE_TYPES)
    df = audit.sort_values("claim_id", ascending=False).reset_index(drop=True)
    return pd.DataFrame(
        {
            "claim_id": df["claim_id"],
            "label": df["claim_id"] + "  " + df["topic"],
            "x": df["evidence_type"].map(columns.index).astype(int),
            "y": range(len(df)),
            "verdict": df["verdict"],
            "certainty": df["certainty"],
            "symbol": df["certainty_symbol"],
        }
    )


def resolve_all(assessments: pd.DataFrame, **kwargs) -> pd.DataFrame:
    """Every cited piece of evidence of every assessment, resolved (see :func:`resolve_evidence`).

    One row per (claim, citation): ``claim_id``, ``ref``, ``table``, ``key``, ``source``,
    ``verified``, ``where``. Raises :class:`AuditError` naming the claim whose citation does
    not resolve.
    """
    from helpers import cite, data

    # each table, its primary key, its index and the bibliography are read once, not once
    # per citation
    load = functools.cache(kwargs.pop("load", None) or data.load)
    primary_key = functools.cache(kwargs.pop("primary_key", None) or _primary_key)
    kwargs.setdefault(
        "row_positions", functools.cache(lambda name: _row_positions(load(name), primary_key(name)))
    )
    if kwargs.get("bib_keys") is None:
        kwargs["bib_keys"] = cite.keys()
    rows = []
    for claim_id, text in zip(assessments["claim_id"], assessments["evidence"], strict=True):
        for ref in parse_evidence(text):
            try:
                got = resolve_evidence(ref, load=load, primary_key=primary_key, **kwargs)
            except AuditError as exc:
                raise AuditError(f"claim {claim_id}: {exc}") from None
            rows.append({"claim_id": claim_id, "ref": str(ref), **got})
    cols = ["claim_id", "ref", "table", "key", "source", "verified", "where"]
    return pd.DataFrame(rows, columns=cols)
