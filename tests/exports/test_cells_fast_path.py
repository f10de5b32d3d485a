"""The short path of ``cell_text`` (printable ASCII) gives exactly what the full rules give,
on any text: random text, every XML-illegal character, every formula trigger, text that NFKC
changes and long evidence. ``_reference`` is the full rules, which every cell went through
before the short path existed."""

import string

from hypothesis import example, given, settings
from hypothesis import strategies as st

from imp_assess.cells import FORMULA_TRIGGERS, LEADING_TRIGGERS, cell_text, neutralise, xml_safe
from tests.exports.test_cells import EVERY_ILLEGAL, FORMULAS


def _reference(value):
    return xml_safe(neutralise(value)) if isinstance(value, str) else value


# Characters that make a difference: triggers, what is skipped before them (spaces,
# controls, format characters, full-width and other NFKC-changed forms), XML-illegal ones.
_INTERESTING = (
    "".join(FORMULA_TRIGGERS)
    + "".join(LEADING_TRIGGERS)
    + EVERY_ILLEGAL
    + " \n\x0b\x0c\x1c\x7f\u00a0\u2028\u2029\u200b\u2060\ufeff\u3000\u202f"
    + "＝＋－＠｛ﬁ①㎏Ⅻ\u0301e\u00e9\U0001f600"
)
_text = st.text(
    alphabet=st.one_of(
        st.sampled_from(_INTERESTING),
        st.sampled_from(string.printable),
        st.characters(codec=None),
    ),
    max_size=40,
)


@settings(max_examples=3000, deadline=None)
@given(_text)
@example("")
@example(" " * 10 + "=1")
@example("{=A1}")
@example("{ =A1}")
@example("'=1")
def test_cell_text_is_the_full_rules_on_any_text(text):
    assert cell_text(text) == _reference(text)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(string.printable), max_size=20), st.integers(0, 20_000))
def test_cell_text_is_the_full_rules_on_long_evidence(head, length):
    text = head + ("Evidence: joint planning cell met weekly. " * (length // 40 + 1))[:length]
    assert cell_text(text) == _reference(text)
    assert cell_text(text + "\x01") == _reference(text + "\x01")
    assert cell_text(text + "é") == _reference(text + "é")


def test_cell_text_is_the_full_rules_on_every_known_formula_and_character():
    for text in FORMULAS:
        assert cell_text(text) == _reference(text) == "'" + text
    for code in [*range(0x0, 0x3000), *range(0xD7F0, 0xE010), *range(0xFE00, 0x10010)]:
        for text in (chr(code), chr(code) + "=1", "a" + chr(code), " " + chr(code) + "+"):
            assert cell_text(text) == _reference(text), hex(code)


def test_cell_text_leaves_values_that_are_not_text_alone():
    for value in (None, 0, -3, 2.5, True, False):
        assert cell_text(value) is value
