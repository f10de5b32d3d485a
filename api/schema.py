"""The OpenAPI description of the API's rows: one serializer per list, built from the data
export's column definitions (``exports.tables``) where the list is an export table, so the
reference and the export's README describe each column in the same words."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, inline_serializer
from rest_framework import serializers

from exports.tables import HEADLINE_TABLE_COLUMNS, TABLES

_NUMBER = {
    "coverage",
    "alignment_shown",
    "alignment_uncapped",
    "score",
    "gap",
    "completeness",
    "divergence",
    "alignment",
    "shortfall",
    "over_integration",
    "value",
    "distance",
    "median",
    "q1",
    "q3",
}
_INTEGER = {
    "critical_findings",
    "unverified_safeguards",
    "contested_indicators",
    "id",
    "action_id",
    "target",
    "band_min",
    "band_max",
    "shortfall_indicators",
    "over_integration_indicators",
    "counted",
    "expected",
    "spread",
    "year",
    "quarter_number",
    "version",
    "questionnaire_version",
    "count",
    "missions",
}
_BOOLEAN = {
    "sufficient",
    "divergence_flag",
    "applicable",
    "demo_data",
    "overdue",
    "enough_answers",
    "contested",
}


def headline_descriptions() -> dict[str, str]:
    """The descriptions of method v3's headline columns, as the data export words them."""
    return {column.name: str(column.description) for column in HEADLINE_TABLE_COLUMNS}


def _field(name: str, description: str = "") -> serializers.Field:
    help_text = description or None
    if name in _NUMBER:
        return serializers.FloatField(allow_null=True, help_text=help_text)
    if name in _INTEGER:
        return serializers.IntegerField(allow_null=True, help_text=help_text)
    if name in _BOOLEAN:
        return serializers.BooleanField(allow_null=True, help_text=help_text)
    return serializers.CharField(allow_null=True, help_text=help_text)


def row_serializer(name: str, header: tuple[str, ...] | list[str], descriptions=None):
    descriptions = descriptions or {}
    return inline_serializer(
        name=name,
        fields={column: _field(column, descriptions.get(column, "")) for column in header},
    )


def table_header(table_name: str) -> list[str]:
    return next(table for table in TABLES if table.name == table_name).headers


def table_row_serializer(table_name: str, name: str):
    table = next(table for table in TABLES if table.name == table_name)
    return row_serializer(name, table.headers, {c.name: str(c.description) for c in table.columns})


def page_serializer(name: str, row):
    return inline_serializer(
        name=f"{name}Page",
        fields={
            "next": serializers.CharField(
                allow_null=True, help_text=_("The URL of the next page; null on the last page.")
            ),
            "results": serializers.ListSerializer(child=row),
        },
    )


ERROR = inline_serializer(name="Error", fields={"detail": serializers.CharField()})
VALIDATION_ERROR = OpenApiResponse(
    response={"type": "object", "additionalProperties": True},
    description=_("A query parameter was not understood."),
)


def list_responses(page) -> dict:
    return {
        (200, "application/json"): page,
        (200, "text/csv"): OpenApiResponse(
            response={"type": "string"},
            description=_("The page as CSV: a header row, then one line per row."),
        ),
        (304, "application/json"): OpenApiResponse(description=_("Not modified (ETag).")),
        (400, "application/json"): VALIDATION_ERROR,
        (400, "text/csv"): {"type": "string"},
        (401, "application/json"): ERROR,
        (401, "text/csv"): {"type": "string"},
        (403, "application/json"): ERROR,
        (403, "text/csv"): {"type": "string"},
        (404, "application/json"): ERROR,
        (404, "text/csv"): {"type": "string"},
        (429, "application/json"): ERROR,
        (429, "text/csv"): {"type": "string"},
    }


FORMAT = OpenApiParameter(
    "format",
    str,
    enum=["json", "csv"],
    description=_("csv: the same rows as CSV (or send Accept: text/csv)."),
)


class PersonalTokenScheme(OpenApiAuthenticationExtension):  # type: ignore[no-untyped-call]
    target_class = "api.authentication.PersonalTokenAuthentication"
    name = "personalToken"

    def get_security_definition(self, auto_schema):  # type: ignore[no-untyped-def]
        return {
            "type": "http",
            "scheme": "bearer",
            "description": str(_("A personal access token from the API tokens page.")),
        }
