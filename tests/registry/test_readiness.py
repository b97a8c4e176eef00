"""The readiness scoring on its own (pure functions, no database)."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from naikkelas.registry import readiness

NOTHING = {"nib": "no", "catalogue": "no", "payments": ["cash"], "channels": ["offline"], "books": "none", "bank": "no"}
EVERYTHING = {
    "nib": "yes",
    "catalogue": "yes",
    "payments": ["cash", "qris"],
    "channels": ["whatsapp", "marketplace"],
    "books": "digital",
    "bank": "yes",
}


def test_assess_gives_level_zero_and_registering_first_to_a_business_with_no_step_done():
    result = readiness.assess(NOTHING)
    assert (result.level, result.next_step, result.done) == (0, "register", ())


@pytest.mark.parametrize(
    ("changes", "level", "next_step"),
    [
        ({"nib": "yes"}, 1, "catalogue"),
        ({"nib": "yes", "catalogue": "yes"}, 2, "payment"),
        ({"nib": "yes", "catalogue": "yes", "payments": ["transfer"]}, 3, "marketplace"),
        ({"nib": "yes", "catalogue": "yes", "payments": ["ewallet"], "channels": ["marketplace"]}, 4, "books"),
    ],
)
def test_assess_climbs_one_level_per_step_and_names_the_following_step(changes, level, next_step):
    result = readiness.assess({**NOTHING, **changes})
    assert (result.level, result.next_step) == (level, next_step)


def test_assess_counts_steps_out_of_order_but_points_back_to_the_first_missing_one():
    # Sells on a marketplace and takes QRIS, but has no NIB: level 2, and registering comes next.
    result = readiness.assess({**NOTHING, "payments": ["qris"], "channels": ["marketplace"]})
    assert (result.level, result.next_step) == (2, "register")


def test_assess_with_every_step_done_is_level_four_with_no_next_step():
    result = readiness.assess(EVERYTHING)
    assert (result.level, result.next_step) == (4, None)
    assert result.done == readiness.STEP_ORDER


def test_assess_counts_books_only_for_the_next_step_not_the_level():
    assert readiness.assess({**NOTHING, "books": "digital"}).level == 0
    assert readiness.assess({**NOTHING, "books": "paper"}).next_step == "register"


def test_assess_treats_not_knowing_about_the_nib_as_not_registered():
    assert readiness.assess({**NOTHING, "nib": "unsure"}).next_step == "register"


def test_assess_does_not_count_cash_or_whatsapp_as_digital_payment_or_marketplace():
    result = readiness.assess({**NOTHING, "nib": "yes", "catalogue": "yes", "channels": ["whatsapp", "social"]})
    assert (result.level, result.next_step) == (2, "payment")


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("nib", None),
        ("nib", "maybe"),
        ("payments", "qris"),  # a single string where a list is expected
        ("payments", ["bitcoin"]),
        ("channels", None),
        ("books", ["digital"]),
        ("bank", ""),
    ],
)
def test_clean_answers_rejects_a_missing_or_unknown_answer_naming_the_question(key, value):
    with pytest.raises(readiness.InvalidAnswers) as caught:
        readiness.clean_answers({**NOTHING, key: value})
    assert caught.value.key == key


def test_clean_answers_drops_unknown_questions_and_sorts_lists():
    cleaned = readiness.clean_answers({**EVERYTHING, "payments": ["qris", "cash", "qris"], "extra": "x"})
    assert cleaned["payments"] == ["cash", "qris"]
    assert "extra" not in cleaned


def test_business_facts_carry_payments_channels_and_bank_account():
    assert readiness.business_facts(EVERYTHING) == {
        "payment_methods": ["cash", "qris"],
        "channels": ["marketplace", "whatsapp"],
        "has_bank_account": True,
    }


def test_every_question_has_indonesian_text_and_at_least_two_choices():
    assert 5 <= len(readiness.QUESTIONS) <= 7
    for question in readiness.QUESTIONS:
        assert str(question.text).endswith("?")
        assert len(question.choices) >= 2
    assert [step.key for step in readiness.STEPS] == ["register", "catalogue", "payment", "marketplace", "books"]


answer_sheets = st.fixed_dictionaries(
    {
        question.key: (
            st.lists(st.sampled_from([v for v, _ in question.choices]), unique=True)
            if question.multiple
            else st.sampled_from([v for v, _ in question.choices])
        )
        for question in readiness.QUESTIONS
    }
)


@given(answer_sheets)
def test_assess_always_gives_a_level_in_range_consistent_with_the_steps_done(answers):
    result = readiness.assess(answers)
    assert 0 <= result.level <= readiness.MAX_LEVEL
    assert result.level == len([s for s in result.done if s != "books"])
    if result.next_step is None:
        assert result.done == readiness.STEP_ORDER
    else:
        assert result.next_step not in result.done
        assert all(s in result.done for s in readiness.STEP_ORDER[: readiness.STEP_ORDER.index(result.next_step)])
