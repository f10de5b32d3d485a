"""The user's notifications and e-mail choices. Every page is the user's own: another
user's notification is a 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from imp_assess.http import found_then_method
from notifications.forms import EmailPreferencesForm
from notifications.messages import notification_message
from notifications.models import Notification
from notifications.selectors import (
    email_kinds_turned_off,
    notification_get_for_user,
    notifications_for,
)
from notifications.services.reading import (
    email_preferences_set,
    notification_mark_read,
    notifications_mark_all_read,
)

PAGE_SIZE = 30


def _get_notification_for_user(request: HttpRequest, notification_id: int) -> Notification:
    try:
        return notification_get_for_user(user=request.user, notification_id=notification_id)
    except Notification.DoesNotExist:
        raise Http404 from None


@login_required
@require_http_methods(["GET", "HEAD"])
def notification_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(notifications_for(user=request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    items = [(notification, notification_message(notification)) for notification in page]
    return render(request, "notifications/list.html", {"page": page, "items": items})


@login_required
@found_then_method(_get_notification_for_user, method="POST")
def notification_read(request: HttpRequest, notification: Notification) -> HttpResponse:
    """Mark read; with ``open``, go on to the page the notification is about."""
    notification_mark_read(notification=notification, by=request.user)
    if "open" in request.POST:
        return redirect(notification_message(notification).path)
    return redirect("notifications:list")


@login_required
@require_POST
def notification_read_all(request: HttpRequest) -> HttpResponse:
    count = notifications_mark_all_read(by=request.user)
    messages.success(
        request,
        ngettext(
            "%(count)d notification marked as read.",
            "%(count)d notifications marked as read.",
            count,
        )
        % {"count": count},
    )
    return redirect("notifications:list")


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def email_preferences(request: HttpRequest) -> HttpResponse:
    turned_off = email_kinds_turned_off(user=request.user)
    form = EmailPreferencesForm(request.POST or None, turned_off=turned_off)
    if request.method == "POST" and form.is_valid():
        email_preferences_set(by=request.user, kinds_on=form.cleaned_data["kinds"])
        messages.success(request, _("Your e-mail choices are saved."))
        return redirect("notifications:preferences")
    status = 400 if request.method == "POST" else 200
    return render(request, "notifications/preferences.html", {"form": form}, status=status)
