"""Pages of the exports: ask for an export, follow its progress, download the file.

A single scorecard is made inside the request and downloaded at once; briefing packs and
data exports are queued and followed on the job's page. Files are served only through
``job_download``, to the person who asked (or an administrator), never as static files.
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseNotAllowed,
    JsonResponse,
)
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dashboards.selectors import period_latest_scored
from exports import permissions
from exports.figure_renderer import browser_found, missing_browser_message
from exports.forms import BriefingDeckForm, BriefingPackForm, DataExportForm, ScorecardForm
from exports.models import ExportJob, ExportKind, ExportStatus
from exports.selectors import (
    export_deck_mission_choices,
    export_job_get_for_user,
    export_jobs_all,
    export_jobs_of_user,
    export_mission_choices,
)
from exports.services import (
    ExportError,
    export_job_download_refused,
    export_job_downloaded,
    export_job_open,
    export_job_request,
    export_job_retry,
    export_scorecard_now,
)
from imp_assess.http import found_then_method
from missions.roles import user_is_administrator
from missions.selectors import period_exists

RECENT_JOBS = 20


def _get_job_for_user(request: HttpRequest, job_id: int) -> ExportJob:
    try:
        return export_job_get_for_user(user=request.user, job_id=job_id)
    except ExportJob.DoesNotExist:
        raise Http404 from None


def _index_context(request: HttpRequest, **forms) -> dict:
    missions = export_mission_choices(user=request.user)
    latest = period_latest_scored()
    initial = {"period": latest.pk} if latest else {}
    can_brief = permissions.can_export_briefing_pack(request.user)
    return {
        "scorecard_form": forms.get("scorecard_form")
        or ScorecardForm(missions=missions, initial=initial),
        "briefing_form": (
            forms.get("briefing_form") or BriefingPackForm(missions=missions, initial=initial)
        )
        if can_brief
        else None,
        "deck_form": (
            forms.get("deck_form")
            or BriefingDeckForm(
                missions=export_deck_mission_choices(user=request.user), initial=initial
            )
        )
        if permissions.can_export_briefing_deck(request.user)
        else None,
        "data_form": forms.get("data_form") or DataExportForm(missions=missions),
        "can_export": missions.exists(),
        # Looked up once per process: the page says so before anyone asks for a PDF.
        "pdf_unavailable": None if browser_found() else missing_browser_message(),
        "jobs": export_jobs_of_user(user=request.user)[:RECENT_JOBS],
        "log": export_jobs_all(user=request.user)[:RECENT_JOBS]
        if user_is_administrator(request.user)
        else None,
    }


@login_required
def exports_index(request: HttpRequest) -> HttpResponse:
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET"])
    return render(request, "exports/index.html", _index_context(request))


def _scorecard_response(request: HttpRequest, mission_id: int, period_id: int) -> HttpResponse:
    job = export_scorecard_now(by=request.user, mission_id=mission_id, period_id=period_id)
    if job.status == ExportStatus.DONE:
        return redirect("exports:download", job.pk)
    return redirect("exports:job", job.pk)


@login_required
@require_POST
def scorecard_export(request: HttpRequest) -> HttpResponse:
    missions = export_mission_choices(user=request.user)
    form = ScorecardForm(request.POST, missions=missions)
    if not form.is_valid():
        return render(
            request, "exports/index.html", _index_context(request, scorecard_form=form), status=400
        )
    return _scorecard_response(
        request, form.cleaned_data["mission"].pk, form.cleaned_data["period"].pk
    )


def _get_scorecard_for_user(
    request: HttpRequest, mission_id: int, period_id: int
) -> tuple[int, int]:
    if not permissions.can_export_scorecard(request.user, mission_id):
        raise Http404
    if not period_exists(period_id=period_id):
        raise Http404
    return mission_id, period_id


@login_required
@found_then_method(_get_scorecard_for_user, method="POST")
def mission_scorecard_export(request: HttpRequest, scorecard: tuple[int, int]) -> HttpResponse:
    """The scorecard of one mission and quarter, for a button on a mission's page."""
    mission_id, period_id = scorecard
    return _scorecard_response(request, mission_id, period_id)


def _missions_export(
    request: HttpRequest,
    *,
    allowed: bool,
    form_class: type[BriefingPackForm] | type[BriefingDeckForm],
    missions: Any,
    kind: str,
    form_name: str,
) -> HttpResponse:
    """A briefing pack or deck: several missions in one quarter, as a background job."""
    if not allowed:
        raise PermissionDenied
    form = form_class(request.POST, missions=missions)
    if form.is_valid():
        try:
            job = export_job_request(
                by=request.user,
                kind=kind,
                mission_ids=[m.pk for m in form.cleaned_data["missions"]],
                period_id=form.cleaned_data["period"].pk,
            )
        except ExportError as error:
            form.add_error(None, str(error))
        else:
            return redirect("exports:job", job.pk)
    return render(
        request, "exports/index.html", _index_context(request, **{form_name: form}), status=400
    )


@login_required
@require_POST
def briefing_pack_export(request: HttpRequest) -> HttpResponse:
    return _missions_export(
        request,
        allowed=permissions.can_export_briefing_pack(request.user),
        form_class=BriefingPackForm,
        missions=export_mission_choices(user=request.user),
        kind=ExportKind.BRIEFING_PACK,
        form_name="briefing_form",
    )


@login_required
@require_POST
def briefing_deck_export(request: HttpRequest) -> HttpResponse:
    return _missions_export(
        request,
        allowed=permissions.can_export_briefing_deck(request.user),
        form_class=BriefingDeckForm,
        missions=export_deck_mission_choices(user=request.user),
        kind=ExportKind.BRIEFING_DECK,
        form_name="deck_form",
    )


@login_required
@require_POST
def data_export(request: HttpRequest) -> HttpResponse:
    if not permissions.can_export_anything(request.user):
        raise Http404
    form = DataExportForm(request.POST, missions=export_mission_choices(user=request.user))
    if form.is_valid():
        chosen = list(form.cleaned_data["missions"])
        xlsx = form.cleaned_data["format"] == "xlsx"
        job = export_job_request(
            by=request.user,
            kind=ExportKind.DATA_XLSX if xlsx else ExportKind.DATA_CSV,
            mission_ids=[m.pk for m in chosen] if chosen else None,
        )
        return redirect("exports:job", job.pk)
    return render(
        request, "exports/index.html", _index_context(request, data_form=form), status=400
    )


def _percent_points(points: int) -> str:
    return _("%(value)s %%") % {"value": points}


def _status_payload(job: ExportJob, *, can_download: bool) -> dict:
    finished_file = job.status == ExportStatus.DONE and can_download
    return {
        "id": job.pk,
        "status": job.status,
        "status_label": job.get_status_display(),
        "progress": job.progress,
        # "45%", « 45 % » in French: the page shows it as it is (no typography in the script)
        "progress_label": _percent_points(job.progress),
        "error": job.error,
        "finished": job.is_finished,
        "download_url": reverse("exports:download", args=[job.pk]) if finished_file else None,
    }


@login_required
@found_then_method(_get_job_for_user, method="GET")
def job_detail(request: HttpRequest, job: ExportJob) -> HttpResponse:
    can_download = permissions.can_download_job(request.user, job)
    return render(
        request,
        "exports/job.html",
        {
            "job": job,
            "can_download": can_download,
            "status": _status_payload(job, can_download=can_download),
        },
    )


@login_required
@found_then_method(_get_job_for_user, method="GET")
def job_status(request: HttpRequest, job: ExportJob) -> JsonResponse:
    can_download = permissions.can_download_job(request.user, job)
    response = JsonResponse(_status_payload(job, can_download=can_download))
    response["Cache-Control"] = "no-store"
    return response


@login_required
@found_then_method(_get_job_for_user, method="GET")
def job_download(request: HttpRequest, job: ExportJob) -> HttpResponseBase:
    if not permissions.can_download_job(request.user, job):
        # Access changed since the export was made (a member removed from a mission, a
        # focal point now a respondent): yesterday's file is not theirs to fetch any more.
        export_job_download_refused(job=job, by=request.user)
        raise PermissionDenied
    opened = export_job_open(job=job)
    if opened is None:
        if job.status == ExportStatus.EXPIRED:
            messages.info(request, _("This file was deleted after its retention time."))
        return redirect("exports:job", job.pk)
    export_job_downloaded(job=job, by=request.user)
    response = FileResponse(
        opened,
        as_attachment=True,
        filename=job.filename,
        content_type=job.content_type or "application/octet-stream",
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@found_then_method(_get_job_for_user, method="POST")
def job_retry(request: HttpRequest, job: ExportJob) -> HttpResponse:
    try:
        export_job_retry(job=job, by=request.user)
    except ExportError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The export was queued again."))
    return redirect("exports:job", job.pk)
