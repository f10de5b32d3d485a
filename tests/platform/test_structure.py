"""The shape of the code that the layers contract (``.importlinter``) cannot see.

Templates do not decide what is allowed from status strings, nor compare any other domain value
written as a string (views pass ``can_*`` flags from the permissions modules; objects offer
``is_*`` properties). Views do not query the database (selectors do): no manager, no
queryset method, no ``get_object_or_404`` in a views module.
"""

import ast
import re
from pathlib import Path

from django.db import models

from dashboards import types as dashboard_types
from missions.models import MISSION_WIDE
from scoring import flags, method_v1, method_v2

ROOT = Path(__file__).resolve().parents[2]
APPS = (
    "imp_assess",
    "missions",
    "questionnaires",
    "assessments",
    "scoring",
    "actions",
    "dashboards",
    "exports",
    "security",
    "health",
    "demo",
    "home",
    "api",
    "webhooks",
)

# `x == "value"`, `x != 'value'` and the same with the literal first, inside {% if %}/{% elif %}.
_CONDITION = re.compile(r"{%-?\s*(?:el)?if\s(?P<condition>.*?)-?%}", re.DOTALL)
_COMPARISON = re.compile(
    r"""(?P<left>[\w.]+)\s*(?:==|!=)\s*(?P<q>["'])(?P<value>[^"']*)(?P=q)"""
    r"""|(?P<q2>["'])(?P<value2>[^"']*)(?P=q2)\s*(?:==|!=)\s*(?P<right>[\w.]+)"""
)


def _choices_classes(cls: type) -> list[type]:
    found = []
    for sub in cls.__subclasses__():
        found.append(sub)
        found.extend(_choices_classes(sub))
    return found


def _domain_values() -> set[str]:
    """Every value of the project's choices, and the string constants of the domain."""
    values = {
        str(choice.value)
        for cls in _choices_classes(models.Choices)
        if cls.__module__.split(".")[0] in APPS
        for choice in cls
    }
    values |= {
        flags.SHORTFALL,
        flags.OVER_INTEGRATION,
        flags.IN_BAND,
        flags.INSUFFICIENT,
        dashboard_types.INSUFFICIENT,
        dashboard_types.NO_RESULT,
        *dashboard_types.CYCLE_STATES,
        method_v2.DEFAULT_BAND,
        method_v2.OVERRIDDEN_BAND,
        method_v1.NOT_APPLICABLE,
        method_v1.DONT_KNOW,
        MISSION_WIDE,
    }
    return {value for value in values if value}


def _template_files() -> list[Path]:
    files = list((ROOT / "templates").rglob("*.html"))
    for app in APPS:
        files += (ROOT / app).glob("templates/**/*.html")
    return sorted(files)


def _string_comparisons(text: str) -> list[tuple[str, str]]:
    """(variable, literal) of every comparison with a quoted literal in the template's tags."""
    found = []
    for tag in _CONDITION.finditer(text):
        for match in _COMPARISON.finditer(tag.group("condition")):
            if match.group("left"):
                found.append((match.group("left"), match.group("value")))
            else:
                found.append((match.group("right"), match.group("value2")))
    return found


def test_the_template_check_finds_comparisons_with_domain_values():
    domain = _domain_values()
    assert {"open", "submitted", "complete", "done", "shortfall", "practice", "na"} <= domain
    found = _string_comparisons(
        '{% if can_manage and assessment.status == "open" %}x{% elif "done" != job.status %}'
        "{% endif %}{% if current == 'portfolio' %}{% endif %}"
    )
    assert found == [
        ("assessment.status", "open"),
        ("job.status", "done"),
        ("current", "portfolio"),
    ]


def test_templates_do_not_compare_statuses_or_domain_values_written_as_strings():
    domain = _domain_values()
    offending = [
        f"{path.relative_to(ROOT)}: {variable} == {value!r}"
        for path in _template_files()
        for variable, value in _string_comparisons(path.read_text(encoding="utf-8"))
        if value in domain or variable.split(".")[-1] == "status"
    ]
    assert _template_files(), "no templates found"
    assert offending == [], (
        "Pass a can_* flag from the permissions module, or use an is_* property, instead of "
        "comparing a domain value written as a string:\n" + "\n".join(offending)
    )


def _views_modules() -> list[Path]:
    return sorted(
        path
        for app in APPS
        for path in [*(ROOT / app).glob("views.py"), *(ROOT / app).glob("views/*.py")]
    )


# What reads the database: a manager, a queryset method, or Django's shortcuts that query.
_QUERYING_ATTRIBUTES = {
    "objects",
    "_default_manager",
    "_base_manager",
    "filter",
    "exclude",
    "order_by",
    "values_list",
    "select_related",
    "prefetch_related",
    "annotate",
    "aggregate",
}
_QUERYING_NAMES = {"get_object_or_404", "get_list_or_404"}


def _queries(source: str, name: str) -> list[str]:
    """Where a module's source reads the database itself."""
    found = []
    for node in ast.walk(ast.parse(source, filename=name)):
        if isinstance(node, ast.Attribute) and node.attr in _QUERYING_ATTRIBUTES:
            found.append(f"{name}:{node.lineno} .{node.attr}")
        elif isinstance(node, ast.Name) and node.id in _QUERYING_NAMES:
            found.append(f"{name}:{node.lineno} {node.id}")
    return found


def test_the_view_check_finds_a_query():
    source = (
        "def view(request):\n"
        "    Mission.objects.get(pk=1)\n"
        "    get_object_or_404(missions(request), pk=1)\n"
        "    return missions(request).order_by('code')\n"
    )
    assert sorted(_queries(source, "views.py")) == [
        "views.py:2 .objects",
        "views.py:3 get_object_or_404",
        "views.py:4 .order_by",
    ]


def test_views_do_not_query_the_database_themselves():
    modules = _views_modules()
    assert len(modules) >= 6, modules  # every app with pages has a views module
    offending = [
        use
        for path in modules
        for use in _queries(path.read_text(encoding="utf-8"), str(path.relative_to(ROOT)))
    ]
    assert offending == [], "Views read through selectors:\n" + "\n".join(offending)
