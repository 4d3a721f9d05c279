"""Learner self-checks: instant feedback after each exercise.

A lesson's exercise is three cells: the learner's stub (``answer = ...``), the solution
(a code cell tagged ``solution``, removed from the learner edition) and the check::

    exercises.check("1.1", answer, expected=r.tmax_h, rtol=0.05,
                    hint="Tmax is where the curve peaks: look at the table of results.")

The check shows ✓ when the answer is right, a specific hint when it is not, and
"not attempted yet" while the stub still holds ``...``, so the learner edition runs top to
bottom without errors.
"""

from __future__ import annotations

import html
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

CORRECT, INCORRECT, NOT_ATTEMPTED = "correct", "incorrect", "not attempted"
METADATA_KEY = "course_exercise"

_SYMBOL = {CORRECT: "✓", INCORRECT: "✗", NOT_ATTEMPTED: "…"}
_COLOUR = {CORRECT: "#009E73", INCORRECT: "#D55E00", NOT_ATTEMPTED: "#555555"}


@dataclass(frozen=True)
class Result:
    """The outcome of one check (also displayed in the notebook)."""

    exercise: str
    status: str
    message: str

    def __bool__(self) -> bool:
        return self.status == CORRECT

    def _repr_mimebundle_(self, include=None, exclude=None):
        text = f"{_SYMBOL[self.status]} Exercise {self.exercise}: {self.message}"
        html_text = (
            f'<div class="course-check course-check-{self.status.replace(" ", "-")}" role="status" '
            f'style="border-left:4px solid {_COLOUR[self.status]};padding:0.3em 0.8em;margin:0.3em 0">'
            f"<strong>{_SYMBOL[self.status]} Exercise {html.escape(self.exercise)}</strong>: "
            f"{html.escape(self.message)}</div>"
        )
        meta = {METADATA_KEY: {"id": self.exercise, "status": self.status}}
        return {"text/plain": text, "text/html": html_text}, {"text/html": meta, "text/plain": meta}


def is_unattempted(answer: Any) -> bool:
    """True while the answer is, or still contains, the placeholder ``...``."""
    if answer is Ellipsis:
        return True
    if isinstance(answer, Mapping):
        return any(is_unattempted(v) for v in answer.values())
    if isinstance(answer, list | tuple | set | frozenset):
        return any(is_unattempted(v) for v in answer)
    return False


def _is_number(x: Any) -> bool:
    return isinstance(x, int | float | np.integer | np.floating) and not isinstance(x, bool)


def _norm(x: Any) -> Any:
    if isinstance(x, str):
        return " ".join(x.strip().lower().split())
    if isinstance(x, np.generic):
        return x.item()
    return x


_TRUTH = {"true": True, "yes": True, "false": False, "no": False}


def _as_single_value(answer: Any, expected: Any) -> Any:
    """The value a learner meant when the lesson expects one number, text or truth value.

    A one-element array, Series or one-cell DataFrame (what ``df.loc[mask, col]`` or an
    array-valued helper gives) becomes its element, and the text "true"/"false" (or
    "yes"/"no") a truth value when a bool is expected. Anything else is returned unchanged.
    """
    if not (_is_number(expected) or isinstance(expected, str | bool | np.bool_)):
        return answer
    if isinstance(answer, np.ndarray | pd.Series | pd.DataFrame | pd.Index):
        values = np.asarray(answer)
        if values.size == 1:
            answer = values.reshape(-1)[0]
    if isinstance(answer, np.generic):
        answer = answer.item()
    if isinstance(expected, bool | np.bool_) and isinstance(answer, str):
        answer = _TRUTH.get(_norm(answer), answer)
    return answer


def as_text(answer: Any) -> str:
    """A learner's text answer as the checks compare it: one value (a one-element Series or
    array counts as its element), lower case, spaces collapsed. For ``test=`` functions that
    accept several spellings."""
    return _norm(str(_as_single_value(answer, "")))


def _compare(answer: Any, expected: Any, rtol: float, atol: float, ordered: bool) -> bool:
    if _is_number(expected):
        return _is_number(answer) and math.isclose(
            float(answer), float(expected), rel_tol=rtol, abs_tol=atol
        )
    if isinstance(expected, str):
        return isinstance(answer, str) and _norm(answer) == _norm(expected)
    if isinstance(expected, Mapping):
        return (
            isinstance(answer, Mapping)
            and set(map(_norm, answer)) == set(map(_norm, expected))
            and all(
                _compare(answer[k], expected[k], rtol, atol, ordered)
                for k in answer
                if k in expected
            )
        )
    if isinstance(expected, set | frozenset) or (
        isinstance(expected, list | tuple) and not ordered
    ):
        if not isinstance(answer, list | tuple | set | frozenset | np.ndarray):
            return False
        return sorted(map(str, map(_norm, answer))) == sorted(map(str, map(_norm, expected)))
    if isinstance(expected, list | tuple | np.ndarray):
        if not isinstance(answer, list | tuple | np.ndarray) or len(answer) != len(expected):
            return False
        return all(
            _compare(a, e, rtol, atol, ordered) for a, e in zip(answer, expected, strict=True)
        )
    return _norm(answer) == _norm(expected)


def check(
    exercise: str,
    answer: Any,
    expected: Any = None,
    *,
    rtol: float = 1e-6,
    atol: float = 0.0,
    ordered: bool = True,
    test: Callable[[Any], bool | str] | None = None,
    hint: str = "Not yet. Re-read the section above and try again.",
    hints: Mapping[Any, str] | None = None,
) -> Result:
    """Check a learner's ``answer`` and return a displayed :class:`Result`.

    Parameters
    ----------
    exercise : label shown to the learner, e.g. ``"1.2"``.
    answer : the learner's value; ``...`` (or a container holding it) means not attempted.
    expected : the right value. Numbers compare with ``rtol``/``atol``; strings ignore case
        and spacing; lists compare in order unless ``ordered=False``; sets ignore order.
        Where one value is expected, a one-element array, Series or DataFrame counts as its
        element, and "true"/"false" (or "yes"/"no") as a truth value.
    test : instead of ``expected``, a function of the answer returning True when right, or a
        string (a specific hint) when wrong.
    hint : shown when the answer is wrong and no specific hint applies.
    hints : specific hints for known wrong answers (keyed by the wrong answer). A key that
        matches ``expected`` (within the tolerance) is ignored.
    """
    if (expected is None) == (test is None):
        raise ValueError("check() needs exactly one of expected= or test=")
    if is_unattempted(answer):
        return Result(
            exercise,
            NOT_ATTEMPTED,
            "not attempted yet — replace ... with your answer and run the cell again.",
        )
    if test is not None:
        try:
            verdict = test(answer)
        except Exception as exc:  # a malformed answer is the learner's, not a crash
            verdict = f"that answer could not be checked ({type(exc).__name__}: {exc})."
        if verdict is True:
            return Result(exercise, CORRECT, "correct.")
        return Result(exercise, INCORRECT, verdict if isinstance(verdict, str) else hint)
    answer = _as_single_value(answer, expected)
    if _compare(answer, expected, rtol, atol, ordered):
        return Result(exercise, CORRECT, "correct.")
    if hints:
        for wrong, specific in hints.items():
            try:
                # a hint keyed at (or within tolerance of) the right answer is never shown: with
                # parameters, a "known wrong" value can coincide with the expected one
                if _compare(wrong, expected, rtol, atol, ordered):
                    continue
                if _compare(answer, wrong, rtol, atol, ordered):
                    return Result(exercise, INCORRECT, specific)
            except TypeError:
                continue
    if _is_number(expected) and not _is_number(answer):
        return Result(
            exercise, INCORRECT, f"expected a number, got {type(answer).__name__}. {hint}"
        )
    return Result(exercise, INCORRECT, hint)
