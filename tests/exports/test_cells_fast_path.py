"""The short path of ``cell_text`` (printable ASCII) gives exactly what the full rules give,
on any text: random text, every XML-illegal character, every formula trigger, text that NFKC
changes and long evidence; and whole XLSX and CSV exports of a seeded data set are the same
bytes either way. ``_reference`` is the full rules, which every cell went through before the
short path existed."""

import datetime
import random
import string
import zipfile
from pathlib import Path

from hypothesis import example, given, settings
from hypothesis import strategies as st

from assessments.models import Answer
from exports import csv_zip, xlsx
from exports.csv_zip import data_csv_zip_write
from exports.tables import DataScope
from exports.xlsx import data_xlsx_write
from imp_assess.cells import FORMULA_TRIGGERS, LEADING_TRIGGERS, cell_text, neutralise, xml_safe
from missions.models import Mission
from tests.exports.test_cells import EVERY_ILLEGAL, FORMULAS, STORABLE_ILLEGAL


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


# --- whole files --------------------------------------------------------------------------


def _seeded_evidence(count: int) -> list[str]:
    """Evidence notes drawn from a fixed seed: plain English, French, XML-illegal characters,
    formula triggers behind invisible characters, NFKC-changed forms and long notes."""
    pieces = [
        "Joint planning cell met weekly.",
        "Réunion conjointe à Bamako ; « cellule » d’analyse.",
        "=1+1",
        "+SUM(A1:A9)",
        "-2",
        "@cmd",
        "{=A1}",
        "\t=1",
        "\r+1",
        "\u00a0\n＝HYPERLINK(1)",
        "\u200b\ufeff@x",
        "ﬁ ① ㎏ e\u0301 Ⅻ",
        STORABLE_ILLEGAL,
        "  padded  ",
        "a < b & c > d",
        "long " * 3000,
    ]
    generator = random.Random(29)  # noqa: S311 (test data, not secrets)
    drawn = [
        "".join(generator.choice(pieces) for _ in range(generator.randint(0, 3)))
        for _ in range(count)
    ]
    return (pieces + drawn)[:count]


def _members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        # docProps/core.xml holds the moment openpyxl saved the workbook.
        return {n: archive.read(n) for n in archive.namelist() if n != "docProps/core.xml"}


def test_whole_exports_are_byte_for_byte_those_of_the_full_rules(known_data, tmp_path, monkeypatch):
    answers = list(Answer.objects.order_by("pk").values_list("pk", flat=True))
    for pk, evidence in zip(answers, _seeded_evidence(len(answers)), strict=True):
        Answer.objects.filter(pk=pk).update(evidence=evidence)
    Mission.objects.filter(pk=known_data.personas.mission_b.pk).update(name="-2+3 Mission")
    at = datetime.datetime(2026, 12, 4, 12, 0, tzinfo=datetime.UTC)
    written = {}
    for name, rule in (("fast", cell_text), ("full", _reference)):
        monkeypatch.setattr(xlsx, "cell_text", rule)
        monkeypatch.setattr(csv_zip, "cell_text", rule)
        xlsx_path, zip_path = tmp_path / f"{name}.xlsx", tmp_path / f"{name}.zip"
        data_xlsx_write(path=xlsx_path, scope=DataScope(), generated_at=at)
        data_csv_zip_write(path=zip_path, scope=DataScope(), generated_at=at)
        written[name] = (_members(xlsx_path), _members(zip_path))
    fast_xlsx, fast_csv = written["fast"]
    full_xlsx, full_csv = written["full"]
    assert fast_csv == full_csv
    assert fast_xlsx == full_xlsx
    # The data set held the seeded notes (the first note of each kind, in order).
    assert len(answers) >= 10
    assert b"'-2+3 Mission" in fast_csv["missions.csv"]
