from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from health.views import healthz
from home.views import home
from imp_assess import views
from security import views as security_views

urlpatterns = [
    path("", home, name="home"),
    path("healthz", healthz, name="healthz"),
    path("favicon.ico", views.favicon, name="favicon"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    # --- Password change and reset (security app) ---
    path("accounts/password/change/", security_views.password_change, name="password_change"),
    path(
        "accounts/password/change/done/",
        security_views.password_change_done,
        name="password_change_done",
    ),
    path("accounts/password/reset/", security_views.password_reset, name="password_reset"),
    path(
        "accounts/password/reset/done/",
        security_views.password_reset_done,
        name="password_reset_done",
    ),
    path(
        "accounts/reset/<uidb64>/<token>/",
        security_views.password_reset_confirm,
        name="password_reset_confirm",
    ),
    path(
        "accounts/reset/done/",
        security_views.password_reset_complete,
        name="password_reset_complete",
    ),
    path("questionnaires/", include("questionnaires.urls")),
    path("assessments/", include("assessments.urls")),
    path("actions/", include("actions.urls")),
    path("dashboards/", include("dashboards.urls")),
    path("exports/", include("exports.urls")),
    path("security/", include("security.urls")),
    path("api/", include("api.urls")),
    path("admin/", admin.site.urls),
]

handler500 = "imp_assess.views.server_error"
