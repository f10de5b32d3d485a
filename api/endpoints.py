"""The read-only API (``/api/v1/``). Thin views: parse the query, ask one selector of
``api.selectors`` about ``request.user`` (a token's owner or the signed-in user), answer JSON
or CSV, with cursor pagination, ``ETag`` and ``Last-Modified``."""

from __future__ import annotations

import base64
import binascii
import datetime
import hashlib
from typing import Any, ClassVar

from django.http import Http404
from django.utils.http import http_date, quote_etag
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from api import schema, selectors
from api.selectors import ApiFilters, Page
from assessments.models import AssessmentStatus
from missions.models import Mission, MissionKind, Region
from missions.periods import quarter_parse
from questionnaires.models import Questionnaire, TagKind

QUARTER = r"^[0-9]{4}-Q[1-4]$"
PAGE_SIZE = 500
MAX_PAGE_SIZE = 1000


class PageQuery(serializers.Serializer):
    cursor = serializers.CharField(
        required=False, help_text=_("Where the page starts: copy it from the `next` link.")
    )
    page_size = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=MAX_PAGE_SIZE,
        help_text=_("Rows per page, at most 1000 (default 500)."),
    )

    def validate_cursor(self, value: str) -> int:
        try:
            decoded = base64.urlsafe_b64decode(value.encode() + b"==").decode()
            if not decoded.startswith("k") or not decoded[1:].isdigit():
                raise ValueError
            return int(decoded[1:])
        except (ValueError, binascii.Error, UnicodeError):
            raise serializers.ValidationError(_("This is not a cursor of this API.")) from None


def _cursor(key: int) -> str:
    return base64.urlsafe_b64encode(f"k{key}".encode()).decode().rstrip("=")


class MissionQuery(PageQuery):
    kind = serializers.ChoiceField(choices=MissionKind.choices, required=False)
    region = serializers.ChoiceField(choices=Region.choices, required=False)
    demo = serializers.BooleanField(
        required=False, help_text=_("true: demo missions only; false: real missions only.")
    )


class QuarterRange(serializers.Serializer):
    quarter_from = serializers.RegexField(
        QUARTER, required=False, help_text=_("First quarter, e.g. 2025-Q1.")
    )
    quarter_to = serializers.RegexField(
        QUARTER, required=False, help_text=_("Last quarter, e.g. 2026-Q4.")
    )

    def validate_quarter_from(self, value: str) -> tuple[int, int]:
        return quarter_parse(value)

    def validate_quarter_to(self, value: str) -> tuple[int, int]:
        return quarter_parse(value)


class PeriodQuery(PageQuery, QuarterRange):
    pass


class AssessmentQuery(MissionQuery, QuarterRange):
    mission = serializers.CharField(
        required=False, max_length=20, help_text=_("Mission code, e.g. MINUSCA.")
    )
    status = serializers.ChoiceField(choices=AssessmentStatus.choices, required=False)


class ScoreQuery(MissionQuery, QuarterRange):
    mission = serializers.CharField(required=False, max_length=20, help_text=_("Mission code."))
    dimension = serializers.CharField(
        required=False, max_length=10, help_text=_("Dimension code, e.g. LEAD.")
    )
    method_version = serializers.CharField(
        required=False, max_length=40, help_text=_("Scoring-method version, e.g. imp-score-2.")
    )


class CoherenceQuery(MissionQuery, QuarterRange):
    mission = serializers.CharField(required=False, max_length=20, help_text=_("Mission code."))
    method_version = serializers.CharField(required=False, max_length=40)


class BarrierQuery(QuarterRange):
    kind = serializers.ChoiceField(choices=MissionKind.choices, required=False)
    region = serializers.ChoiceField(choices=Region.choices, required=False)
    dimension = serializers.CharField(required=False, max_length=10)
    tag_kind = serializers.ChoiceField(choices=TagKind.choices, required=False)


class ApiView(APIView):
    """GET only. Lists answer ``{"next": …, "results": […]}`` (the next page's URL also in
    the ``Link`` header); every 200 carries a strong ``ETag`` of its body and, where the data
    has a date, ``Last-Modified``; a matching ``If-None-Match`` gets a 304."""

    http_method_names: ClassVar[list[str]] = ["get", "head"]  # type: ignore[misc]
    query_class: type[serializers.Serializer] = PageQuery
    csv_header: tuple[str, ...] | list[str] = ()
    last_modified: datetime.datetime | None = None

    def query(self, request: Request) -> dict[str, Any]:
        params = {key: value for key, value in request.query_params.items() if key != "format"}
        query = self.query_class(data=params)
        query.is_valid(raise_exception=True)
        return dict(query.validated_data)

    @staticmethod
    def filters(query: dict[str, Any]) -> ApiFilters:
        fields = ApiFilters.__dataclass_fields__
        return ApiFilters(**{key: value for key, value in query.items() if key in fields})

    def page_response(self, request: Request, page: Page) -> Response:
        next_url = None
        if page.last_key is not None:
            params = request.query_params.copy()
            params["cursor"] = _cursor(page.last_key)
            next_url = request.build_absolute_uri(f"{request.path}?{params.urlencode()}")
        response = Response({"next": next_url, "results": page.rows})
        if next_url:
            response["Link"] = f'<{next_url}>; rel="next"'
        return response

    def finalize_response(self, request: Request, response: Any, *args: Any, **kwargs: Any) -> Any:
        response = super().finalize_response(request, response, *args, **kwargs)
        response["Vary"] = "Accept, Authorization, Cookie"
        if request.method not in ("GET", "HEAD") or response.status_code != 200:
            return response
        response.render()
        etag = quote_etag(hashlib.sha256(response.content).hexdigest()[:32])
        response["ETag"] = etag
        modified = getattr(self, "last_modified", None)
        if modified is not None:
            response["Last-Modified"] = http_date(modified.timestamp())
        # Only the ETag decides a 304: a date alone would miss rows that left the reader's
        # view (a mission they lost) without anything newer being stored.
        if_none_match = request.headers.get("If-None-Match")
        if if_none_match is not None:
            tags = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
            if etag in tags or "*" in tags:
                return self._not_modified(response)
        return response

    @staticmethod
    def _not_modified(response: Response) -> Response:
        not_modified = Response(status=304)
        for header in ("ETag", "Last-Modified", "Vary", "Link"):
            if header in response:
                not_modified[header] = response[header]
        not_modified.content = b""  # type: ignore[misc]
        not_modified._is_rendered = True  # type: ignore[attr-defined]
        return not_modified


def _list_schema(name: str, row, query: type[serializers.Serializer], summary: str):
    return extend_schema(
        operation_id=f"{name[0].lower()}{name[1:]}_list",
        description="",
        summary=summary,
        parameters=[query, schema.FORMAT],
        responses=schema.list_responses(schema.page_serializer(name, row)),
    )


class MissionList(ApiView):
    query_class = MissionQuery
    csv_header = selectors.MISSION_HEADER

    @_list_schema(
        "Mission",
        schema.row_serializer("Mission", selectors.MISSION_HEADER),
        MissionQuery,
        str(_("Missions you may see, with the phase of their latest quarter")),
    )
    def get(self, request: Request) -> Response:
        query = self.query(request)
        page = selectors.mission_page(
            user=request.user,
            filters=self.filters(query),
            after=query.get("cursor"),
            size=query.get("page_size", PAGE_SIZE),
        )
        return self.page_response(request, page)


class PeriodList(ApiView):
    query_class = PeriodQuery
    csv_header = selectors.PERIOD_HEADER

    @_list_schema(
        "Period",
        schema.row_serializer("Period", selectors.PERIOD_HEADER),
        PeriodQuery,
        str(_("Quarters of the assessment cycle")),
    )
    def get(self, request: Request) -> Response:
        query = self.query(request)
        page = selectors.period_page(
            filters=self.filters(query),
            after=query.get("cursor"),
            size=query.get("page_size", PAGE_SIZE),
        )
        return self.page_response(request, page)


class QuestionnaireList(ApiView):
    csv_header = selectors.QUESTIONNAIRE_HEADER

    @_list_schema(
        "Questionnaire",
        schema.row_serializer("Questionnaire", selectors.QUESTIONNAIRE_HEADER),
        PageQuery,
        str(_("Questionnaire versions (published and retired; drafts for administrators)")),
    )
    def get(self, request: Request) -> Response:
        query = self.query(request)
        page = selectors.questionnaire_page(
            user=request.user, after=query.get("cursor"), size=query.get("page_size", PAGE_SIZE)
        )
        return self.page_response(request, page)


class QuestionnaireDetail(ApiView):
    """A nested definition has no one table: JSON only."""

    query_class = serializers.Serializer
    renderer_classes: ClassVar[list[type[BaseRenderer]]] = [JSONRenderer]  # type: ignore[misc]

    @extend_schema(
        operation_id="questionnaire_definition",
        description="",
        summary=str(_("One questionnaire version's full definition")),
        parameters=[OpenApiParameter("questionnaire_id", int, OpenApiParameter.PATH)],
        responses={
            (200, "application/json"): {"type": "object", "additionalProperties": True},
            (304, "application/json"): schema.OpenApiResponse(description=_("Not modified.")),
            (401, "application/json"): schema.ERROR,
            (403, "application/json"): schema.ERROR,
            (404, "application/json"): schema.ERROR,
            (429, "application/json"): schema.ERROR,
        },
    )
    def get(self, request: Request, questionnaire_id: int) -> Response:
        try:
            definition = selectors.questionnaire_definition(
                user=request.user, questionnaire_id=questionnaire_id
            )
        except Questionnaire.DoesNotExist:
            raise Http404 from None
        return Response(definition)


class AssessmentList(ApiView):
    query_class = AssessmentQuery
    csv_header = selectors.ASSESSMENT_HEADER

    @_list_schema(
        "Assessment",
        schema.row_serializer(
            "Assessment", selectors.ASSESSMENT_HEADER, schema.headline_descriptions()
        ),
        AssessmentQuery,
        str(_("Assessments (one mission in one quarter): status, dates, completeness")),
    )
    def get(self, request: Request) -> Response:
        query = self.query(request)
        page = selectors.assessment_page(
            user=request.user,
            filters=self.filters(query),
            after=query.get("cursor"),
            size=query.get("page_size", PAGE_SIZE),
        )
        return self.page_response(request, page)


class ScoreTableList(ApiView):
    """One score table of the data export, page by page (rows in the order they were
    stored; the export sorts them by mission and quarter)."""

    table_name: ClassVar[str]

    def get(self, request: Request) -> Response:
        query = self.query(request)
        table = selectors.SCORE_TABLES[self.table_name]
        self.csv_header = schema.table_header(self.table_name)
        self.last_modified = selectors.scores_last_modified(user=request.user)
        page = selectors.score_table_page(
            user=request.user,
            table=table,
            header=self.csv_header,
            filters=self.filters(query),
            after=query.get("cursor"),
            size=query.get("page_size", PAGE_SIZE),
        )
        return self.page_response(request, page)


def _score_view(table_name: str, name: str, query: type[serializers.Serializer], summary: str):
    row = schema.table_row_serializer(table_name, name)

    class View(ScoreTableList):
        query_class = query

        @_list_schema(name, row, query, summary)
        def get(self, request: Request) -> Response:
            return super().get(request)

    View.table_name = table_name
    View.__name__ = View.__qualname__ = f"{name}List"
    return View


DimensionScoreList = _score_view(
    "dimension_scores",
    "DimensionScore",
    ScoreQuery,
    str(_("Scores per assessment and dimension (the data export's dimension_scores)")),
)
IndicatorScoreList = _score_view(
    "indicator_scores",
    "IndicatorScore",
    ScoreQuery,
    str(_("Findings per assessment and indicator (the data export's indicator_scores)")),
)
CoherenceScoreList = _score_view(
    "coherence_scores",
    "CoherenceScore",
    CoherenceQuery,
    str(_("Scores per assessment and coherence level (the data export's coherence_scores)")),
)


class MissionPeers(ApiView):
    query_class = serializers.Serializer
    csv_header = selectors.PEER_HEADER

    @extend_schema(
        operation_id="missionPeers_list",
        description="",
        summary=str(_("Anonymous peer figures for one mission, under the disclosure rule")),
        parameters=[OpenApiParameter("code", str, OpenApiParameter.PATH), schema.FORMAT],
        responses=schema.list_responses(
            schema.page_serializer(
                "PeerFigure", schema.row_serializer("PeerFigure", selectors.PEER_HEADER)
            )
        ),
    )
    def get(self, request: Request, code: str) -> Response:
        try:
            rows = selectors.mission_peer_figures(user=request.user, mission_code=code)
        except Mission.DoesNotExist:
            raise Http404 from None
        return self.page_response(request, Page(rows, None))


class BarrierList(ApiView):
    query_class = BarrierQuery
    csv_header = selectors.BARRIER_HEADER

    @extend_schema(
        operation_id="barrierCount_list",
        description="",
        summary=str(_("Barrier and enabler counts over your missions and a range of quarters")),
        parameters=[BarrierQuery, schema.FORMAT],
        responses=schema.list_responses(
            schema.page_serializer(
                "BarrierCount", schema.row_serializer("BarrierCount", selectors.BARRIER_HEADER)
            )
        ),
    )
    def get(self, request: Request) -> Response:
        query = self.query(request)
        rows = selectors.barrier_rows(
            user=request.user, filters=self.filters(query), tag_kind=query.get("tag_kind")
        )
        return self.page_response(request, Page(rows, None))


class ActionQuery(PageQuery):
    mission = serializers.CharField(required=False, max_length=20, help_text=_("Mission code."))
    dimension = serializers.CharField(required=False, max_length=10)


class ActionList(ApiView):
    """The data export's ``actions`` table (docs/actions.md), by action number."""

    query_class = ActionQuery

    @_list_schema(
        "Action",
        schema.table_row_serializer("actions", "Action"),
        ActionQuery,
        str(_("Actions agreed on the findings, followed until done or dropped")),
    )
    def get(self, request: Request) -> Response:
        query = self.query(request)
        self.csv_header = schema.table_header("actions")
        page = selectors.action_page(
            user=request.user,
            header=self.csv_header,
            filters=self.filters(query),
            after=query.get("cursor"),
            size=query.get("page_size", PAGE_SIZE),
        )
        return self.page_response(request, page)
