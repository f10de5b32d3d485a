from django.contrib import admin
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog

from health.views import healthz
from home.views import home
from imp_assess import views
from security import oidc_views
from security import views as security_views

urlpatterns = [
    path("", home, name="home"),
    path("healthz", healthz, name="healthz"),
    path("favicon.ico", views.favicon, name="favicon"),
    # The messages of static/js (djangojs catalogue), served as a script file (CSP: no inline).
    path("jsi18n/", JavaScriptCatalog.as_view(domain="djangojs"), name="javascript_catalog"),
    path("accounts/login/", oidc_views.login, name="login"),
    path("accounts/logout/", oidc_views.logout, name="logout"),
    # --- Organisation sign-in (OpenID Connect; 404 unless configured) ---
    path("accounts/oidc/start/", oidc_views.oidc_start, name="oidc_start"),
    path("accounts/oidc/callback/", oidc_views.oidc_callback, name="oidc_callback"),
    path("accounts/oidc/no-access/", oidc_views.oidc_no_access, name="oidc_no_access"),
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
    path("notifications/", include("notifications.urls")),
    path("api/", include("api.urls")),
    path("admin/", admin.site.urls),
]

handler500 = "imp_assess.views.server_error"
