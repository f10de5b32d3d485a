"""The home page: what needs this user now, by role. A user with several roles (a focal
point who also answers for a component) sees each role's section."""

from dataclasses import replace

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from dashboards.tables import cycle_states
from home import selectors
from home.services import home_visit_record
from missions.models import MembershipRole
from missions.roles import Account, user_is_administrator, user_is_analyst
from missions.selectors import mission_list_visible_to, mission_memberships_for_user
from scoring.confidentiality import headline_shown_to
from scoring.headline import mission_headlines


@require_safe
@login_required
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not isinstance(user, Account):  # login_required: never anonymous here
        raise PermissionDenied
    since = home_visit_record(user=user)
    memberships = list(mission_memberships_for_user(user=user))
    is_administrator = user_is_administrator(user)
    is_analyst = user_is_analyst(user)
    roles = {m.role for m in memberships}
    context: dict = {
        "memberships": memberships,
        "is_administrator": is_administrator,
        "is_analyst": is_analyst,
        "since": since,
        "roles_in_words": selectors.roles_in_words(
            memberships=memberships, is_administrator=is_administrator, is_analyst=is_analyst
        ),
        "changes": selectors.changes_since(user=user, since=since) if memberships else [],
    }
    if MembershipRole.RESPONDENT in roles:
        context["tasks"] = selectors.respondent_tasks(user=user)
        context["actions_agreed"] = selectors.actions_agreed_since(user=user, since=since)
    if MembershipRole.FOCAL_POINT in roles:
        context["focal_missions"] = selectors.focal_point_missions(user=user)
    if is_analyst or is_administrator:
        board = selectors.cycle_now(user=user)
        context["board"] = board
        context["board_states"] = cycle_states(board) if board else []
        context["findings"] = selectors.new_findings(user=user)
        context["recent_exports"] = selectors.recent_exports(user=user)
        context["missions"] = mission_list_visible_to(user=user)  # by code (Mission's order)
    if is_administrator:
        context["todo"] = selectors.administrator_todo(user=user)
    # Critical findings lead every summary (method v3's gated headline), for every role.
    # A component-level reader sees no v3 alignment figure (scoring.confidentiality).
    context["mission_headlines"] = [
        replace(row, headline=shown)
        for row in mission_headlines(
            missions=context.get("missions") or {m.mission for m in memberships}
        )
        if (shown := headline_shown_to(row.headline, user=user)) is not None
    ]
    return render(request, "home/home.html", context)
