"""The project's URLs plus one view that fails, to see what a user gets on a 500."""

from django.urls import path

from imp_assess.urls import handler500  # noqa: F401
from imp_assess.urls import urlpatterns as project_urlpatterns


def failing_view(request):
    raise RuntimeError("secret internal detail: connection string postgres://user:pw@db")


urlpatterns = [*project_urlpatterns, path("boom/", failing_view)]
