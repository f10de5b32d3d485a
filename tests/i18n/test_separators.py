"""Lists and "label: value" pairs that code or a template assembles follow the language's
typography (issue 28): "a; b" in English, "a\u202f; b" in French, through one helper
(``imp_assess.typography.join_clauses`` / ``labelled``, ``{% list_separator %}`` and
``|join_clauses`` in templates), never a literal "; "."""

import re
from pathlib import Path

import plotly.graph_objects as go
import pytest
from django.conf import settings
from django.template import Context, Template
from django.utils import translation
from django.utils.formats import number_format

from dashboards.charts import _chart
from dashboards.figures import separators
from dashboards.tables import Table
from imp_assess.typography import join_clauses, labelled, list_separator
from missions.context import DEFAULT_PROFILE
from questionnaires.context import IndicatorRules, indicator_applies

NBSP, NNBSP = "\u00a0", "\u202f"
ROOT = Path(settings.BASE_DIR)
# Messages of the file formats and of logs, in English for administrators (not translated).
ENGLISH_ONLY = {
    "missions/context.py",
    "questionnaires/spec.py",
    "questionnaires/rules_spec.py",
    "questionnaires/admin.py",
    "security/access_changes.py",
    "questionnaires/formats.py",
}


def test_join_clauses_and_labelled_follow_the_language():
    assert join_clauses(["a", "b"]) == "a; b" and labelled("Answers", "x") == "Answers: x"
    with translation.override("fr"):
        assert list_separator() == f"{NNBSP}; "
        assert join_clauses(["a", "b", 3]) == f"a{NNBSP}; b{NNBSP}; 3"
        assert labelled("MINUSCA", "politique") == f"MINUSCA{NBSP}: politique"
    assert join_clauses(["a", "b"], "fr") == f"a{NNBSP}; b"


def test_template_helpers_escape_and_follow_the_language():
    template = Template("{% load typography %}{{ items|join_clauses }}|a{% list_separator %}b")
    context = Context({"items": ["<b>x</b>", "y"]})
    assert template.render(context) == "&lt;b&gt;x&lt;/b&gt;; y|a; b"
    with translation.override("fr"):
        assert template.render(context) == f"&lt;b&gt;x&lt;/b&gt;{NNBSP}; y|a{NNBSP}; b"


def test_the_reason_an_indicator_is_not_asked_lists_its_conditions_in_french():
    rules = IndicatorRules(
        code="HUM-03",
        target=(1, 3),
        applies_when={"poc_mandate": True, "country_team": True},
    )
    profile = DEFAULT_PROFILE.__class__(
        **(DEFAULT_PROFILE.as_dict() | {"poc_mandate": False, "country_team": False})
    )
    with translation.override("fr"):
        asked, reason = indicator_applies(rules, profile)
    assert not asked
    assert f"{NNBSP}; " in reason and " ; " not in reason.replace(f"{NNBSP};", "")
    _asked, english = indicator_applies(rules, profile)
    assert "; " in english and NNBSP not in english


def _sources():
    """The project's Python packages (the apps and imp_assess), without tests and migrations."""
    for package in sorted(ROOT.iterdir()):
        if package.name == "tests" or not (package / "__init__.py").exists():
            continue
        for path in sorted(package.rglob("*.py")):
            if "migrations" not in path.parts:
                yield path.relative_to(ROOT).as_posix(), path.read_text(encoding="utf-8")


def test_no_code_joins_clauses_shown_to_people_with_a_literal_semicolon():
    literal = re.compile(r"""["']; ["']\s*\.join""")
    found = [
        relative
        for relative, text in _sources()
        if relative not in ENGLISH_ONLY | {"imp_assess/typography.py"} and literal.search(text)
    ]
    assert not found, f"use imp_assess.typography.join_clauses: {found}"


@pytest.mark.parametrize("pattern", [r'join:"; "', r"forloop\.last %\}; ", r"\}\}; \{"])
def test_no_template_writes_a_literal_list_semicolon(pattern):
    found = [
        path.relative_to(ROOT).as_posix()
        for path in sorted({*ROOT.glob("templates/**/*.html"), *ROOT.glob("*/templates/**/*.html")})
        if re.search(pattern, path.read_text(encoding="utf-8"))
    ]
    assert not found, f"use {{% list_separator %}} or |join_clauses: {found}"


def test_french_groups_thousands_with_a_narrow_no_break_space():
    template = Template("{% load typography %}{{ n|grouped }} {{ year }}")
    context = Context({"n": 1234567, "year": 2026})
    assert template.render(context) == "1,234,567 2026"
    with translation.override("fr"):
        assert number_format(12500, force_grouping=True) == f"12{NNBSP}500"
        assert number_format(3.4, decimal_pos=1) == "3,4"
        assert template.render(context) == f"1{NNBSP}234{NNBSP}567 2026"  # a year is not grouped
        assert separators() == f",{NNBSP}"  # Plotly's decimal and thousands separators


def test_chart_hover_labels_put_the_french_colon_after_a_value():
    figure = go.Figure(go.Scatter(x=[1], y=[2], hovertemplate="%{x}: %{y:.1f}<extra></extra>"))
    table = Table(caption="", columns=(), rows=())
    assert _chart("t", figure, table).figure["data"][0]["hovertemplate"].startswith("%{x}: ")
    with translation.override("fr"):
        hover = _chart("t", figure, table).figure["data"][0]["hovertemplate"]
    assert hover == f"%{{x}}{NBSP}: %{{y:.1f}}<extra></extra>"
