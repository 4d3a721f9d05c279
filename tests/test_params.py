import datetime as dt

import pytest

from helpers import params


def test_valid_values_are_returned_normalised():
    p = params.validate(
        dict(a="x", n=3, f=2, b=True, d="2020-02-29", t="21:30", s=["u"]),
        a=params.OneOf("x", "y"),
        n=params.Int(1, 5),
        f=params.Number(0, 10, unit="h"),
        b=params.Bool(),
        d=params.Date(lo="2000-01-01"),
        t=params.ClockTime(),
        s=params.Subset(["u", "v"], min_size=1),
    )
    assert p.a == "x" and p.n == 3 and p.f == 2.0 and isinstance(p.f, float) and p.b is True
    assert p.d == dt.date(2020, 2, 29)
    assert p.t == pytest.approx(21.5)
    assert p.s == ["u"]


@pytest.mark.parametrize(
    ("spec", "value", "fragment"),
    [
        (
            params.OneOf("mitragynine", "7-hydroxymitragynine"),
            "caffeine",
            "one of 'mitragynine', '7-hydroxymitragynine'",
        ),
        (params.Int(1, 5000), "200", "a whole number from 1 to 5000"),
        (params.Int(1, 5000), 2.0, "a whole number"),
        (params.Int(1, 5000), True, "a whole number"),
        (params.Number(0, 1), 1.5, "a number from 0 to 1"),
        (params.Number(0, 1), float("nan"), "a number"),
        (params.Bool(), "yes", "True or False"),
        (params.Date(), "2020-13-01", "an ISO date"),
        (
            params.Date(hi="2030-01-01", lo="2000-01-01"),
            "1999-12-31",
            "from 2000-01-01 to 2030-01-01",
        ),
        (params.ClockTime(), "25:00", "a clock time"),
        (params.Subset(["u", "v"]), ["u", "w"], "a list of at least 0 of 'u', 'v'"),
    ],
)
def test_bad_values_name_parameter_value_and_allowed(spec, value, fragment):
    with pytest.raises(params.ParameterError) as err:
        params.validate({"knob": value}, knob=spec)
    msg = str(err.value)
    assert "'knob'" in msg
    assert repr(value) in msg
    assert fragment in msg


def test_oneof_is_type_strict():
    # "1" is not 1: a string from a profile must not silently match a number
    with pytest.raises(params.ParameterError):
        params.validate({"k": "1"}, k=params.OneOf(1, 2))


def test_specs_and_values_must_match():
    with pytest.raises(params.ParameterError, match="without spec"):
        params.validate({"a": 1, "b": 2}, a=params.Int())
    with pytest.raises(params.ParameterError, match="without value"):
        params.validate({}, a=params.Int())
