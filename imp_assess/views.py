from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from missions.roles import user_is_administrator, user_is_analyst
from missions.selectors import mission_list_visible_to, mission_memberships_for_user


@login_required
def home(request: HttpRequest) -> HttpResponse:
    missions = mission_list_visible_to(user=request.user)
    return render(
        request,
        "home.html",
        {
            "missions": missions,
            "memberships": mission_memberships_for_user(user=request.user),
            "is_analyst": user_is_analyst(request.user),
            "is_administrator": user_is_administrator(request.user),
        },
    )
