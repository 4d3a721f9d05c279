"""Declare and validate a lesson's parameters, with errors a learner can act on.

In a lesson, the cell tagged ``parameters`` assigns plain values (papermill overrides them);
the next cell validates them::

    p = params.validate(
        dict(alkaloid=alkaloid, n_subjects=n_subjects),
        alkaloid=params.OneOf("mitragynine", "7-hydroxymitragynine"),
        n_subjects=params.Int(1, 5000),
    )

A wrong value stops the notebook with :class:`ParameterError`, whose message names the
parameter, the value given and what is allowed.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any


class ParameterError(ValueError):
    """A lesson parameter has a wrong type or value."""


def _fail(name: str, value: Any, allowed: str) -> ParameterError:
    return ParameterError(
        f"parameter {name!r} got {value!r} ({type(value).__name__}); allowed: {allowed}"
    )


class Spec:
    """Base class: ``check(name, value)`` returns the (possibly normalised) value or raises."""

    def check(self, name: str, value: Any) -> Any:  # pragma: no cover - interface
        raise NotImplementedError

    def describe(self) -> str:  # pragma: no cover - interface
        raise NotImplementedError


@dataclass(frozen=True)
class Number(Spec):
    """A real number in [lo, hi] (either bound may be None)."""

    lo: float | None = None
    hi: float | None = None
    unit: str = ""

    def describe(self) -> str:
        unit = f" {self.unit}" if self.unit else ""
        if self.lo is not None and self.hi is not None:
            return f"a number from {self.lo:g} to {self.hi:g}{unit}"
        if self.lo is not None:
            return f"a number ≥ {self.lo:g}{unit}"
        if self.hi is not None:
            return f"a number ≤ {self.hi:g}{unit}"
        return f"a number{unit}"

    def check(self, name: str, value: Any) -> float:
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or not math.isfinite(value)
        ):
            raise _fail(name, value, self.describe())
        if (self.lo is not None and value < self.lo) or (self.hi is not None and value > self.hi):
            raise _fail(name, value, self.describe())
        return float(value)


@dataclass(frozen=True)
class Int(Spec):
    """An integer in [lo, hi]."""

    lo: int | None = None
    hi: int | None = None
    unit: str = ""

    def describe(self) -> str:
        unit = f" {self.unit}" if self.unit else ""
        if self.lo is not None and self.hi is not None:
            return f"a whole number from {self.lo} to {self.hi}{unit}"
        if self.lo is not None:
            return f"a whole number ≥ {self.lo}{unit}"
        return f"a whole number{unit}"

    def check(self, name: str, value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise _fail(name, value, self.describe())
        if (self.lo is not None and value < self.lo) or (self.hi is not None and value > self.hi):
            raise _fail(name, value, self.describe())
        return int(value)


class OneOf(Spec):
    """One of a fixed set of values (strings, numbers or None)."""

    def __init__(self, *allowed: Any):
        if len(allowed) == 1 and isinstance(allowed[0], list | tuple | set | frozenset):
            allowed = tuple(allowed[0])
        if not allowed:
            raise ValueError("OneOf needs at least one allowed value")
        self.allowed = tuple(allowed)

    def describe(self) -> str:
        return "one of " + ", ".join(repr(a) for a in self.allowed)

    def check(self, name: str, value: Any) -> Any:
        for a in self.allowed:
            if type(a) is type(value) and a == value:
                return value
        raise _fail(name, value, self.describe())


@dataclass(frozen=True)
class Bool(Spec):
    """True or False."""

    def describe(self) -> str:
        return "True or False"

    def check(self, name: str, value: Any) -> bool:
        if not isinstance(value, bool):
            raise _fail(name, value, self.describe())
        return value


@dataclass(frozen=True)
class Date(Spec):
    """An ISO date string (YYYY-MM-DD), optionally within [lo, hi]; returns datetime.date."""

    lo: str | None = None
    hi: str | None = None

    def describe(self) -> str:
        rng = ""
        if self.lo and self.hi:
            rng = f" from {self.lo} to {self.hi}"
        elif self.lo:
            rng = f" on or after {self.lo}"
        return f"an ISO date 'YYYY-MM-DD'{rng}"

    def check(self, name: str, value: Any) -> dt.date:
        if not isinstance(value, str):
            raise _fail(name, value, self.describe())
        try:
            d = dt.date.fromisoformat(value)
        except ValueError:
            raise _fail(name, value, self.describe()) from None
        if (self.lo and d < dt.date.fromisoformat(self.lo)) or (
            self.hi and d > dt.date.fromisoformat(self.hi)
        ):
            raise _fail(name, value, self.describe())
        return d


@dataclass(frozen=True)
class ClockTime(Spec):
    """A clock time 'HH:MM' (24 h); returns hours after midnight as a float."""

    def describe(self) -> str:
        return "a clock time 'HH:MM' from '00:00' to '23:59'"

    def check(self, name: str, value: Any) -> float:
        if not isinstance(value, str):
            raise _fail(name, value, self.describe())
        try:
            t = dt.time.fromisoformat(value)
        except ValueError:
            raise _fail(name, value, self.describe()) from None
        return t.hour + t.minute / 60


class Subset(Spec):
    """A list whose items all come from ``allowed`` (no repeats); returns a list."""

    def __init__(self, allowed: Iterable[Any], min_size: int = 0):
        self.allowed = tuple(allowed)
        self.min_size = min_size

    def describe(self) -> str:
        return f"a list of at least {self.min_size} of " + ", ".join(repr(a) for a in self.allowed)

    def check(self, name: str, value: Any) -> list:
        if not isinstance(value, list | tuple) or len(value) < self.min_size:
            raise _fail(name, value, self.describe())
        bad = [v for v in value if v not in self.allowed]
        if bad or len(set(value)) != len(value):
            raise _fail(name, value, self.describe())
        return list(value)


def validate(values: Mapping[str, Any], **specs: Spec) -> SimpleNamespace:
    """Check every parameter against its spec; return them as attributes.

    ``values`` holds the parameter values (from the parameters cell); ``specs`` one
    :class:`Spec` per parameter. A parameter without a spec, or a spec without a value, is a
    programming error and raises too.
    """
    missing = sorted(set(specs) - set(values))
    extra = sorted(set(values) - set(specs))
    if missing or extra:
        raise ParameterError(
            f"parameters and specs disagree: without value {missing}, without spec {extra}"
        )
    return SimpleNamespace(**{k: specs[k].check(k, values[k]) for k in specs})


def describe(**specs: Spec) -> dict[str, str]:
    """What each parameter allows, for documentation."""
    return {k: s.describe() for k, s in specs.items()}
