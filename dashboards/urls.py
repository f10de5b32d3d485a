from django.urls import path

from dashboards import views

app_name = "dashboards"

urlpatterns = [
    path("", views.index, name="index"),
    path("portfolio/", views.portfolio_page, name="portfolio"),
    path("missions/", views.mission_list_page, name="missions"),
    path("missions/<int:mission_id>/", views.profile_page, name="profile"),
    path("compare/", views.compare_page, name="compare"),
    path("barriers/", views.barriers_page, name="barriers"),
    path("barriers/evidence/", views.evidence_page, name="evidence"),
    path("actions/", views.actions_page, name="actions"),
]
