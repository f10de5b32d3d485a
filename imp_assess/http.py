"""The request prologue shared by views that act on one object of the user's missions."""

import functools
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponseNotAllowed
from django.http.response import HttpResponseBase


def found_then_method(
    fetch: Callable[..., Any], *, method: str
) -> Callable[[Callable[..., HttpResponseBase]], Callable[..., HttpResponseBase]]:
    """Fetch the object first, then check the method, then call ``view(request, obj)``.

    ``fetch(request, **url_kwargs)`` raises Http404 outside the user's view, so outsiders
    learn nothing, not even which methods the URL takes; insiders get 405 for another method.
    ``method="GET"`` also allows HEAD.
    """
    allowed = ("GET", "HEAD") if method == "GET" else (method,)

    def decorate(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
        @functools.wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            found = fetch(request, *args, **kwargs)
            if request.method not in allowed:
                return HttpResponseNotAllowed([method])
            return view(request, found)

        return wrapper

    return decorate
