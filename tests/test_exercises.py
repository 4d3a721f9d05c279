import numpy as np
import pandas as pd
import pytest

from helpers import exercises as ex


def test_unattempted_answers_are_not_errors():
    for answer in (..., [1, ...], {"a": ...}):
        r = ex.check("1.1", answer, expected=3)
        assert r.status == ex.NOT_ATTEMPTED
        assert "not attempted yet" in repr(r._repr_mimebundle_()[0]["text/plain"])


def test_numbers_use_tolerance():
    assert ex.check("1", 1.02, expected=1.0, rtol=0.05).status == ex.CORRECT
    assert ex.check("1", 1.2, expected=1.0, rtol=0.05).status == ex.INCORRECT
    assert ex.check("1", np.float64(2.0), expected=2).status == ex.CORRECT


def test_wrong_type_gets_a_specific_hint():
    r = ex.check("1", "two", expected=2.0, hint="Look at Tmax.")
    assert r.status == ex.INCORRECT
    assert "expected a number" in r.message and "Look at Tmax." in r.message


def test_strings_ignore_case_and_spacing():
    assert ex.check("1", "  Partial  Agonist ", expected="partial agonist")


def test_known_wrong_answers_get_their_own_hint():
    r = ex.check(
        "1",
        "full agonist",
        expected="partial agonist",
        hints={"full agonist": "Compare Emax with 100%."},
    )
    assert r.message == "Compare Emax with 100%."


def test_a_hint_keyed_at_the_right_answer_is_ignored():
    # 2.0 is the expected value here; an answer near it but outside the tolerance gets the
    # general hint, not the "known wrong" hint that happens to sit on the right answer
    r = ex.check("1", 2.015, expected=2.0, atol=0.01, hint="general", hints={2.005: "wrong one"})
    assert r.message == "general"
    r = ex.check("1", 7, expected=7, hints={7: "never shown"})
    assert r.message == "correct."
    assert ex.check("1", 3.0, expected=2.0, atol=0.01, hints={3.0: "three"}).message == "three"


def test_unordered_lists_and_sets():
    assert ex.check("1", ["b", "a"], expected={"a", "b"})
    assert ex.check("1", ["b", "a"], expected=["a", "b"], ordered=False)
    assert not ex.check("1", ["b", "a"], expected=["a", "b"])


def test_predicate_can_return_a_hint():
    r = ex.check("1", 5, test=lambda a: True if a > 10 else "too small")
    assert r.status == ex.INCORRECT and r.message == "too small"
    assert ex.check("1", 11, test=lambda a: a > 10)


def test_predicate_errors_become_feedback_not_crashes():
    r = ex.check("1", "x", test=lambda a: a > 10)
    assert r.status == ex.INCORRECT and "could not be checked" in r.message


def test_display_carries_machine_readable_status():
    data, meta = ex.check("2.3", 1, expected=1)._repr_mimebundle_()
    assert meta["text/html"][ex.METADATA_KEY] == {"id": "2.3", "status": "correct"}
    assert "✓ Exercise 2.3" in data["text/plain"]


def test_check_needs_expected_or_test():
    with pytest.raises(ValueError):
        ex.check("1", 1)


def test_one_element_arrays_series_and_frames_count_as_their_value():
    df = pd.DataFrame({"dose_mg": [0.5, 3.0], "peak_h": [2.0, 5.0]})
    one = df.loc[df["dose_mg"] == 3, "peak_h"]  # a Series of one row
    assert ex.check("x", one, expected=5.0).status == ex.CORRECT
    assert ex.check("x", df.loc[df["dose_mg"] == 3, ["peak_h"]], expected=5.0).status == ex.CORRECT
    assert ex.check("x", np.array([5.0]), expected=5.0).status == ex.CORRECT
    assert ex.check("x", np.array(["Regulated"]), expected="regulated").status == ex.CORRECT
    # two values are not one: still refused, with the type named
    r = ex.check("x", df["peak_h"], expected=5.0)
    assert r.status == ex.INCORRECT and "expected a number, got Series" in r.message
    # a list the lesson expects keeps its elements
    assert ex.check("x", [5.0], expected=[5.0]).status == ex.CORRECT
    assert ex.check("x", np.array([5.0]), expected=[5.0]).status == ex.CORRECT


def test_truth_values_may_be_typed_as_text():
    assert ex.check("x", "False", expected=False).status == ex.CORRECT
    assert ex.check("x", " yes ", expected=True).status == ex.CORRECT
    assert ex.check("x", "true", expected=False).status == ex.INCORRECT
    assert ex.check("x", "maybe", expected=False).status == ex.INCORRECT
    assert ex.check("x", np.bool_(True), expected=True).status == ex.CORRECT


def test_dates_and_durations_are_not_unwrapped_into_nanoseconds():
    r = ex.check("x", pd.Timedelta(days=43), expected=43)
    assert r.status == ex.INCORRECT and "expected a number, got Timedelta" in r.message


def test_as_text_normalises_one_value():
    assert ex.as_text(pd.Series(["  Controlled  (in a state schedule) "])) == (
        "controlled (in a state schedule)"
    )
    assert ex.as_text("CTL") == "ctl"
