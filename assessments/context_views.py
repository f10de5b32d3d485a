"""The mission's context profile page: the profile in force this quarter, its history with
the reason for each change, and the focal point's form."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from assessments import permissions
from assessments.quarter_services import assessment_context_profile_set
from assessments.views import _get_assessment_for_user
from missions.forms import ContextProfileForm
from missions.selectors import (
    context_profile_for,
    context_profile_history,
    context_profile_is_recorded,
)
from questionnaires.context import profile_clause


@login_required
def context_profile_page(request: HttpRequest, assessment_id: int) -> HttpResponse:
    assessment = _get_assessment_for_user(request, assessment_id)
    if request.method not in ("GET", "HEAD", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    can_set = permissions.can_set_context_profile(request.user, assessment)
    mission, period = assessment.mission, assessment.period
    profile = context_profile_for(mission=mission, period=period)
    status = 200
    if request.method == "POST":
        if not can_set:
            raise PermissionDenied
        form = ContextProfileForm(request.POST)
        if form.is_valid():
            try:
                changed = assessment_context_profile_set(
                    assessment=assessment,
                    by=request.user,
                    profile=form.profile(),
                    reason=form.cleaned_data["reason"],
                )
            except ValidationError as error:
                for field, errors in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                messages.success(
                    request,
                    _("Context profile recorded.") if changed else _("The profile is unchanged."),
                )
                return redirect("assessments:context_profile", assessment.pk)
        status = 400
    else:
        form = ContextProfileForm(initial=ContextProfileForm.initial_of(profile))
    history = list(reversed(context_profile_history(mission=mission)))
    return render(
        request,
        "assessments/context_profile.html",
        {
            "assessment": assessment,
            "profile_lines": [
                profile_clause(key, value) for key, value in profile.as_dict().items()
            ],
            "is_recorded": context_profile_is_recorded(mission=mission, period=period),
            "history": [
                (record, [profile_clause(key, record.profile.value(key)) for key in record.changed])
                for record in history
            ],
            "form": form,
            "can_set_context_profile": can_set,
        },
        status=status,
    )
