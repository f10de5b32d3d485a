from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from health.views import healthz
from imp_assess import views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", healthz, name="healthz"),
    path("favicon.ico", views.favicon, name="favicon"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("questionnaires/", include("questionnaires.urls")),
    path("assessments/", include("assessments.urls")),
    path("dashboards/", include("dashboards.urls")),
    path("exports/", include("exports.urls")),
    path("security/", include("security.urls")),
    path("admin/", admin.site.urls),
]

handler500 = "imp_assess.views.server_error"

admin.site.site_header = "imp-assess administration"
admin.site.site_title = "imp-assess"
