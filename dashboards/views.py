"""Dashboard pages. Each validates its filters (GET, bookmarkable), reads through a scoped
selector (cached per visibility scope) and renders charts with their data tables; with
``?format=csv&chart=<key>`` it returns that chart's data instead."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from actions.models import ActionStatus
from actions.permissions import can_view_portfolio
from actions.selectors import PortfolioFilters, action_portfolio
from dashboards import charts, tables
from dashboards.cache import cached
from dashboards.disclosure import peer_rule, peer_rule_caption
from dashboards.forms import (
    ActionsForm,
    BarrierForm,
    CompareForm,
    EvidenceForm,
    PortfolioForm,
    ProfileForm,
)
from dashboards.selectors import (
    barrier_counts,
    barrier_evidence,
    compare_series,
    cycle_board,
    dimension_catalogue,
    mission_profile,
    period_latest_scored,
    portfolio,
    portfolio_headline_rows,
)
from dashboards.selectors.common import barrier_choices, missions_for, tag_labels
from missions.models import Mission
from missions.roles import user_sees_all_missions
from missions.selectors import mission_is_visible_to, mission_list_visible_to, period_current
from scoring.confidentiality import headline_shown_to
from scoring.headline import (
    HeadlineSummary,
    headline_for_quarter,
    headline_summary,
    mission_headlines,
)

# How many missions' headlines lead the portfolio (most critical first); the table below sorts
# by critical findings for the others.
PORTFOLIO_HEADLINES = 10


def _require_analyst(request: HttpRequest) -> None:
    """Cross-mission pages are for HQ analysts and administrators only."""
    if not user_sees_all_missions(request.user):
        raise PermissionDenied


def _invalid(request: HttpRequest, template: str, context: dict) -> HttpResponse:
    return render(request, template, {**context, "invalid": True}, status=400)


def _respond(request, template: str, context: dict, form) -> HttpResponse:
    """The page, or one chart's data as CSV when the form asked for it."""
    if form.cleaned_data.get("format") != "csv":
        return render(request, template, context)
    key = form.cleaned_data.get("chart")
    chart = next((c for c in context["charts"] if c.key == key), None)
    if chart is None:
        return HttpResponse(
            _("Unknown chart %(key)s for CSV.") % {"key": key},
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    response = HttpResponse(chart.table.as_csv(), content_type="text/csv; charset=utf-8")
    filename = f"{context['csv_name']}-{chart.key}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@require_safe
def index(request: HttpRequest) -> HttpResponse:
    if user_sees_all_missions(request.user):
        return redirect("dashboards:portfolio")
    return redirect("dashboards:missions")


@login_required
@require_safe
def portfolio_page(request: HttpRequest) -> HttpResponse:
    _require_analyst(request)
    dimensions = dimension_catalogue()
    form = PortfolioForm(request.GET, dimensions=dimensions)
    template = "dashboards/portfolio.html"
    if not form.is_valid():
        return _invalid(request, template, {"form": form})
    data = form.cleaned_data
    period = data["period"] or period_latest_scored()
    cycle_period = data["cycle"] or period_current() or period
    measure = data["measure"] or "alignment"
    filters = {"kind": data["kind"] or None, "region": data["region"] or None}
    context: dict[str, Any] = {"form": form, "period": period, "measure": measure, "charts": []}
    if period is not None:
        context["portfolio"], heatmap = cached(
            user=request.user,
            page="portfolio",
            params={"period": period.pk, "measure": measure, "sort": data["sort"], **filters},
            build=lambda: _with_charts(
                portfolio(
                    user=request.user,
                    period_id=period.pk,
                    sort=data["sort"],
                    by_alignment=measure in ("alignment", "flags"),
                    **filters,
                ),
                lambda result: charts.portfolio_charts(result, measure),
            ),
        )
        context["charts"] += heatmap
        context["sort_headers"] = _sort_headers(request, context["portfolio"], measure)
        # The most critical missions lead; the rest are one sort of the table away.
        rows = portfolio_headline_rows(context["portfolio"])
        context["headline_rows"] = rows[:PORTFOLIO_HEADLINES]
        context["headline_more"] = len(rows) - len(context["headline_rows"])
    if cycle_period is not None:
        # Not cached: statuses change without a new score, and the query is small.
        board = cycle_board(user=request.user, period_id=cycle_period.pk, **filters)
        context["board"] = board
        context["board_states"] = tables.cycle_states(board)
        context["charts"] += charts.cycle_charts(board)
    context["csv_name"] = f"portfolio-{period.label if period else 'none'}"
    return _respond(request, template, context, form)


def _sort_headers(request: HttpRequest, result, measure: str) -> list[dict]:
    """The heatmap table's column headers as sort links, with ``aria-sort`` on the sorted one.
    A first click sorts names A to Z and numbers high to low."""
    columns = [("mission", _("Mission")), ("critical", _("Critical findings"))]
    columns += [(d.code, d.code) for d in result.dimensions]
    if measure in ("alignment", "flags"):
        columns += [("alignment", _("Alignment"))]
        extra = tables.PORTFOLIO_ALIGNMENT_COLUMNS()
    else:
        columns += [("index", _("Index"))]
        extra = ()
    headers = []
    for key, label in columns:
        aria = ""
        if result.sort == key:
            aria, target = "ascending", f"-{key}"
        elif result.sort == f"-{key}":
            aria, target = "descending", key
        else:
            target = key if key == "mission" else f"-{key}"
        query = request.GET.copy()
        query["sort"] = target
        for name in ("format", "chart"):
            query.pop(name, None)
        headers.append({"label": label, "url": f"?{query.urlencode()}", "aria_sort": aria})
    return headers + [{"label": label, "url": "", "aria_sort": ""} for label in extra]


def _with_charts(result, build_charts):
    return result, build_charts(result)


@login_required
@require_safe
def mission_list_page(request: HttpRequest) -> HttpResponse:
    """The missions whose profile the user may open; one mission goes straight to it."""
    missions = list(mission_list_visible_to(user=request.user))  # by code (Mission's order)
    if len(missions) == 1 and not user_sees_all_missions(request.user):
        return redirect("dashboards:profile", missions[0].pk)
    return render(request, "dashboards/missions.html", {"missions": missions})


@login_required
@require_safe
def profile_page(request: HttpRequest, mission_id: int) -> HttpResponse:
    form = ProfileForm(request.GET)
    template = "dashboards/profile.html"
    if not form.is_valid():
        # Outsiders get 404 whatever the filters say.
        if not mission_is_visible_to(user=request.user, mission_id=mission_id):
            raise Http404
        return _invalid(request, template, {"form": form, "mission_id": mission_id})
    period = form.cleaned_data["period"]
    try:
        profile, profile_charts = cached(
            user=request.user,
            page="profile",
            params={"mission": mission_id, "period": period.pk if period else None},
            build=lambda: _with_charts(
                mission_profile(
                    user=request.user,
                    mission_id=mission_id,
                    period_id=period.pk if period else None,
                ),
                charts.profile_charts,
            ),
        )
    except Mission.DoesNotExist:
        raise Http404 from None
    context = {
        "form": form,
        "profile": profile,
        "charts": profile_charts,
        "charts_by_key": {chart.key: chart for chart in profile_charts},
        "is_analyst": user_sees_all_missions(request.user),
        "peer_caption": peer_rule_caption(
            peer_rule(sees_all_missions=user_sees_all_missions(request.user))
        ),
        "csv_name": f"{profile.mission.code}-{profile.period.label if profile.period else ''}",
        # Method v3's gated headline, critical findings first (None without a method 3 result).
        # As the reader may see it: no alignment figure for a component-level reader.
        "headline": headline_shown_to(
            headline_for_quarter(mission_id=profile.mission.id, period_id=profile.period.id),
            user=request.user,
        )
        if profile.period
        else None,
    }
    return _respond(request, template, context, form)


@login_required
@require_safe
def compare_page(request: HttpRequest) -> HttpResponse:
    _require_analyst(request)
    form = CompareForm(request.GET)
    template = "dashboards/compare.html"
    if not form.is_valid():
        return _invalid(request, template, {"form": form})
    data = form.cleaned_data
    mission_ids = sorted(m.pk for m in data["missions"])
    params = {
        "missions": mission_ids,
        "measure": data["measure"],
        "peer": data["peer"],
        "quarters": data["quarters"],
    }
    comparison, compare_charts = cached(
        user=request.user,
        page="compare",
        params=params,
        build=lambda: _with_charts(
            compare_series(user=request.user, mission_ids=mission_ids, **_without_missions(params)),
            charts.compare_charts,
        ),
    )
    context = {
        "form": form,
        "comparison": comparison,
        "charts": compare_charts,
        "csv_name": "compare",
        # Each compared mission's latest method v3 headline, critical findings first.
        "headline_rows": mission_headlines(missions=data["missions"]),
    }
    return _respond(request, template, context, form)


def _without_missions(params: dict) -> dict:
    return {key: value for key, value in params.items() if key != "missions"}


def _headline_summary(request: HttpRequest, data: dict) -> HeadlineSummary | None:
    """Method v3's critical findings of the missions the filters cover, in the last quarter
    the filters cover (else the latest scored one): they lead the cross-mission summaries
    (two small queries)."""
    period = data["period_to"] or period_latest_scored()
    if period is None:
        return None
    return headline_summary(
        missions=missions_for(request.user, data["kind"] or None, data["region"] or None),
        period=period,
    )


def _barrier_filters(data: dict) -> dict:
    return {
        "period_from_id": data["period_from"].pk if data["period_from"] else None,
        "period_to_id": data["period_to"].pk if data["period_to"] else None,
        "kind": data["kind"] or None,
        "region": data["region"] or None,
    }


@login_required
@require_safe
def barriers_page(request: HttpRequest) -> HttpResponse:
    _require_analyst(request)
    form = BarrierForm(request.GET, dimensions=dimension_catalogue())
    template = "dashboards/barriers.html"
    if not form.is_valid():
        return _invalid(request, template, {"form": form})
    data = form.cleaned_data
    params = {
        **_barrier_filters(data),
        "dimension": data["dimension"] or None,
        "tag_kind": data["tag_kind"] or None,
    }
    counts, barrier_charts = cached(
        user=request.user,
        page="barriers",
        params=params,
        build=lambda: _with_charts(
            barrier_counts(user=request.user, **params), charts.barrier_charts
        ),
    )
    context = {
        "form": form,
        "counts": counts,
        "charts": barrier_charts,
        "filter_query": _query_without(request, ("dimension", "format", "chart", "tag", "page")),
        "csv_name": "barriers-enablers",
        "headline_summary": _headline_summary(request, data),
    }
    return _respond(request, template, context, form)


def _query_without(request: HttpRequest, names: tuple[str, ...]) -> str:
    query = request.GET.copy()
    for name in names:
        query.pop(name, None)
    return query.urlencode()


@login_required
@require_safe
def evidence_page(request: HttpRequest) -> HttpResponse:
    _require_analyst(request)
    form = EvidenceForm(request.GET, dimensions=dimension_catalogue())
    template = "dashboards/evidence.html"
    if not form.is_valid():
        return _invalid(request, template, {"form": form})
    data = form.cleaned_data
    page = barrier_evidence(
        user=request.user,
        dimension=data["dimension"],
        tag=data["tag"],
        page=data["page"] or 1,
        **_barrier_filters(data),
    )
    return render(
        request,
        template,
        {
            "form": form,
            "page_obj": page,
            "dimension": data["dimension"],
            "tag": data["tag"],
            "tag_label": tag_labels().get(data["tag"], data["tag"]),
            "page_query": _query_without(request, ("page",)),
            "back_query": _query_without(request, ("tag", "page")),
            "headline_summary": _headline_summary(request, data),
        },
    )


@login_required
@require_safe
def actions_page(request: HttpRequest) -> HttpResponse:
    """Every mission's actions for HQ: filters in the URL, the table, and its CSV."""
    if not can_view_portfolio(request.user):
        raise PermissionDenied
    form = ActionsForm(
        request.GET,
        dimensions=dimension_catalogue(),
        barriers=barrier_choices(),
        statuses=ActionStatus.choices,
    )
    template = "dashboards/actions.html"
    if not form.is_valid():
        return _invalid(request, template, {"form": form})
    data = form.cleaned_data
    filters = PortfolioFilters(
        mission_id=data["mission"].pk if data["mission"] else None,
        dimension=data["dimension"],
        barrier=data["barrier"],
        status=data["status"],
        overdue=data["overdue"] == "1",
    )
    lines = action_portfolio(user=request.user, filters=filters)
    table = tables.table_actions(lines)
    if data["format"] == "csv":
        response = HttpResponse(table.as_csv(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="actions.csv"'
        return response
    query = request.GET.copy()
    query["format"] = "csv"
    return render(
        request,
        template,
        {
            "form": form,
            "lines": lines,
            "table": table,
            "csv_query": query.urlencode(),
            "overdue_count": sum(1 for line in lines if line.overdue),
        },
    )
