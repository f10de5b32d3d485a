"""What the API reads. Every read is scoped by the one rule the pages use
(``missions.selectors.mission_list_visible_to``, through the data export's scope
``exports.permissions.data_scope_mission_ids``); peer figures come from the dashboards'
``mission_profile`` under ``dashboards.disclosure``; barrier counts from the dashboards'
``barrier_counts``; score rows from the data export's own row functions (``exports.rows``),
so that the API and the export give the same rows. No answer or evidence text is read here.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import F, FilteredRelation, Max, OuterRef, Q, QuerySet, Subquery

from api.models import ApiToken
from api.services import token_digest
from assessments.models import Assessment
from dashboards.disclosure import peer_rule, withheld_label
from dashboards.selectors import barrier_counts, mission_profile
from dashboards.types import PeerPoint
from exports import rows
from exports.permissions import data_scope_answer_components, data_scope_mission_ids
from exports.rows import HEADLINE_COLUMNS, DataScope
from exports.tables import TABLES
from missions.models import Period
from missions.periods import quarter_label
from missions.roles import User, user_sees_all_missions
from missions.selectors import mission_list_visible_to
from questionnaires.selectors import questionnaire_spec, questionnaires_visible_to
from scoring.confidentiality import v3_headline_values_shown
from scoring.models import ScoreSet

# --- tokens ----------------------------------------------------------------------------------


def api_token_for_key(*, key: str, now: datetime.datetime) -> ApiToken | None:
    """The live token with this key (not revoked, not expired, its user active), else None."""
    return (
        ApiToken.objects.select_related("user")
        .filter(
            key_hash=token_digest(key),
            revoked_at__isnull=True,
            expires_at__gt=now,
            user__is_active=True,
        )
        .first()
    )


def api_tokens_for_user(*, user: User) -> QuerySet[ApiToken]:
    if not user.is_authenticated:
        return ApiToken.objects.none()
    return ApiToken.objects.filter(user_id=int(user.pk)).order_by("-created_at", "-pk")


def api_token_of_user(*, user: User, token_id: int) -> ApiToken | None:
    """The user's own token with this id (None for anybody else's)."""
    return api_tokens_for_user(user=user).filter(pk=token_id).first()


# --- filters and pages -------------------------------------------------------------------------


@dataclass(frozen=True)
class ApiFilters:
    """The query filters every list accepts; each list uses those that apply to it."""

    mission: str | None = None
    quarter_from: tuple[int, int] | None = None
    quarter_to: tuple[int, int] | None = None
    kind: str | None = None
    region: str | None = None
    dimension: str | None = None
    method_version: str | None = None
    status: str | None = None
    demo: bool | None = None


@dataclass(frozen=True)
class Paths:
    """Where a list's rows keep the fields the filters look at (``""``: not filterable)."""

    mission: str = ""
    year: str = ""
    quarter: str = ""
    dimension: str = ""
    method_version: str = ""
    status: str = ""


def _quarter_after(year_path: str, quarter_path: str, year: int, quarter: int) -> Q:
    return Q(**{f"{year_path}__gt": year}) | Q(**{year_path: year, f"{quarter_path}__gte": quarter})


def _quarter_before(year_path: str, quarter_path: str, year: int, quarter: int) -> Q:
    return Q(**{f"{year_path}__lt": year}) | Q(**{year_path: year, f"{quarter_path}__lte": quarter})


def filtered(qs: QuerySet[Any], filters: ApiFilters, paths: Paths) -> QuerySet[Any]:
    if paths.mission:
        if filters.mission:
            qs = qs.filter(**{f"{paths.mission}__code": filters.mission})
        if filters.kind:
            qs = qs.filter(**{f"{paths.mission}__kind": filters.kind})
        if filters.region:
            qs = qs.filter(**{f"{paths.mission}__region": filters.region})
        if filters.demo is not None:
            qs = qs.filter(**{f"{paths.mission}__is_demo": filters.demo})
    if paths.year and filters.quarter_from:
        qs = qs.filter(_quarter_after(paths.year, paths.quarter, *filters.quarter_from))
    if paths.year and filters.quarter_to:
        qs = qs.filter(_quarter_before(paths.year, paths.quarter, *filters.quarter_to))
    if paths.dimension and filters.dimension:
        qs = qs.filter(**{paths.dimension: filters.dimension})
    if paths.method_version and filters.method_version:
        qs = qs.filter(**{paths.method_version: filters.method_version})
    if paths.status and filters.status:
        qs = qs.filter(**{paths.status: filters.status})
    return qs


@dataclass(frozen=True)
class Page:
    rows: list[dict[str, Any]]
    last_key: int | None  # the key to start the next page after; None on the last page


def keyset_page(
    values: QuerySet[Any],
    *,
    header: Sequence[str],
    row: Callable[[tuple[Any, ...]], tuple[Any, ...]],
    after: int | None,
    size: int,
) -> Page:
    """One page of ``values`` (a ``values_list("pk", …)``), in key order, after ``after``
    (cursor pagination: no count, no offset).

    The rows are read in windows of keys (``after < pk <= after + window``, the window
    doubling while rows are scarce): PostgreSQL then walks the key index of a bounded range
    instead of joining and sorting the whole table to keep its first 1,001 rows (a
    correlated condition such as the export's "result shown" makes it misjudge the cheaper
    plan). A handful of queries at most, each bounded, whatever the size of the table.
    """
    start = after or 0
    window = max(size + size // 2, 64)
    top: int | None = None  # the highest key, read only when the first window falls short
    fetched: list[tuple[Any, ...]] = []
    while len(fetched) <= size and (top is None or start < top):
        chunk = values.filter(pk__gt=start, pk__lte=start + window).order_by("pk")
        fetched += list(chunk[: size + 1 - len(fetched)])
        start += window
        window *= 2
        if top is None and len(fetched) <= size:
            top = values.model.objects.aggregate(top=Max("pk"))["top"] or 0
    more = len(fetched) > size
    fetched = fetched[:size]
    return Page(
        [dict(zip(header, row(tuple(item[1:])), strict=True)) for item in fetched],
        fetched[-1][0] if more and fetched else None,
    )


def user_data_scope(*, user: User) -> DataScope:
    """The missions a data export by ``user`` covers, and where the user is component-level
    (their score figures follow ``scoring.confidentiality``); the API reads no answers."""
    mission_ids = data_scope_mission_ids(user)
    return DataScope(
        mission_ids=mission_ids,
        answer_components=data_scope_answer_components(user, mission_ids),
    )


# --- score tables (the data export's) ----------------------------------------------------------


@dataclass(frozen=True)
class ScoreTable:
    """One table of the data export that the API pages through."""

    name: str  # the export's table name (exports.tables)
    queryset: Callable[[DataScope], QuerySet[Any]]
    fields: tuple[str, ...]
    row: Callable[[tuple[Any, ...]], tuple[Any, ...]]
    paths: Paths


_SCORE_PATHS = {
    "mission": "score_set__mission",
    "year": "score_set__period__year",
    "quarter": "score_set__period__quarter",
    "method_version": "score_set__method_version",
}

SCORE_TABLES = {
    "dimension_scores": ScoreTable(
        "dimension_scores",
        rows.dimension_score_queryset,
        rows.DIMENSION_SCORE_FIELDS,
        rows.dimension_score_row,
        Paths(**_SCORE_PATHS, dimension="dimension_code"),
    ),
    "indicator_scores": ScoreTable(
        "indicator_scores",
        rows.indicator_score_queryset,
        rows.INDICATOR_SCORE_FIELDS,
        rows.indicator_score_row,
        Paths(**_SCORE_PATHS, dimension="dimension_code"),
    ),
    "coherence_scores": ScoreTable(
        "coherence_scores",
        rows.coherence_queryset,
        rows.COHERENCE_FIELDS,
        rows.coherence_row,
        Paths(**_SCORE_PATHS),
    ),
}


def scores_last_modified(*, user: User) -> datetime.datetime | None:
    """When the newest result the user may see was stored (the score lists' Last-Modified)."""
    scope = user_data_scope(user=user)
    latest = scope.filter(ScoreSet.objects.all(), "mission_id").aggregate(at=Max("computed_at"))
    return latest["at"] if isinstance(latest["at"], datetime.datetime) else None


def score_table_page(
    *,
    user: User,
    table: ScoreTable,
    header: Sequence[str],
    filters: ApiFilters,
    after: int | None,
    size: int,
) -> Page:
    qs = filtered(table.queryset(user_data_scope(user=user)), filters, table.paths)
    return keyset_page(
        qs.values_list("pk", *table.fields), header=header, row=table.row, after=after, size=size
    )


# --- missions, periods, questionnaires, assessments --------------------------------------------

MISSION_HEADER = ("code", "name", "kind", "region", "demo_data", "phase")


def mission_page(*, user: User, filters: ApiFilters, after: int | None, size: int) -> Page:
    latest_phase = (
        Assessment.objects.filter(mission=OuterRef("pk"))
        .order_by("-period__year", "-period__quarter")
        .values("phase")[:1]
    )
    qs = mission_list_visible_to(user=user).annotate(phase=Subquery(latest_phase))
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.region:
        qs = qs.filter(region=filters.region)
    if filters.demo is not None:
        qs = qs.filter(is_demo=filters.demo)
    values = qs.values_list("pk", "code", "name", "kind", "region", "is_demo", "phase")
    return keyset_page(
        values,
        header=MISSION_HEADER,
        row=lambda v: (*v[:5], v[5] or None),
        after=after,
        size=size,
    )


PERIOD_HEADER = ("quarter", "year", "quarter_number", "opens_on", "closes_on")


def period_page(*, filters: ApiFilters, after: int | None, size: int) -> Page:
    qs = filtered(Period.objects.all(), filters, Paths(year="year", quarter="quarter"))
    values = qs.values_list("pk", "year", "quarter", "opens_on", "closes_on")
    return keyset_page(
        values,
        header=PERIOD_HEADER,
        row=lambda v: (quarter_label(v[0], v[1]), v[0], v[1], v[2].isoformat(), v[3].isoformat()),
        after=after,
        size=size,
    )


QUESTIONNAIRE_HEADER = ("id", "code", "version", "title", "status", "published_at")


def questionnaire_page(*, user: User, after: int | None, size: int) -> Page:
    values = questionnaires_visible_to(user=user).values_list(
        "pk", "pk", "code", "version", "title", "status", "published_at"
    )
    return keyset_page(
        values,
        header=QUESTIONNAIRE_HEADER,
        row=lambda v: (*v[:5], rows.iso(v[5])),
        after=after,
        size=size,
    )


def questionnaire_definition(*, user: User, questionnaire_id: int) -> dict[str, Any]:
    """The full definition (dimensions, indicators with rubrics and bands, tags, sources,
    glossary), as the questionnaire file holds it. Raises ``Questionnaire.DoesNotExist``."""
    questionnaire = questionnaires_visible_to(user=user).get(pk=questionnaire_id)
    return {
        "id": questionnaire.pk,
        "status": questionnaire.status,
        "published_at": rows.iso(questionnaire.published_at),
        **questionnaire_spec(questionnaire=questionnaire).as_data(),
    }


ASSESSMENT_HEADER = (
    "id",
    "mission",
    "quarter",
    "questionnaire",
    "questionnaire_version",
    "status",
    "phase",
    "opened_at",
    "submitted_at",
    "approved_at",
    "method_version",
    "completeness",
    "sufficient",
    # Method v3's gated headline (scoring.headline), empty without a method 3 result.
    *HEADLINE_COLUMNS,
)


def assessment_page(*, user: User, filters: ApiFilters, after: int | None, size: int) -> Page:
    qs = filtered(
        Assessment.objects.filter(mission__in=mission_list_visible_to(user=user)),
        filters,
        Paths(mission="mission", year="period__year", quarter="period__quarter", status="status"),
    ).annotate(
        shown=Subquery(rows.shown_result(OuterRef("pk")).values("pk")[:1]),
        result=FilteredRelation("score_sets", condition=Q(score_sets__pk=F("shown"))),
        v3=rows.v3_result(),
    )
    # The v3 alignment figures blank where the user is component-level (scoring.confidentiality).
    qs = v3_headline_values_shown(qs, user_data_scope(user=user).figure_restrictions())
    values = qs.values_list(
        "pk",
        "pk",
        "mission__code",
        "period__year",
        "period__quarter",
        "questionnaire__code",
        "questionnaire__version",
        "status",
        "phase",
        "created_at",
        "submitted_at",
        "approved_at",
        "result__method_version",
        "result__completeness",
        "result__sufficient",
        *rows.HEADLINE_VALUES,
    )

    def row(v: tuple[Any, ...]) -> tuple[Any, ...]:
        pk, mission, year, quarter, code, version, status, phase, *rest = v
        opened, submitted, approved, method, completeness, sufficient, *headline = rest
        return (
            pk,
            mission,
            quarter_label(year, quarter),
            code,
            version,
            status,
            phase or None,
            rows.iso(opened),
            rows.iso(submitted),
            rows.iso(approved),
            method,
            None if completeness is None else round(completeness, 6),
            sufficient,
            *rows.headline_cells(headline),
        )

    return keyset_page(values, header=ASSESSMENT_HEADER, row=row, after=after, size=size)


# --- peers and barriers (the dashboards' selectors) --------------------------------------------

PEER_HEADER = ("quarter", "measure", "median", "q1", "q3", "missions", "withheld")


def mission_peer_figures(*, user: User, mission_code: str) -> list[dict[str, Any]]:
    """The anonymous peer distributions of the mission's integration level and target
    alignment per quarter, as its profile page shows them to ``user``. Raises
    ``Mission.DoesNotExist`` outside the user's missions."""
    mission = mission_list_visible_to(user=user).get(code=mission_code)
    profile = mission_profile(user=user, mission_id=mission.pk)
    rule = peer_rule(sees_all_missions=user_sees_all_missions(user))

    def as_row(point: PeerPoint, measure: str) -> dict[str, Any]:
        return {
            "quarter": point.period.label,
            "measure": measure,
            "median": _r(point.median),
            "q1": _r(point.q1),
            "q3": _r(point.q3),
            "missions": point.missions,
            "withheld": str(withheld_label(point.withheld, rule=rule)) or None,
        }

    return [as_row(p, "integration_level") for p in profile.peer] + [
        as_row(p, "alignment") for p in profile.alignment_peer
    ]


def _r(value: float | None) -> float | None:
    return None if value is None else round(value, 6)


BARRIER_HEADER = ("dimension", "tag", "label", "kind", "count", "missions")


def barrier_rows(*, user: User, filters: ApiFilters, tag_kind: str | None) -> list[dict[str, Any]]:
    """Barrier and enabler counts over the user's missions (by kind and region) and the
    quarters in the range, as the barriers page counts them."""
    periods = filtered(Period.objects.all(), filters, Paths(year="year", quarter="quarter"))
    ids = list(periods.order_by("year", "quarter").values_list("pk", flat=True))
    if not ids:
        return []
    counts = barrier_counts(
        user=user,
        period_from_id=ids[0],
        period_to_id=ids[-1],
        kind=filters.kind,
        region=filters.region,
        dimension=filters.dimension,
        tag_kind=tag_kind,
    )
    return [
        dict(
            zip(
                BARRIER_HEADER,
                (t.dimension_code, t.code, t.label, t.kind, t.count, t.missions),
                strict=True,
            )
        )
        for t in counts.tags
    ]


# --- actions (the data export's actions table) ---------------------------------------------


def action_page(
    *,
    user: User,
    header: Sequence[str],
    filters: ApiFilters,
    after: int | None,
    size: int,
) -> Page:
    """The data export's ``actions`` rows for the user's missions, by action number. A
    mission's actions are a few dozen: they are read whole and paged here."""
    table = next(table for table in TABLES if table.name == "actions")
    records = []
    for values in table.rows(user_data_scope(user=user)):
        record = dict(zip(header, values, strict=True))
        if after is not None and record["action_id"] <= after:
            continue
        if filters.mission and record["mission"] != filters.mission:
            continue
        if filters.dimension and record["dimension"] != filters.dimension:
            continue
        records.append(record)
    records.sort(key=lambda record: record["action_id"])
    more = len(records) > size
    records = records[:size]
    return Page(records, records[-1]["action_id"] if more and records else None)
